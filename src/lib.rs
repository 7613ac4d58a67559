#![doc = include_str!("../README.md")]
#![deny(unsafe_code)]
#![warn(missing_docs)]

pub mod asn1;
pub mod cert;
pub mod crypto;
pub mod error;
pub mod ffi;
pub mod finding;
pub mod keystore;
pub mod ofd;
pub mod report;
pub mod seal;
pub mod sign;
pub mod signature;
pub mod time;
pub mod timestamp;
pub mod trust;
pub mod verify;

pub use cert::Certificate;
pub use crypto::{PrivateKey, PublicKey};
pub use error::{Error, ParseError, ParseErrorKind, Result};
pub use seal::{Seal, SealBuilder, Version};
pub use sign::SignatureBuilder;
pub use signature::Signature;
pub use time::Time;
pub use verify::{
    SignedData, VerifyOptions, verify_seal, verify_signature, verify_signature_cached,
};

/// A decoded seal or signature, for input whose kind is not known in advance.
#[derive(Debug, Clone)]
pub enum Decoded {
    /// An SESeal.
    Seal(Box<Seal>),
    /// An SES_Signature.
    Signature(Box<Signature>),
}

/// Decodes DER that contains either an SESeal or an SES_Signature.
///
/// The two are distinguished by their first field: SES_SealInfo starts with the SES_Header
/// SEQUENCE, TBS_Sign with the version INTEGER.
pub fn decode(der: &[u8]) -> Result<Decoded> {
    use asn1::reader::Reader;

    let mut top = Reader::new(der, "SESeal or SES_Signature");
    let outer = top.read(asn1::TAG_SEQUENCE, "")?;
    let mut fields = outer.reader("SESeal or SES_Signature", 0)?;
    let first = fields.read(asn1::TAG_SEQUENCE, "eSealInfo or toSign")?;
    let is_signature = first.value.first() == Some(&asn1::TAG_INTEGER);
    if is_signature {
        Signature::from_der(der).map(|s| Decoded::Signature(Box::new(s)))
    } else {
        Seal::from_der(der).map(|s| Decoded::Seal(Box::new(s)))
    }
}
