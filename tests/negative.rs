//! Negative cases: tampering, truncation, wrong data, keys and certificates, expiry, version mix.
//!
//! Signatures that eseal's builder refuses to make are assembled here by hand from DER pieces,
//! so that verification of what a careless producer could write is tested too.

mod common;

use std::time::Duration;

use der::Encode;
use der::asn1::GeneralizedTime;
use eseal::cert::CertificateBuilder;
use eseal::crypto::{DEFAULT_SM2_ID, sm3};
use eseal::error::RefusalReason;
use eseal::report::{CheckStatus, SignatureReport};
use eseal::{
    Certificate, Error, PrivateKey, Seal, SealBuilder, Signature, SignatureBuilder, SignedData,
    Time, VerifyOptions, Version, verify_signature,
};

const DATA: &[u8] = b"negative test document";

struct Pki {
    maker_key: PrivateKey,
    maker: Certificate,
    signer_key: PrivateKey,
    signer: Certificate,
    other_key: PrivateKey,
    other: Certificate,
}

fn t(text: &str) -> Time {
    common::time(text)
}

fn pki() -> Pki {
    pki_with_signer_end(t("2027-01-01"))
}

/// A PKI valid 2025..2027 whose signer certificate ends at `signer_end`.
fn pki_with_signer_end(signer_end: Time) -> Pki {
    let start = t("2025-01-01");
    let end = t("2027-01-01");
    let ca_key = PrivateKey::generate().unwrap();
    let ca = CertificateBuilder::new("CN=Negative CA", 1, start, end)
        .ca(true)
        .sign(ca_key.public_key(), None, Some(&ca_key))
        .unwrap();
    let issue = |name: &str, serial: u64, end: Time| {
        let key = PrivateKey::generate().unwrap();
        let cert = CertificateBuilder::new(name, serial, start, end)
            .sign(key.public_key(), Some((&ca, &ca_key)), None)
            .unwrap();
        (key, cert)
    };
    let (maker_key, maker) = issue("CN=Maker", 2, end);
    let (signer_key, signer) = issue("CN=Signer", 3, signer_end);
    let (other_key, other) = issue("CN=Other", 4, end);
    Pki {
        maker_key,
        maker,
        signer_key,
        signer,
        other_key,
        other,
    }
}

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0\x90wS\xde";

fn make_seal(pki: &Pki, version: Version) -> Seal {
    SealBuilder::new("NEG-001", "负面测试章")
        .version(version)
        .validity(t("2025-06-01"), t("2026-06-01"))
        .create_date(t("2025-06-01"))
        .picture(PNG.to_vec(), 40, 40)
        .unwrap()
        .signer_certificate(&pki.signer)
        .sign(&pki.maker_key, &pki.maker)
        .unwrap()
}

fn sign(pki: &Pki, seal: &Seal, time: &str) -> Signature {
    SignatureBuilder::new(seal, &pki.signer_key, &pki.signer)
        .time(t(time))
        .sign(DATA)
        .unwrap()
}

fn verify(signature: &Signature) -> SignatureReport {
    verify_signature(
        signature,
        SignedData::Bytes(DATA),
        &VerifyOptions::default(),
    )
}

fn status(report: &SignatureReport, name: &str) -> CheckStatus {
    report
        .check(name)
        .unwrap_or_else(|| panic!("no check {name}"))
        .status
}

fn tlv(tag: u8, contents: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let len = contents.len();
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes = len.to_be_bytes();
        let skip = bytes.iter().take_while(|&&b| b == 0).count();
        out.push(0x80 | (8 - skip) as u8);
        out.extend_from_slice(&bytes[skip..]);
    }
    out.extend_from_slice(contents);
    out
}

/// Assembles a V4 SES_Signature without any of the builder's checks.
fn forge_v4(
    seal: &Seal,
    time: Time,
    data_hash: &[u8],
    cert: &Certificate,
    key: &PrivateKey,
) -> Signature {
    let time = GeneralizedTime::from_unix_duration(Duration::from_secs(time.unix_seconds()))
        .unwrap()
        .to_der()
        .unwrap();
    let mut tbs = vec![0x02, 0x01, 0x04];
    tbs.extend_from_slice(seal.as_der());
    tbs.extend(time);
    tbs.extend(tlv(0x03, &[&[0u8][..], data_hash].concat()));
    tbs.extend(tlv(0x16, b"forged"));
    let tbs = tlv(0x30, &tbs);
    let value = key.sign(DEFAULT_SM2_ID, &tbs).unwrap().to_der();
    let mut contents = tbs;
    contents.extend(tlv(0x04, cert.as_der()));
    contents.extend(eseal::asn1::OID_SM2_WITH_SM3.to_der().unwrap());
    contents.extend(tlv(0x03, &[&[0u8][..], &value].concat()));
    Signature::from_der(&tlv(0x30, &contents)).unwrap()
}

#[test]
fn genuine_signature_is_valid() {
    let pki = pki();
    let seal = make_seal(&pki, Version::V4);
    let signature = SignatureBuilder::new(&seal, &pki.signer_key, &pki.signer)
        .time(t("2025-09-01"))
        .property_info("forged")
        .sign(DATA)
        .unwrap();
    let report = verify(&signature);
    assert!(report.valid, "{:?}", report.checks);
    // The hand-assembled TBS_Sign equals the builder's for the same values.
    let forged = forge_v4(
        &seal,
        t("2025-09-01"),
        &sm3(DATA),
        &pki.signer,
        &pki.signer_key,
    );
    assert_eq!(forged.signed_message(), signature.signed_message());
    assert!(verify(&forged).valid);
}

#[test]
fn flipped_bit_anywhere_is_rejected() {
    let pki = pki();
    for version in [Version::V4, Version::V1] {
        let seal = make_seal(&pki, version);
        let signature = sign(&pki, &seal, "2025-09-01");
        let der = signature.as_der();
        for position in 0..der.len() {
            let mut copy = der.to_vec();
            copy[position] ^= 0x01;
            let Ok(tampered) = Signature::from_der(&copy) else {
                continue;
            };
            let report = verify(&tampered);
            if report.valid {
                // Only an unsigned BIT STRING unused-bits octet may change without effect, and
                // then the change is reported.
                let codes = common::codes(&report.findings);
                assert!(
                    codes.contains(&"bit-string-unused-bits"),
                    "{version:?}: flipping byte {position} left the signature valid"
                );
            }
        }
    }
}

#[test]
fn flipped_bit_in_each_signed_part() {
    let pki = pki();
    let seal = make_seal(&pki, Version::V4);
    let signature = sign(&pki, &seal, "2025-09-01");
    let der = signature.as_der();
    // SES_Signature and TBS_Sign headers are four bytes each, then `02 01 04`.
    let version = 10;
    assert_eq!(der[version - 2..=version], [0x02, 0x01, 0x04]);
    let seal_start = der
        .windows(seal.as_der().len())
        .position(|w| w == seal.as_der())
        .unwrap();
    let esid = seal_start
        + der[seal_start..]
            .windows(7)
            .position(|w| w == b"NEG-001")
            .unwrap();
    let hash = der.windows(32).position(|w| w == sm3(DATA)).unwrap();
    let seal_signature = seal_start + seal.as_der().len() - 10;
    for (part, position, broken) in [
        // 4 becomes 6, a version no standard defines.
        ("TBS_Sign.version", version, "signature.format"),
        ("SES_SealInfo.esID", esid, "seal.maker_signature"),
        ("SESeal.signedValue", seal_signature, "seal.maker_signature"),
        ("TBS_Sign.dataHash", hash + 5, "signature.signer_signature"),
        (
            "SES_Signature.signature",
            der.len() - 5,
            "signature.signer_signature",
        ),
    ] {
        let mut copy = der.to_vec();
        copy[position] ^= if part == "TBS_Sign.version" {
            0x02
        } else {
            0x01
        };
        let tampered = Signature::from_der(&copy).unwrap_or_else(|e| panic!("{part}: {e}"));
        let report = verify(&tampered);
        assert!(!report.valid, "{part}");
        assert_eq!(status(&report, broken), CheckStatus::Failed, "{part}");
        if part != "TBS_Sign.version" && part != "SES_Signature.signature" {
            // Any change inside TBS_Sign also breaks the signer's signature.
            assert_eq!(
                status(&report, "signature.signer_signature"),
                CheckStatus::Failed,
                "{part}"
            );
        }
    }
}

#[test]
fn truncated_seal_every_length() {
    let der = common::read("seals/UserV4.esl");
    for length in 0..der.len() {
        match Seal::from_der(&der[..length]) {
            Err(Error::Parse(error)) => assert!(
                error.offset <= length,
                "offset {} beyond {length}",
                error.offset
            ),
            Err(other) => panic!("length {length}: unexpected error {other}"),
            Ok(_) => panic!("a seal truncated to {length} bytes was accepted"),
        }
    }
}

#[test]
fn truncated_signature_every_length() {
    let der = common::read("signatures/suwell-t-58945b137af8/SignedValue.dat");
    for length in 0..der.len() {
        assert!(
            matches!(Signature::from_der(&der[..length]), Err(Error::Parse(_))),
            "length {length}"
        );
        assert!(eseal::decode(&der[..length]).is_err(), "length {length}");
    }
}

#[test]
fn wrong_data_fails_data_hash() {
    let pki = pki();
    let seal = make_seal(&pki, Version::V4);
    let signature = sign(&pki, &seal, "2025-09-01");
    let report = verify_signature(
        &signature,
        SignedData::Bytes(b"another document"),
        &VerifyOptions::default(),
    );
    assert_eq!(report.data_hash_valid, Some(false));
    assert_eq!(status(&report, "signature.data_hash"), CheckStatus::Failed);
    assert!(report.signature_valid);
    assert!(!report.valid);
}

#[test]
fn signer_not_in_cert_list() {
    let pki = pki();
    let seal = make_seal(&pki, Version::V4);
    let refused = SignatureBuilder::new(&seal, &pki.other_key, &pki.other)
        .time(t("2025-09-01"))
        .sign(DATA);
    assert!(matches!(
        refused,
        Err(Error::SigningRefused(RefusalReason::SignerNotInCertList))
    ));

    let forged = forge_v4(
        &seal,
        t("2025-09-01"),
        &sm3(DATA),
        &pki.other,
        &pki.other_key,
    );
    let report = verify(&forged);
    assert!(report.signature_valid);
    assert!(!report.signer_in_cert_list);
    assert_eq!(
        status(&report, "signature.signer_in_cert_list"),
        CheckStatus::Failed
    );
    assert!(!report.valid);
}

#[test]
fn signer_digest_list_is_matched() {
    let pki = pki();
    let seal = SealBuilder::new("NEG-002", "摘要列表章")
        .validity(t("2025-06-01"), t("2026-06-01"))
        .picture(PNG.to_vec(), 30, 30)
        .unwrap()
        .signer_certificate_digest(&pki.signer)
        .sign(&pki.maker_key, &pki.maker)
        .unwrap();
    assert_eq!(seal.info.property.cert_list_type, Some(2));
    assert!(verify(&sign(&pki, &seal, "2025-09-01")).valid);
    let refused = SignatureBuilder::new(&seal, &pki.other_key, &pki.other)
        .time(t("2025-09-01"))
        .sign(DATA);
    assert!(matches!(
        refused,
        Err(Error::SigningRefused(RefusalReason::SignerNotInCertList))
    ));
    let forged = forge_v4(
        &seal,
        t("2025-09-01"),
        &sm3(DATA),
        &pki.other,
        &pki.other_key,
    );
    assert_eq!(
        status(&verify(&forged), "signature.signer_in_cert_list"),
        CheckStatus::Failed
    );
}

#[test]
fn seal_expired_at_signing_time() {
    let pki = pki();
    let seal = make_seal(&pki, Version::V4);
    let refused = SignatureBuilder::new(&seal, &pki.signer_key, &pki.signer)
        .time(t("2026-07-01"))
        .sign(DATA);
    assert!(matches!(
        refused,
        Err(Error::SigningRefused(RefusalReason::SealNotValidAt { .. }))
    ));

    let forged = forge_v4(
        &seal,
        t("2026-07-01"),
        &sm3(DATA),
        &pki.signer,
        &pki.signer_key,
    );
    let report = verify(&forged);
    assert!(report.signature_valid);
    assert_eq!(status(&report, "seal.validity"), CheckStatus::Failed);
    assert_eq!(
        status(&report, "signature.signer_certificate_validity"),
        CheckStatus::Passed
    );
    assert!(!report.valid);
}

#[test]
fn seal_not_yet_valid_at_signing_time() {
    let pki = pki();
    let seal = make_seal(&pki, Version::V4);
    let refused = SignatureBuilder::new(&seal, &pki.signer_key, &pki.signer)
        .time(t("2025-05-01"))
        .sign(DATA);
    assert!(matches!(
        refused,
        Err(Error::SigningRefused(RefusalReason::SealNotValidAt { .. }))
    ));
}

#[test]
fn signer_certificate_expired_at_signing_time() {
    let pki = pki_with_signer_end(t("2025-09-01"));
    let seal = make_seal(&pki, Version::V4);
    let refused = SignatureBuilder::new(&seal, &pki.signer_key, &pki.signer)
        .time(t("2025-10-01"))
        .sign(DATA);
    assert!(matches!(
        refused,
        Err(Error::SigningRefused(
            RefusalReason::SignerCertificateNotValidAt { .. }
        ))
    ));
    let forged = forge_v4(
        &seal,
        t("2025-10-01"),
        &sm3(DATA),
        &pki.signer,
        &pki.signer_key,
    );
    let report = verify(&forged);
    assert_eq!(
        status(&report, "signature.signer_certificate_validity"),
        CheckStatus::Failed
    );
    assert_eq!(
        status(&report, "seal.maker_certificate_validity"),
        CheckStatus::Passed
    );
    assert!(!report.valid);
}

#[test]
fn maker_certificate_expired_at_signing_time() {
    let pki = pki();
    let seal = SealBuilder::new("NEG-003", "长期章")
        .validity(t("2025-06-01"), t("2030-01-01"))
        .picture(PNG.to_vec(), 40, 40)
        .unwrap()
        .signer_certificate(&pki.signer)
        .sign(&pki.maker_key, &pki.maker)
        .unwrap();
    let refused = SignatureBuilder::new(&seal, &pki.signer_key, &pki.signer)
        .time(t("2028-01-01"))
        .sign(DATA);
    assert!(matches!(
        refused,
        Err(Error::SigningRefused(
            RefusalReason::MakerCertificateNotValidAt { .. }
        ))
    ));
    let forged = forge_v4(
        &seal,
        t("2028-01-01"),
        &sm3(DATA),
        &pki.signer,
        &pki.signer_key,
    );
    let report = verify(&forged);
    assert_eq!(status(&report, "seal.validity"), CheckStatus::Passed);
    assert_eq!(
        status(&report, "seal.maker_certificate_validity"),
        CheckStatus::Failed
    );
    assert!(!report.valid);
}

#[test]
fn wrong_key_is_refused_and_detected() {
    let pki = pki();
    let seal = make_seal(&pki, Version::V4);
    let refused = SignatureBuilder::new(&seal, &pki.other_key, &pki.signer)
        .time(t("2025-09-01"))
        .sign(DATA);
    assert!(matches!(
        refused,
        Err(Error::SigningRefused(RefusalReason::KeyCertificateMismatch))
    ));

    let forged = forge_v4(
        &seal,
        t("2025-09-01"),
        &sm3(DATA),
        &pki.signer,
        &pki.other_key,
    );
    let report = verify(&forged);
    assert!(!report.signature_valid);
    assert_eq!(
        status(&report, "signature.signer_signature"),
        CheckStatus::Failed
    );
    assert!(report.signer_in_cert_list);
    assert!(!report.valid);

    let maker_refused = SealBuilder::new("NEG-004", "错误密钥章")
        .validity(t("2025-06-01"), t("2026-06-01"))
        .picture(PNG.to_vec(), 40, 40)
        .unwrap()
        .signer_certificate(&pki.signer)
        .sign(&pki.other_key, &pki.maker);
    assert!(matches!(
        maker_refused,
        Err(Error::SigningRefused(RefusalReason::KeyCertificateMismatch))
    ));
}

#[test]
fn v1_seal_inside_v4_signature() {
    let pki = pki();
    let v1_seal = make_seal(&pki, Version::V1);
    let refused = SignatureBuilder::new(&v1_seal, &pki.signer_key, &pki.signer)
        .version(Version::V4)
        .time(t("2025-09-01"))
        .sign(DATA);
    assert!(matches!(
        refused,
        Err(Error::SigningRefused(RefusalReason::VersionMismatch {
            seal: 1,
            signature: 4
        }))
    ));

    let forged = forge_v4(
        &v1_seal,
        t("2025-09-01"),
        &sm3(DATA),
        &pki.signer,
        &pki.signer_key,
    );
    assert_eq!(forged.version, Version::V4);
    assert_eq!(forged.seal().version, Version::V1);
    let report = verify(&forged);
    assert!(report.signature_valid);
    assert_eq!(status(&report, "signature.format"), CheckStatus::Failed);
    assert!(!report.valid);
}

#[test]
fn seal_with_invalid_maker_signature_cannot_sign() {
    let pki = pki();
    let seal = common::read("seals/hebeigede-v4.esl");
    let seal = Seal::from_der(&seal).unwrap();
    let refused = SignatureBuilder::new(&seal, &pki.signer_key, &pki.signer)
        .time(t("2021-01-01"))
        .sign(DATA);
    assert!(matches!(
        refused,
        Err(Error::SigningRefused(RefusalReason::SealSignatureInvalid))
    ));
}

#[test]
fn picture_type_is_checked() {
    let builder = SealBuilder::new("NEG-005", "图片测试章");
    let error = builder
        .clone()
        .picture(b"not a picture".to_vec(), 40, 40)
        .unwrap_err();
    assert!(matches!(error, Error::Picture(_)));
    let error = builder
        .clone()
        .picture_with_type(eseal::seal::PictureFormat::Gif, PNG.to_vec(), 40, 40)
        .unwrap_err();
    assert!(error.to_string().contains("PNG"), "{error}");
    assert!(builder.clone().picture(PNG.to_vec(), 0, 40).is_err());
    let huge = [PNG, &vec![0u8; eseal::seal::MAX_PICTURE_BYTES]].concat();
    assert!(matches!(
        builder.picture(huge, 40, 40),
        Err(Error::Picture(_))
    ));
}

#[test]
fn es_id_and_name_are_checked() {
    let pki = pki();
    let make = |es_id: &str, name: &str| {
        SealBuilder::new(es_id, name)
            .validity(t("2025-06-01"), t("2026-06-01"))
            .picture(PNG.to_vec(), 40, 40)
            .unwrap()
            .signer_certificate(&pki.signer)
            .sign(&pki.maker_key, &pki.maker)
    };
    let non_ascii = make("印章编号", "章").unwrap_err();
    assert!(non_ascii.to_string().contains("ASCII"), "{non_ascii}");
    assert!(matches!(
        make("", "章"),
        Err(Error::Encode { field: "esID", .. })
    ));
    assert!(matches!(
        make("ID-1", ""),
        Err(Error::Encode { field: "name", .. })
    ));
    assert!(make("ID-1", "章").is_ok());
}

#[test]
fn other_sm2_id_does_not_verify() {
    let pki = pki();
    let seal = make_seal(&pki, Version::V4);
    let signature = sign(&pki, &seal, "2025-09-01");
    let options = VerifyOptions {
        sm2_id: b"another id".to_vec(),
        ..VerifyOptions::default()
    };
    let report = verify_signature(&signature, SignedData::Bytes(DATA), &options);
    assert_eq!(
        status(&report, "signature.signer_signature"),
        CheckStatus::Failed
    );
    assert_eq!(status(&report, "seal.maker_signature"), CheckStatus::Failed);
}

#[test]
fn garbage_never_panics() {
    let mut state = 0x2545_f491_4f6c_dd1du64;
    for length in [0usize, 1, 2, 3, 10, 100, 1000] {
        for _ in 0..200 {
            let bytes: Vec<u8> = (0..length)
                .map(|_| {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    state as u8
                })
                .collect();
            let mut with_header = vec![0x30, 0x82, (length >> 8) as u8, length as u8];
            with_header.extend(&bytes);
            for input in [&bytes, &with_header] {
                if let Ok(eseal::Decoded::Signature(signature)) = eseal::decode(input) {
                    let _ = verify(&signature);
                }
            }
        }
    }
}
