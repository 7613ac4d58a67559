//! Time stamp tokens made by a test authority with SM2: valid, over other bytes, tampered,
//! and from an untrusted authority.

mod common;

use std::sync::Arc;

use eseal::cert::CertificateBuilder;
use eseal::report::CheckStatus;
use eseal::timestamp::{TimeStampAuthority, TimeStampToken};
use eseal::trust::{TrustPolicy, TrustStore};
use eseal::{
    Certificate, PrivateKey, Seal, SignatureBuilder, SignedData, Time, VerifyOptions,
    verify_signature,
};

fn t(text: &str) -> Time {
    common::time(text)
}

struct Authority {
    root: Certificate,
    cert: Certificate,
    key: PrivateKey,
}

fn authority() -> Authority {
    let root_key = PrivateKey::generate().unwrap();
    let root = CertificateBuilder::new("CN=TSA Root,C=CN", 1, t("2020-01-01"), t("2030-01-01"))
        .ca(true)
        .sign(root_key.public_key(), None, Some(&root_key))
        .unwrap();
    let key = PrivateKey::generate().unwrap();
    let cert = CertificateBuilder::new(
        "CN=Test Time Stamp Authority,C=CN",
        2,
        t("2020-01-01"),
        t("2030-01-01"),
    )
    .sign(key.public_key(), Some((&root, &root_key)), None)
    .unwrap();
    Authority { root, cert, key }
}

fn trust_with(roots: &[&Certificate]) -> VerifyOptions {
    let mut store = TrustStore::new();
    store
        .add_pem_or_der(&common::read("keys/ROOT.cert.pem"))
        .unwrap();
    for root in roots {
        store.add_anchor((*root).clone());
    }
    VerifyOptions {
        trust: Some(Arc::new(TrustPolicy {
            store,
            ..TrustPolicy::default()
        })),
        ..VerifyOptions::default()
    }
}

fn stamped_signature(tsa: &Authority, gen_time: Time) -> eseal::Signature {
    let seal = Seal::from_der(&common::read("seals/UserV4.esl")).unwrap();
    let key = PrivateKey::from_pem(&common::read("keys/USER.key.pem")).unwrap();
    let cert = Certificate::from_pem(&common::read("keys/USER.cert.pem")).unwrap();
    let stamper =
        |value: &[u8]| TimeStampAuthority::new(&tsa.cert, &tsa.key).stamp(value, gen_time, 7);
    SignatureBuilder::new(&seal, &key, &cert)
        .time(t("2021-06-01T00:00:00Z"))
        .time_stamp_with(&stamper)
        .sign(b"document")
        .unwrap()
}

#[test]
fn trusted_time_stamp_fixes_signing_time() {
    let tsa = authority();
    let signature = stamped_signature(&tsa, t("2021-06-01T00:05:00Z"));
    assert!(signature.time_stamp.is_some());
    let report = verify_signature(
        &signature,
        SignedData::Bytes(b"document"),
        &trust_with(&[&tsa.root]),
    );
    let check = report.check("signature.time_stamp").unwrap();
    assert_eq!(check.status, CheckStatus::Passed, "{}", check.message);
    assert_eq!(report.signing_time, t("2021-06-01T00:05:00Z"));
    assert!(report.valid, "{:#?}", report.checks);
    // Re-encoding keeps the token.
    assert_eq!(signature.to_der().unwrap(), signature.as_der());
}

#[test]
fn untrusted_store_keeps_claimed_time() {
    let tsa = authority();
    let signature = stamped_signature(&tsa, t("2021-06-01T00:05:00Z"));
    let report = verify_signature(
        &signature,
        SignedData::Bytes(b"document"),
        &VerifyOptions::default(),
    );
    assert_eq!(
        report.check("signature.time_stamp").unwrap().status,
        CheckStatus::Passed
    );
    assert_eq!(report.signing_time, t("2021-06-01T00:00:00Z"));
}

#[test]
fn untrusted_authority_fails() {
    let tsa = authority();
    let signature = stamped_signature(&tsa, t("2021-06-01T00:05:00Z"));
    // The trust store lacks the authority's root.
    let report = verify_signature(&signature, SignedData::Bytes(b"document"), &trust_with(&[]));
    let check = report.check("signature.time_stamp").unwrap();
    assert_eq!(check.status, CheckStatus::Failed);
    assert!(check.message.contains("not trusted"), "{}", check.message);
    assert!(!report.valid);
    assert_eq!(report.signing_time, t("2021-06-01T00:00:00Z"));
}

#[test]
fn token_over_other_bytes_fails() {
    let tsa = authority();
    let token = TimeStampAuthority::new(&tsa.cert, &tsa.key)
        .stamp(b"other bytes", t("2021-06-01"), 1)
        .unwrap();
    let parsed = TimeStampToken::from_der(&token).unwrap();
    assert_eq!(parsed.gen_time, t("2021-06-01"));
    assert!(parsed.verify(b"other bytes", None).is_ok());
    let error = parsed.verify(b"the signature value", None).unwrap_err();
    assert!(error.contains("messageImprint"), "{error}");

    // A time stamp service that answers for other bytes is caught when signing.
    let seal = Seal::from_der(&common::read("seals/UserV4.esl")).unwrap();
    let key = PrivateKey::from_pem(&common::read("keys/USER.key.pem")).unwrap();
    let cert = Certificate::from_pem(&common::read("keys/USER.cert.pem")).unwrap();
    let wrong = |_: &[u8]| Ok(token.clone());
    let refused = SignatureBuilder::new(&seal, &key, &cert)
        .time(t("2021-06-01"))
        .time_stamp_with(&wrong)
        .sign(b"document");
    assert!(
        matches!(refused, Err(eseal::Error::TimeStamp(_))),
        "{refused:?}"
    );
}

#[test]
fn tampered_token_fails() {
    let tsa = authority();
    let token = TimeStampAuthority::new(&tsa.cert, &tsa.key)
        .stamp(b"value", t("2021-06-01"), 1)
        .unwrap();
    // Change the genTime inside the TSTInfo: the messageDigest no longer matches.
    let mut changed = token.clone();
    let at = changed.windows(8).position(|w| w == b"20210601").unwrap();
    changed[at + 3] = b'2';
    let parsed = TimeStampToken::from_der(&changed).unwrap();
    assert!(
        parsed
            .verify(b"value", None)
            .unwrap_err()
            .contains("messageDigest")
    );
    // Change the signature: the authority's signature no longer verifies.
    let mut forged = token.clone();
    let last = forged.len() - 2;
    forged[last] ^= 0x01;
    let parsed = TimeStampToken::from_der(&forged).unwrap();
    assert!(
        parsed
            .verify(b"value", None)
            .unwrap_err()
            .contains("signature")
    );
    // Truncations are typed errors.
    for length in 0..token.len() {
        assert!(
            TimeStampToken::from_der(&token[..length]).is_err(),
            "{length}"
        );
    }
}

#[test]
fn dummy_seal_time_stamp_is_reported_invalid() {
    // UserV5_ts.esl carries the bytes 01 02 03 where a token belongs.
    let seal = Seal::from_der(&common::read("seals/UserV5_ts.esl")).unwrap();
    let options = VerifyOptions {
        at: Some(t("2027-01-01")),
        ..VerifyOptions::default()
    };
    let report = eseal::verify_seal(&seal, &options);
    assert_eq!(
        report.check("seal.time_stamp").unwrap().status,
        CheckStatus::Failed
    );
}

/// An external signer that counts its calls and forwards to a key.
struct CountingSigner {
    key: PrivateKey,
    calls: std::cell::Cell<usize>,
}

impl eseal::crypto::Signer for CountingSigner {
    fn public_key(&self) -> Option<eseal::PublicKey> {
        None
    }

    fn sign_digest(&self, e: &[u8; 32]) -> eseal::Result<eseal::crypto::SignatureValue> {
        self.calls.set(self.calls.get() + 1);
        self.key.sign_digest(e)
    }
}

#[test]
fn v1_time_stamp_rejected_before_signing() {
    let tsa = authority();
    let seal = Seal::from_der(&common::read("seals/UserV1.esl")).unwrap();
    let cert = Certificate::from_pem(&common::read("keys/USER.cert.pem")).unwrap();
    let signer = CountingSigner {
        key: PrivateKey::from_pem(&common::read("keys/USER.key.pem")).unwrap(),
        calls: std::cell::Cell::new(0),
    };
    let stamper = |value: &[u8]| {
        TimeStampAuthority::new(&tsa.cert, &tsa.key).stamp(value, t("2021-06-01T00:05:00Z"), 3)
    };

    let rejected = SignatureBuilder::with_signer(&seal, &signer, &cert)
        .time(t("2021-06-01"))
        .time_stamp_with(&stamper)
        .sign(b"document");

    assert!(
        matches!(
            rejected,
            Err(eseal::Error::Encode {
                field: "timeStamp",
                ..
            })
        ),
        "{rejected:?}"
    );
    assert_eq!(signer.calls.get(), 0, "the signer was called");

    // Without a time stamp the same seal and signer sign, so the error comes from the time stamp.
    let signature = SignatureBuilder::with_signer(&seal, &signer, &cert)
        .time(t("2021-06-01"))
        .sign(b"document")
        .unwrap();
    assert_eq!(signer.calls.get(), 1);
    assert!(signature.time_stamp.is_none());
}

#[test]
fn ofd_signature_carries_time_stamp() {
    use eseal::ofd::{
        Limits, OfdSignOptions, StampPlacement, sign_ofd_with_time_stamp, verify_ofd,
    };
    use std::io::Cursor;

    let tsa = authority();
    let seal = Seal::from_der(&common::read("seals/UserV4.esl")).unwrap();
    let key = PrivateKey::from_pem(&common::read("keys/USER.key.pem")).unwrap();
    let cert = Certificate::from_pem(&common::read("keys/USER.cert.pem")).unwrap();
    let document = common::read("ofd/ofdrw-hello.ofd");
    let options = OfdSignOptions {
        time: Some(t("2021-06-01")),
        placements: vec![StampPlacement {
            page: 1,
            boundary: [100.0, 150.0, 40.0, 40.0],
            clip: None,
        }],
        ..OfdSignOptions::default()
    };
    let sign = |stamper: &dyn Fn(&[u8]) -> eseal::Result<Vec<u8>>| {
        let mut output = Cursor::new(Vec::new());
        let result = sign_ofd_with_time_stamp(
            Cursor::new(&document),
            &mut output,
            &seal,
            &key,
            &cert,
            &options,
            stamper,
        );
        (result, output.into_inner())
    };

    let stamper = |value: &[u8]| {
        TimeStampAuthority::new(&tsa.cert, &tsa.key).stamp(value, t("2021-06-01T00:05:00Z"), 9)
    };
    let (result, signed) = sign(&stamper);
    let outcome = result.unwrap();
    let report = verify_ofd(
        Cursor::new(&signed),
        &trust_with(&[&tsa.root]),
        Limits::default(),
    )
    .unwrap();
    let new = report
        .signatures
        .iter()
        .find(|entry| entry.id == outcome.id)
        .expect("the new signature is reported");
    let signature = new.signature.as_ref().expect("its SES_Signature is read");
    assert_eq!(
        signature.check("signature.time_stamp").unwrap().status,
        CheckStatus::Passed
    );
    assert_eq!(signature.signing_time, t("2021-06-01T00:05:00Z"));

    // A token over other bytes fails signing, and nothing is written.
    let token = TimeStampAuthority::new(&tsa.cert, &tsa.key)
        .stamp(b"other bytes", t("2021-06-01"), 1)
        .unwrap();
    let wrong = |_: &[u8]| Ok(token.clone());
    let (result, written) = sign(&wrong);
    assert!(
        matches!(result, Err(eseal::Error::TimeStamp(_))),
        "{result:?}"
    );
    assert!(written.is_empty());
}
