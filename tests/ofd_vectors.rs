//! Signed OFD documents from several producers: every signature's result, with the paths of the
//! References that no longer match.

mod common;

use std::fs::File;

use eseal::VerifyOptions;
use eseal::ofd::{Limits, OfdReport, verify_ofd};
use eseal::report::CheckStatus;

fn verify(name: &str) -> OfdReport {
    let path = common::vectors().join("ofd").join(name);
    let file = File::open(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    verify_ofd(file, &VerifyOptions::default(), Limits::default())
        .unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// (id, valid, failed reference paths, other failed checks)
type Expected<'a> = (&'a str, bool, &'a [&'a str], &'a [&'a str]);

fn assert_signatures(name: &str, expected: &[Expected<'_>]) {
    let report = verify(name);
    assert_eq!(
        report.signatures.len(),
        expected.len(),
        "{name}: signature count"
    );
    for (signature, (id, valid, refs, failed)) in report.signatures.iter().zip(expected) {
        assert_eq!(signature.id, *id, "{name}");
        assert_eq!(
            signature.failed_references, *refs,
            "{name} #{id}: failed references"
        );
        let failed_checks: Vec<&str> = signature
            .checks
            .iter()
            .filter(|c| c.status == CheckStatus::Failed && c.name != "ofd.references")
            .map(|c| c.name)
            .collect();
        assert_eq!(failed_checks, *failed, "{name} #{id}: failed checks");
        assert_eq!(signature.valid, *valid, "{name} #{id}: valid");
        assert!(
            signature.errors.is_empty(),
            "{name} #{id}: {:?}",
            signature.errors
        );
        // Every SES_Signature in the corpus is genuine, whatever happened to the document.
        let core = signature.signature.as_ref().unwrap();
        assert!(core.signature_valid, "{name} #{id}: signer signature");
        assert_eq!(
            core.data_hash_valid,
            Some(true),
            "{name} #{id}: dataHash over Signature.xml"
        );
    }
    assert_eq!(
        report.valid,
        expected.iter().all(|e| e.1),
        "{name}: document valid"
    );
}

#[test]
fn gomain_invoice() {
    assert_signatures("gomain-invoice.ofd", &[("1", true, &[], &[])]);
}

#[test]
fn kinggrid_relative_base_loc() {
    assert_signatures(
        "kinggrid-invoice-relative-baseloc.ofd",
        &[("1", true, &[], &[])],
    );
}

#[test]
fn ofdrw_hello_with_seal_file() {
    // The SM2 signatures, References and Seal.esl are all correct, but it was signed on
    // 2026-08-04 with a seal and test certificates that expired in 2022.
    assert_signatures(
        "ofdrw-hello.ofd",
        &[(
            "1",
            false,
            &[],
            &[
                "seal.validity",
                "seal.maker_certificate_validity",
                "signature.signer_certificate_validity",
            ],
        )],
    );
    let report = verify("ofdrw-hello.ofd");
    assert_eq!(
        report.signatures[0].check("ofd.seal_file").unwrap().status,
        CheckStatus::Passed
    );
}

#[test]
fn ofdrw_riding_seal_second_signature_changed_the_list() {
    assert_signatures(
        "ofdrw-riding-seal-two-signatures.ofd",
        &[
            ("s001", false, &["/Doc_0/Signs/Signatures.xml"], &[]),
            ("s007", true, &[], &[]),
        ],
    );
}

#[test]
fn gomain_permit_edited_after_signing() {
    // Two pages were edited; the maker's certificate had also expired before the signing time.
    let pages: &[&str] = &[
        "/Doc_0/Pages/Page_1/Content.xml",
        "/Doc_0/Pages/Page_0/Content.xml",
    ];
    assert_signatures(
        "gomain-permit-edited-after-signing.ofd",
        &[
            ("2", false, pages, &["seal.maker_certificate_validity"]),
            ("4", false, pages, &["seal.maker_certificate_validity"]),
        ],
    );
}

#[test]
fn koal_three_signatures() {
    assert_signatures(
        "koal-three-signatures.ofd",
        &[
            ("2", true, &[], &[]),
            ("3", true, &[], &[]),
            ("4", true, &[], &[]),
        ],
    );
    let report = verify("koal-three-signatures.ofd");
    let codes: Vec<&str> = report
        .signatures
        .iter()
        .flat_map(|s| s.findings.iter().map(|f| f.code.as_str()))
        .collect();
    assert!(codes.contains(&"integer-leading-zero"), "{codes:?}");
}

#[test]
fn koal_tampered_content() {
    assert_signatures(
        "koal-tampered-content.ofd",
        &[("1", false, &["/Doc_0/Pages/Page_0/Content.xml"], &[])],
    );
}

#[test]
fn json_lists_each_signature() {
    let json = verify("ofdrw-riding-seal-two-signatures.ofd").to_json();
    assert_eq!(json["kind"], "ofd");
    assert_eq!(json["valid"], false);
    let signatures = json["signatures"].as_array().unwrap();
    assert_eq!(signatures.len(), 2);
    assert_eq!(signatures[0]["valid"], false);
    assert_eq!(
        signatures[0]["failed_references"][0],
        "/Doc_0/Signs/Signatures.xml"
    );
    assert_eq!(signatures[1]["valid"], true);
    assert_eq!(signatures[1]["id"], "s007");
    assert_eq!(signatures[1]["provider"]["name"], "ofdrw-sign");
}
