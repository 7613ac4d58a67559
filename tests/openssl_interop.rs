//! SM2 interoperability with OpenSSL 3: vectors OpenSSL made (tests/vectors/openssl-sm2, with the
//! commands in its README), and signatures eseal makes checked by the `openssl` command.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use eseal::crypto::{DEFAULT_SM2_ID, SignatureValue};
use eseal::seal::Version;
use eseal::{Certificate, PrivateKey, PublicKey, Seal, SealBuilder, SignatureBuilder};

fn vector(name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/vectors/openssl-sm2")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn decode(der: &[u8]) -> SignatureValue {
    let mut findings = Vec::new();
    let value = SignatureValue::decode(der, "test", 0, &mut findings).unwrap();
    assert!(
        findings.is_empty(),
        "OpenSSL writes canonical DER: {findings:?}"
    );
    value
}

#[test]
fn openssl_signature_verifies_with_default_id() {
    let key = PublicKey::from_pem(&vector("public.pem")).unwrap();
    let message = vector("message.txt");
    let signature = decode(&vector("signature.der"));
    assert!(key.verify(DEFAULT_SM2_ID, &message, &signature));
    assert!(!key.verify(DEFAULT_SM2_ID, b"another message", &signature));
    assert!(!key.verify(b"ALICE123@YAHOO.COM", &message, &signature));
}

#[test]
fn openssl_signature_verifies_with_custom_id() {
    let key = PublicKey::from_pem(&vector("public.pem")).unwrap();
    let message = vector("message.txt");
    let signature = decode(&vector("signature-alice-id.der"));
    assert!(key.verify(b"ALICE123@YAHOO.COM", &message, &signature));
    assert!(!key.verify(DEFAULT_SM2_ID, &message, &signature));
}

/// Creates an empty scratch folder under the target directory.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs `openssl pkeyutl -verify` with the default SM2 ID; returns whether it verified.
fn openssl_verifies(dir: &Path, cert: &Certificate, message: &[u8], signature_der: &[u8]) -> bool {
    let cert_path = dir.join("cert.der");
    let public_path = dir.join("public.pem");
    let message_path = dir.join("message.bin");
    let signature_path = dir.join("signature.der");
    std::fs::write(&cert_path, cert.as_der()).unwrap();
    std::fs::write(&message_path, message).unwrap();
    std::fs::write(&signature_path, signature_der).unwrap();
    let extract = Command::new("openssl")
        .args(["x509", "-inform", "DER", "-in"])
        .arg(&cert_path)
        .args(["-pubkey", "-noout", "-out"])
        .arg(&public_path)
        .status()
        .expect("the openssl command is needed for this test");
    assert!(extract.success());
    let output = Command::new("openssl")
        .args(["pkeyutl", "-verify", "-pubin", "-inkey"])
        .arg(&public_path)
        .args(["-rawin", "-in"])
        .arg(&message_path)
        .arg("-sigfile")
        .arg(&signature_path)
        .args(["-digest", "sm3", "-pkeyopt", "distid:1234567812345678"])
        .output()
        .expect("the openssl command is needed for this test");
    output.status.success()
}

fn key(name: &str) -> PrivateKey {
    PrivateKey::from_pem(&common::read(&format!("keys/{name}.key.pem"))).unwrap()
}

fn cert(name: &str) -> Certificate {
    Certificate::from_pem(&common::read(&format!("keys/{name}.cert.pem"))).unwrap()
}

fn picture() -> Vec<u8> {
    // The picture of a real seal, so the made seal carries a genuine PNG.
    Seal::from_der(&common::read("seals/UserV4.esl"))
        .unwrap()
        .info
        .picture
        .data
}

#[test]
fn made_seal_and_signature_verify_in_openssl() {
    let dir = scratch("openssl-made-seal");
    let maker_key = key("SealBuilder");
    let maker_cert = cert("SealBuilder");
    let user_key = key("USER");
    let user_cert = cert("USER");
    let when = common::time("2021-06-01T08:00:00Z");
    for version in [Version::V4, Version::V1] {
        let seal = SealBuilder::new("eseal-openssl-test", "互操作测试章")
            .version(version)
            .validity(common::time("2021-01-01"), common::time("2022-01-01"))
            .create_date(when)
            .picture(picture(), 40, 40)
            .unwrap()
            .signer_certificate(&user_cert)
            .sign(&maker_key, &maker_cert)
            .unwrap();
        assert!(
            openssl_verifies(
                &dir,
                &maker_cert,
                &seal.signed_message(),
                &seal.signed_value
            ),
            "{version:?} maker signature"
        );
        assert!(
            !openssl_verifies(&dir, &user_cert, &seal.signed_message(), &seal.signed_value),
            "{version:?} wrong key"
        );

        let signature = SignatureBuilder::new(&seal, &user_key, &user_cert)
            .time(when)
            .sign(b"document bytes")
            .unwrap();
        assert_eq!(signature.version, version);
        assert!(
            openssl_verifies(
                &dir,
                &user_cert,
                signature.signed_message(),
                &signature.signature
            ),
            "{version:?} signer signature"
        );
        let mut tampered = signature.signed_message().to_vec();
        tampered[20] ^= 1;
        assert!(
            !openssl_verifies(&dir, &user_cert, &tampered, &signature.signature),
            "{version:?} tampered TBS"
        );

        let report = eseal::verify_signature(
            &signature,
            eseal::SignedData::Bytes(b"document bytes"),
            &Default::default(),
        );
        assert!(report.valid, "{version:?}: {:?}", report.checks);
    }
}

/// Makes a CRL with `openssl ca -gencrl`, signed by ROOT, that lists USER as revoked at
/// 2021-03-01, with lastUpdate `last_update` (YYYYMMDDHHMMSSZ). `extra` is added to the
/// command, for example `-sigopt distid:1234567812345678`.
fn openssl_crl(dir: &Path, last_update: &str, extra: &[&str]) -> Vec<u8> {
    let serial = cert("USER").serial_hex();
    std::fs::write(
        dir.join("index.txt"),
        format!("R\t301231000000Z\t210301000000Z\t{serial}\tunknown\t/CN=USER\n"),
    )
    .unwrap();
    std::fs::write(dir.join("crlnumber"), "01\n").unwrap();
    std::fs::write(
        dir.join("ca.cnf"),
        "[ca]\ndefault_ca = test\n[test]\ndatabase = index.txt\ncrlnumber = crlnumber\n\
         default_md = sm3\ndefault_crl_days = 3650\n",
    )
    .unwrap();

    let keys = common::vectors().join("keys");
    let output = Command::new("openssl")
        .current_dir(dir)
        .args(["ca", "-config", "ca.cnf", "-gencrl", "-keyfile"])
        .arg(keys.join("ROOT.key.pem"))
        .arg("-cert")
        .arg(keys.join("ROOT.cert.pem"))
        .args(["-crl_lastupdate", last_update])
        .args(["-crl_nextupdate", "20310401000000Z", "-out", "crl.pem"])
        .args(extra)
        .output()
        .expect("the openssl command is needed for this test");
    assert!(output.status.success(), "{output:?}");

    let output = Command::new("openssl")
        .current_dir(dir)
        .args([
            "crl", "-in", "crl.pem", "-outform", "DER", "-out", "crl.der",
        ])
        .output()
        .expect("the openssl command is needed for this test");
    assert!(output.status.success(), "{output:?}");
    std::fs::read(dir.join("crl.der")).unwrap()
}

/// Verifies a signature by USER at 2021-06-01 with ROOT trusted and `crl` given, and returns
/// the revocation check and the findings about empty SM2 IDs.
fn verify_with_crl(crl: &[u8]) -> (eseal::report::Check, usize) {
    use eseal::trust::{Crl, TrustPolicy, TrustStore};

    let seal = Seal::from_der(&common::read("seals/UserV4.esl")).unwrap();
    let signature = SignatureBuilder::new(&seal, &key("USER"), &cert("USER"))
        .time(common::time("2021-06-01"))
        .sign(b"document")
        .unwrap();
    let mut store = TrustStore::new();
    store
        .add_pem_or_der(&common::read("keys/ROOT.cert.pem"))
        .unwrap();
    let options = eseal::VerifyOptions {
        trust: Some(std::sync::Arc::new(TrustPolicy {
            store,
            crls: vec![Crl::from_der(crl).unwrap()],
            ..TrustPolicy::default()
        })),
        ..eseal::VerifyOptions::default()
    };
    let report =
        eseal::verify_signature(&signature, eseal::SignedData::Bytes(b"document"), &options);
    let check = report
        .check("signature.signer_certificate_revocation")
        .unwrap()
        .clone();
    let empty_id_findings = report
        .findings
        .iter()
        .filter(|f| f.code == eseal::finding::FindingCode::Sm2EmptyUserId)
        .count();
    (check, empty_id_findings)
}

#[test]
fn openssl_crl_empty_id_gives_finding() {
    use eseal::report::CheckStatus;

    let dir = scratch("openssl-crl");

    // OpenSSL 3 signs with an empty SM2 ID unless -sigopt distid:... is given.
    let (check, findings) = verify_with_crl(&openssl_crl(&dir, "20210401000000Z", &[]));
    assert_eq!(check.status, CheckStatus::Failed, "{}", check.message);
    assert!(
        check.message.contains("revoked at 2021-03-01"),
        "{}",
        check.message
    );
    assert_eq!(findings, 1, "one finding, though both paths use the CRL");

    let with_id = ["-sigopt", "distid:1234567812345678"];
    let (check, findings) = verify_with_crl(&openssl_crl(&dir, "20210401000000Z", &with_id));
    assert_eq!(check.status, CheckStatus::Failed, "{}", check.message);
    assert_eq!(findings, 0);

    // A CRL issued after the signing time, and one whose signature was changed, cannot be
    // used, and the check's message gives the reason.
    let (check, _) = verify_with_crl(&openssl_crl(&dir, "20220101000000Z", &[]));
    assert_eq!(check.status, CheckStatus::NotChecked, "{}", check.message);
    assert!(
        check.message.contains("issued at 2022-01-01"),
        "{}",
        check.message
    );

    let mut tampered = openssl_crl(&dir, "20210401000000Z", &[]);
    let last = tampered.len() - 1;
    tampered[last] ^= 1;
    let (check, _) = verify_with_crl(&tampered);
    assert_eq!(check.status, CheckStatus::NotChecked, "{}", check.message);
    assert!(
        check.message.contains("does not verify"),
        "{}",
        check.message
    );
}

#[test]
fn openssl_self_signed_certificate_verifies() {
    let dir = scratch("openssl-root");
    let keys = common::vectors().join("keys");
    let made = |name: &str, extra: &[&str]| {
        let output = Command::new("openssl")
            .current_dir(&dir)
            .args(["req", "-x509", "-new", "-sm3", "-key"])
            .arg(keys.join("ROOT.key.pem"))
            .args(["-subj", "/CN=OpenSSL Root", "-days", "30", "-out", name])
            .args(extra)
            .output()
            .expect("the openssl command is needed for this test");
        assert!(output.status.success(), "{output:?}");
        Certificate::from_pem(&std::fs::read(dir.join(name)).unwrap()).unwrap()
    };
    // Without an ID OpenSSL 3 signs with an empty one, which is read as a tolerance.
    let plain = made("plain.pem", &[]);
    assert!(plain.is_signed_by(&plain));
    let with_id = made("with-id.pem", &["-sigopt", "distid:1234567812345678"]);
    assert!(with_id.is_signed_by(&with_id));
    // Another key's certificate does not verify either way.
    assert!(!plain.is_signed_by(&cert("USER")));
}
