//! Issuing SM2 certificates, for test authorities and throw-away demo PKIs.
//!
//! The certificates follow RFC 5280 with GM/T 0015 algorithms: SM2-with-SM3 signatures over the
//! TBSCertificate with the default SM2 ID, id-ecPublicKey keys on the SM2 curve.

use std::str::FromStr;
use std::time::Duration;

use der::Encode;
use der::asn1::{GeneralizedTime, ObjectIdentifier, UtcTime};
use x509_cert::name::Name;

use super::Certificate;
use crate::asn1::{OID_SM2_CURVE, OID_SM2_WITH_SM3, push_length, sequence};
use crate::crypto::{DEFAULT_SM2_ID, PrivateKey, PublicKey, sm3};
use crate::error::{Error, Result};
use crate::seal::encode::{bits, integer, octets, oid};
use crate::time::Time;

const OID_EC_PUBLIC_KEY: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
const OID_SUBJECT_KEY_ID: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.14");
const OID_KEY_USAGE: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.15");
const OID_BASIC_CONSTRAINTS: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.19");
const OID_AUTHORITY_KEY_ID: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.35");

/// Builds an X.509 v3 certificate for an SM2 key.
#[derive(Debug, Clone)]
pub struct CertificateBuilder {
    subject: String,
    serial: u64,
    not_before: Time,
    not_after: Time,
    ca: bool,
    key_usage: bool,
}

impl CertificateBuilder {
    /// Starts a certificate for the subject, an RFC 4514 string such as `CN=Seal maker,O=Example University,C=CN`.
    pub fn new(subject: impl Into<String>, serial: u64, not_before: Time, not_after: Time) -> Self {
        Self {
            subject: subject.into(),
            serial,
            not_before,
            not_after,
            ca: false,
            key_usage: true,
        }
    }

    /// Makes a CA certificate (basicConstraints cA, keyUsage keyCertSign and cRLSign). Otherwise
    /// the certificate is an end-entity one with keyUsage digitalSignature and nonRepudiation.
    pub fn ca(mut self, ca: bool) -> Self {
        self.ca = ca;
        self
    }

    /// Leaves out the keyUsage extension, as some old certificates do (verification with a
    /// trust store then fails the key usage check).
    pub fn without_key_usage(mut self) -> Self {
        self.key_usage = false;
        self
    }

    /// Signs a certificate for `subject_key` with the issuer's key and certificate, or
    /// self-signed with `subject_key`'s own private key when `issuer` is `None`.
    pub fn sign(
        &self,
        subject_key: &PublicKey,
        issuer: Option<(&Certificate, &PrivateKey)>,
        self_key: Option<&PrivateKey>,
    ) -> Result<Certificate> {
        let subject = Name::from_str(&self.subject)
            .map_err(|e| Error::Certificate(format!("invalid subject {:?}: {e}", self.subject)))?;
        let subject_der = subject
            .to_der()
            .map_err(|e| Error::Certificate(e.to_string()))?;
        let (issuer_der, issuer_public, signing_key) = match issuer {
            Some((cert, key)) => {
                let name = cert
                    .x509()
                    .tbs_certificate()
                    .subject()
                    .to_der()
                    .map_err(|e| Error::Certificate(e.to_string()))?;
                (name, cert.public_key()?, key)
            }
            None => {
                let key = self_key.ok_or(Error::Key(
                    "a self-signed certificate needs the subject's private key",
                ))?;
                (subject_der.clone(), key.public_key().clone(), key)
            }
        };
        if signing_key.public_key() != &issuer_public {
            return Err(Error::Key(
                "the issuer's key does not belong to the issuer's certificate",
            ));
        }

        let algorithm = sequence(&oid(&OID_SM2_WITH_SM3, "signature")?);
        let mut tbs = explicit(0, &integer(2, "version")?);
        tbs.extend(unsigned_integer(self.serial));
        tbs.extend(&algorithm);
        tbs.extend(&issuer_der);
        let mut validity = x509_time(self.not_before)?;
        validity.extend(x509_time(self.not_after)?);
        tbs.extend(sequence(&validity));
        tbs.extend(&subject_der);
        tbs.extend(spki(subject_key)?);
        tbs.extend(explicit(
            3,
            &sequence(&self.extensions(subject_key, &issuer_public)?),
        ));
        let tbs = sequence(&tbs);

        let signature = signing_key.sign(DEFAULT_SM2_ID, &tbs)?.to_der();
        let mut cert = tbs;
        cert.extend(&algorithm);
        cert.extend(bits(&signature, "signatureValue")?);
        Certificate::from_der(&sequence(&cert))
    }

    fn extensions(&self, subject_key: &PublicKey, issuer_key: &PublicKey) -> Result<Vec<u8>> {
        let mut out = Vec::new();
        let basic = if self.ca {
            sequence(&[0x01, 0x01, 0xff])
        } else {
            sequence(&[])
        };
        out.extend(extension(OID_BASIC_CONSTRAINTS, true, &basic)?);
        // DER named bit lists drop trailing zero bits: digitalSignature(0) and
        // nonRepudiation(1) leave 6 unused bits; keyCertSign(5) and cRLSign(6) leave 1.
        let usage: &[u8] = if self.ca {
            &[0x03, 0x02, 0x01, 0x06]
        } else {
            &[0x03, 0x02, 0x06, 0xc0]
        };
        if self.key_usage {
            out.extend(extension(OID_KEY_USAGE, true, usage)?);
        }
        out.extend(extension(
            OID_SUBJECT_KEY_ID,
            false,
            &octets(&key_id(subject_key), "keyIdentifier")?,
        )?);
        let mut aki = vec![0x80];
        let id = key_id(issuer_key);
        push_length(&mut aki, id.len());
        aki.extend(id);
        out.extend(extension(OID_AUTHORITY_KEY_ID, false, &sequence(&aki))?);
        Ok(out)
    }
}

/// A key identifier: the first 20 bytes of SM3 over the public key point (RFC 7093 method 1 style).
fn key_id(key: &PublicKey) -> Vec<u8> {
    sm3(&key.to_sec1_bytes())[..20].to_vec()
}

fn extension(id: ObjectIdentifier, critical: bool, value: &[u8]) -> Result<Vec<u8>> {
    let mut contents = oid(&id, "extnID")?;
    if critical {
        contents.extend([0x01, 0x01, 0xff]);
    }
    contents.extend(octets(value, "extnValue")?);
    Ok(sequence(&contents))
}

fn spki(key: &PublicKey) -> Result<Vec<u8>> {
    let mut algorithm = oid(&OID_EC_PUBLIC_KEY, "algorithm")?;
    algorithm.extend(oid(&OID_SM2_CURVE, "parameters")?);
    let mut contents = sequence(&algorithm);
    contents.extend(bits(&key.to_sec1_bytes(), "subjectPublicKey")?);
    Ok(sequence(&contents))
}

fn explicit(number: u8, contents: &[u8]) -> Vec<u8> {
    let mut out = vec![0xa0 | number];
    push_length(&mut out, contents.len());
    out.extend_from_slice(contents);
    out
}

fn unsigned_integer(value: u64) -> Vec<u8> {
    let bytes = value.max(1).to_be_bytes();
    let skip = bytes.iter().take_while(|&&b| b == 0).count();
    let mut digits = Vec::new();
    if bytes[skip] & 0x80 != 0 {
        digits.push(0);
    }
    digits.extend_from_slice(&bytes[skip..]);
    let mut out = vec![0x02];
    push_length(&mut out, digits.len());
    out.extend(digits);
    out
}

/// RFC 5280: UTCTime through 2049, GeneralizedTime from 2050.
pub(crate) fn x509_time(time: Time) -> Result<Vec<u8>> {
    let duration = Duration::from_secs(time.unix_seconds());
    let encoded = if time < Time::from_utc(2050, 1, 1, 0, 0, 0).unwrap_or(time) {
        UtcTime::from_unix_duration(duration).and_then(|t| t.to_der())
    } else {
        GeneralizedTime::from_unix_duration(duration).and_then(|t| t.to_der())
    };
    encoded.map_err(|e| Error::Certificate(format!("invalid validity time {time}: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issued_chain_verifies() {
        let start = Time::from_utc(2025, 1, 1, 0, 0, 0).unwrap();
        let end = Time::from_utc(2030, 1, 1, 0, 0, 0).unwrap();
        let ca_key = PrivateKey::generate().unwrap();
        let ca = CertificateBuilder::new("CN=Test CA,C=CN", 1, start, end)
            .ca(true)
            .sign(ca_key.public_key(), None, Some(&ca_key))
            .unwrap();
        let user_key = PrivateKey::generate().unwrap();
        let user = CertificateBuilder::new("CN=测试用户,O=Example,C=CN", 2, start, end)
            .sign(user_key.public_key(), Some((&ca, &ca_key)), None)
            .unwrap();
        assert_eq!(user.issuer(), ca.subject());
        assert_eq!(user.public_key().unwrap(), *user_key.public_key());
        // The certificate's signature verifies with the CA key over the stored TBSCertificate.
        let tbs = user.tbs_bytes();
        let mut findings = Vec::new();
        let value = crate::crypto::SignatureValue::decode(
            user.x509().signature().raw_bytes(),
            "cert",
            0,
            &mut findings,
        )
        .unwrap();
        assert!(ca_key.public_key().verify(DEFAULT_SM2_ID, tbs, &value));
        assert!(!user_key.public_key().verify(DEFAULT_SM2_ID, tbs, &value));
    }

    #[test]
    fn wrong_issuer_key_is_rejected() {
        let start = Time::from_utc(2025, 1, 1, 0, 0, 0).unwrap();
        let ca_key = PrivateKey::generate().unwrap();
        let ca = CertificateBuilder::new("CN=Test CA", 1, start, start)
            .ca(true)
            .sign(ca_key.public_key(), None, Some(&ca_key))
            .unwrap();
        let other = PrivateKey::generate().unwrap();
        let error = CertificateBuilder::new("CN=User", 2, start, start).sign(
            other.public_key(),
            Some((&ca, &other)),
            None,
        );
        assert!(error.is_err());
    }
}
