//! Result codes of the C ABI.

use std::ffi::c_char;

use crate::error::{Error, RefusalReason};

/// The result of a C ABI call. Numbers are grouped by family and never reused.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum eseal_result {
    /// Success.
    Ok = 0,

    /// A required pointer argument is NULL.
    NullArgument = 100,
    /// An argument is out of range or a string is not UTF-8.
    InvalidArgument = 101,
    /// The caller's buffer is too small.
    BufferTooSmall = 102,
    /// eseal panicked; the call had no effect. Please report it.
    Panic = 103,
    /// Reading data failed.
    Io = 104,

    /// The bytes are not a well-formed seal or signature.
    ParseError = 200,
    /// The OFD package cannot be read: not a ZIP, over a size limit, a missing or escaping
    /// path, or malformed XML.
    OfdInvalid = 201,

    /// A private key could not be read or used.
    KeyInvalid = 300,
    /// A certificate could not be read.
    CertificateInvalid = 301,
    /// The system random number generator failed.
    RngFailed = 302,
    /// The password of an encrypted private key or a PKCS#12 file is wrong. Damaged
    /// ciphertext fails the same checks, so it gives this code too.
    WrongPassword = 303,

    /// The seal picture does not match its type or is not supported.
    PictureInvalid = 400,
    /// A value cannot be written as DER (for example a non-ASCII esID) or is missing.
    EncodeFailed = 401,

    /// Signing refused: the seal's maker signature does not verify.
    SealSignatureInvalid = 500,
    /// Signing refused: the signing time is outside the seal's validity.
    SealNotValidAtTime = 501,
    /// Signing refused: the signer's certificate is not in the seal's certList.
    SignerNotInCertList = 502,
    /// Signing refused: the signer's certificate is not valid at the signing time.
    SignerCertificateNotValidAtTime = 503,
    /// Signing refused: the private key does not belong to the certificate.
    KeyCertificateMismatch = 504,
    /// Signing refused: the seal's version cannot be used in the requested signature version.
    VersionMismatch = 505,
    /// An SM2 signature could not be made or does not verify.
    SignatureInvalid = 506,
    /// Signing refused: the seal maker's certificate is not valid at the signing time.
    MakerCertificateNotValidAtTime = 507,
    /// The external signer callback reported a failure.
    SignerFailed = 508,
    /// The time stamp callback reported a failure or wrote more bytes than it was given room
    /// for.
    TimeStampFailed = 509,
    /// The time stamp callback returned bytes that are not a TimeStampToken, or a token that
    /// does not cover the signature value.
    TimeStampInvalid = 510,

    /// A CRL cannot be read: not PEM or DER, or not a well-formed X.509 CRL.
    CrlInvalid = 600,
    /// A seal revocation list cannot be read: not PEM or DER, or not well-formed.
    SealRevocationListInvalid = 601,
}

impl From<&Error> for eseal_result {
    fn from(error: &Error) -> Self {
        match error {
            Error::Parse(_) => Self::ParseError,
            Error::Key(_) | Error::Keystore(_) => Self::KeyInvalid,
            Error::WrongPassword(_) => Self::WrongPassword,
            Error::Certificate(_) => Self::CertificateInvalid,
            Error::Crl(_) => Self::CrlInvalid,
            Error::SealRevocationList(_) => Self::SealRevocationListInvalid,
            Error::Encode { .. } => Self::EncodeFailed,
            Error::Picture(_) => Self::PictureInvalid,
            Error::SigningRefused(reason) => match reason {
                RefusalReason::SealSignatureInvalid => Self::SealSignatureInvalid,
                RefusalReason::SealNotValidAt { .. } => Self::SealNotValidAtTime,
                RefusalReason::SignerNotInCertList => Self::SignerNotInCertList,
                RefusalReason::SignerCertificateNotValidAt { .. } => {
                    Self::SignerCertificateNotValidAtTime
                }
                RefusalReason::MakerCertificateNotValidAt { .. } => {
                    Self::MakerCertificateNotValidAtTime
                }
                RefusalReason::KeyCertificateMismatch => Self::KeyCertificateMismatch,
                RefusalReason::VersionMismatch { .. } => Self::VersionMismatch,
            },
            Error::SignatureInvalid => Self::SignatureInvalid,
            Error::Signer(_) => Self::SignerFailed,
            Error::TimeStamp(_) => Self::TimeStampInvalid,
            Error::Rng => Self::RngFailed,
            Error::Io(_) => Self::Io,
            Error::Ofd(_) => Self::OfdInvalid,
        }
    }
}

impl From<Error> for eseal_result {
    fn from(error: Error) -> Self {
        Self::from(&error)
    }
}

/// Returns a static, NUL-terminated English message for a result code; unknown codes get a
/// message saying so. The string must not be freed.
#[unsafe(no_mangle)]
pub extern "C" fn eseal_result_message(result: u32) -> *const c_char {
    let text: &'static [u8] = match result {
        0 => b"success\0",
        100 => b"a required pointer argument is NULL\0",
        101 => b"an argument is out of range or a string is not UTF-8\0",
        102 => b"the buffer is too small\0",
        103 => b"internal error (panic) in eseal; the call had no effect\0",
        104 => b"reading data failed\0",
        200 => b"the bytes are not a well-formed seal or signature\0",
        201 => b"the OFD package cannot be read\0",
        300 => b"the private key is invalid\0",
        301 => b"the certificate is invalid\0",
        302 => b"the random number generator failed\0",
        303 => b"the password of the private key or PKCS#12 file is wrong\0",
        400 => b"the seal picture is invalid or does not match its type\0",
        401 => b"a value cannot be encoded as DER or is missing\0",
        500 => b"signing refused: the seal's maker signature does not verify\0",
        501 => b"signing refused: the signing time is outside the seal's validity\0",
        502 => b"signing refused: the signer's certificate is not in the seal's certList\0",
        503 => b"signing refused: the signer's certificate is not valid at the signing time\0",
        504 => b"signing refused: the private key does not belong to the certificate\0",
        505 => b"signing refused: the seal's version does not match the signature version\0",
        506 => b"the SM2 signature is invalid\0",
        507 => b"signing refused: the seal maker's certificate is not valid at the signing time\0",
        508 => b"the external signer failed\0",
        509 => b"the time stamp callback failed\0",
        510 => b"the time stamp token is invalid or does not cover the signature value\0",
        600 => b"the CRL is invalid\0",
        601 => b"the seal revocation list is invalid\0",
        _ => b"unknown result code\0",
    };
    text.as_ptr().cast()
}

/// Returns the library version as a static NUL-terminated string.
#[unsafe(no_mangle)]
pub extern "C" fn eseal_version() -> *const c_char {
    concat!(env!("CARGO_PKG_VERSION"), "\0").as_ptr().cast()
}
