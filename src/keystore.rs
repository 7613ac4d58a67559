//! Password-protected private keys: encrypted PKCS#8 and PKCS#12 (.p12/.pfx) files.
//!
//! Encrypted PKCS#8 (`ENCRYPTED PRIVATE KEY`, RFC 5958) is read with these schemes:
//!
//! - PBES2 (RFC 8018) with PBKDF2 over HMAC-SHA-1, SHA-224, SHA-256, SHA-384, SHA-512 or
//!   HMAC-SM3 (GmSSL's OID 1.2.156.10197.1.401.2), and AES-128/192/256-CBC, SM4-CBC
//!   (1.2.156.10197.1.104.2) or DES-EDE3-CBC. OpenSSL 3 writes AES with HMAC-SHA-256; GmSSL 3
//!   writes SM4-CBC with HMAC-SM3.
//! - The PKCS#12 schemes of RFC 7292 appendix C: pbeWithSHAAnd3-KeyTripleDES-CBC,
//!   pbeWithSHAAnd2-KeyTripleDES-CBC, pbeWithSHAAnd128BitRC2-CBC and pbeWithSHAAnd40BitRC2-CBC.
//!
//! [`Pkcs12`] opens PKCS#12 files in password integrity and password privacy mode, in DER or in
//! BER with indefinite lengths. OpenSSL 3 writes PBES2 with AES-256-CBC and a MAC with
//! HMAC-SHA-256 by default. `openssl pkcs12 -legacy` and the ofdrw test PKI use the legacy
//! PKCS#12 schemes with an HMAC-SHA-1 MAC.
//!
//! PBES2 takes the password bytes as given. The PKCS#12 key derivation function takes the
//! password as a BMPString: its UTF-16 big-endian code units followed by two zero bytes, so
//! those schemes need a UTF-8 password.
//!
//! Derived keys, IVs, the decrypted bytes and the cipher key schedules are zeroized when
//! dropped, and so are the hash states inside HMAC, through the hash crates' `zeroize`
//! features. Two copies are out of eseal's reach: pbkdf2 0.13 leaves its last intermediate
//! block on the stack, and rc2 0.9 its key expansion buffer.
//!
//! Input is bounded: see [`MAX_INPUT_LEN`], [`MAX_ITERATIONS`], [`MAX_TOTAL_ITERATIONS`] and
//! [`MAX_BAGS`]. A value over a limit is a [`KeystoreError::LimitExceeded`], checked before any
//! key derivation starts.

mod algorithms;
mod pbes2;
mod pkcs12;
mod pkcs12_pbe;
mod structures;

use der::asn1::ObjectIdentifier;
use zeroize::Zeroizing;

pub use pkcs12::Pkcs12;

use crate::error::{Error, Result};

/// Maximum size in bytes of an encrypted key or PKCS#12 file. Real files are a few kilobytes.
pub const MAX_INPUT_LEN: usize = 1 << 20;

/// Maximum iteration count of one key derivation (PBKDF2, the PKCS#12 KDF or the PKCS#12 MAC
/// key). OpenSSL 3 writes 2048, GmSSL 65536, and the legacy test files here 102400.
pub const MAX_ITERATIONS: u64 = 10_000_000;

/// Maximum sum of the iteration counts of every key derivation needed to open one file. A
/// PKCS#12 scheme derives a key and an IV, so each of its iterations counts twice.
pub const MAX_TOTAL_ITERATIONS: u64 = 4 * MAX_ITERATIONS;

/// Maximum number of SafeBags, including nested ones, in one PKCS#12 file.
pub const MAX_BAGS: usize = 256;

/// Maximum salt length in bytes for one key derivation.
pub const MAX_SALT_LEN: usize = 1024;

/// Errors of reading a password-protected key, except a wrong password, which is
/// [`Error::WrongPassword`].
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum KeystoreError {
    /// The input is encrypted and no password was given.
    #[error("the {0} is encrypted; give its password")]
    PasswordRequired(&'static str),

    /// The password is not UTF-8, but the PKCS#12 key derivation needs it as a BMPString.
    #[error("the password is not valid UTF-8, which PKCS#12 key derivation requires")]
    PasswordNotUtf8,

    /// An algorithm is recognised by its OID but not supported.
    #[error("unsupported {role}: {name} ({oid}); supported: {supported}")]
    UnsupportedAlgorithm {
        /// The algorithm's role, for example "PBES2 encryption scheme".
        role: &'static str,
        /// The algorithm's OID as found in the input.
        oid: ObjectIdentifier,
        /// The algorithm's name, or "unknown algorithm".
        name: &'static str,
        /// The algorithms eseal supports in this role.
        supported: &'static str,
    },

    /// The input is not a well-formed structure of the expected kind.
    #[error("invalid {structure}: {reason}")]
    Malformed {
        /// The ASN.1 structure, for example `EncryptedPrivateKeyInfo`.
        structure: &'static str,
        /// The problem, with the byte position where the decoder reports one.
        reason: String,
    },

    /// A size or count is over one of this module's limits.
    #[error("{what} is {value}, over the limit of {limit}")]
    LimitExceeded {
        /// The quantity, for example "PBKDF2 iteration count".
        what: &'static str,
        /// The value found in the input.
        value: u64,
        /// The limit.
        limit: u64,
    },

    /// The PKCS#12 file contains no private key.
    #[error("the PKCS#12 file contains no private key")]
    NoPrivateKey,

    /// The PKCS#12 file contains more than one private key.
    #[error("the PKCS#12 file contains {0} private keys; only files with one key are supported")]
    MultiplePrivateKeys(usize),

    /// The input is a PKCS#12 file where a PKCS#8 or SEC1 key was expected.
    #[error("this is a PKCS#12 file, not a PKCS#8 key; open it with keystore::Pkcs12")]
    IsPkcs12,
}

impl KeystoreError {
    pub(crate) fn malformed(structure: &'static str, reason: impl std::fmt::Display) -> Error {
        Error::Keystore(Self::Malformed {
            structure,
            reason: reason.to_string(),
        })
    }
}

/// The kind of a private key file, detected from its first bytes without decrypting anything.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum KeyFormat {
    /// An unencrypted PKCS#8 or SEC1 key, PEM or DER, or input that is none of the others.
    Unencrypted,
    /// An encrypted PKCS#8 key: PEM `ENCRYPTED PRIVATE KEY` or DER EncryptedPrivateKeyInfo.
    EncryptedPkcs8,
    /// A PKCS#12 file (PFX).
    Pkcs12,
}

impl KeyFormat {
    /// Tells the format of `bytes` from the PEM label or the first DER fields.
    ///
    /// DER PrivateKeyInfo and ECPrivateKey start with a small INTEGER version (0, 1),
    /// a PFX with the INTEGER 3, and EncryptedPrivateKeyInfo with a SEQUENCE.
    pub fn detect(bytes: &[u8]) -> Self {
        if is_pem(bytes) {
            return match der::pem::decode_label(trim_to_pem(bytes)) {
                Ok("ENCRYPTED PRIVATE KEY") => Self::EncryptedPkcs8,
                Ok("PKCS12") => Self::Pkcs12,
                _ => Self::Unencrypted,
            };
        }
        let Some(content) = sequence_content(bytes) else {
            return Self::Unencrypted;
        };
        match content {
            [0x02, 0x01, 0x03, ..] => Self::Pkcs12,
            [0x30, ..] => Self::EncryptedPkcs8,
            _ => Self::Unencrypted,
        }
    }

    /// Whether reading a key of this format needs a password.
    pub fn needs_password(self) -> bool {
        !matches!(self, Self::Unencrypted)
    }
}

/// Whether `bytes` look like PEM text rather than DER.
pub(crate) fn is_pem(bytes: &[u8]) -> bool {
    bytes.starts_with(b"-----")
        || bytes.iter().take(64).all(u8::is_ascii) && bytes.windows(5).any(|w| w == b"-----")
}

/// Skips any text before the first `-----BEGIN`, as OpenSSL does.
pub(crate) fn trim_to_pem(bytes: &[u8]) -> &[u8] {
    bytes
        .windows(10)
        .position(|w| w == b"-----BEGIN")
        .map_or(bytes, |start| &bytes[start..])
}

/// The content octets of a DER or BER SEQUENCE at the start of `bytes` (the rest of the input
/// for an indefinite length), or `None` when `bytes` do not start with a SEQUENCE.
fn sequence_content(bytes: &[u8]) -> Option<&[u8]> {
    let (&tag, rest) = bytes.split_first()?;
    if tag != 0x30 {
        return None;
    }
    let (&first, rest) = rest.split_first()?;
    match first {
        // Short form, or 0x80: BER's indefinite length.
        0x00..=0x80 => Some(rest),
        0x81..=0x84 => rest.get(usize::from(first & 0x7f)..),
        _ => None,
    }
}

/// Decrypts a DER or BER EncryptedPrivateKeyInfo and returns the PrivateKeyInfo bytes.
pub(crate) fn decrypt_private_key_info(der: &[u8], password: &[u8]) -> Result<Zeroizing<Vec<u8>>> {
    check_input_len(der.len())?;
    let password = Password::new(password);
    let mut budget = IterationBudget::new();
    structures::decrypt_encrypted_private_key_info(der, &password, &mut budget)
}

/// Rejects input over [`MAX_INPUT_LEN`].
pub(crate) fn check_input_len(len: usize) -> Result<()> {
    if len > MAX_INPUT_LEN {
        return Err(Error::Keystore(KeystoreError::LimitExceeded {
            what: "input size in bytes",
            value: len as u64,
            limit: MAX_INPUT_LEN as u64,
        }));
    }
    Ok(())
}

/// A password in the two forms the schemes need: the bytes as given (PBES2) and the
/// BMPString form of the PKCS#12 key derivation, when the password is UTF-8.
pub(crate) struct Password<'a> {
    raw: &'a [u8],
    bmp: Option<Zeroizing<Vec<u8>>>,
}

impl<'a> Password<'a> {
    pub(crate) fn new(raw: &'a [u8]) -> Self {
        let bmp = std::str::from_utf8(raw).ok().map(pkcs12_pbe::bmp_password);
        Self { raw, bmp }
    }

    pub(crate) fn raw(&self) -> &[u8] {
        self.raw
    }

    pub(crate) fn bmp(&self) -> Result<&[u8]> {
        self.bmp
            .as_deref()
            .map(Vec::as_slice)
            .ok_or(Error::Keystore(KeystoreError::PasswordNotUtf8))
    }

    /// Replaces the BMPString form, for the empty password that some writers encode as no
    /// bytes at all instead of the two-byte terminator.
    pub(crate) fn set_bmp(&mut self, bmp: Zeroizing<Vec<u8>>) {
        self.bmp = Some(bmp);
    }
}

/// The iteration counts one file may still spend; see [`MAX_TOTAL_ITERATIONS`].
pub(crate) struct IterationBudget {
    remaining: u64,
}

impl IterationBudget {
    pub(crate) fn new() -> Self {
        Self {
            remaining: MAX_TOTAL_ITERATIONS,
        }
    }

    /// Checks one iteration count against [`MAX_ITERATIONS`] and takes `derivations` times it
    /// from the budget.
    pub(crate) fn spend(&mut self, what: &'static str, count: u64, derivations: u64) -> Result<()> {
        if count == 0 {
            return Err(KeystoreError::malformed(what, "the iteration count is 0"));
        }
        if count > MAX_ITERATIONS {
            return Err(Error::Keystore(KeystoreError::LimitExceeded {
                what,
                value: count,
                limit: MAX_ITERATIONS,
            }));
        }
        let cost = count.saturating_mul(derivations);
        if cost > self.remaining {
            return Err(Error::Keystore(KeystoreError::LimitExceeded {
                what: "sum of the iteration counts in the file",
                value: MAX_TOTAL_ITERATIONS - self.remaining + cost,
                limit: MAX_TOTAL_ITERATIONS,
            }));
        }
        self.remaining -= cost;
        Ok(())
    }
}

/// Rejects a salt over [`MAX_SALT_LEN`].
pub(crate) fn check_salt_len(what: &'static str, salt: &[u8]) -> Result<()> {
    if salt.len() > MAX_SALT_LEN {
        return Err(Error::Keystore(KeystoreError::LimitExceeded {
            what,
            value: salt.len() as u64,
            limit: MAX_SALT_LEN as u64,
        }));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detect_formats() {
        assert_eq!(
            KeyFormat::detect(b"-----BEGIN ENCRYPTED PRIVATE KEY-----\nMAA=\n-----END ENCRYPTED PRIVATE KEY-----\n"),
            KeyFormat::EncryptedPkcs8
        );
        assert_eq!(
            KeyFormat::detect(b"-----BEGIN PRIVATE KEY-----\nMAA=\n-----END PRIVATE KEY-----\n"),
            KeyFormat::Unencrypted
        );
        // PFX: version 3 first; BER indefinite length too.
        assert_eq!(
            KeyFormat::detect(&[0x30, 0x80, 0x02, 0x01, 0x03]),
            KeyFormat::Pkcs12
        );
        assert_eq!(
            KeyFormat::detect(&[0x30, 0x82, 0x04, 0x94, 0x02, 0x01, 0x03]),
            KeyFormat::Pkcs12
        );
        // EncryptedPrivateKeyInfo: an AlgorithmIdentifier SEQUENCE first.
        assert_eq!(
            KeyFormat::detect(&[0x30, 0x81, 0xec, 0x30, 0x57]),
            KeyFormat::EncryptedPkcs8
        );
        // PrivateKeyInfo: version 0.
        assert_eq!(
            KeyFormat::detect(&[0x30, 0x77, 0x02, 0x01, 0x00]),
            KeyFormat::Unencrypted
        );
        assert_eq!(KeyFormat::detect(b""), KeyFormat::Unencrypted);
        assert!(!KeyFormat::Unencrypted.needs_password());
        assert!(KeyFormat::Pkcs12.needs_password());
    }

    #[test]
    fn budget_rejects_zero_and_large_counts() {
        let mut budget = IterationBudget::new();
        assert!(matches!(
            budget.spend("PBKDF2 iteration count", 0, 1),
            Err(Error::Keystore(KeystoreError::Malformed { .. }))
        ));
        assert!(matches!(
            budget.spend("PBKDF2 iteration count", MAX_ITERATIONS + 1, 1),
            Err(Error::Keystore(KeystoreError::LimitExceeded { .. }))
        ));
        budget
            .spend("PBKDF2 iteration count", MAX_ITERATIONS, 2)
            .unwrap();
        budget
            .spend("PBKDF2 iteration count", MAX_ITERATIONS, 2)
            .unwrap();
        assert!(matches!(
            budget.spend("PBKDF2 iteration count", 1, 1),
            Err(Error::Keystore(KeystoreError::LimitExceeded {
                limit: MAX_TOTAL_ITERATIONS,
                ..
            }))
        ));
    }
}
