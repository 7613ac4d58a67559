//! Reading keys and certificates in the formats producers hand out, and signing from a stream.

mod common;

use eseal::keystore::KeystoreError;
use eseal::{Certificate, Error, PrivateKey, Seal, SignatureBuilder, SignedData, VerifyOptions};

fn pem_body(pem: &[u8]) -> Vec<u8> {
    der::pem::decode_vec(pem).unwrap().1
}

#[test]
fn pkcs8_pem_and_der_match_certificate() {
    let pem = common::read("keys/USER.key.pem");
    let cert = Certificate::from_pem(&common::read("keys/USER.cert.pem")).unwrap();
    let from_pem = PrivateKey::from_pem(&pem).unwrap();
    let from_der = PrivateKey::from_der(&pem_body(&pem)).unwrap();
    assert_eq!(from_pem.public_key(), &cert.public_key().unwrap());
    assert_eq!(from_der.public_key(), &cert.public_key().unwrap());
}

#[test]
fn sec1_pem_and_der_match_certificate() {
    let pem = common::read("keys/sign_key.pem");
    assert!(pem.starts_with(b"-----BEGIN EC PRIVATE KEY-----"));
    let cert = Certificate::from_pem_or_der(&common::read("keys/sign_cert.pem")).unwrap();
    let from_pem = PrivateKey::from_pem_or_der(&pem).unwrap();
    let from_der = PrivateKey::from_pem_or_der(&pem_body(&pem)).unwrap();
    assert_eq!(from_pem.public_key(), &cert.public_key().unwrap());
    assert_eq!(from_der.public_key(), &cert.public_key().unwrap());
}

#[test]
fn certificate_der_equals_pem() {
    let pem = common::read("keys/SealBuilder.cert.pem");
    let from_pem = Certificate::from_pem(&pem).unwrap();
    let from_der = Certificate::from_der(&pem_body(&pem)).unwrap();
    assert_eq!(from_pem, from_der);
    assert_eq!(
        from_pem.subject(),
        "CN=Test Certificate,L=Hangzhou,ST=Zhejiang,O=OFD R&W,C=CN"
    );
    assert_eq!(from_pem.not_after().to_string(), "2022-04-21T14:39:38Z");
}

#[test]
fn bad_key_input_is_a_typed_error() {
    let encrypted =
        b"-----BEGIN ENCRYPTED PRIVATE KEY-----\nMAA=\n-----END ENCRYPTED PRIVATE KEY-----\n";
    assert!(matches!(
        PrivateKey::from_pem(encrypted),
        Err(Error::Keystore(KeystoreError::PasswordRequired(_)))
    ));
    assert!(matches!(
        PrivateKey::from_der(b"\x30\x03\x02\x01\x00"),
        Err(Error::Key(_))
    ));
    assert!(matches!(
        PrivateKey::from_pem_or_der(b"not a key"),
        Err(Error::Key(_))
    ));
    assert!(matches!(
        PrivateKey::from_scalar_bytes(&[0u8; 32]),
        Err(Error::Key(_))
    ));
    let cert_pem = common::read("keys/USER.cert.pem");
    assert!(matches!(
        PrivateKey::from_pem(&cert_pem),
        Err(Error::Key(_))
    ));
    assert!(matches!(
        Certificate::from_pem(&common::read("keys/USER.key.pem")),
        Err(Error::Certificate(_))
    ));
}

#[test]
fn key_messages_do_not_contain_key_material() {
    let key = PrivateKey::from_pem(&common::read("keys/USER.key.pem")).unwrap();
    let shown = format!("{key:?}");
    // The PKCS#8 body of USER.key.pem contains the scalar 0DA34DE03F754D55...
    assert!(
        !shown.to_lowercase().contains("0da34de03f754d55"),
        "{shown}"
    );
}

#[test]
fn streamed_and_digest_signing_verify() {
    let seal = Seal::from_der(&common::read("seals/UserV4.esl")).unwrap();
    let key = PrivateKey::from_pem(&common::read("keys/USER.key.pem")).unwrap();
    let cert = Certificate::from_pem(&common::read("keys/USER.cert.pem")).unwrap();
    let when = common::time("2021-06-01T00:00:00Z");
    let data: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();

    let streamed = SignatureBuilder::new(&seal, &key, &cert)
        .time(when)
        .sign_reader(&data[..])
        .unwrap();
    let by_digest = SignatureBuilder::new(&seal, &key, &cert)
        .time(when)
        .sign_digest(eseal::crypto::sm3(&data))
        .unwrap();
    for signature in [&streamed, &by_digest] {
        assert_eq!(signature.tbs.data_hash, eseal::crypto::sm3(&data));
        let report = eseal::verify_signature(
            signature,
            SignedData::Bytes(&data),
            &VerifyOptions::default(),
        );
        assert!(report.valid, "{:?}", report.checks);
    }
    // The same inputs give the same TBS_Sign: only the signature value is random.
    assert_eq!(streamed.signed_message(), by_digest.signed_message());
}

#[test]
fn certificate_names_match_x509_cert() {
    // Certificate::subject and issuer write names without x509-cert's Display; the strings
    // must stay the same for every certificate the vectors hold, Chinese names included.
    let mut certificates = Vec::new();
    for file in ["USER", "ROOT", "SealBuilder", "sign_cert"] {
        let file = if file == "sign_cert" {
            "keys/sign_cert.pem".to_string()
        } else {
            format!("keys/{file}.cert.pem")
        };
        certificates.push(Certificate::from_pem(&common::read(&file)).unwrap());
    }
    let seals = std::fs::read_dir(common::vectors().join("seals")).unwrap();
    for entry in seals {
        let path = entry.unwrap().path();
        if let Ok(seal) = Seal::from_der(&std::fs::read(&path).unwrap()) {
            certificates.push(seal.maker_certificate().unwrap());
        }
    }
    assert!(
        certificates.len() >= 8,
        "{} certificates",
        certificates.len()
    );
    for cert in &certificates {
        let tbs = cert.x509().tbs_certificate();
        assert_eq!(cert.subject(), tbs.subject().to_string());
        assert_eq!(cert.issuer(), tbs.issuer().to_string());
        assert!(cert.subject().contains('='), "{}", cert.subject());
    }
}
