//! Password-protected keys made by other tools: encrypted PKCS#8 from OpenSSL 3 and GmSSL, and
//! PKCS#12 files from OpenSSL 3 and from the ofdrw test PKI (legacy schemes, BER).

mod common;

use std::path::PathBuf;

use der::asn1::ObjectIdentifier;
use eseal::keystore::{KeyFormat, KeystoreError, MAX_INPUT_LEN, MAX_ITERATIONS, Pkcs12};
use eseal::{Certificate, Error, PrivateKey, PublicKey};

const PASSWORD: &[u8] = b"eseal-test";

fn committed(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/vectors/encrypted-keys")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

fn public_key(name: &str) -> PublicKey {
    PublicKey::from_pem(&committed(name)).unwrap()
}

fn certificate(bytes: &[u8]) -> Certificate {
    Certificate::from_pem(bytes).unwrap()
}

fn is_wrong_password<T>(result: &Result<T, Error>) -> bool {
    matches!(result, Err(Error::WrongPassword(_)))
}

// Encrypted PKCS#8.

#[test]
fn openssl_pkcs8_schemes_decrypt() {
    let expected = public_key("openssl-public.pem");
    for name in [
        "openssl-aes256-sha256.pem",
        "openssl-aes128-sha256.der",
        "openssl-aes192-sha1.pem",
        "openssl-des3-sha512.pem",
        "openssl-pbe-sha1-3des.pem",
    ] {
        let bytes = committed(name);
        assert_eq!(
            KeyFormat::detect(&bytes),
            KeyFormat::EncryptedPkcs8,
            "{name}"
        );
        let key = PrivateKey::from_pem_or_der_with_password(&bytes, Some(PASSWORD))
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(key.public_key(), &expected, "{name}");
    }
}

#[test]
fn openssl_pkcs8_pem_and_der_entry_points() {
    let expected = public_key("openssl-public.pem");
    let pem =
        PrivateKey::from_encrypted_pem(&committed("openssl-aes256-sha256.pem"), PASSWORD).unwrap();
    assert_eq!(pem.public_key(), &expected);
    let der =
        PrivateKey::from_encrypted_der(&committed("openssl-aes128-sha256.der"), PASSWORD).unwrap();
    assert_eq!(der.public_key(), &expected);
}

#[test]
fn gmssl_sm4_sm3_key_decrypts() {
    let key = PrivateKey::from_encrypted_pem(&committed("gmssl-sm4-sm3.pem"), PASSWORD).unwrap();
    assert_eq!(key.public_key(), &public_key("gmssl-public.pem"));
}

#[test]
fn pkcs8_wrong_password() {
    for name in [
        "gmssl-sm4-sm3.pem",
        "openssl-aes256-sha256.pem",
        "openssl-aes128-sha256.der",
        "openssl-aes192-sha1.pem",
        "openssl-des3-sha512.pem",
        "openssl-pbe-sha1-3des.pem",
    ] {
        let bytes = committed(name);
        for password in [&b"eseal-tesT"[..], b"", b"eseal-test "] {
            let result = PrivateKey::from_pem_or_der_with_password(&bytes, Some(password));
            assert!(is_wrong_password(&result), "{name}: {result:?}");
        }
    }
}

#[test]
fn pkcs8_wrong_password_message_names_no_secret() {
    let result = PrivateKey::from_encrypted_pem(&committed("gmssl-sm4-sm3.pem"), b"hunter2");
    let message = result.unwrap_err().to_string();
    assert!(message.starts_with("wrong password"), "{message}");
    assert!(!message.contains("hunter2"), "{message}");
}

#[test]
fn pkcs8_without_password_is_password_required() {
    let bytes = committed("gmssl-sm4-sm3.pem");
    for result in [
        PrivateKey::from_pem_or_der_with_password(&bytes, None),
        PrivateKey::from_pem(&bytes),
        PrivateKey::from_pem_or_der(&bytes),
        PrivateKey::from_der(&committed("openssl-aes128-sha256.der")),
    ] {
        assert!(
            matches!(
                result,
                Err(Error::Keystore(KeystoreError::PasswordRequired(_)))
            ),
            "{result:?}"
        );
    }
}

#[test]
fn pkcs8_truncated_file_is_malformed() {
    let der = committed("openssl-aes128-sha256.der");
    for len in [0, 1, 2, 10, 40, der.len() / 2, der.len() - 1] {
        let result = PrivateKey::from_encrypted_der(&der[..len], PASSWORD);
        assert!(
            matches!(
                result,
                Err(Error::Keystore(KeystoreError::Malformed { .. }))
            ),
            "length {len}: {result:?}"
        );
    }
}

#[test]
fn pkcs8_truncated_pem_is_rejected() {
    let pem = committed("gmssl-sm4-sm3.pem");
    let result = PrivateKey::from_encrypted_pem(&pem[..pem.len() / 2], PASSWORD);
    assert!(matches!(result, Err(Error::Key(_))), "{result:?}");
}

#[test]
fn pkcs8_scrypt_is_unsupported_with_oid() {
    let result =
        PrivateKey::from_pem_or_der_with_password(&committed("openssl-scrypt.pem"), Some(PASSWORD));
    let Err(Error::Keystore(KeystoreError::UnsupportedAlgorithm { oid, name, .. })) = &result
    else {
        panic!("expected UnsupportedAlgorithm, got {result:?}");
    };
    assert_eq!(*oid, ObjectIdentifier::new_unwrap("1.3.6.1.4.1.11591.4.11"));
    assert_eq!(*name, "scrypt");
    let message = result.unwrap_err().to_string();
    assert!(message.contains("1.3.6.1.4.1.11591.4.11"), "{message}");
}

#[test]
fn pkcs8_non_sm2_key_is_key_error() {
    let result = PrivateKey::from_encrypted_pem(&committed("openssl-p256-aes256.pem"), PASSWORD);
    assert!(matches!(result, Err(Error::Key(_))), "{result:?}");
}

#[test]
fn pkcs8_legacy_scheme_needs_utf8_password() {
    let result =
        PrivateKey::from_encrypted_pem(&committed("openssl-pbe-sha1-3des.pem"), b"\xff\xfe");
    assert!(
        matches!(result, Err(Error::Keystore(KeystoreError::PasswordNotUtf8))),
        "{result:?}"
    );
}

#[test]
fn unencrypted_key_ignores_password() {
    let pem = common::read("keys/USER.key.pem");
    let with = PrivateKey::from_pem_or_der_with_password(&pem, Some(b"unused")).unwrap();
    let without = PrivateKey::from_pem_or_der_with_password(&pem, None).unwrap();
    assert_eq!(with.public_key(), without.public_key());
}

#[test]
fn pkcs12_given_as_pkcs8_is_named() {
    let p12 = common::read("keys/USER.p12");
    assert_eq!(KeyFormat::detect(&p12), KeyFormat::Pkcs12);
    for result in [
        PrivateKey::from_pem_or_der_with_password(&p12, Some(b"777777")),
        PrivateKey::from_der(&p12),
    ] {
        assert!(
            matches!(result, Err(Error::Keystore(KeystoreError::IsPkcs12))),
            "{result:?}"
        );
    }
}

#[test]
fn oversized_input_is_rejected() {
    let big = vec![0x30u8; MAX_INPUT_LEN + 1];
    let result = PrivateKey::from_encrypted_der(&big, PASSWORD);
    assert!(
        matches!(
            result,
            Err(Error::Keystore(KeystoreError::LimitExceeded { .. }))
        ),
        "{result:?}"
    );
    let result = Pkcs12::from_der(&big, PASSWORD);
    assert!(
        matches!(
            result,
            Err(Error::Keystore(KeystoreError::LimitExceeded { .. }))
        ),
        "{result:?}"
    );
}

// PKCS#12.

/// The ofdrw test PKI: legacy schemes (RC2-40 certificates, 3DES key, HMAC-SHA1 MAC),
/// ROOT.p12 in DER and the other two in BER with indefinite lengths.
const LEGACY_P12: [(&str, &[u8]); 3] = [
    ("ROOT", b"123456"),
    ("SealBuilder", b"777777"),
    ("USER", b"777777"),
];

#[test]
fn legacy_p12_gives_key_of_certificate() {
    for (name, password) in LEGACY_P12 {
        let p12 = Pkcs12::from_der(&common::read(&format!("keys/{name}.p12")), password)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let expected = certificate(&common::read(&format!("keys/{name}.cert.pem")));
        assert_eq!(
            p12.private_key.public_key(),
            &expected.public_key().unwrap(),
            "{name}"
        );
        let found = p12.certificate.as_ref().expect("the key's certificate");
        assert_eq!(found.as_der(), expected.as_der(), "{name}");
        assert!(p12.other_certificates.is_empty(), "{name}");

        let unencrypted =
            PrivateKey::from_pem(&common::read(&format!("keys/{name}.key.pem"))).unwrap();
        assert_eq!(
            p12.private_key.public_key(),
            unencrypted.public_key(),
            "{name}"
        );
    }
}

#[test]
fn legacy_p12_wrong_password() {
    for (name, password) in LEGACY_P12 {
        let bytes = common::read(&format!("keys/{name}.p12"));
        let mut wrong = password.to_vec();
        wrong.push(b'0');
        for candidate in [&wrong[..], b"", b"12345", b"777778"] {
            let result = Pkcs12::from_der(&bytes, candidate);
            assert!(is_wrong_password(&result), "{name}: {result:?}");
        }
    }
    // ROOT's password is not the others'.
    let result = Pkcs12::from_der(&common::read("keys/ROOT.p12"), b"777777");
    assert!(is_wrong_password(&result), "{result:?}");
}

#[test]
fn legacy_p12_wrong_password_says_mac() {
    let error = Pkcs12::from_der(&common::read("keys/USER.p12"), b"123456").unwrap_err();
    assert_eq!(
        error.to_string(),
        "wrong password: the PKCS#12 MAC does not verify"
    );
}

#[test]
fn openssl3_default_p12_gives_key_certificate_and_chain() {
    let p12 = Pkcs12::from_der(&committed("openssl3-default.p12"), PASSWORD).unwrap();
    let signer = certificate(&committed("openssl3-signer.cert.pem"));
    let ca = certificate(&committed("openssl3-ca.cert.pem"));
    assert_eq!(p12.private_key.public_key(), &signer.public_key().unwrap());
    assert_eq!(p12.certificate.as_ref().unwrap().as_der(), signer.as_der());
    assert_eq!(p12.other_certificates.len(), 1);
    assert_eq!(p12.other_certificates[0].as_der(), ca.as_der());
}

#[test]
fn openssl3_p12_variants_open() {
    let signer = certificate(&committed("openssl3-signer.cert.pem"));
    for (name, password) in [
        ("openssl3-3des-utf8-password.p12", "证书-密码".as_bytes()),
        ("openssl3-aes128-sha512-mac.p12", PASSWORD),
        ("openssl3-nomac.p12", PASSWORD),
        ("openssl3-empty-password.p12", b""),
        ("openssl3-unencrypted-bags.p12", PASSWORD),
    ] {
        let p12 =
            Pkcs12::from_der(&committed(name), password).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(
            p12.private_key.public_key(),
            &signer.public_key().unwrap(),
            "{name}"
        );
        assert_eq!(
            p12.certificate.as_ref().unwrap().as_der(),
            signer.as_der(),
            "{name}"
        );
    }
}

#[test]
fn openssl3_p12_wrong_password() {
    for name in [
        "openssl3-default.p12",
        "openssl3-3des-utf8-password.p12",
        "openssl3-aes128-sha512-mac.p12",
        "openssl3-nomac.p12",
        "openssl3-empty-password.p12",
        "openssl3-unencrypted-bags.p12",
    ] {
        let bytes = committed(name);
        // "证书-密码" differs from the right password only by the dash.
        for password in ["eseal-tesT", "证书_密码", "x"] {
            let result = Pkcs12::from_der(&bytes, password.as_bytes());
            assert!(
                is_wrong_password(&result),
                "{name} with {password}: {result:?}"
            );
        }
    }
}

#[test]
fn p12_debug_hides_key() {
    let p12 = Pkcs12::from_der(&common::read("keys/USER.p12"), b"777777").unwrap();
    let shown = format!("{p12:?}");
    // USER.key.pem contains the scalar 0DA34DE03F754D55...
    assert!(
        !shown.to_lowercase().contains("0da34de03f754d55"),
        "{shown}"
    );
}

#[test]
fn p12_truncated_file_is_malformed() {
    for name in ["ROOT", "USER"] {
        let bytes = common::read(&format!("keys/{name}.p12"));
        for len in [
            0,
            1,
            4,
            30,
            bytes.len() / 2,
            bytes.len() - 2,
            bytes.len() - 1,
        ] {
            let result = Pkcs12::from_der(&bytes[..len], b"777777");
            assert!(
                matches!(
                    result,
                    Err(Error::Keystore(KeystoreError::Malformed { .. }))
                ),
                "{name} cut to {len}: {result:?}"
            );
        }
    }
}

#[test]
fn p12_rejects_other_input() {
    let result = Pkcs12::from_der(&committed("openssl-aes128-sha256.der"), PASSWORD);
    assert!(
        matches!(
            result,
            Err(Error::Keystore(KeystoreError::Malformed { .. }))
        ),
        "{result:?}"
    );
    let result = Pkcs12::from_der(&committed("openssl3-signer.cert.pem"), PASSWORD);
    assert!(
        matches!(
            result,
            Err(Error::Keystore(KeystoreError::Malformed { .. }))
        ),
        "{result:?}"
    );
}

#[test]
fn p12_legacy_scheme_needs_utf8_password() {
    let result = Pkcs12::from_der(&common::read("keys/USER.p12"), b"\xff777777");
    assert!(
        matches!(result, Err(Error::Keystore(KeystoreError::PasswordNotUtf8))),
        "{result:?}"
    );
}

/// ROOT.p12 is DER and ends with its MacData, whose iteration count is `02 03 01 90 00`
/// (102400). This rewrites it to `02 04 00 98 96 81` (10,000,001) and fixes the two lengths.
fn root_p12_with_mac_iterations_over_limit() -> Vec<u8> {
    let original = common::read("keys/ROOT.p12");
    let tail = [0x02, 0x03, 0x01, 0x90, 0x00];
    assert!(original.ends_with(&tail));
    let body = &original[4..original.len() - tail.len()];
    let mut patched = vec![0x30, 0x82];
    let total = u16::from_be_bytes([original[2], original[3]]) + 1;
    patched.extend_from_slice(&total.to_be_bytes());
    patched.extend_from_slice(body);
    // The MacData SEQUENCE is 62 bytes long and starts 64 bytes before the end.
    let mac_data = 4 + body.len() - (62 + 2 - tail.len());
    assert_eq!(&patched[mac_data..mac_data + 2], &[0x30, 0x3e]);
    patched[mac_data + 1] = 0x3f;
    patched.extend_from_slice(&[0x02, 0x04, 0x00, 0x98, 0x96, 0x81]);
    patched
}

#[test]
fn p12_iteration_count_over_limit() {
    let started = std::time::Instant::now();
    let result = Pkcs12::from_der(&root_p12_with_mac_iterations_over_limit(), b"123456");
    let Err(Error::Keystore(KeystoreError::LimitExceeded { value, limit, .. })) = result else {
        panic!("expected LimitExceeded, got {result:?}");
    };
    assert_eq!(value, MAX_ITERATIONS + 1);
    assert_eq!(limit, MAX_ITERATIONS);
    // Rejected before any key derivation.
    assert!(started.elapsed() < std::time::Duration::from_secs(2));
}
