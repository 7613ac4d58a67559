//! The electronic seal (SESeal) of GB/T 38540-2020 (V4), GM/T 0031-2014 (V1) and the V5 form.
//!
//! A [`Seal`] is decoded from its stored DER and keeps those bytes, so that the maker signature is
//! always checked over exactly what was stored. [`SealBuilder`] makes new seals.

mod builder;
pub(crate) mod decode;
pub(crate) mod encode;
mod picture;

use std::borrow::Cow;
use std::ops::Range;

use der::asn1::ObjectIdentifier;

pub use builder::{MAX_PICTURE_BYTES, SealBuilder};
pub use picture::PictureFormat;

use crate::asn1;
use crate::cert::Certificate;
use crate::crypto::sm3;
use crate::error::Result;
use crate::finding::Finding;
use crate::time::Time;

/// The format version of a seal or signature, detected from its structure first and from the
/// header's version number second.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Version {
    /// GM/T 0031-2014: SESeal is `SEQUENCE { esealInfo, signInfo }`, dates are UTCTime.
    V1,
    /// GB/T 38540-2020: SESeal is `SEQUENCE { eSealInfo, cert, signAlgID, signedValue }`.
    V4,
    /// The V5 form: like V4, with header version 5 and an optional `[0]` time stamp.
    V5,
}

impl Version {
    /// The header version number written for this version.
    pub fn number(self) -> u8 {
        match self {
            Self::V1 => 1,
            Self::V4 => 4,
            Self::V5 => 5,
        }
    }
}

/// SESeal: the seal information, the maker's certificate and the maker's signature over it.
///
/// ```text
/// SESeal ::= SEQUENCE {            -- V4 and V5
///   eSealInfo SES_SealInfo, cert OCTET STRING, signAlgID OBJECT IDENTIFIER,
///   signedValue BIT STRING, timeStamp [0] EXPLICIT BIT STRING OPTIONAL -- V5 only }
/// SESeal ::= SEQUENCE {            -- V1
///   esealInfo SES_SealInfo,
///   signInfo SEQUENCE { cert OCTET STRING, signatureAlgorithm OBJECT IDENTIFIER, signData BIT STRING } }
/// ```
#[derive(Debug, Clone)]
pub struct Seal {
    /// The format version, detected from the structure.
    pub version: Version,
    /// `eSealInfo`: everything the maker signs.
    pub info: SealInfo,
    /// `cert`: the maker's (制章者) certificate, DER as stored.
    pub maker_cert: Vec<u8>,
    /// `signAlgID` (V1: `signatureAlgorithm`).
    pub signature_algorithm: ObjectIdentifier,
    /// `signedValue` (V1: `signData`): the maker's signature value, the BIT STRING's octets.
    pub signed_value: Vec<u8>,
    /// V5 `timeStamp`: the octets of the BIT STRING inside `[0]`.
    pub time_stamp: Option<Vec<u8>>,
    stored: Stored,
}

/// The stored bytes of a decoded seal and the positions of its signed parts.
#[derive(Debug, Clone)]
struct Stored {
    der: Vec<u8>,
    /// V4/V5: the SES_SealInfo TLV. V1: SES_SealInfo, cert and signatureAlgorithm TLVs, which
    /// the maker signs wrapped in a new SEQUENCE.
    signed_parts: Vec<Range<usize>>,
    signed_value_offset: usize,
    findings: Vec<Finding>,
}

/// SES_SealInfo: header, seal code, properties, picture and extensions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SealInfo {
    /// `header`.
    pub header: Header,
    /// `esID`: the seal code.
    pub es_id: String,
    /// `property`.
    pub property: PropertyInfo,
    /// `picture`.
    pub picture: PictureInfo,
    /// `extDatas`.
    pub ext_datas: Option<Vec<ExtData>>,
}

/// SES_Header ::= SEQUENCE { ID IA5String, version INTEGER, Vid IA5String }
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    /// `ID`: always "ES".
    pub id: String,
    /// `version`: 1, 4 or 5.
    pub version: i64,
    /// `Vid`: the vendor identifier.
    pub vid: String,
}

/// SES_ESPropertyInfo: type, name, authorised signers, and dates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PropertyInfo {
    /// `type`: 1 unit seal (单位印章), 2 personal seal (个人印章); V4 producers also write
    /// business-defined values.
    pub seal_type: i64,
    /// `name`.
    pub name: String,
    /// `certListType` (V4/V5): 1 certificates, 2 certificate digests. `None` in V1.
    pub cert_list_type: Option<i64>,
    /// `certList`: the certificates of the people allowed to sign with this seal.
    pub cert_list: CertList,
    /// `createDate`.
    pub create_date: Time,
    /// `validStart`.
    pub valid_start: Time,
    /// `validEnd`.
    pub valid_end: Time,
}

/// SES_CertList ::= CHOICE { certs CertInfoList, certDigestList CertDigestList }
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CertList {
    /// `certs`: DER X.509 certificates.
    Certs(Vec<Vec<u8>>),
    /// `certDigestList`: digests of the certificates.
    Digests(Vec<CertDigest>),
}

/// CertDigestObj ::= SEQUENCE { type PrintableString, value OCTET STRING }
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertDigest {
    /// `type`: the digest algorithm's name, such as "SM3".
    pub algorithm: String,
    /// `value`: the digest of the certificate's DER.
    pub value: Vec<u8>,
}

impl CertList {
    /// Tells whether the list contains `cert`: the same bytes for certificates, the same digest
    /// for digests. Digests named other than SM3 are compared with SM3 only if they are
    /// 32 bytes long, because eseal computes no other digest.
    pub fn contains(&self, cert: &[u8]) -> bool {
        match self {
            Self::Certs(certs) => certs.iter().any(|c| c.as_slice() == cert),
            Self::Digests(digests) => {
                let digest = sm3(cert);
                digests
                    .iter()
                    .any(|d| is_sm3_name(&d.algorithm) && d.value == digest)
            }
        }
    }

    /// The number of entries.
    pub fn len(&self) -> usize {
        match self {
            Self::Certs(certs) => certs.len(),
            Self::Digests(digests) => digests.len(),
        }
    }

    /// Tells whether the list has no entry.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

fn is_sm3_name(name: &str) -> bool {
    name.eq_ignore_ascii_case("sm3") || name == "1.2.156.10197.1.401"
}

/// SES_ESPictrueInfo ::= SEQUENCE { type IA5String, data OCTET STRING, width INTEGER, height INTEGER }
/// (the standard spells it "Pictrue").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PictureInfo {
    /// `type`: "PNG", "JPG", "GIF", "BMP", "SVG" or "OFD" (producers also write lower case).
    pub picture_type: String,
    /// `data`: the picture bytes.
    pub data: Vec<u8>,
    /// `width` in millimetres.
    pub width: i64,
    /// `height` in millimetres.
    pub height: i64,
}

/// ExtData ::= SEQUENCE { extnID OBJECT IDENTIFIER, critical BOOLEAN DEFAULT FALSE, extnValue OCTET STRING }
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExtData {
    /// `extnID`.
    pub id: ObjectIdentifier,
    /// `critical`.
    pub critical: bool,
    /// `extnValue`.
    pub value: Vec<u8>,
}

impl Seal {
    /// Decodes a seal from its DER, tolerating what real producers write. Every tolerance is
    /// listed in [`Seal::findings`].
    pub fn from_der(der: &[u8]) -> Result<Self> {
        Ok(decode::decode_seal(der, 0)?)
    }

    /// The bytes this seal was decoded from (for a built seal, the bytes it was written as).
    pub fn as_der(&self) -> &[u8] {
        &self.stored.der
    }

    /// Encodes the seal's values as canonical DER. For a conformant file this equals
    /// [`Seal::as_der`]; for a file with findings it may not, and then the maker signature does
    /// not cover the result.
    pub fn to_der(&self) -> Result<Vec<u8>> {
        encode::encode_seal(self)
    }

    /// The message the maker signed, taken from the stored bytes: the SES_SealInfo for V4/V5,
    /// and `SEQUENCE { SES_SealInfo, cert, signatureAlgorithm }` for V1.
    pub fn signed_message(&self) -> Cow<'_, [u8]> {
        let der = &self.stored.der;
        match self.version {
            Version::V1 => {
                let mut contents = Vec::new();
                for range in &self.stored.signed_parts {
                    contents.extend_from_slice(&der[range.clone()]);
                }
                Cow::Owned(asn1::sequence(&contents))
            }
            Version::V4 | Version::V5 => Cow::Borrowed(&der[self.stored.signed_parts[0].clone()]),
        }
    }

    /// The tolerances applied while decoding this seal.
    pub fn findings(&self) -> &[Finding] {
        &self.stored.findings
    }

    pub(crate) fn signed_value_offset(&self) -> usize {
        self.stored.signed_value_offset
    }

    /// The maker's certificate, parsed.
    pub fn maker_certificate(&self) -> Result<Certificate> {
        Certificate::from_der(&self.maker_cert)
    }

    /// The certificates in certList (empty when it contains digests).
    pub fn certificates(&self) -> Vec<Result<Certificate>> {
        match &self.info.property.cert_list {
            CertList::Certs(certs) => certs.iter().map(|c| Certificate::from_der(c)).collect(),
            CertList::Digests(_) => Vec::new(),
        }
    }

    /// Tells whether `time` is inside validStart..=validEnd.
    pub fn is_valid_at(&self, time: Time) -> bool {
        let property = &self.info.property;
        property.valid_start <= time && time <= property.valid_end
    }
}
