//! The electronic signature (SES_Signature) of GB/T 38540-2020 (V4), GM/T 0031-2014 (V1) and V5.
//!
//! A [`Signature`] keeps its stored DER, so the signer's signature is checked over the TBS_Sign
//! exactly as stored.

mod decode;
pub(crate) mod encode;

use std::ops::Range;

use der::asn1::ObjectIdentifier;

use crate::cert::Certificate;
use crate::error::Result;
use crate::finding::Finding;
use crate::seal::{ExtData, Seal, Version};
use crate::time::Time;

/// SES_Signature: what was signed (TBS_Sign), the signer's certificate and signature.
///
/// ```text
/// SES_Signature ::= SEQUENCE {   -- V4 and V5
///   toSign TBS_Sign, cert OCTET STRING, signatureAlgID OBJECT IDENTIFIER,
///   signature BIT STRING, timeStamp [0] EXPLICIT BIT STRING OPTIONAL }
/// SES_Signature ::= SEQUENCE { toSign TBS_Sign, signature BIT STRING }   -- V1
/// ```
#[derive(Debug, Clone)]
pub struct Signature {
    /// The format version, detected from the structure and TBS_Sign.version.
    pub version: Version,
    /// `toSign`.
    pub tbs: TbsSign,
    /// `cert`: the signer's (签章者) certificate, DER as stored. In V1 it sits inside TBS_Sign.
    pub signer_cert: Vec<u8>,
    /// `signatureAlgID` (in V1, TBS_Sign.signatureAlgorithm).
    pub signature_algorithm: ObjectIdentifier,
    /// `signature`: the signer's signature value, the BIT STRING's octets.
    pub signature: Vec<u8>,
    /// `timeStamp`: the octets of the BIT STRING inside `[0]`, a GB/T 20520 time stamp token.
    pub time_stamp: Option<Vec<u8>>,
    stored: Stored,
}

#[derive(Debug, Clone)]
struct Stored {
    der: Vec<u8>,
    tbs: Range<usize>,
    /// The end offset of the eseal element in `der`.
    seal_end: usize,
    signature_offset: usize,
    findings: Vec<Finding>,
}

/// TBS_Sign: the seal, the signing time, the digest of the signed data and properties.
///
/// ```text
/// TBS_Sign ::= SEQUENCE {    -- V4 and V5
///   version INTEGER, eseal SESeal, timeInfo GeneralizedTime, dataHash BIT STRING,
///   propertyInfo IA5String, extDatas [0] EXPLICIT ExtensionDatas OPTIONAL }
/// TBS_Sign ::= SEQUENCE {    -- V1
///   version INTEGER, eseal SESeal, timeInfo BIT STRING, dataHash BIT STRING,
///   propertyInfo IA5String, cert OCTET STRING, signatureAlgorithm OBJECT IDENTIFIER }
/// ```
#[derive(Debug, Clone)]
pub struct TbsSign {
    /// `version`.
    pub version: i64,
    /// `eseal`: the seal used, with its own stored bytes.
    pub seal: Seal,
    /// `timeInfo`: the signing time claimed by the signer.
    pub time_info: Time,
    /// `dataHash`: SM3 of the signed data.
    pub data_hash: Vec<u8>,
    /// `propertyInfo`: for OFD, the path of Signature.xml; free text elsewhere.
    pub property_info: String,
    /// `extDatas` (V4 and V5 only).
    pub ext_datas: Option<Vec<ExtData>>,
}

impl Signature {
    /// Decodes a SES_Signature from DER, tolerating what real producers write. Every tolerance,
    /// the nested seal's included, is listed in [`Signature::findings`].
    pub fn from_der(der: &[u8]) -> Result<Self> {
        Ok(decode::decode_signature(der)?)
    }

    /// The bytes this signature was decoded from.
    pub fn as_der(&self) -> &[u8] {
        &self.stored.der
    }

    /// Encodes the signature's values as canonical DER; the nested seal is written as stored.
    pub fn to_der(&self) -> Result<Vec<u8>> {
        encode::encode_signature(self)
    }

    /// The TBS_Sign element exactly as stored: the message the signer signed.
    pub fn signed_message(&self) -> &[u8] {
        &self.stored.der[self.stored.tbs.clone()]
    }

    /// The tolerances applied while decoding, the nested seal's first.
    pub fn findings(&self) -> &[Finding] {
        &self.stored.findings
    }

    pub(crate) fn signature_offset(&self) -> usize {
        self.stored.signature_offset
    }

    /// The length of the part of [`Signature::signed_message`] that ends with the seal: the
    /// TBS_Sign header, version and eseal. It is the same for every signature that a batch
    /// makes with one seal, which lets a cache keep the SM3 state after it.
    pub(crate) fn seal_end_in_message(&self) -> usize {
        let end = self.stored.seal_end - self.stored.tbs.start;
        debug_assert!(self.signed_message()[..end].ends_with(self.seal().as_der()));
        end
    }

    /// The signer's certificate, parsed.
    pub fn signer_certificate(&self) -> Result<Certificate> {
        Certificate::from_der(&self.signer_cert)
    }

    /// The seal used.
    pub fn seal(&self) -> &Seal {
        &self.tbs.seal
    }
}
