//! Helpers shared by the benchmarks: the real-world vectors and fixed inputs.
#![allow(dead_code)]

use std::path::PathBuf;

/// Returns the folder of real-world vectors: `ESEAL_VECTORS`, or `../shared/vectors` beside the
/// crate.
pub fn vectors() -> PathBuf {
    let dir = std::env::var_os("ESEAL_VECTORS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/vectors"));
    assert!(
        dir.join("seals").is_dir() && dir.join("keys").is_dir(),
        "vectors not found at {}; set ESEAL_VECTORS to the vectors folder",
        dir.display()
    );
    dir
}

/// Reads a file below the vectors folder.
pub fn read(relative: &str) -> Vec<u8> {
    let path = vectors().join(relative);
    std::fs::read(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

pub fn time(text: &str) -> eseal::Time {
    eseal::Time::parse(text).unwrap_or_else(|| panic!("invalid time {text}"))
}

/// Reads the private key and certificate of USER, the signer that UserV4.esl authorises.
pub fn user_key_and_cert() -> (eseal::PrivateKey, eseal::Certificate) {
    let key = eseal::PrivateKey::from_pem(&read("keys/USER.key.pem")).expect("USER.key.pem");
    let cert = eseal::Certificate::from_pem(&read("keys/USER.cert.pem")).expect("USER.cert.pem");
    (key, cert)
}

/// Returns `len` pseudo-random bytes (xorshift64 from a fixed seed), the same in every run.
pub fn document(len: usize) -> Vec<u8> {
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut out = Vec::with_capacity(len + 8);
    while out.len() < len {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        out.extend_from_slice(&state.to_le_bytes());
    }
    out.truncate(len);
    out
}
