//! Seal revocation lists: the seal system's signed list of cancelled (注销) seals.
//!
//! ```text
//! SealRevocationList ::= SEQUENCE {
//!   tbsList            TBSSealRevocationList,
//!   signerCert         OCTET STRING,          -- DER certificate of the list's signer
//!   signatureAlgorithm OBJECT IDENTIFIER,     -- 1.2.156.10197.1.501 SM2-with-SM3
//!   signature          BIT STRING }           -- over TBSSealRevocationList as stored
//! TBSSealRevocationList ::= SEQUENCE {
//!   version      INTEGER (1),
//!   issuerName   UTF8String,                  -- the seal system
//!   thisUpdate   GeneralizedTime,
//!   nextUpdate   GeneralizedTime OPTIONAL,
//!   revokedSeals SEQUENCE OF RevokedSeal }
//! RevokedSeal ::= SEQUENCE {
//!   esID IA5String, revocationDate GeneralizedTime, reason UTF8String OPTIONAL }
//! ```
//!
//! docs/seal-revocation.md describes the format and its use.

use crate::asn1::reader::Reader;
use crate::asn1::{self, Ctx, OID_SM2_WITH_SM3, sequence};
use crate::cert::Certificate;
use crate::crypto::{DEFAULT_SM2_ID, PrivateKey, SignatureValue};
use crate::error::{Error, ParseError, Result};
use crate::seal::Version;
use crate::seal::encode::{bits, encode_time, ia5, integer, octets, oid, utf8};
use crate::time::Time;

/// The PEM label of a seal revocation list.
pub const PEM_LABEL: &str = "ESEAL REVOCATION LIST";
const STRUCTURE: &str = "SealRevocationList";

/// One cancelled seal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevokedSeal {
    /// The seal's esID.
    pub es_id: String,
    /// When it was cancelled; signatures made before stay valid.
    pub revoked_at: Time,
    /// Why, when given.
    pub reason: Option<String>,
}

/// A decoded seal revocation list, keeping its stored bytes.
#[derive(Debug, Clone)]
pub struct SealRevocationList {
    der: Vec<u8>,
    tbs: std::ops::Range<usize>,
    /// The seal system that issued the list.
    pub issuer_name: String,
    /// thisUpdate.
    pub this_update: Time,
    /// nextUpdate, when present.
    pub next_update: Option<Time>,
    /// The cancelled seals.
    pub revoked: Vec<RevokedSeal>,
    signer_cert: Vec<u8>,
    signature: Vec<u8>,
}

impl SealRevocationList {
    /// Reads a list from DER or PEM (`ESEAL REVOCATION LIST`).
    pub fn from_pem_or_der(bytes: &[u8]) -> Result<Self> {
        if bytes.first() == Some(&0x30) {
            return Self::from_der(bytes);
        }
        let (label, der) = der::pem::decode_vec(bytes)
            .map_err(|e| Error::SealRevocationList(crate::cert::pem_problem(bytes, &e)))?;
        if label != PEM_LABEL {
            return Err(Error::SealRevocationList(format!(
                "the PEM label is {label:?}, expected {PEM_LABEL:?}"
            )));
        }
        Self::from_der(&der)
    }

    /// Reads a DER list.
    pub fn from_der(der: &[u8]) -> Result<Self> {
        Ok(decode(der)?)
    }

    /// The DER bytes as read.
    pub fn as_der(&self) -> &[u8] {
        &self.der
    }

    /// The PEM text of the list.
    pub fn to_pem(&self) -> String {
        der::pem::encode_string(PEM_LABEL, der::pem::LineEnding::LF, &self.der).unwrap_or_default()
    }

    /// The certificate of the list's signer.
    pub fn signer_certificate(&self) -> Result<Certificate> {
        Certificate::from_der(&self.signer_cert)
    }

    /// Verifies the list's SM2 signature with its signer certificate, and, when a trust store
    /// is given, that certificate's path to a root at thisUpdate.
    pub fn verify(&self, store: Option<&super::TrustStore>) -> std::result::Result<(), String> {
        let cert = self.signer_certificate().map_err(|e| e.to_string())?;
        let key = cert.public_key().map_err(|e| e.to_string())?;
        let mut findings = Vec::new();
        let value = SignatureValue::decode(
            &self.signature,
            "SealRevocationList.signature",
            0,
            &mut findings,
        )?;
        if !key.verify(DEFAULT_SM2_ID, &self.der[self.tbs.clone()], &value) {
            return Err("the list's signature does not verify with its signer certificate".into());
        }
        if !cert.is_valid_at(self.this_update) {
            return Err(format!(
                "the list's signer certificate is not valid at thisUpdate {}",
                self.this_update
            ));
        }
        if let Some(store) = store {
            super::validate_chain(&cert, self.this_update, store)
                .map_err(|e| format!("the list's signer is not trusted: {e}"))?;
        }
        Ok(())
    }

    /// When the seal `es_id` was cancelled, if the list names it.
    pub fn revocation_of(&self, es_id: &str) -> Option<&RevokedSeal> {
        self.revoked.iter().find(|r| r.es_id == es_id)
    }
}

fn decode(der: &[u8]) -> std::result::Result<SealRevocationList, ParseError> {
    let mut findings = Vec::new();
    let mut ctx = Ctx {
        findings: &mut findings,
    };
    let mut top = Reader::new(der, STRUCTURE);
    let outer = top.read(asn1::TAG_SEQUENCE, "")?;
    top.finish("")?;
    let mut fields = outer.reader(STRUCTURE, 0)?;
    let tbs = fields.read(asn1::TAG_SEQUENCE, "tbsList")?;
    let cert = fields.read(asn1::TAG_OCTET_STRING, "signerCert")?;
    let algorithm = fields.read(asn1::TAG_OID, "signatureAlgorithm")?;
    let signature = fields.read(asn1::TAG_BIT_STRING, "signature")?;
    fields.finish("signature")?;
    if asn1::oid(&algorithm, STRUCTURE, "signatureAlgorithm")? != OID_SM2_WITH_SM3 {
        return Err(algorithm.invalid(STRUCTURE, "signatureAlgorithm", "not SM2-with-SM3"));
    }
    let signature = asn1::bit_string(&signature, STRUCTURE, "signature", &mut ctx)?.to_vec();

    let mut list = tbs.reader("TBSSealRevocationList", fields.depth())?;
    let version = list.read(asn1::TAG_INTEGER, "version")?;
    if asn1::integer(&version, "TBSSealRevocationList", "version", &mut ctx)? != 1 {
        return Err(version.invalid(
            "TBSSealRevocationList",
            "version",
            "only version 1 is defined",
        ));
    }
    let issuer = list.read(asn1::TAG_UTF8_STRING, "issuerName")?;
    let issuer_name = asn1::utf8_string(&issuer, "TBSSealRevocationList", "issuerName", &mut ctx)?;
    let this_update_tlv = list.read_any("thisUpdate")?;
    let (this_update, _) = Time::decode(
        &this_update_tlv,
        "TBSSealRevocationList",
        "thisUpdate",
        ctx.findings,
    )?;
    let next_update = if list.peek_tag() == Some(0x18) {
        let tlv = list.read_any("nextUpdate")?;
        Some(Time::decode(&tlv, "TBSSealRevocationList", "nextUpdate", ctx.findings)?.0)
    } else {
        None
    };
    let entries = list.read(asn1::TAG_SEQUENCE, "revokedSeals")?;
    list.finish("revokedSeals")?;
    let mut revoked = Vec::new();
    let mut entry_reader = entries.reader("revokedSeals", list.depth())?;
    while !entry_reader.is_empty() {
        let entry = entry_reader.read(asn1::TAG_SEQUENCE, "RevokedSeal")?;
        let mut parts = entry.reader("RevokedSeal", entry_reader.depth())?;
        let es_id = parts.read(asn1::TAG_IA5_STRING, "esID")?;
        let date = parts.read_any("revocationDate")?;
        let reason = parts.read_optional(asn1::TAG_UTF8_STRING, "reason")?;
        parts.finish("reason")?;
        revoked.push(RevokedSeal {
            es_id: asn1::ia5_string(&es_id, "RevokedSeal", "esID", &mut ctx)?,
            revoked_at: Time::decode(&date, "RevokedSeal", "revocationDate", ctx.findings)?.0,
            reason: reason
                .map(|r| asn1::utf8_string(&r, "RevokedSeal", "reason", &mut ctx))
                .transpose()?,
        });
    }
    Ok(SealRevocationList {
        der: der.to_vec(),
        tbs: tbs.offset..tbs.offset + tbs.raw.len(),
        issuer_name,
        this_update,
        next_update,
        revoked,
        signer_cert: cert.value.to_vec(),
        signature,
    })
}

/// Builds and signs a seal revocation list.
#[derive(Debug)]
pub struct SealRevocationListBuilder<'a> {
    issuer_name: String,
    cert: &'a Certificate,
    key: &'a PrivateKey,
    revoked: Vec<RevokedSeal>,
}

impl<'a> SealRevocationListBuilder<'a> {
    /// Starts a list issued by the seal system `issuer_name`, signed with `key`, whose
    /// certificate `cert` is embedded.
    pub fn new(issuer_name: impl Into<String>, cert: &'a Certificate, key: &'a PrivateKey) -> Self {
        Self {
            issuer_name: issuer_name.into(),
            cert,
            key,
            revoked: Vec::new(),
        }
    }

    /// Lists the seal `es_id` as cancelled at `at`.
    pub fn revoke(mut self, es_id: impl Into<String>, at: Time, reason: Option<String>) -> Self {
        self.revoked.push(RevokedSeal {
            es_id: es_id.into(),
            revoked_at: at,
            reason,
        });
        self
    }

    /// Signs the list.
    pub fn sign(self, this_update: Time, next_update: Option<Time>) -> Result<SealRevocationList> {
        if self.cert.public_key()? != *self.key.public_key() {
            return Err(Error::SigningRefused(
                crate::error::RefusalReason::KeyCertificateMismatch,
            ));
        }
        let mut tbs = integer(1, "version")?;
        tbs.extend(utf8(&self.issuer_name, "issuerName")?);
        tbs.extend(encode_time(this_update, Version::V4, "thisUpdate")?);
        if let Some(next) = next_update {
            tbs.extend(encode_time(next, Version::V4, "nextUpdate")?);
        }
        let mut entries = Vec::new();
        for seal in &self.revoked {
            let mut entry = ia5(&seal.es_id, "esID")?;
            entry.extend(encode_time(seal.revoked_at, Version::V4, "revocationDate")?);
            if let Some(reason) = &seal.reason {
                entry.extend(utf8(reason, "reason")?);
            }
            entries.extend(sequence(&entry));
        }
        tbs.extend(sequence(&entries));
        let tbs = sequence(&tbs);
        let signature = self.key.sign(DEFAULT_SM2_ID, &tbs)?.to_der();
        let mut list = tbs;
        list.extend(octets(self.cert.as_der(), "signerCert")?);
        list.extend(oid(&OID_SM2_WITH_SM3, "signatureAlgorithm")?);
        list.extend(bits(&signature, "signature")?);
        SealRevocationList::from_der(&sequence(&list))
    }
}
