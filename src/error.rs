//! The crate's error type.
//!
//! One public enum covers every failure. Variants carry what failed (the structure and field, the
//! byte offset, the certificate or the time) so a caller can act on the error without parsing
//! its message. Messages never contain key material.

use std::fmt;

/// Errors returned by eseal.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The input is not a well-formed seal or signature.
    #[error(transparent)]
    Parse(#[from] ParseError),

    /// A key could not be read or used.
    #[error("invalid key: {0}")]
    Key(&'static str),

    /// The password of an encrypted key or PKCS#12 file is wrong. The text names the check
    /// that failed: the PKCS#12 MAC, the padding after decryption, or the decrypted structure.
    /// Damaged ciphertext fails the same checks, so it is reported the same way.
    #[error("wrong password: {0}")]
    WrongPassword(&'static str),

    /// An encrypted key or PKCS#12 file cannot be read: malformed, an unsupported algorithm,
    /// over a limit, or a password is missing.
    #[error(transparent)]
    Keystore(#[from] crate::keystore::KeystoreError),

    /// A certificate could not be read.
    #[error("invalid certificate: {0}")]
    Certificate(String),

    /// An X.509 CRL could not be read.
    #[error("invalid CRL: {0}")]
    Crl(String),

    /// A seal revocation list (印章注销列表) could not be read.
    #[error("invalid seal revocation list: {0}")]
    SealRevocationList(String),

    /// A value cannot be written as canonical DER (for example a non-ASCII esID).
    #[error("cannot encode {field}: {reason}")]
    Encode {
        /// The standard's name of the field.
        field: &'static str,
        /// What is wrong with its value.
        reason: String,
    },

    /// The seal picture's declared type does not match its bytes, or is not supported.
    #[error("seal picture: {0}")]
    Picture(String),

    /// Signing was refused because the seal or the signer may not sign (see the reason).
    #[error("signing refused: {0}")]
    SigningRefused(RefusalReason),

    /// An SM2 signature could not be computed or does not verify.
    #[error("signature invalid")]
    SignatureInvalid,

    /// An external signer (USB key, HSM, seal server) reported a failure.
    #[error("the external signer failed: {0}")]
    Signer(String),

    /// The time stamp service failed while signing, or its token cannot be read or does not
    /// cover the signature value.
    #[error("time stamp failed: {0}")]
    TimeStamp(String),

    /// The operating system's random number generator failed.
    #[error("random number generator failed")]
    Rng,

    /// An OFD package cannot be read.
    #[error(transparent)]
    Ofd(#[from] crate::ofd::OfdError),

    /// Reading the data to sign failed.
    #[error("I/O error: {0}")]
    Io(#[from] std::io::Error),
}

/// Why signing was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum RefusalReason {
    /// The maker signature of the seal does not verify.
    SealSignatureInvalid,
    /// The signing time is outside the seal's validStart..validEnd.
    SealNotValidAt {
        /// The signing time.
        time: String,
        /// The seal's validStart.
        valid_start: String,
        /// The seal's validEnd.
        valid_end: String,
    },
    /// The signer's certificate is not in the seal's certList.
    SignerNotInCertList,
    /// The seal maker's certificate is outside its validity period at the signing time.
    MakerCertificateNotValidAt {
        /// The signing time.
        time: String,
    },
    /// The signer's certificate is outside its validity period at the signing time.
    SignerCertificateNotValidAt {
        /// The signing time.
        time: String,
    },
    /// The private key does not belong to the signer's certificate.
    KeyCertificateMismatch,
    /// The seal's version cannot be used with the requested signature version.
    VersionMismatch {
        /// The seal's version.
        seal: u8,
        /// The requested signature version.
        signature: u8,
    },
}

impl RefusalReason {
    /// Returns the reason in Chinese; `Display` gives it in English.
    pub fn message_zh(&self) -> String {
        match self {
            Self::SealSignatureInvalid => "印章的制章者签名验证失败".to_owned(),
            Self::SealNotValidAt {
                time,
                valid_start,
                valid_end,
            } => format!("签章时间 {time} 不在印章有效期 {valid_start} .. {valid_end} 内"),
            Self::SignerNotInCertList => "签章者证书不在印章的 certList 中".to_owned(),
            Self::MakerCertificateNotValidAt { time } => {
                format!("制章者证书在签章时间 {time} 无效")
            }
            Self::SignerCertificateNotValidAt { time } => {
                format!("签章者证书在签章时间 {time} 无效")
            }
            Self::KeyCertificateMismatch => "私钥与签章者证书不匹配".to_owned(),
            Self::VersionMismatch { seal, signature } => {
                format!("V{seal} 印章不能用于 V{signature} 签章数据")
            }
        }
    }
}

impl fmt::Display for RefusalReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::SealSignatureInvalid => f.write_str("the seal's maker signature does not verify"),
            Self::SealNotValidAt {
                time,
                valid_start,
                valid_end,
            } => write!(
                f,
                "the signing time {time} is outside the seal's validity {valid_start} .. {valid_end}"
            ),
            Self::SignerNotInCertList => {
                f.write_str("the signer's certificate is not in the seal's certList")
            }
            Self::MakerCertificateNotValidAt { time } => write!(
                f,
                "the seal maker's certificate is not valid at the signing time {time}"
            ),
            Self::SignerCertificateNotValidAt { time } => write!(
                f,
                "the signer's certificate is not valid at the signing time {time}"
            ),
            Self::KeyCertificateMismatch => {
                f.write_str("the private key does not match the signer's certificate")
            }
            Self::VersionMismatch { seal, signature } => write!(
                f,
                "a V{seal} seal cannot be used in a V{signature} signature"
            ),
        }
    }
}

/// A structure that cannot be parsed: which structure and field, at which byte offset, and why.
///
/// The offset counts from the start of the input given to the parser.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// The standard's name of the structure, for example `SES_SealInfo`.
    pub structure: &'static str,
    /// The standard's name of the field, for example `esID`.
    pub field: &'static str,
    /// Byte offset of the element (its tag) in the input.
    pub offset: usize,
    /// What is wrong.
    pub kind: ParseErrorKind,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.field.is_empty() {
            write!(
                f,
                "cannot parse {} at byte offset {}: {}",
                self.structure, self.offset, self.kind
            )
        } else {
            write!(
                f,
                "cannot parse {}.{} at byte offset {}: {}",
                self.structure, self.field, self.offset, self.kind
            )
        }
    }
}

impl std::error::Error for ParseError {}

/// The problem with an element that cannot be parsed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ParseErrorKind {
    /// The input is empty.
    #[error("the input is empty")]
    Empty,
    /// The structure ends before this field.
    #[error("missing: the structure ends before this field")]
    Missing,
    /// The input ends inside the element.
    #[error("truncated: the element needs {needed} bytes but only {available} remain")]
    Truncated {
        /// Bytes the element needs from its first byte.
        needed: usize,
        /// Bytes left in the enclosing element or input.
        available: usize,
    },
    /// The element has another tag than the field requires.
    #[error("expected {}, found {}", tag_name(*expected), tag_name(*found))]
    UnexpectedTag {
        /// The tag the field requires.
        expected: u8,
        /// The tag found.
        found: u8,
    },
    /// The length octets are malformed (indefinite, or longer than the input can hold).
    #[error("invalid length")]
    InvalidLength,
    /// Bytes remain after the last field of the structure.
    #[error("{0} unexpected trailing bytes")]
    TrailingData(usize),
    /// The element is present but its value is not acceptable.
    #[error("{0}")]
    InvalidValue(String),
    /// The structure nests deeper than the parser allows.
    #[error("nesting too deep")]
    TooDeep,
}

/// Names a tag for messages, for example `SEQUENCE (0x30)`.
fn tag_name(tag: u8) -> String {
    let name = match tag {
        0x01 => "BOOLEAN",
        0x02 => "INTEGER",
        0x03 => "BIT STRING",
        0x04 => "OCTET STRING",
        0x05 => "NULL",
        0x06 => "OBJECT IDENTIFIER",
        0x0c => "UTF8String",
        0x13 => "PrintableString",
        0x16 => "IA5String",
        0x17 => "UTCTime",
        0x18 => "GeneralizedTime",
        0x30 => "SEQUENCE",
        0x31 => "SET",
        0xa0 => "[0]",
        _ => "tag",
    };
    format!("{name} (0x{tag:02x})")
}

/// Result type of eseal.
pub type Result<T, E = Error> = std::result::Result<T, E>;
