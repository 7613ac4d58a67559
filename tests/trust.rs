//! Trust: certificate paths to roots, key usage, CRLs and seal revocation lists. Each failure is
//! its own test.

mod common;

use std::sync::Arc;

use eseal::cert::CertificateBuilder;
use eseal::report::{CheckStatus, SignatureReport};
use eseal::trust::{
    ChainError, CrlBuilder, SealRevocationList, SealRevocationListBuilder, TrustPolicy, TrustStore,
    validate_chain,
};
use eseal::{
    Certificate, PrivateKey, Seal, SealBuilder, Signature, SignatureBuilder, SignedData, Time,
    VerifyOptions, verify_signature,
};

fn t(text: &str) -> Time {
    common::time(text)
}

fn vector_cert(name: &str) -> Certificate {
    Certificate::from_pem(&common::read(&format!("keys/{name}.cert.pem"))).unwrap()
}

fn vector_key(name: &str) -> PrivateKey {
    PrivateKey::from_pem(&common::read(&format!("keys/{name}.key.pem"))).unwrap()
}

fn root_store() -> TrustStore {
    let mut store = TrustStore::new();
    store
        .add_pem_or_der(&common::read("keys/ROOT.cert.pem"))
        .unwrap();
    store
}

fn policy(store: TrustStore) -> VerifyOptions {
    VerifyOptions {
        trust: Some(Arc::new(TrustPolicy {
            store,
            ..TrustPolicy::default()
        })),
        ..VerifyOptions::default()
    }
}

fn status(report: &SignatureReport, name: &str) -> CheckStatus {
    report
        .check(name)
        .unwrap_or_else(|| panic!("no check {name}"))
        .status
}

#[test]
fn vector_chains_verify_inside_validity() {
    let store = root_store();
    assert_eq!(store.anchors().len(), 1);
    for name in ["SealBuilder", "USER"] {
        let path = validate_chain(&vector_cert(name), t("2021-06-01"), &store).unwrap();
        assert_eq!(path.len(), 2, "{name}");
        assert_eq!(path[1].subject(), store.anchors()[0].subject());
    }
}

#[test]
fn vector_signature_with_trust_store() {
    let der = common::read("signatures/ofdr-wtest-3c2f8c595f20/SignedValue.dat");
    let xml = common::read("signatures/ofdr-wtest-3c2f8c595f20/Signature.xml");
    let signature = Signature::from_der(&der).unwrap();
    let report = verify_signature(&signature, SignedData::Bytes(&xml), &policy(root_store()));
    assert_eq!(
        status(&report, "seal.maker_certificate_chain"),
        CheckStatus::Passed
    );
    assert_eq!(
        status(&report, "signature.signer_certificate_chain"),
        CheckStatus::Passed
    );
    assert_eq!(
        status(&report, "signature.signer_certificate_key_usage"),
        CheckStatus::Passed
    );
    // No CRL was given.
    assert_eq!(
        status(&report, "signature.signer_certificate_revocation"),
        CheckStatus::NotChecked
    );
    assert!(report.valid, "{:#?}", report.checks);

    let without = verify_signature(
        &signature,
        SignedData::Bytes(&xml),
        &VerifyOptions::default(),
    );
    assert_eq!(
        status(&without, "signature.signer_certificate_chain"),
        CheckStatus::NotChecked
    );
}

#[test]
fn untrusted_root_fails_chain() {
    let der = common::read("signatures/koal-0949ab5880fe/SignedValue.dat");
    let signature = Signature::from_der(&der).unwrap();
    let report = verify_signature(&signature, SignedData::Absent, &policy(root_store()));
    assert_eq!(
        status(&report, "signature.signer_certificate_chain"),
        CheckStatus::Failed
    );
    assert!(
        report
            .check("signature.signer_certificate_chain")
            .unwrap()
            .message
            .contains("no trusted issuer")
    );
    assert!(!report.valid);
}

/// A small PKI: a root, optionally an intermediate, and leaves.
struct Pki {
    root_key: PrivateKey,
    root: Certificate,
}

impl Pki {
    fn new(start: &str, end: &str) -> Self {
        let root_key = PrivateKey::generate().unwrap();
        let root = CertificateBuilder::new("CN=Trust Test Root,C=CN", 1, t(start), t(end))
            .ca(true)
            .sign(root_key.public_key(), None, Some(&root_key))
            .unwrap();
        Self { root_key, root }
    }

    fn issue(&self, builder: CertificateBuilder) -> (PrivateKey, Certificate) {
        let key = PrivateKey::generate().unwrap();
        let cert = builder
            .sign(key.public_key(), Some((&self.root, &self.root_key)), None)
            .unwrap();
        (key, cert)
    }

    fn store(&self) -> TrustStore {
        let mut store = TrustStore::new();
        store.add_anchor(self.root.clone());
        store
    }
}

#[test]
fn expired_issuer() {
    let pki = Pki::new("2020-01-01", "2021-01-01");
    let (_, leaf) = pki.issue(CertificateBuilder::new(
        "CN=Leaf",
        2,
        t("2020-01-01"),
        t("2030-01-01"),
    ));
    assert!(validate_chain(&leaf, t("2020-06-01"), &pki.store()).is_ok());
    assert!(matches!(
        validate_chain(&leaf, t("2022-01-01"), &pki.store()),
        Err(ChainError::IssuerNotValid { .. })
    ));
}

#[test]
fn not_yet_valid_issuer() {
    let pki = Pki::new("2026-01-01", "2030-01-01");
    let (_, leaf) = pki.issue(CertificateBuilder::new(
        "CN=Leaf",
        2,
        t("2020-01-01"),
        t("2030-01-01"),
    ));
    assert!(matches!(
        validate_chain(&leaf, t("2025-06-01"), &pki.store()),
        Err(ChainError::IssuerNotValid { .. })
    ));
}

#[test]
fn wrong_issuer() {
    let pki = Pki::new("2020-01-01", "2030-01-01");
    // Another root with the same name but another key.
    let impostor = Pki::new("2020-01-01", "2030-01-01");
    let (_, leaf) = impostor.issue(CertificateBuilder::new(
        "CN=Leaf",
        2,
        t("2020-01-01"),
        t("2030-01-01"),
    ));
    assert!(matches!(
        validate_chain(&leaf, t("2025-01-01"), &pki.store()),
        Err(ChainError::BadSignature { .. })
    ));
    let mut empty = TrustStore::new();
    empty.add_anchor(vector_cert("ROOT"));
    assert!(matches!(
        validate_chain(&leaf, t("2025-01-01"), &empty),
        Err(ChainError::NoIssuer { .. })
    ));
}

#[test]
fn tampered_certificate_signature() {
    let pki = Pki::new("2020-01-01", "2030-01-01");
    let (_, leaf) = pki.issue(CertificateBuilder::new(
        "CN=Leaf",
        2,
        t("2020-01-01"),
        t("2030-01-01"),
    ));
    let mut der = leaf.as_der().to_vec();
    let last = der.len() - 3;
    der[last] ^= 0x01;
    let tampered = Certificate::from_der(&der).unwrap();
    assert!(matches!(
        validate_chain(&tampered, t("2025-01-01"), &pki.store()),
        Err(ChainError::BadSignature { .. })
    ));
    // A changed byte inside the TBSCertificate (the subject) breaks it as well.
    let mut der = leaf.as_der().to_vec();
    let at = der.windows(4).position(|w| w == b"Leaf").unwrap();
    der[at] = b'l';
    let renamed = Certificate::from_der(&der).unwrap();
    assert!(matches!(
        validate_chain(&renamed, t("2025-01-01"), &pki.store()),
        Err(ChainError::BadSignature { .. })
    ));
}

/// Makes a seal authorising `signer` and a signature by it, at 2025-06-01.
fn signed(
    maker_key: &PrivateKey,
    maker: &Certificate,
    signer_key: &PrivateKey,
    signer: &Certificate,
) -> Signature {
    let picture = common::read("seals/UserV4.esl");
    let picture = Seal::from_der(&picture).unwrap().info.picture.data;
    let seal = SealBuilder::new("TRUST-1", "信任测试章")
        .validity(t("2025-01-01"), t("2026-01-01"))
        .picture(picture, 40, 40)
        .unwrap()
        .signer_certificate(signer)
        .sign(maker_key, maker)
        .unwrap();
    SignatureBuilder::new(&seal, signer_key, signer)
        .time(t("2025-06-01"))
        .sign(b"data")
        .unwrap()
}

#[test]
fn missing_key_usage() {
    let pki = Pki::new("2020-01-01", "2030-01-01");
    let (maker_key, maker) = pki.issue(CertificateBuilder::new(
        "CN=Maker",
        2,
        t("2020-01-01"),
        t("2030-01-01"),
    ));
    let (signer_key, signer) = pki.issue(
        CertificateBuilder::new("CN=Signer", 3, t("2020-01-01"), t("2030-01-01"))
            .without_key_usage(),
    );
    let report = verify_signature(
        &signed(&maker_key, &maker, &signer_key, &signer),
        SignedData::Bytes(b"data"),
        &policy(pki.store()),
    );
    assert_eq!(
        status(&report, "signature.signer_certificate_chain"),
        CheckStatus::Passed
    );
    assert_eq!(
        status(&report, "signature.signer_certificate_key_usage"),
        CheckStatus::Failed
    );
    assert_eq!(
        status(&report, "seal.maker_certificate_key_usage"),
        CheckStatus::Passed
    );
    assert!(!report.valid);
}

#[test]
fn ca_flag_missing_on_issuer() {
    let pki = Pki::new("2020-01-01", "2030-01-01");
    // An end-entity certificate used as an intermediate.
    let (not_ca_key, not_ca) = pki.issue(CertificateBuilder::new(
        "CN=Not A CA",
        2,
        t("2020-01-01"),
        t("2030-01-01"),
    ));
    let leaf_key = PrivateKey::generate().unwrap();
    let leaf = CertificateBuilder::new("CN=Leaf", 3, t("2020-01-01"), t("2030-01-01"))
        .sign(leaf_key.public_key(), Some((&not_ca, &not_ca_key)), None)
        .unwrap();
    let mut store = pki.store();
    store.add_intermediate(not_ca.clone());
    assert!(matches!(
        validate_chain(&leaf, t("2025-01-01"), &store),
        Err(ChainError::IssuerNotCa { .. })
    ));

    // A proper intermediate CA works.
    let (ca_key, ca) = pki.issue(
        CertificateBuilder::new("CN=Intermediate CA", 4, t("2020-01-01"), t("2030-01-01")).ca(true),
    );
    let leaf = CertificateBuilder::new("CN=Leaf 2", 5, t("2020-01-01"), t("2030-01-01"))
        .sign(leaf_key.public_key(), Some((&ca, &ca_key)), None)
        .unwrap();
    store.add_intermediate(ca);
    assert_eq!(
        validate_chain(&leaf, t("2025-01-01"), &store)
            .unwrap()
            .len(),
        3
    );
}

#[test]
fn revoked_by_crl() {
    let pki = Pki::new("2020-01-01", "2030-01-01");
    let (maker_key, maker) = pki.issue(CertificateBuilder::new(
        "CN=Maker",
        2,
        t("2020-01-01"),
        t("2030-01-01"),
    ));
    let (signer_key, signer) = pki.issue(CertificateBuilder::new(
        "CN=Signer",
        3,
        t("2020-01-01"),
        t("2030-01-01"),
    ));
    let signature = signed(&maker_key, &maker, &signer_key, &signer);
    let crl = CrlBuilder::new(&pki.root, &pki.root_key)
        .revoke(&signer, t("2025-03-01"))
        .sign(t("2025-03-02"), Some(t("2025-12-01")))
        .unwrap();
    assert!(crl.is_signed_by(&pki.root));
    let with_crl = |crls| VerifyOptions {
        trust: Some(Arc::new(TrustPolicy {
            store: pki.store(),
            crls,
            ..TrustPolicy::default()
        })),
        ..VerifyOptions::default()
    };
    let report = verify_signature(
        &signature,
        SignedData::Bytes(b"data"),
        &with_crl(vec![crl.clone()]),
    );
    assert_eq!(
        status(&report, "signature.signer_certificate_revocation"),
        CheckStatus::Failed
    );
    assert_eq!(
        status(&report, "seal.maker_certificate_revocation"),
        CheckStatus::Passed
    );
    assert!(!report.valid);

    // A CRL signed by another key is ignored, so revocation is not known.
    let other = Pki::new("2020-01-01", "2030-01-01");
    let forged = CrlBuilder::new(&other.root, &other.root_key)
        .revoke(&maker, t("2025-03-01"))
        .sign(t("2025-03-02"), None)
        .unwrap();
    assert!(!forged.is_signed_by(&pki.root));
    let report = verify_signature(
        &signature,
        SignedData::Bytes(b"data"),
        &with_crl(vec![forged]),
    );
    assert_eq!(
        status(&report, "seal.maker_certificate_revocation"),
        CheckStatus::NotChecked
    );

    // PEM round trip of the CRL.
    let pem = der::pem::encode_string("X509 CRL", der::pem::LineEnding::LF, crl.as_der()).unwrap();
    let again = eseal::trust::Crl::from_pem_or_der(pem.as_bytes()).unwrap();
    assert_eq!(again.revocation_of(&signer), Some(t("2025-03-01")));
}

#[test]
fn seal_revoked_by_list() {
    let pki = Pki::new("2020-01-01", "2030-01-01");
    let (maker_key, maker) = pki.issue(CertificateBuilder::new(
        "CN=Maker",
        2,
        t("2020-01-01"),
        t("2030-01-01"),
    ));
    let (signer_key, signer) = pki.issue(CertificateBuilder::new(
        "CN=Signer",
        3,
        t("2020-01-01"),
        t("2030-01-01"),
    ));
    let (system_key, system) = pki.issue(CertificateBuilder::new(
        "CN=Seal System",
        4,
        t("2020-01-01"),
        t("2030-01-01"),
    ));
    let signature = signed(&maker_key, &maker, &signer_key, &signer);
    let with_lists = |lists| VerifyOptions {
        trust: Some(Arc::new(TrustPolicy {
            store: pki.store(),
            seal_revocations: lists,
            ..TrustPolicy::default()
        })),
        ..VerifyOptions::default()
    };

    let before = SealRevocationListBuilder::new("校园统一印章系统", &system, &system_key)
        .revoke("TRUST-1", t("2025-05-01"), Some("印章遗失".into()))
        .sign(t("2025-05-02"), None)
        .unwrap();
    let parsed = SealRevocationList::from_pem_or_der(before.to_pem().as_bytes()).unwrap();
    assert_eq!(parsed.revoked[0].es_id, "TRUST-1");
    let report = verify_signature(
        &signature,
        SignedData::Bytes(b"data"),
        &with_lists(vec![parsed]),
    );
    assert_eq!(status(&report, "seal.revocation"), CheckStatus::Failed);
    assert!(!report.valid);

    // Cancelled after the signing time: the signature stays valid.
    let after = SealRevocationListBuilder::new("校园统一印章系统", &system, &system_key)
        .revoke("TRUST-1", t("2025-07-01"), None)
        .sign(t("2025-07-02"), None)
        .unwrap();
    let report = verify_signature(
        &signature,
        SignedData::Bytes(b"data"),
        &with_lists(vec![after]),
    );
    assert_eq!(status(&report, "seal.revocation"), CheckStatus::Passed);

    // A list with a changed byte does not verify.
    let mut der = before.as_der().to_vec();
    let at = der.windows(7).position(|w| w == b"TRUST-1").unwrap();
    der[at + 6] = b'2';
    let tampered = SealRevocationList::from_der(&der).unwrap();
    let report = verify_signature(
        &signature,
        SignedData::Bytes(b"data"),
        &with_lists(vec![tampered]),
    );
    assert_eq!(status(&report, "seal.revocation"), CheckStatus::Failed);
    assert!(
        report
            .check("seal.revocation")
            .unwrap()
            .message
            .contains("does not verify")
    );

    // A list signed by a certificate outside the trust store is rejected.
    let outsider = Pki::new("2020-01-01", "2030-01-01");
    let (outsider_key, outsider_cert) = outsider.issue(CertificateBuilder::new(
        "CN=Outsider",
        5,
        t("2020-01-01"),
        t("2030-01-01"),
    ));
    let untrusted = SealRevocationListBuilder::new("假系统", &outsider_cert, &outsider_key)
        .revoke("OTHER", t("2025-05-01"), None)
        .sign(t("2025-05-02"), None)
        .unwrap();
    let report = verify_signature(
        &signature,
        SignedData::Bytes(b"data"),
        &with_lists(vec![untrusted]),
    );
    assert_eq!(status(&report, "seal.revocation"), CheckStatus::Failed);
}

#[test]
fn truncated_lists_are_typed_errors() {
    let pki = Pki::new("2020-01-01", "2030-01-01");
    let (key, cert) = pki.issue(CertificateBuilder::new(
        "CN=Seal System",
        4,
        t("2020-01-01"),
        t("2030-01-01"),
    ));
    let list = SealRevocationListBuilder::new("系统", &cert, &key)
        .revoke("A", t("2025-05-01"), None)
        .sign(t("2025-05-02"), None)
        .unwrap();
    for length in 0..list.as_der().len() {
        assert!(
            SealRevocationList::from_der(&list.as_der()[..length]).is_err(),
            "{length}"
        );
    }
    assert!(eseal::trust::Crl::from_pem_or_der(b"not a crl").is_err());
}

/// An external signer (a USB key, say) that answers with the wrong signature.
struct WrongSigner;

impl eseal::crypto::Signer for WrongSigner {
    fn public_key(&self) -> Option<eseal::PublicKey> {
        None
    }

    fn sign_digest(&self, _e: &[u8; 32]) -> eseal::Result<eseal::crypto::SignatureValue> {
        Ok(eseal::crypto::SignatureValue {
            r: [0x11; 32],
            s: [0x22; 32],
        })
    }
}

/// An external signer that forwards to a key, as a working device would.
struct DeviceSigner(PrivateKey);

impl eseal::crypto::Signer for DeviceSigner {
    fn public_key(&self) -> Option<eseal::PublicKey> {
        None
    }

    fn sign_digest(&self, e: &[u8; 32]) -> eseal::Result<eseal::crypto::SignatureValue> {
        self.0.sign_digest(e)
    }
}

#[test]
fn external_signer_wrong_signature_is_caught() {
    let seal = Seal::from_der(&common::read("seals/UserV4.esl")).unwrap();
    let cert = vector_cert("USER");
    let result = SignatureBuilder::with_signer(&seal, &WrongSigner, &cert)
        .time(t("2021-06-01"))
        .sign(b"data");
    assert!(matches!(result, Err(eseal::Error::SignatureInvalid)));

    let device = DeviceSigner(vector_key("USER"));
    let signature = SignatureBuilder::with_signer(&seal, &device, &cert)
        .time(t("2021-06-01"))
        .sign(b"data")
        .unwrap();
    assert!(
        verify_signature(
            &signature,
            SignedData::Bytes(b"data"),
            &VerifyOptions::default()
        )
        .valid
    );

    // The maker's signer is checked the same way.
    let maker_cert = vector_cert("SealBuilder");
    let picture = seal.info.picture.data.clone();
    let made = SealBuilder::new("EXT-1", "外部签名章")
        .validity(t("2021-01-01"), t("2022-01-01"))
        .picture(picture, 40, 40)
        .unwrap()
        .signer_certificate(&cert)
        .sign_with(&WrongSigner, &maker_cert);
    assert!(matches!(made, Err(eseal::Error::SignatureInvalid)));
}

#[test]
fn garbage_lists_name_their_kind() {
    use eseal::Error;
    use eseal::trust::{Crl, SealRevocationList};

    for (input, expected) in [
        (&b""[..], "the input is empty"),
        (b"\n", "the input is empty"),
        (b"hello", "neither DER"),
        (b"-----BEGIN X509 CRL-----\nnot base64\n", "not a valid PEM"),
    ] {
        match Crl::from_pem_or_der(input) {
            Err(Error::Crl(message)) => assert!(message.contains(expected), "{message}"),
            other => panic!("CRL {input:?}: {other:?}"),
        }
        match SealRevocationList::from_pem_or_der(input) {
            Err(Error::SealRevocationList(message)) => {
                assert!(message.contains(expected), "{message}")
            }
            other => panic!("list {input:?}: {other:?}"),
        }
        match Certificate::from_pem_or_der(input) {
            Err(Error::Certificate(message)) => assert!(message.contains(expected), "{message}"),
            other => panic!("certificate {input:?}: {other:?}"),
        }
    }
}
