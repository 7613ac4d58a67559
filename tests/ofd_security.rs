//! Hostile OFD packages: each gives a typed error or an invalid signature naming the problem,
//! never a panic, and nothing outside the package is read.

mod common;

use std::io::{Cursor, Read, Write};

use eseal::ofd::{Limits, OfdError, OfdReport, verify_ofd};
use eseal::{Error, VerifyOptions};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipArchive, ZipWriter};

/// Rewrites ofdrw-hello.ofd, replacing (or, with `None`, removing) the named entries and adding
/// new ones.
fn rebuild(changes: &[(&str, Option<Vec<u8>>)]) -> Vec<u8> {
    let source = common::read("ofd/ofdrw-hello.ofd");
    let mut archive = ZipArchive::new(Cursor::new(source)).unwrap();
    let mut writer = ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    for index in 0..archive.len() {
        let mut file = archive.by_index(index).unwrap();
        let name = file.name().unwrap().into_owned();
        if file.is_dir() || changes.iter().any(|(changed, _)| *changed == name.as_str()) {
            continue;
        }
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes).unwrap();
        writer.start_file(name, options).unwrap();
        writer.write_all(&bytes).unwrap();
    }
    for (name, bytes) in changes {
        if let Some(bytes) = bytes {
            writer.start_file(*name, options).unwrap();
            writer.write_all(bytes).unwrap();
        }
    }
    writer.finish().unwrap().into_inner()
}

fn verify_with(bytes: Vec<u8>, limits: Limits) -> Result<OfdReport, Error> {
    verify_ofd(Cursor::new(bytes), &VerifyOptions::default(), limits)
}

fn verify(bytes: Vec<u8>) -> Result<OfdReport, Error> {
    verify_with(bytes, Limits::default())
}

fn hello_entry(name: &str) -> String {
    let mut archive = ZipArchive::new(Cursor::new(common::read("ofd/ofdrw-hello.ofd"))).unwrap();
    let mut text = String::new();
    archive
        .by_name(name)
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    text
}

#[test]
fn unchanged_rebuild_keeps_references() {
    let report = verify(rebuild(&[])).unwrap();
    assert!(report.signatures[0].failed_references.is_empty());
}

#[test]
fn not_a_zip() {
    for input in [
        Vec::new(),
        b"plain text".to_vec(),
        common::read("seals/UserV4.esl"),
    ] {
        assert!(matches!(
            verify(input),
            Err(Error::Ofd(OfdError::NotZip(_)))
        ));
    }
}

#[test]
fn entry_over_size_limit() {
    let limits = Limits {
        max_entry_bytes: 1 << 20,
        ..Limits::default()
    };
    // 4 MiB of zeros compresses to a few kilobytes: a small zip bomb referenced by the page.
    let bomb = vec![0u8; 4 << 20];
    let result = verify_with(
        rebuild(&[("Doc_0/Pages/Page_0/Content.xml", Some(bomb))]),
        limits,
    );
    match result {
        Err(Error::Ofd(OfdError::EntryTooLarge { path, limit })) => {
            assert_eq!(path, "Doc_0/Pages/Page_0/Content.xml");
            assert_eq!(limit, 1 << 20);
        }
        other => panic!("expected EntryTooLarge, got {other:?}"),
    }
}

#[test]
fn total_over_size_limit() {
    let limits = Limits {
        max_total_bytes: 64 * 1024,
        ..Limits::default()
    };
    let big = vec![b'a'; 100 * 1024];
    let result = verify_with(
        rebuild(&[("Doc_0/Pages/Page_0/Content.xml", Some(big))]),
        limits,
    );
    assert!(
        matches!(result, Err(Error::Ofd(OfdError::TotalTooLarge { .. }))),
        "{result:?}"
    );
}

#[test]
fn too_many_entries() {
    let limits = Limits {
        max_entries: 5,
        ..Limits::default()
    };
    assert!(matches!(
        verify_with(rebuild(&[]), limits),
        Err(Error::Ofd(OfdError::TooManyEntries { .. }))
    ));
}

#[test]
fn missing_ofd_xml() {
    assert!(
        matches!(verify(rebuild(&[("OFD.xml", None)])), Err(Error::Ofd(OfdError::Missing(path))) if path == "OFD.xml")
    );
}

#[test]
fn missing_signed_value_invalidates_signature() {
    let report = verify(rebuild(&[("Doc_0/Signs/Sign_0/SignedValue.dat", None)])).unwrap();
    assert!(!report.valid);
    let signature = &report.signatures[0];
    assert!(
        matches!(&signature.errors[..], [OfdError::Missing(path)] if path == "Doc_0/Signs/Sign_0/SignedValue.dat")
    );
}

#[test]
fn missing_referenced_file_is_a_failed_reference() {
    let report = verify(rebuild(&[("Doc_0/PublicRes.xml", None)])).unwrap();
    assert_eq!(
        report.signatures[0].failed_references,
        ["/Doc_0/PublicRes.xml"]
    );
    assert!(!report.valid);
}

#[test]
fn base_loc_outside_package() {
    let list = hello_entry("Doc_0/Signs/Signatures.xml");
    let base_loc = list
        .split("BaseLoc=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    for escaping in [
        "../../../etc/passwd",
        "/../secret.xml",
        "C:\\Windows\\win.ini",
    ] {
        let hostile = list.replace(&base_loc, escaping);
        let report = verify(rebuild(&[(
            "Doc_0/Signs/Signatures.xml",
            Some(hostile.into_bytes()),
        )]))
        .unwrap();
        let signature = &report.signatures[0];
        assert!(!signature.valid, "{escaping}");
        assert!(
            matches!(&signature.errors[..], [OfdError::PathOutsidePackage(p)] if p == escaping),
            "{escaping}: {:?}",
            signature.errors
        );
    }
}

#[test]
fn file_ref_outside_package_is_never_read() {
    // A real file outside the package, named by an absolute system path: it must be looked up
    // inside the archive (where it is missing), never opened.
    let outside = std::env::temp_dir().join("eseal-outside-secret.xml");
    std::fs::write(&outside, b"secret").unwrap();
    let xml = hello_entry("Doc_0/Signs/Sign_0/Signature.xml");
    let first_ref = xml
        .split("FileRef=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    for hostile_ref in [
        outside.display().to_string(),
        "../../../../etc/passwd".to_owned(),
    ] {
        let hostile = xml.replacen(&first_ref, &hostile_ref, 1);
        let report = verify(rebuild(&[(
            "Doc_0/Signs/Sign_0/Signature.xml",
            Some(hostile.into_bytes()),
        )]))
        .unwrap();
        let signature = &report.signatures[0];
        assert!(!signature.valid);
        assert!(!signature.failed_references.is_empty(), "{hostile_ref}");
    }
    std::fs::remove_file(outside).unwrap();
}

#[test]
fn huge_xml_is_rejected() {
    let limits = Limits {
        max_xml_bytes: 4096,
        ..Limits::default()
    };
    let mut ofd = hello_entry("OFD.xml");
    ofd = ofd.replace(
        "</ofd:OFD>",
        &format!("<!-- {} --></ofd:OFD>", "x".repeat(8192)),
    );
    let result = verify_with(rebuild(&[("OFD.xml", Some(ofd.into_bytes()))]), limits);
    assert!(
        matches!(result, Err(Error::Ofd(OfdError::EntryTooLarge { ref path, .. })) if path == "OFD.xml"),
        "{result:?}"
    );
}

#[test]
fn deeply_nested_xml_is_rejected() {
    let ofd = hello_entry("OFD.xml");
    let nested = ofd.replace(
        "</ofd:OFD>",
        &format!(
            "{}{}</ofd:OFD>",
            "<a>".repeat(10_000),
            "</a>".repeat(10_000)
        ),
    );
    let result = verify(rebuild(&[("OFD.xml", Some(nested.into_bytes()))]));
    assert!(
        matches!(result, Err(Error::Ofd(OfdError::XmlTooDeep { .. }))),
        "{result:?}"
    );
}

#[test]
fn xml_entity_declarations_are_rejected() {
    let ofd = hello_entry("OFD.xml");
    let with_entities = ofd.replacen(
        "?>",
        "?><!DOCTYPE lol [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;\">]>",
        1,
    );
    let result = verify(rebuild(&[("OFD.xml", Some(with_entities.into_bytes()))]));
    assert!(
        matches!(result, Err(Error::Ofd(OfdError::DtdNotAllowed(ref path))) if path == "OFD.xml"),
        "{result:?}"
    );

    let signature = hello_entry("Doc_0/Signs/Sign_0/Signature.xml");
    let external = signature.replacen(
        "?>",
        "?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>",
        1,
    );
    let report = verify(rebuild(&[(
        "Doc_0/Signs/Sign_0/Signature.xml",
        Some(external.into_bytes()),
    )]))
    .unwrap();
    assert!(matches!(
        &report.signatures[0].errors[..],
        [OfdError::DtdNotAllowed(_)]
    ));
}

#[test]
fn malformed_xml_is_a_typed_error() {
    let result = verify(rebuild(&[(
        "OFD.xml",
        Some(b"<ofd:OFD><unclosed>".to_vec()),
    )]));
    assert!(
        matches!(result, Err(Error::Ofd(OfdError::Xml { .. }))),
        "{result:?}"
    );
}

#[test]
fn truncated_package_never_panics() {
    let bytes = common::read("ofd/koal-three-signatures.ofd");
    for length in (0..bytes.len()).step_by(97) {
        let _ = verify(bytes[..length].to_vec());
    }
}
