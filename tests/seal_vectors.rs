//! Real seals from other producers: decoding, findings, maker signatures and re-encoding.

mod common;

use common::{codes, read, time};
use eseal::report::CheckStatus;
use eseal::seal::{CertList, Seal, Version};
use eseal::{VerifyOptions, verify_seal};

fn verify_at(seal: &Seal, at: &str) -> eseal::report::SealReport {
    let options = VerifyOptions {
        at: Some(time(at)),
        ..VerifyOptions::default()
    };
    verify_seal(seal, &options)
}

fn status(report: &eseal::report::SealReport, name: &str) -> CheckStatus {
    report
        .check(name)
        .unwrap_or_else(|| panic!("no check {name}"))
        .status
}

#[test]
fn user_v1_round_trips_and_verifies() {
    let der = read("seals/UserV1.esl");
    let seal = Seal::from_der(&der).unwrap();
    assert_eq!(seal.version, Version::V1);
    assert_eq!(seal.info.header.version, 1);
    assert_eq!(seal.info.header.vid, "OFDR&WTest");
    assert_eq!(seal.info.es_id, "40C8CDD24DEF43388B86E62CCE1D6832");
    assert_eq!(seal.info.property.name, "OFDRW测试用印章");
    assert_eq!(seal.info.property.cert_list_type, None);
    assert_eq!(seal.info.picture.picture_type, "PNG");
    assert_eq!(
        (seal.info.picture.width, seal.info.picture.height),
        (40, 40)
    );
    assert_eq!(
        seal.info.property.valid_start.to_string(),
        "2020-04-22T02:18:07Z"
    );
    assert!(seal.findings().is_empty(), "{:?}", seal.findings());
    assert_eq!(seal.to_der().unwrap(), der);

    let report = verify_at(&seal, "2021-06-01T00:00:00Z");
    assert_eq!(status(&report, "seal.maker_signature"), CheckStatus::Passed);
    assert!(report.valid);
}

#[test]
fn user_v4_round_trips_and_verifies() {
    let der = read("seals/UserV4.esl");
    let seal = Seal::from_der(&der).unwrap();
    assert_eq!(seal.version, Version::V4);
    assert_eq!(seal.info.property.seal_type, 3);
    assert_eq!(seal.info.property.cert_list_type, Some(1));
    assert_eq!(seal.info.property.cert_list.len(), 1);
    assert!(seal.findings().is_empty());
    assert_eq!(seal.to_der().unwrap(), der);
    let report = verify_at(&seal, "2021-06-01T00:00:00Z");
    assert_eq!(status(&report, "seal.maker_signature"), CheckStatus::Passed);
    assert!(report.valid);
}

#[test]
fn user_v5_round_trips_and_verifies() {
    let der = read("seals/UserV5.esl");
    let seal = Seal::from_der(&der).unwrap();
    assert_eq!(seal.version, Version::V5);
    assert_eq!(seal.info.header.version, 5);
    assert!(seal.time_stamp.is_none());
    assert_eq!(seal.to_der().unwrap(), der);
    let report = verify_at(&seal, "2027-01-01T00:00:00Z");
    assert_eq!(status(&report, "seal.maker_signature"), CheckStatus::Passed);
    assert_eq!(status(&report, "seal.validity"), CheckStatus::Passed);
    // The test maker certificate expired in 2022, before this seal's validity began, so the
    // seal is valid at no time.
    assert_eq!(
        status(&report, "seal.maker_certificate_validity"),
        CheckStatus::Failed
    );
    assert!(!report.valid);
}

#[test]
fn user_v5_with_time_stamp() {
    let der = read("seals/UserV5_ts.esl");
    let seal = Seal::from_der(&der).unwrap();
    assert_eq!(seal.version, Version::V5);
    assert_eq!(seal.time_stamp.as_deref(), Some([1u8, 2, 3].as_slice()));
    assert_eq!(seal.to_der().unwrap(), der);
    let report = verify_at(&seal, "2027-01-01T00:00:00Z");
    assert_eq!(status(&report, "seal.maker_signature"), CheckStatus::Passed);
    // The ofdrw test wrote dummy bytes where a time stamp token belongs.
    assert_eq!(status(&report, "seal.time_stamp"), CheckStatus::Failed);
}

#[test]
fn koal_raw_maker_signature_is_accepted_and_reported() {
    let seal = Seal::from_der(&read("seals/koal-v4.esl")).unwrap();
    assert_eq!(seal.info.header.vid, "koal");
    assert_eq!(seal.info.ext_datas.as_ref().map(Vec::len), Some(5));
    let report = verify_at(&seal, "2024-06-01T00:00:00Z");
    assert_eq!(status(&report, "seal.maker_signature"), CheckStatus::Passed);
    assert!(report.valid);
    let found = codes(&report.findings);
    assert_eq!(
        found
            .iter()
            .filter(|c| **c == "default-value-encoded")
            .count(),
        5
    );
    assert!(found.contains(&"signature-raw-r-s"), "{found:?}");
}

#[test]
fn hebeigede_maker_signature_is_invalid() {
    let seal = Seal::from_der(&read("seals/hebeigede-v4.esl")).unwrap();
    assert_eq!(seal.info.picture.picture_type, "GIF");
    assert_eq!(seal.info.property.cert_list.len(), 2);
    assert!(matches!(seal.info.property.cert_list, CertList::Certs(_)));
    assert_eq!(seal.info.ext_datas.as_ref().map(Vec::len), Some(3));
    let report = verify_at(&seal, "2021-01-01T00:00:00Z");
    assert_eq!(status(&report, "seal.maker_signature"), CheckStatus::Failed);
    assert!(!report.valid);
    assert!(!report.seal.maker_signature_valid);
    assert_eq!(
        codes(&report.findings),
        ["default-value-encoded", "default-value-encoded"]
    );
}

#[test]
fn seal_validity_is_checked_at_the_given_time() {
    let seal = Seal::from_der(&read("seals/UserV4.esl")).unwrap();
    let before = verify_at(&seal, "2020-01-01T00:00:00Z");
    assert_eq!(status(&before, "seal.validity"), CheckStatus::Failed);
    let after = verify_at(&seal, "2023-01-01T00:00:00Z");
    assert_eq!(status(&after, "seal.validity"), CheckStatus::Failed);
    assert!(!after.valid);
}
