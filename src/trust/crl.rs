//! X.509 certificate revocation lists signed with SM2.

use der::Decode;
use x509_cert::crl::CertificateList;

use crate::asn1::{OID_SM2_WITH_SM3, sequence};
use crate::cert::Certificate;
use crate::cert::issue::x509_time;
use crate::crypto::{
    CertificateSignatureId, DEFAULT_SM2_ID, PrivateKey, SignatureValue,
    verify_certificate_signature,
};
use crate::error::{Error, Result};
use crate::seal::encode::{bits, integer, oid};
use crate::time::Time;

/// A certificate revocation list, keeping the bytes it was read from.
#[derive(Debug, Clone)]
pub struct Crl {
    der: Vec<u8>,
    parsed: CertificateList,
}

impl Crl {
    /// Reads a DER CRL.
    pub fn from_der(der: &[u8]) -> Result<Self> {
        let parsed = CertificateList::from_der(der)
            .map_err(|e| Error::Crl(format!("not a DER X.509 CRL: {e}")))?;
        Ok(Self {
            der: der.to_vec(),
            parsed,
        })
    }

    /// Reads a CRL from PEM (`X509 CRL`) or DER bytes.
    pub fn from_pem_or_der(bytes: &[u8]) -> Result<Self> {
        if bytes.first() == Some(&0x30) {
            return Self::from_der(bytes);
        }
        let (label, der) = der::pem::decode_vec(bytes)
            .map_err(|e| Error::Crl(crate::cert::pem_problem(bytes, &e)))?;
        if label != "X509 CRL" {
            return Err(Error::Crl(format!(
                "the PEM label is {label:?}, expected \"X509 CRL\""
            )));
        }
        Self::from_der(&der)
    }

    /// The DER bytes as read.
    pub fn as_der(&self) -> &[u8] {
        &self.der
    }

    /// The TBSCertList as stored, and the issuer Name within it.
    fn stored_parts(&self) -> Option<(&[u8], &[u8])> {
        use crate::asn1::reader::Reader;

        let tbs = Reader::new(&self.der, "CertificateList")
            .read_any("CertificateList")
            .ok()?
            .reader("CertificateList", 0)
            .ok()?
            .read_any("tbsCertList")
            .ok()?;
        let mut fields = tbs.reader("TBSCertList", 0).ok()?;
        if fields.peek_tag() == Some(crate::asn1::TAG_INTEGER) {
            fields.read_any("version").ok()?;
        }
        fields.read_any("signature").ok()?;
        let issuer = fields.read_any("issuer").ok()?;
        Some((tbs.raw, issuer.raw))
    }

    /// The DER of the issuer Name as stored.
    pub fn issuer_der(&self) -> &[u8] {
        self.stored_parts().map_or(&[], |(_, issuer)| issuer)
    }

    /// thisUpdate.
    pub fn this_update(&self) -> Time {
        Time::from_unix_seconds(
            self.parsed
                .tbs_cert_list
                .this_update
                .to_unix_duration()
                .as_secs(),
        )
    }

    /// nextUpdate, when present.
    pub fn next_update(&self) -> Option<Time> {
        self.parsed
            .tbs_cert_list
            .next_update
            .map(|t| Time::from_unix_seconds(t.to_unix_duration().as_secs()))
    }

    /// Verifies the CRL's SM2-with-SM3 signature with `issuer`'s key, over the TBSCertList as
    /// stored, with the default SM2 ID or, as OpenSSL 3 signs by default, an empty one.
    /// Verification reports the second as a finding.
    pub fn is_signed_by(&self, issuer: &Certificate) -> bool {
        self.signature_id(issuer).is_some()
    }

    /// Verifies the CRL's signature as [`Crl::is_signed_by`] does and returns the SM2 ID that
    /// verified.
    pub(crate) fn signature_id(&self, issuer: &Certificate) -> Option<CertificateSignatureId> {
        if self.parsed.signature_algorithm.oid != OID_SM2_WITH_SM3
            || self.issuer_der() != issuer.subject_der()
        {
            return None;
        }
        let (Some((tbs, _)), Ok(key), Some(value)) = (
            self.stored_parts(),
            issuer.public_key(),
            self.parsed.signature.as_bytes(),
        ) else {
            return None;
        };
        let mut findings = Vec::new();
        match SignatureValue::decode(value, "CertificateList.signature", 0, &mut findings) {
            Ok(signature) => verify_certificate_signature(&key, tbs, &signature),
            Err(_) => None,
        }
    }

    /// When `cert` was revoked according to this CRL, if it is listed.
    pub fn revocation_of(&self, cert: &Certificate) -> Option<Time> {
        let serial = cert.x509().tbs_certificate().serial_number().as_bytes();
        self.parsed
            .tbs_cert_list
            .revoked_certificates
            .as_ref()?
            .iter()
            .find(|entry| entry.serial_number.as_bytes() == serial)
            .map(|entry| {
                Time::from_unix_seconds(entry.revocation_date.to_unix_duration().as_secs())
            })
    }
}

/// Builds and signs a CRL with SM2, for a test CA or a small seal system's CA.
#[derive(Debug)]
pub struct CrlBuilder<'a> {
    issuer: &'a Certificate,
    key: &'a PrivateKey,
    revoked: Vec<(Vec<u8>, Time)>,
}

impl<'a> CrlBuilder<'a> {
    /// Starts a CRL of `issuer`, signed with its `key`.
    pub fn new(issuer: &'a Certificate, key: &'a PrivateKey) -> Self {
        Self {
            issuer,
            key,
            revoked: Vec::new(),
        }
    }

    /// Lists `cert` as revoked at `at`.
    pub fn revoke(mut self, cert: &Certificate, at: Time) -> Self {
        let serial = cert
            .x509()
            .tbs_certificate()
            .serial_number()
            .as_bytes()
            .to_vec();
        self.revoked.push((serial, at));
        self
    }

    /// Signs the CRL.
    pub fn sign(self, this_update: Time, next_update: Option<Time>) -> Result<Crl> {
        if self.issuer.public_key()? != *self.key.public_key() {
            return Err(Error::Key(
                "the key does not belong to the CRL issuer's certificate",
            ));
        }
        let algorithm = sequence(&oid(&OID_SM2_WITH_SM3, "signature")?);
        let mut tbs = integer(1, "version")?;
        tbs.extend(&algorithm);
        tbs.extend_from_slice(self.issuer.subject_der());
        tbs.extend(x509_time(this_update)?);
        if let Some(next) = next_update {
            tbs.extend(x509_time(next)?);
        }
        if !self.revoked.is_empty() {
            let mut entries = Vec::new();
            for (serial, at) in &self.revoked {
                let mut entry = vec![0x02];
                crate::asn1::push_length(&mut entry, serial.len());
                entry.extend(serial);
                entry.extend(x509_time(*at)?);
                entries.extend(sequence(&entry));
            }
            tbs.extend(sequence(&entries));
        }
        let tbs = sequence(&tbs);
        let signature = self.key.sign(DEFAULT_SM2_ID, &tbs)?.to_der();
        let mut list = tbs;
        list.extend(&algorithm);
        list.extend(bits(&signature, "signature")?);
        Crl::from_der(&sequence(&list))
    }
}
