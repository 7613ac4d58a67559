//! Signing OFD documents: layout, byte-for-byte copies, several signatures, riding seals.

mod common;

use std::io::{Cursor, Read, Write};

use eseal::ofd::{Limits, OfdReport, OfdSignOptions, StampPlacement, sign_ofd, verify_ofd};
use eseal::{Certificate, PrivateKey, Seal, VerifyOptions};
use zip::write::SimpleFileOptions;
use zip::{ZipArchive, ZipWriter};

struct Signer {
    seal: Seal,
    key: PrivateKey,
    cert: Certificate,
}

fn signer() -> Signer {
    Signer {
        seal: Seal::from_der(&common::read("seals/UserV4.esl")).unwrap(),
        key: PrivateKey::from_pem(&common::read("keys/USER.key.pem")).unwrap(),
        cert: Certificate::from_pem(&common::read("keys/USER.cert.pem")).unwrap(),
    }
}

fn options(time: &str, placements: Vec<StampPlacement>) -> OfdSignOptions {
    OfdSignOptions {
        time: Some(common::time(time)),
        placements,
        ..OfdSignOptions::default()
    }
}

fn sign(document: &[u8], options: &OfdSignOptions) -> Vec<u8> {
    let signer = signer();
    let mut output = Cursor::new(Vec::new());
    sign_ofd(
        Cursor::new(document),
        &mut output,
        &signer.seal,
        &signer.key,
        &signer.cert,
        options,
    )
    .unwrap();
    output.into_inner()
}

fn verify(document: &[u8]) -> OfdReport {
    verify_ofd(
        Cursor::new(document),
        &VerifyOptions::default(),
        Limits::default(),
    )
    .unwrap()
}

fn entry(document: &[u8], name: &str) -> Vec<u8> {
    let mut archive = ZipArchive::new(Cursor::new(document)).unwrap();
    let mut bytes = Vec::new();
    archive
        .by_name(name)
        .unwrap()
        .read_to_end(&mut bytes)
        .unwrap();
    bytes
}

/// Rewrites a package, replacing or adding the named entries.
fn with_entries(document: &[u8], changes: &[(&str, &[u8])]) -> Vec<u8> {
    let mut archive = ZipArchive::new(Cursor::new(document)).unwrap();
    let mut writer = ZipWriter::new(Cursor::new(Vec::new()));
    for index in 0..archive.len() {
        let file = archive.by_index_raw(index).unwrap();
        let name = file.name().unwrap().into_owned();
        if changes.iter().any(|(n, _)| *n == name) {
            continue;
        }
        writer.raw_copy_file(file).unwrap();
    }
    for (name, bytes) in changes {
        writer
            .start_file(*name, SimpleFileOptions::default())
            .unwrap();
        writer.write_all(bytes).unwrap();
    }
    writer.finish().unwrap().into_inner()
}

/// ofdrw-hello.ofd without its signature: no Signs folder and no Signatures in OFD.xml.
fn unsigned_hello() -> Vec<u8> {
    let source = common::read("ofd/ofdrw-hello.ofd");
    let mut archive = ZipArchive::new(Cursor::new(&source)).unwrap();
    let mut writer = ZipWriter::new(Cursor::new(Vec::new()));
    for index in 0..archive.len() {
        let mut file = archive.by_index(index).unwrap();
        let name = file.name().unwrap().into_owned();
        if name.contains("Signs") || file.is_dir() {
            continue;
        }
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes).unwrap();
        if name == "OFD.xml" {
            let text = String::from_utf8(bytes).unwrap();
            bytes = text
                .replace(
                    "<ofd:Signatures>/Doc_0/Signs/Signatures.xml</ofd:Signatures>",
                    "",
                )
                .into_bytes();
        }
        writer
            .start_file(name, SimpleFileOptions::default())
            .unwrap();
        writer.write_all(&bytes).unwrap();
    }
    writer.finish().unwrap().into_inner()
}

#[test]
fn signed_hello_verifies() {
    let source = common::read("ofd/ofdrw-hello.ofd");
    let signed = sign(
        &source,
        &options(
            "2021-06-01T08:00:00Z",
            vec![StampPlacement::new(1, 100.0, 150.0, 40.0, 40.0)],
        ),
    );
    let report = verify(&signed);
    assert_eq!(report.signatures.len(), 2);
    let ours = &report.signatures[1];
    assert!(ours.valid, "{:#?}", ours.checks);
    assert_eq!(ours.id, "3");
    assert_eq!(ours.path, "Doc_0/Signs/Sign_1/Signature.xml");
    assert_eq!(ours.provider.as_ref().unwrap().name, "eseal");
    assert_eq!(ours.stamp_annots[0].page_ref, "1");
    assert_eq!(ours.stamp_annots[0].boundary, "100 150 40 40");
    // The original signature keeps its own result: its References still match.
    assert!(report.signatures[0].failed_references.is_empty());
}

#[test]
fn layout_follows_producers() {
    let source = common::read("ofd/ofdrw-hello.ofd");
    let signed = sign(
        &source,
        &options(
            "2021-06-01T08:00:00Z",
            vec![StampPlacement::new(1, 100.0, 150.0, 40.0, 40.0)],
        ),
    );
    let list = String::from_utf8(entry(&signed, "Doc_0/Signs/Signatures.xml")).unwrap();
    assert!(list.contains("<ofd:MaxSignId>3</ofd:MaxSignId>"), "{list}");
    assert!(
        list.contains(
            r#"<ofd:Signature ID="3" Type="Seal" BaseLoc="/Doc_0/Signs/Sign_1/Signature.xml"/>"#
        ),
        "{list}"
    );
    assert_eq!(
        entry(&signed, "Doc_0/Signs/Sign_1/Seal.esl"),
        common::read("seals/UserV4.esl")
    );
    let xml = String::from_utf8(entry(&signed, "Doc_0/Signs/Sign_1/Signature.xml")).unwrap();
    for expected in [
        "xmlns:ofd=\"http://www.ofdspec.org/2016\"",
        "<ofd:SignatureMethod>1.2.156.10197.1.501</ofd:SignatureMethod>",
        "<ofd:SignatureDateTime>20210601080000Z</ofd:SignatureDateTime>",
        "CheckMethod=\"1.2.156.10197.1.401\"",
        "FileRef=\"/Doc_0/Pages/Page_0/Content.xml\"",
        "FileRef=\"/Doc_0/Signs/Sign_1/Seal.esl\"",
        "<ofd:Seal><ofd:BaseLoc>/Doc_0/Signs/Sign_1/Seal.esl</ofd:BaseLoc></ofd:Seal>",
        "<ofd:SignedValue>/Doc_0/Signs/Sign_1/SignedValue.dat</ofd:SignedValue>",
    ] {
        assert!(xml.contains(expected), "missing {expected} in {xml}");
    }
    assert!(!xml.contains("FileRef=\"/Doc_0/Signs/Signatures.xml\""));
    let value =
        eseal::Signature::from_der(&entry(&signed, "Doc_0/Signs/Sign_1/SignedValue.dat")).unwrap();
    assert_eq!(value.tbs.property_info, "/Doc_0/Signs/Sign_1/Signature.xml");
    assert_eq!(value.tbs.data_hash, eseal::crypto::sm3(xml.as_bytes()));
}

#[test]
fn untouched_entries_are_copied_raw() {
    let source = common::read("ofd/ofdrw-hello.ofd");
    let signed = sign(
        &source,
        &options(
            "2021-06-01T08:00:00Z",
            vec![StampPlacement::new(1, 10.0, 10.0, 40.0, 40.0)],
        ),
    );
    let mut before = ZipArchive::new(Cursor::new(&source)).unwrap();
    let mut after = ZipArchive::new(Cursor::new(&signed)).unwrap();
    let mut compared = 0;
    for index in 0..before.len() {
        let mut original = before.by_index_raw(index).unwrap();
        let name = original.name().unwrap().into_owned();
        if name == "Doc_0/Signs/Signatures.xml" {
            continue;
        }
        let (method, crc) = (original.compression(), original.crc32());
        let mut raw_before = Vec::new();
        original.read_to_end(&mut raw_before).unwrap();
        let mut copy = after.by_name_raw(name.as_bytes()).unwrap();
        assert_eq!(copy.compression(), method, "{name}");
        assert_eq!(copy.crc32(), crc, "{name}");
        let mut raw_after = Vec::new();
        copy.read_to_end(&mut raw_after).unwrap();
        assert_eq!(raw_after, raw_before, "{name}: compressed bytes differ");
        compared += 1;
    }
    assert!(compared >= 10, "{compared}");
}

#[test]
fn unsigned_document_gets_a_signature_list() {
    let signed = sign(
        &unsigned_hello(),
        &options(
            "2021-06-01T08:00:00Z",
            vec![StampPlacement::new(1, 10.0, 10.0, 40.0, 40.0)],
        ),
    );
    let ofd = String::from_utf8(entry(&signed, "OFD.xml")).unwrap();
    assert!(ofd.contains("<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot><ofd:Signatures>/Doc_0/Signs/Signatures.xml</ofd:Signatures>"), "{ofd}");
    let report = verify(&signed);
    assert_eq!(report.signatures.len(), 1);
    assert_eq!(report.signatures[0].id, "1");
    assert_eq!(
        report.signatures[0].path,
        "Doc_0/Signs/Sign_0/Signature.xml"
    );
    assert!(report.valid, "{:#?}", report.signatures[0].checks);
}

#[test]
fn two_signatures_stay_valid() {
    let once = sign(
        &unsigned_hello(),
        &options(
            "2021-06-01T08:00:00Z",
            vec![StampPlacement::new(1, 10.0, 10.0, 40.0, 40.0)],
        ),
    );
    let twice = sign(
        &once,
        &options(
            "2021-06-02T08:00:00Z",
            vec![StampPlacement::new(1, 60.0, 10.0, 40.0, 40.0)],
        ),
    );
    let report = verify(&twice);
    assert_eq!(report.signatures.len(), 2);
    assert!(
        report.signatures.iter().all(|s| s.valid),
        "{:#?}",
        report
            .signatures
            .iter()
            .map(|s| &s.checks)
            .collect::<Vec<_>>()
    );
    assert_eq!(
        report.signatures[1].path,
        "Doc_0/Signs/Sign_1/Signature.xml"
    );
}

#[test]
fn changed_byte_invalidates_exactly_the_covering_signatures() {
    let once = sign(
        &unsigned_hello(),
        &options(
            "2021-06-01T08:00:00Z",
            vec![StampPlacement::new(1, 10.0, 10.0, 40.0, 40.0)],
        ),
    );
    // A file added after the first signature is covered by the second only.
    let extended = with_entries(&once, &[("Doc_0/Res/later.xml", b"<later/>")]);
    let twice = sign(
        &extended,
        &options(
            "2021-06-02T08:00:00Z",
            vec![StampPlacement::new(1, 60.0, 10.0, 40.0, 40.0)],
        ),
    );

    let mut page = entry(&twice, "Doc_0/Pages/Page_0/Content.xml");
    page[40] ^= 0x01;
    let page_changed = verify(&with_entries(
        &twice,
        &[("Doc_0/Pages/Page_0/Content.xml", &page)],
    ));
    for signature in &page_changed.signatures {
        assert!(!signature.valid);
        assert_eq!(
            signature.failed_references,
            ["/Doc_0/Pages/Page_0/Content.xml"]
        );
    }

    let later_changed = verify(&with_entries(
        &twice,
        &[("Doc_0/Res/later.xml", b"<later x='1'/>")],
    ));
    assert!(later_changed.signatures[0].valid);
    assert!(!later_changed.signatures[1].valid);
    assert_eq!(
        later_changed.signatures[1].failed_references,
        ["/Doc_0/Res/later.xml"]
    );
}

#[test]
fn protected_list_is_broken_by_a_later_signature() {
    let mut protect = options(
        "2021-06-01T08:00:00Z",
        vec![StampPlacement::new(1, 10.0, 10.0, 40.0, 40.0)],
    );
    protect.protect_signature_list = true;
    let once = sign(&unsigned_hello(), &protect);
    assert!(verify(&once).valid);
    let twice = sign(
        &once,
        &options(
            "2021-06-02T08:00:00Z",
            vec![StampPlacement::new(1, 60.0, 10.0, 40.0, 40.0)],
        ),
    );
    let report = verify(&twice);
    assert_eq!(
        report.signatures[0].failed_references,
        ["/Doc_0/Signs/Signatures.xml"]
    );
    assert!(report.signatures[1].valid);
}

#[test]
fn riding_seal_across_pages() {
    let source = common::read("ofd/ofdrw-riding-seal-two-signatures.ofd");
    let placements = StampPlacement::riding(1..=5, 210.0, 200.0, 40.0, 40.0);
    let signed = sign(&source, &options("2021-06-01T08:00:00Z", placements));
    let report = verify(&signed);
    let ours = report.signatures.last().unwrap();
    assert!(ours.valid, "{:#?}", ours.checks);
    assert_eq!(ours.stamp_annots.len(), 5);
    assert_eq!(ours.stamp_annots[0].clip.as_deref(), Some("0 0 8 40"));
    assert_eq!(ours.stamp_annots[4].boundary, "170 200 40 40");
    let pages: Vec<&str> = ours
        .stamp_annots
        .iter()
        .map(|a| a.page_ref.as_str())
        .collect();
    assert_eq!(pages.len(), 5);
    assert!(pages.iter().all(|p| !p.is_empty()));
    // The earlier signatures keep their results.
    assert!(report.signatures[1].valid);
}

#[test]
fn refused_cases_write_nothing() {
    let signer = signer();
    let source = common::read("ofd/ofdrw-hello.ofd");
    let sign_with = |options: &OfdSignOptions| {
        let mut output = Cursor::new(Vec::new());
        let result = sign_ofd(
            Cursor::new(&source),
            &mut output,
            &signer.seal,
            &signer.key,
            &signer.cert,
            options,
        );
        (result, output.into_inner())
    };
    let (missing_page, written) = sign_with(&options(
        "2021-06-01T08:00:00Z",
        vec![StampPlacement::new(9, 10.0, 10.0, 40.0, 40.0)],
    ));
    assert!(
        missing_page
            .unwrap_err()
            .to_string()
            .contains("page 9 does not exist")
    );
    assert!(written.is_empty());
    let (expired, written) = sign_with(&options(
        "2023-06-01T08:00:00Z",
        vec![StampPlacement::new(1, 10.0, 10.0, 40.0, 40.0)],
    ));
    assert!(matches!(expired, Err(eseal::Error::SigningRefused(_))));
    assert!(written.is_empty());
    let (no_placement, _) = sign_with(&options("2021-06-01T08:00:00Z", vec![]));
    assert!(no_placement.is_err());
}
