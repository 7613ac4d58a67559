//! X.509 certificates of seal makers and signers.

pub(crate) mod issue;
mod name;

pub use issue::CertificateBuilder;

use der::Decode;

use crate::crypto::PublicKey;
use crate::error::{Error, Result};
use crate::time::Time;

/// A certificate, keeping the bytes it was read from.
///
/// Seals compare certificates byte for byte (certListType 1) or by digest (type 2), so the
/// stored DER is kept exactly as read.
#[derive(Clone)]
pub struct Certificate {
    der: Vec<u8>,
    parsed: x509_cert::Certificate,
}

impl Certificate {
    /// Reads a DER certificate.
    pub fn from_der(der: &[u8]) -> Result<Self> {
        let parsed = x509_cert::Certificate::from_der(der)
            .map_err(|e| Error::Certificate(format!("not a DER X.509 certificate: {e}")))?;
        Ok(Self {
            der: der.to_vec(),
            parsed,
        })
    }

    /// Reads a PEM certificate (label `CERTIFICATE`).
    pub fn from_pem(pem: &[u8]) -> Result<Self> {
        let (label, der) =
            der::pem::decode_vec(pem).map_err(|e| Error::Certificate(pem_problem(pem, &e)))?;
        if label != "CERTIFICATE" {
            return Err(Error::Certificate(format!(
                "the PEM label is {label:?}, expected \"CERTIFICATE\""
            )));
        }
        Self::from_der(&der)
    }

    /// Reads a certificate from PEM or DER bytes, whichever they are.
    pub fn from_pem_or_der(bytes: &[u8]) -> Result<Self> {
        if bytes.first() == Some(&0x30) {
            Self::from_der(bytes)
        } else {
            Self::from_pem(bytes)
        }
    }

    /// The DER bytes as read.
    pub fn as_der(&self) -> &[u8] {
        &self.der
    }

    /// The parsed certificate.
    pub fn x509(&self) -> &x509_cert::Certificate {
        &self.parsed
    }

    /// The subject as an RFC 4514 string.
    pub fn subject(&self) -> String {
        name::to_rfc4514(self.parsed.tbs_certificate().subject())
    }

    /// The issuer as an RFC 4514 string.
    pub fn issuer(&self) -> String {
        name::to_rfc4514(self.parsed.tbs_certificate().issuer())
    }

    /// The serial number in upper-case hexadecimal.
    pub fn serial_hex(&self) -> String {
        self.parsed
            .tbs_certificate()
            .serial_number()
            .as_bytes()
            .iter()
            .map(|b| format!("{b:02X}"))
            .collect()
    }

    /// Start of the validity period.
    pub fn not_before(&self) -> Time {
        let validity = self.parsed.tbs_certificate().validity();
        Time::from_unix_seconds(validity.not_before.to_unix_duration().as_secs())
    }

    /// End of the validity period.
    pub fn not_after(&self) -> Time {
        let validity = self.parsed.tbs_certificate().validity();
        Time::from_unix_seconds(validity.not_after.to_unix_duration().as_secs())
    }

    /// Tells whether `time` is inside notBefore..=notAfter.
    pub fn is_valid_at(&self, time: Time) -> bool {
        self.not_before() <= time && time <= self.not_after()
    }

    /// The subject's SM2 public key.
    pub fn public_key(&self) -> Result<PublicKey> {
        let spki = self.parsed.tbs_certificate().subject_public_key_info();
        let bytes = spki
            .subject_public_key
            .as_bytes()
            .ok_or_else(|| Error::Certificate("the subject public key has unused bits".into()))?;
        PublicKey::from_sec1_bytes(bytes)
            .map_err(|_| Error::Certificate("the subject public key is not an SM2 point".into()))
    }

    /// The TBSCertificate exactly as stored: the bytes the issuer signed.
    pub fn tbs_bytes(&self) -> &[u8] {
        use crate::asn1::reader::Reader;

        // from_der succeeded, so the certificate is a SEQUENCE whose first element is the
        // TBSCertificate SEQUENCE.
        let tbs = Reader::new(&self.der, "Certificate")
            .read(crate::asn1::TAG_SEQUENCE, "Certificate")
            .and_then(|outer| outer.reader("Certificate", 0))
            .and_then(|mut fields| fields.read(crate::asn1::TAG_SEQUENCE, "tbsCertificate"));
        tbs.map(|t| t.raw).unwrap_or(&[])
    }
}

impl Certificate {
    /// The issuer and subject Names exactly as stored, for chaining names byte for byte.
    fn stored_names(&self) -> Option<(&[u8], &[u8])> {
        use crate::asn1::reader::Reader;

        let mut fields = Reader::new(self.tbs_bytes(), "TBSCertificate")
            .read_any("tbsCertificate")
            .ok()?
            .reader("TBSCertificate", 0)
            .ok()?;
        if fields.peek_tag() == Some(crate::asn1::TAG_CONTEXT_0) {
            fields.read_any("version").ok()?;
        }
        fields.read_any("serialNumber").ok()?;
        fields.read_any("signature").ok()?;
        let issuer = fields.read_any("issuer").ok()?;
        fields.read_any("validity").ok()?;
        let subject = fields.read_any("subject").ok()?;
        Some((issuer.raw, subject.raw))
    }

    /// The DER of the issuer Name as stored.
    pub fn issuer_der(&self) -> &[u8] {
        self.stored_names().map_or(&[], |(issuer, _)| issuer)
    }

    /// The DER of the subject Name as stored.
    pub fn subject_der(&self) -> &[u8] {
        self.stored_names().map_or(&[], |(_, subject)| subject)
    }

    /// The keyUsage extension: `None` when absent, or an error text when malformed.
    pub(crate) fn key_usage(&self) -> Result<Option<x509_cert::ext::pkix::KeyUsage>, String> {
        self.parsed
            .tbs_certificate()
            .get_extension::<x509_cert::ext::pkix::KeyUsage>()
            .map(|found| found.map(|(_, usage)| usage))
            .map_err(|e| format!("malformed keyUsage: {e}"))
    }

    /// Tells whether basicConstraints marks the certificate as a CA.
    pub(crate) fn is_ca(&self) -> bool {
        matches!(
            self.parsed.tbs_certificate().get_extension::<x509_cert::ext::pkix::BasicConstraints>(),
            Ok(Some((_, constraints))) if constraints.ca
        )
    }

    /// Verifies this certificate's signature with `issuer`'s key: SM2-with-SM3 over the
    /// TBSCertificate as stored, with the default SM2 ID or, as OpenSSL 3 signs by default, an
    /// empty one. Verification reports the second as a finding.
    pub fn is_signed_by(&self, issuer: &Certificate) -> bool {
        self.signature_id(issuer).is_some()
    }

    /// Verifies this certificate's signature as [`Certificate::is_signed_by`] does and returns
    /// the SM2 ID that verified.
    pub(crate) fn signature_id(
        &self,
        issuer: &Certificate,
    ) -> Option<crate::crypto::CertificateSignatureId> {
        if self.parsed.signature_algorithm().oid != crate::asn1::OID_SM2_WITH_SM3 {
            return None;
        }
        let (Ok(key), Some(value)) = (issuer.public_key(), self.parsed.signature().as_bytes())
        else {
            return None;
        };
        let mut findings = Vec::new();
        match crate::crypto::SignatureValue::decode(
            value,
            "Certificate.signatureValue",
            0,
            &mut findings,
        ) {
            Ok(signature) => {
                crate::crypto::verify_certificate_signature(&key, self.tbs_bytes(), &signature)
            }
            Err(_) => None,
        }
    }
}

impl std::fmt::Debug for Certificate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Certificate")
            .field("subject", &self.subject())
            .field("serial", &self.serial_hex())
            .finish()
    }
}

impl PartialEq for Certificate {
    fn eq(&self, other: &Self) -> bool {
        self.der == other.der
    }
}

impl Eq for Certificate {}

/// Describes why `bytes`, which are not DER, could not be read as PEM: empty input and input
/// without a `-----BEGIN` line get their own message instead of the PEM decoder's.
pub(crate) fn pem_problem(bytes: &[u8], error: &der::pem::Error) -> String {
    let text = String::from_utf8_lossy(bytes);
    if text.trim().is_empty() {
        "the input is empty".to_owned()
    } else if !text.contains("-----BEGIN ") {
        format!(
            "neither DER (which starts with 0x30, not 0x{:02x}) nor PEM (no -----BEGIN line)",
            bytes[0]
        )
    } else {
        format!("not a valid PEM document: {error}")
    }
}
