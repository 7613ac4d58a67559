//! A test time stamp authority on the command line, so that the Python and Java binding tests
//! can give eseal real GB/T 20520 tokens from their time stamp callbacks.
//!
//! `init DIR` writes a new authority to DIR: `root.der` (a self-signed CA certificate, to trust
//! or leave out of a trust policy), `tsa.der` (the authority's certificate, issued by the root)
//! and `tsa.key.pem` (its unencrypted SM2 key). Both certificates are valid from
//! 2020-01-01 to 2030-01-01.
//!
//! `stamp DIR GEN_TIME` reads the bytes to cover from standard input and writes a DER
//! TimeStampToken over them, with genTime GEN_TIME (for example `2021-06-01T00:05:00Z`), to
//! standard output.
//!
//! Usage: `cargo run --release --example time_stamp_authority -- init DIR`, then
//! `... -- stamp DIR GEN_TIME < value.der > token.der`.
//!
//! NOTE: the key is written unencrypted and the serial number is fixed, so this authority is
//! for tests only.

use std::io::{Read, Write};
use std::path::Path;
use std::process::ExitCode;

use eseal::cert::CertificateBuilder;
use eseal::timestamp::TimeStampAuthority;
use eseal::{Certificate, PrivateKey, Time};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["init", dir] => init(Path::new(dir)),
        ["stamp", dir, gen_time] => stamp(Path::new(dir), gen_time),
        _ => Err("usage: time_stamp_authority init DIR | stamp DIR GEN_TIME < data > token".into()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("time_stamp_authority: {message}");
            ExitCode::FAILURE
        }
    }
}

fn time(text: &str) -> Result<Time, String> {
    Time::parse(text)
        .ok_or_else(|| format!("invalid time {text}; give for example 2021-06-01T00:05:00Z"))
}

fn init(dir: &Path) -> Result<(), String> {
    let (start, end) = (time("2020-01-01")?, time("2030-01-01")?);
    let root_key = PrivateKey::generate().map_err(|e| e.to_string())?;
    let root = CertificateBuilder::new("CN=eseal test TSA root,C=CN", 1, start, end)
        .ca(true)
        .sign(root_key.public_key(), None, Some(&root_key))
        .map_err(|e| e.to_string())?;
    let key = PrivateKey::generate().map_err(|e| e.to_string())?;
    let cert = CertificateBuilder::new("CN=eseal test TSA,C=CN", 2, start, end)
        .sign(key.public_key(), Some((&root, &root_key)), None)
        .map_err(|e| e.to_string())?;
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let pem = key.to_pkcs8_pem().map_err(|e| e.to_string())?;
    for (name, bytes) in [
        ("root.der", root.as_der()),
        ("tsa.der", cert.as_der()),
        ("tsa.key.pem", pem.as_bytes()),
    ] {
        let path = dir.join(name);
        std::fs::write(&path, bytes).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    Ok(())
}

fn stamp(dir: &Path, gen_time: &str) -> Result<(), String> {
    let read = |name: &str| {
        let path = dir.join(name);
        std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))
    };
    let cert = Certificate::from_pem_or_der(&read("tsa.der")?).map_err(|e| e.to_string())?;
    let key = PrivateKey::from_pem_or_der(&read("tsa.key.pem")?).map_err(|e| e.to_string())?;
    let mut covered = Vec::new();
    std::io::stdin()
        .read_to_end(&mut covered)
        .map_err(|e| format!("reading standard input: {e}"))?;
    let token = TimeStampAuthority::new(&cert, &key)
        .stamp(&covered, time(gen_time)?, 1)
        .map_err(|e| e.to_string())?;
    std::io::stdout()
        .write_all(&token)
        .map_err(|e| format!("writing standard output: {e}"))
}
