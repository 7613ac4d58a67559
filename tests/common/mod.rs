//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::PathBuf;

/// The folder of real-world vectors: `ESEAL_VECTORS`, or `../shared/vectors` beside the crate.
///
/// A missing folder fails the test: the vectors are part of what CI checks.
pub fn vectors() -> PathBuf {
    let dir = std::env::var_os("ESEAL_VECTORS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/vectors"));
    assert!(
        dir.join("seals").is_dir() && dir.join("signatures").is_dir(),
        "test vectors not found at {}; set ESEAL_VECTORS to the vectors folder",
        dir.display()
    );
    dir
}

pub fn read(relative: &str) -> Vec<u8> {
    let path = vectors().join(relative);
    std::fs::read(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

pub fn time(text: &str) -> eseal::Time {
    eseal::Time::parse(text).unwrap_or_else(|| panic!("bad time {text}"))
}

/// Finding codes in report order.
pub fn codes(findings: &[eseal::finding::Finding]) -> Vec<&'static str> {
    findings.iter().map(|f| f.code.as_str()).collect()
}
