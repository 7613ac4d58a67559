//! Real signatures (SignedValue.dat) from nine producers, verified against their Signature.xml.

mod common;

use common::{codes, read, vectors};
use eseal::report::{CheckStatus, SignatureReport};
use eseal::{Signature, SignedData, VerifyOptions, Version, verify_signature};

/// What each vector must give: overall validity, the failed checks, and the findings in order.
struct Expected {
    folder: &'static str,
    version: Version,
    es_id: &'static str,
    valid: bool,
    data_hash: Option<bool>,
    failed: &'static [&'static str],
    findings: &'static [&'static str],
}

/// Koal writes `critical FALSE` in each of its five ExtData and a raw r||s maker signature.
const KOAL: &[&str] = &[
    "default-value-encoded",
    "default-value-encoded",
    "default-value-encoded",
    "default-value-encoded",
    "default-value-encoded",
    "signature-raw-r-s",
];

const KOAL_LEADING_ZERO: &[&str] = &[
    "default-value-encoded",
    "default-value-encoded",
    "default-value-encoded",
    "default-value-encoded",
    "default-value-encoded",
    "signature-raw-r-s",
    "integer-leading-zero",
];

fn expectations() -> Vec<Expected> {
    vec![
        Expected {
            folder: "dianju-c9ca0b828683",
            version: Version::V4,
            es_id: "Vh4poIblza3ThaUpk6vC8b",
            valid: true,
            data_hash: Some(true),
            failed: &[],
            // The picture is declared "bmp" but its bytes are GIF.
            findings: &["picture-type-mismatch", "integer-negative"],
        },
        Expected {
            folder: "gomain-0f95f074ddc4",
            version: Version::V4,
            es_id: "50011200000399",
            valid: true,
            data_hash: Some(true),
            failed: &[],
            findings: &["default-value-encoded"],
        },
        Expected {
            folder: "gomain-dc10a090ea5f",
            version: Version::V4,
            es_id: "50011200000323",
            valid: true,
            data_hash: Some(true),
            failed: &[],
            findings: &["default-value-encoded"],
        },
        Expected {
            folder: "koal-0949ab5880fe",
            version: Version::V4,
            es_id: "8E3732C4065847BA93805E9BF143CFBB",
            valid: true,
            data_hash: Some(true),
            failed: &[],
            findings: KOAL,
        },
        Expected {
            folder: "koal-561ad032f380",
            version: Version::V4,
            es_id: "8E3732C4065847BA93805E9BF143CFBB",
            valid: true,
            data_hash: Some(true),
            failed: &[],
            findings: KOAL_LEADING_ZERO,
        },
        Expected {
            folder: "ofdr-wtest-3c2f8c595f20",
            version: Version::V4,
            es_id: "51f044b76510434e9bc67a1185c2fba5",
            valid: true,
            data_hash: Some(true),
            failed: &[],
            findings: &[],
        },
        Expected {
            // Both SM2 signatures and dataHash are correct, but it was signed on 2026-08-04 with
            // a seal and certificates that had expired in 2022.
            folder: "ofdr-wtest-d176968e31d8",
            version: Version::V4,
            es_id: "51f044b76510434e9bc67a1185c2fba5",
            valid: false,
            data_hash: Some(true),
            failed: &[
                "seal.validity",
                "seal.maker_certificate_validity",
                "signature.signer_certificate_validity",
            ],
            findings: &[],
        },
        Expected {
            folder: "ofdrw-v4-zero-hash",
            version: Version::V4,
            es_id: "51f044b76510434e9bc67a1185c2fba5",
            valid: true,
            data_hash: None,
            failed: &[],
            findings: &[],
        },
        Expected {
            // Signed in 2026 with test certificates that expired in 2022.
            folder: "ofdrw-v5-zero-hash",
            version: Version::V5,
            es_id: "309093c121454e56955f3be47ff728a3",
            valid: false,
            data_hash: None,
            failed: &[
                "seal.maker_certificate_validity",
                "signature.signer_certificate_validity",
            ],
            findings: &[],
        },
        Expected {
            folder: "suwell-sdk-ba0963d2b707",
            version: Version::V4,
            es_id: "ICBCReceipt00001",
            valid: true,
            data_hash: Some(true),
            failed: &[],
            findings: &[
                "time-without-z",
                "time-without-z",
                "time-without-z",
                "time-without-z",
                "bit-string-unused-bits",
            ],
        },
        Expected {
            folder: "suwell-t-58945b137af8",
            version: Version::V4,
            es_id: "0000000008",
            valid: true,
            data_hash: Some(true),
            failed: &[],
            findings: &[
                "time-without-z",
                "time-without-z",
                "time-without-z",
                "bit-string-unused-bits",
                "time-without-z",
                "signature-raw-r-s",
                "signature-raw-r-s",
            ],
        },
    ]
}

fn verify_folder(folder: &str) -> (Signature, SignatureReport) {
    let der = read(&format!("signatures/{folder}/SignedValue.dat"));
    let xml = vectors()
        .join("signatures")
        .join(folder)
        .join("Signature.xml");
    let data = std::fs::read(xml).ok();
    let signature = Signature::from_der(&der).unwrap_or_else(|e| panic!("{folder}: {e}"));
    let data = data
        .as_deref()
        .map_or(SignedData::Absent, SignedData::Bytes);
    let report = verify_signature(&signature, data, &VerifyOptions::default());
    (signature, report)
}

#[test]
fn every_vector_folder_is_covered() {
    let mut folders: Vec<String> = std::fs::read_dir(vectors().join("signatures"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    folders.sort();
    let mut expected: Vec<String> = expectations().iter().map(|e| e.folder.to_owned()).collect();
    expected.sort();
    assert_eq!(folders, expected);
}

#[test]
fn vectors_give_expected_results() {
    for expected in expectations() {
        let folder = expected.folder;
        let (signature, report) = verify_folder(folder);
        assert_eq!(signature.version, expected.version, "{folder}: version");
        assert_eq!(report.seal.es_id, expected.es_id, "{folder}: esID");
        // Every vector's SM2 signatures are genuine and the signer is authorised.
        assert!(report.signature_valid, "{folder}: signer signature");
        assert!(
            report.seal.maker_signature_valid,
            "{folder}: maker signature"
        );
        assert!(report.signer_in_cert_list, "{folder}: signer in certList");
        assert_eq!(
            report.data_hash_valid, expected.data_hash,
            "{folder}: dataHash"
        );
        let failed: Vec<&str> = report
            .checks
            .iter()
            .filter(|c| c.status == CheckStatus::Failed)
            .map(|c| c.name)
            .collect();
        assert_eq!(failed, expected.failed, "{folder}: failed checks");
        assert_eq!(report.valid, expected.valid, "{folder}: valid");
        assert_eq!(
            codes(&report.findings),
            expected.findings,
            "{folder}: findings"
        );
    }
}

#[test]
fn conformant_vectors_re_encode_byte_for_byte() {
    for folder in [
        "ofdr-wtest-3c2f8c595f20",
        "ofdrw-v4-zero-hash",
        "ofdrw-v5-zero-hash",
        "gomain-0f95f074ddc4",
    ] {
        let der = read(&format!("signatures/{folder}/SignedValue.dat"));
        let signature = Signature::from_der(&der).unwrap();
        assert_eq!(signature.to_der().unwrap(), der, "{folder}");
    }
}

#[test]
fn finding_offsets_point_at_the_element() {
    let der = read("signatures/dianju-c9ca0b828683/SignedValue.dat");
    let (_, report) = verify_folder("dianju-c9ca0b828683");
    let negative = report
        .findings
        .iter()
        .find(|f| f.code.as_str() == "integer-negative")
        .unwrap();
    let offset = negative.offset.unwrap();
    // The signer's signature BIT STRING.
    assert_eq!(der[offset], 0x03);
    assert_eq!(negative.location, "SES_Signature.signature");
}

#[test]
fn data_hash_is_checked_against_given_bytes() {
    let der = read("signatures/koal-0949ab5880fe/SignedValue.dat");
    let mut xml = read("signatures/koal-0949ab5880fe/Signature.xml");
    let signature = Signature::from_der(&der).unwrap();
    let good = verify_signature(
        &signature,
        SignedData::Bytes(&xml),
        &VerifyOptions::default(),
    );
    assert_eq!(good.data_hash_valid, Some(true));
    xml[10] ^= 0x20;
    let bad = verify_signature(
        &signature,
        SignedData::Bytes(&xml),
        &VerifyOptions::default(),
    );
    assert_eq!(bad.data_hash_valid, Some(false));
    assert_eq!(
        bad.check("signature.data_hash").unwrap().status,
        CheckStatus::Failed
    );
    assert!(!bad.valid);
    let digest = eseal::crypto::sm3(&read("signatures/koal-0949ab5880fe/Signature.xml"));
    let by_digest = verify_signature(
        &signature,
        SignedData::Digest(digest),
        &VerifyOptions::default(),
    );
    assert!(by_digest.valid);
}
