//! Algorithm OIDs, their names for messages, and the hash functions and CBC ciphers behind them.

use cbc::cipher::block_padding::Pkcs7;
use cbc::cipher::{BlockModeDecrypt, InnerIvInit, KeyIvInit};
use der::asn1::ObjectIdentifier;
use hmac::{KeyInit, Mac};
use zeroize::{Zeroize, Zeroizing};

const fn oid(text: &str) -> ObjectIdentifier {
    ObjectIdentifier::new_unwrap(text)
}

// Content types (RFC 5652) and PKCS#12 bag types (RFC 7292 appendix D).
pub(super) const ID_DATA: ObjectIdentifier = oid("1.2.840.113549.1.7.1");
pub(super) const ID_SIGNED_DATA: ObjectIdentifier = oid("1.2.840.113549.1.7.2");
pub(super) const ID_ENVELOPED_DATA: ObjectIdentifier = oid("1.2.840.113549.1.7.3");
pub(super) const ID_ENCRYPTED_DATA: ObjectIdentifier = oid("1.2.840.113549.1.7.6");
pub(super) const KEY_BAG: ObjectIdentifier = oid("1.2.840.113549.1.12.10.1.1");
pub(super) const PKCS8_SHROUDED_KEY_BAG: ObjectIdentifier = oid("1.2.840.113549.1.12.10.1.2");
pub(super) const CERT_BAG: ObjectIdentifier = oid("1.2.840.113549.1.12.10.1.3");
pub(super) const SAFE_CONTENTS_BAG: ObjectIdentifier = oid("1.2.840.113549.1.12.10.1.6");
pub(super) const X509_CERTIFICATE: ObjectIdentifier = oid("1.2.840.113549.1.9.22.1");

// PBES2 and PBKDF2 (RFC 8018), and what OpenSSL writes instead of PBKDF2 or MAC.
pub(super) const PBES2: ObjectIdentifier = oid("1.2.840.113549.1.5.13");
pub(super) const PBKDF2: ObjectIdentifier = oid("1.2.840.113549.1.5.12");
const PBMAC1: ObjectIdentifier = oid("1.2.840.113549.1.5.14");
const SCRYPT: ObjectIdentifier = oid("1.3.6.1.4.1.11591.4.11");

// PBKDF2 pseudo-random functions. HMAC-SM3 is GmSSL's OID for PBKDF2 with SM3.
const HMAC_WITH_SHA1: ObjectIdentifier = oid("1.2.840.113549.2.7");
const HMAC_WITH_SHA224: ObjectIdentifier = oid("1.2.840.113549.2.8");
const HMAC_WITH_SHA256: ObjectIdentifier = oid("1.2.840.113549.2.9");
const HMAC_WITH_SHA384: ObjectIdentifier = oid("1.2.840.113549.2.10");
const HMAC_WITH_SHA512: ObjectIdentifier = oid("1.2.840.113549.2.11");
const HMAC_SM3: ObjectIdentifier = oid("1.2.156.10197.1.401.2");

// Digest algorithms of the PKCS#12 MAC.
const SHA1: ObjectIdentifier = oid("1.3.14.3.2.26");
const SHA224: ObjectIdentifier = oid("2.16.840.1.101.3.4.2.4");
const SHA256: ObjectIdentifier = oid("2.16.840.1.101.3.4.2.1");
const SHA384: ObjectIdentifier = oid("2.16.840.1.101.3.4.2.2");
const SHA512: ObjectIdentifier = oid("2.16.840.1.101.3.4.2.3");

// PBES2 encryption schemes.
const AES_128_CBC: ObjectIdentifier = oid("2.16.840.1.101.3.4.1.2");
const AES_192_CBC: ObjectIdentifier = oid("2.16.840.1.101.3.4.1.22");
const AES_256_CBC: ObjectIdentifier = oid("2.16.840.1.101.3.4.1.42");
const AES_128_GCM: ObjectIdentifier = oid("2.16.840.1.101.3.4.1.6");
const AES_256_GCM: ObjectIdentifier = oid("2.16.840.1.101.3.4.1.46");
const SM4_CBC: ObjectIdentifier = oid("1.2.156.10197.1.104.2");
const DES_EDE3_CBC: ObjectIdentifier = oid("1.2.840.113549.3.7");
const DES_CBC: ObjectIdentifier = oid("1.3.14.3.2.7");
const RC2_CBC: ObjectIdentifier = oid("1.2.840.113549.3.2");

// PKCS#12 password-based encryption (RFC 7292 appendix C).
const PBE_SHA1_RC4_128: ObjectIdentifier = oid("1.2.840.113549.1.12.1.1");
const PBE_SHA1_RC4_40: ObjectIdentifier = oid("1.2.840.113549.1.12.1.2");
pub(super) const PBE_SHA1_3DES: ObjectIdentifier = oid("1.2.840.113549.1.12.1.3");
pub(super) const PBE_SHA1_2DES: ObjectIdentifier = oid("1.2.840.113549.1.12.1.4");
pub(super) const PBE_SHA1_RC2_128: ObjectIdentifier = oid("1.2.840.113549.1.12.1.5");
pub(super) const PBE_SHA1_RC2_40: ObjectIdentifier = oid("1.2.840.113549.1.12.1.6");

// PBES1 (RFC 8018 appendix A.3), which eseal does not read.
const PBE_MD5_DES: ObjectIdentifier = oid("1.2.840.113549.1.5.3");
const PBE_SHA1_DES: ObjectIdentifier = oid("1.2.840.113549.1.5.10");

/// Names a known algorithm for messages, or returns "unknown algorithm".
pub(super) fn name(oid: &ObjectIdentifier) -> &'static str {
    const NAMES: &[(ObjectIdentifier, &str)] = &[
        (ID_DATA, "data"),
        (ID_SIGNED_DATA, "signedData"),
        (ID_ENVELOPED_DATA, "envelopedData"),
        (ID_ENCRYPTED_DATA, "encryptedData"),
        (PBES2, "PBES2"),
        (PBKDF2, "PBKDF2"),
        (PBMAC1, "PBMAC1"),
        (SCRYPT, "scrypt"),
        (HMAC_WITH_SHA1, "hmacWithSHA1"),
        (HMAC_WITH_SHA224, "hmacWithSHA224"),
        (HMAC_WITH_SHA256, "hmacWithSHA256"),
        (HMAC_WITH_SHA384, "hmacWithSHA384"),
        (HMAC_WITH_SHA512, "hmacWithSHA512"),
        (HMAC_SM3, "HMAC-SM3"),
        (SHA1, "SHA-1"),
        (SHA224, "SHA-224"),
        (SHA256, "SHA-256"),
        (SHA384, "SHA-384"),
        (SHA512, "SHA-512"),
        (AES_128_CBC, "AES-128-CBC"),
        (AES_192_CBC, "AES-192-CBC"),
        (AES_256_CBC, "AES-256-CBC"),
        (AES_128_GCM, "AES-128-GCM"),
        (AES_256_GCM, "AES-256-GCM"),
        (SM4_CBC, "SM4-CBC"),
        (DES_EDE3_CBC, "DES-EDE3-CBC"),
        (DES_CBC, "DES-CBC"),
        (RC2_CBC, "RC2-CBC"),
        (PBE_SHA1_RC4_128, "pbeWithSHAAnd128BitRC4"),
        (PBE_SHA1_RC4_40, "pbeWithSHAAnd40BitRC4"),
        (PBE_SHA1_3DES, "pbeWithSHAAnd3-KeyTripleDES-CBC"),
        (PBE_SHA1_2DES, "pbeWithSHAAnd2-KeyTripleDES-CBC"),
        (PBE_SHA1_RC2_128, "pbeWithSHAAnd128BitRC2-CBC"),
        (PBE_SHA1_RC2_40, "pbeWithSHAAnd40BitRC2-CBC"),
        (PBE_MD5_DES, "pbeWithMD5AndDES-CBC (PBES1)"),
        (PBE_SHA1_DES, "pbeWithSHA1AndDES-CBC (PBES1)"),
    ];
    NAMES
        .iter()
        .find(|(known, _)| known == oid)
        .map_or("unknown algorithm", |(_, name)| name)
}

/// A hash function used by PBKDF2, the PKCS#12 KDF or the PKCS#12 MAC.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Hash {
    Sha1,
    Sha224,
    Sha256,
    Sha384,
    Sha512,
    Sm3,
}

/// The PBKDF2 PRFs eseal supports, for messages.
pub(super) const SUPPORTED_PRFS: &str =
    "hmacWithSHA1, hmacWithSHA224, hmacWithSHA256, hmacWithSHA384, hmacWithSHA512, HMAC-SM3";

/// The PKCS#12 MAC digests eseal supports, for messages.
pub(super) const SUPPORTED_MAC_DIGESTS: &str = "SHA-1, SHA-224, SHA-256, SHA-384, SHA-512";

impl Hash {
    /// Maps a PBKDF2 PRF OID to its hash.
    pub(super) fn from_prf(oid: &ObjectIdentifier) -> Option<Self> {
        Some(match *oid {
            HMAC_WITH_SHA1 => Self::Sha1,
            HMAC_WITH_SHA224 => Self::Sha224,
            HMAC_WITH_SHA256 => Self::Sha256,
            HMAC_WITH_SHA384 => Self::Sha384,
            HMAC_WITH_SHA512 => Self::Sha512,
            HMAC_SM3 => Self::Sm3,
            _ => return None,
        })
    }

    /// Maps a PKCS#12 MAC digest algorithm OID to its hash.
    pub(super) fn from_digest(oid: &ObjectIdentifier) -> Option<Self> {
        Some(match *oid {
            SHA1 => Self::Sha1,
            SHA224 => Self::Sha224,
            SHA256 => Self::Sha256,
            SHA384 => Self::Sha384,
            SHA512 => Self::Sha512,
            _ => return None,
        })
    }

    /// Returns the digest length in bytes.
    pub(super) fn output_len(self) -> usize {
        match self {
            Self::Sha1 => 20,
            Self::Sha224 => 28,
            Self::Sha256 | Self::Sm3 => 32,
            Self::Sha384 => 48,
            Self::Sha512 => 64,
        }
    }

    /// Fills `out` with PBKDF2 (RFC 8018 section 5.2) with HMAC over this hash.
    pub(super) fn pbkdf2(self, password: &[u8], salt: &[u8], iterations: u32, out: &mut [u8]) {
        match self {
            Self::Sha1 => pbkdf2::pbkdf2_hmac::<sha1::Sha1>(password, salt, iterations, out),
            Self::Sha224 => pbkdf2::pbkdf2_hmac::<sha2::Sha224>(password, salt, iterations, out),
            Self::Sha256 => pbkdf2::pbkdf2_hmac::<sha2::Sha256>(password, salt, iterations, out),
            Self::Sha384 => pbkdf2::pbkdf2_hmac::<sha2::Sha384>(password, salt, iterations, out),
            Self::Sha512 => pbkdf2::pbkdf2_hmac::<sha2::Sha512>(password, salt, iterations, out),
            Self::Sm3 => pbkdf2::pbkdf2_hmac::<sm3::Sm3>(password, salt, iterations, out),
        }
    }

    /// Fills `out` with the PKCS#12 KDF (RFC 7292 appendix B.2) over this hash.
    pub(super) fn pkcs12_kdf(
        self,
        password_bmp: &[u8],
        salt: &[u8],
        purpose: super::pkcs12_pbe::Purpose,
        iterations: u64,
        out: &mut [u8],
    ) {
        use super::pkcs12_pbe::derive;
        match self {
            Self::Sha1 => derive::<sha1::Sha1>(password_bmp, salt, purpose, iterations, out),
            Self::Sha224 => derive::<sha2::Sha224>(password_bmp, salt, purpose, iterations, out),
            Self::Sha256 => derive::<sha2::Sha256>(password_bmp, salt, purpose, iterations, out),
            Self::Sha384 => derive::<sha2::Sha384>(password_bmp, salt, purpose, iterations, out),
            Self::Sha512 => derive::<sha2::Sha512>(password_bmp, salt, purpose, iterations, out),
            Self::Sm3 => derive::<sm3::Sm3>(password_bmp, salt, purpose, iterations, out),
        }
    }

    /// Checks in constant time whether HMAC over this hash with `key` gives `tag` for `data`.
    pub(super) fn hmac_matches(self, key: &[u8], data: &[u8], tag: &[u8]) -> bool {
        fn matches<D: hmac::EagerHash>(key: &[u8], data: &[u8], tag: &[u8]) -> bool {
            let Ok(mut mac) = hmac::Hmac::<D>::new_from_slice(key) else {
                return false;
            };
            mac.update(data);
            mac.verify_slice(tag).is_ok()
        }
        match self {
            Self::Sha1 => matches::<sha1::Sha1>(key, data, tag),
            Self::Sha224 => matches::<sha2::Sha224>(key, data, tag),
            Self::Sha256 => matches::<sha2::Sha256>(key, data, tag),
            Self::Sha384 => matches::<sha2::Sha384>(key, data, tag),
            Self::Sha512 => matches::<sha2::Sha512>(key, data, tag),
            Self::Sm3 => matches::<sm3::Sm3>(key, data, tag),
        }
    }
}

/// A block cipher in CBC mode with PKCS#7 padding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Cipher {
    Aes128,
    Aes192,
    Aes256,
    Sm4,
    DesEde3,
    /// Two-key triple DES: K1, K2, K1.
    DesEde2,
    /// RC2 with this effective key length in bits.
    Rc2 {
        effective_bits: usize,
    },
}

/// The PBES2 encryption schemes eseal supports, for messages.
pub(super) const SUPPORTED_PBES2_CIPHERS: &str =
    "AES-128-CBC, AES-192-CBC, AES-256-CBC, SM4-CBC, DES-EDE3-CBC";

/// A CBC decryption failure.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum DecryptError {
    /// The key or IV has the wrong length for the cipher.
    KeyOrIvLength,
    /// The ciphertext is empty or not a whole number of blocks.
    CiphertextLength,
    /// The last block does not end in PKCS#7 padding: usually a wrong password.
    Padding,
}

impl Cipher {
    /// The cipher of a PBES2 encryption scheme OID.
    pub(super) fn from_pbes2(oid: &ObjectIdentifier) -> Option<Self> {
        Some(match *oid {
            AES_128_CBC => Self::Aes128,
            AES_192_CBC => Self::Aes192,
            AES_256_CBC => Self::Aes256,
            SM4_CBC => Self::Sm4,
            DES_EDE3_CBC => Self::DesEde3,
            _ => return None,
        })
    }

    pub(super) fn key_len(self) -> usize {
        match self {
            Self::Aes128 | Self::Sm4 | Self::DesEde2 => 16,
            Self::Aes192 | Self::DesEde3 => 24,
            Self::Aes256 => 32,
            Self::Rc2 { effective_bits } => effective_bits / 8,
        }
    }

    pub(super) fn block_len(self) -> usize {
        match self {
            Self::Aes128 | Self::Aes192 | Self::Aes256 | Self::Sm4 => 16,
            Self::DesEde3 | Self::DesEde2 | Self::Rc2 { .. } => 8,
        }
    }

    /// Decrypts `ciphertext` and returns the plaintext without its padding, in a buffer that is
    /// zeroized when dropped.
    pub(super) fn decrypt(
        self,
        key: &[u8],
        iv: &[u8],
        ciphertext: &[u8],
    ) -> Result<Zeroizing<Vec<u8>>, DecryptError> {
        if ciphertext.is_empty() || ciphertext.len() % self.block_len() != 0 {
            return Err(DecryptError::CiphertextLength);
        }
        if key.len() != self.key_len() || iv.len() != self.block_len() {
            return Err(DecryptError::KeyOrIvLength);
        }
        let mut buffer = Zeroizing::new(ciphertext.to_vec());
        let plaintext_len = match self {
            Self::Aes128 => cbc_decrypt::<aes::Aes128>(key, iv, &mut buffer),
            Self::Aes192 => cbc_decrypt::<aes::Aes192>(key, iv, &mut buffer),
            Self::Aes256 => cbc_decrypt::<aes::Aes256>(key, iv, &mut buffer),
            Self::Sm4 => cbc_decrypt::<sm4::Sm4>(key, iv, &mut buffer),
            Self::DesEde3 => cbc_decrypt::<des::TdesEde3>(key, iv, &mut buffer),
            Self::DesEde2 => cbc_decrypt::<des::TdesEde2>(key, iv, &mut buffer),
            Self::Rc2 { effective_bits } => {
                let cipher = rc2::Rc2::new_with_eff_key_len(key, effective_bits);
                cbc::Decryptor::inner_iv_slice_init(cipher, iv)
                    .map_err(|_| DecryptError::KeyOrIvLength)
                    .and_then(|decryptor| unpad(decryptor, &mut buffer))
            }
        };
        match plaintext_len {
            Ok(len) => {
                // The padding bytes past `len` are cleared now, the rest when `buffer` drops.
                buffer[len..].zeroize();
                buffer.truncate(len);
                Ok(buffer)
            }
            Err(error) => Err(error),
        }
    }
}

fn cbc_decrypt<C>(key: &[u8], iv: &[u8], buffer: &mut [u8]) -> Result<usize, DecryptError>
where
    C: cbc::cipher::BlockCipherDecrypt + cbc::cipher::KeyInit,
{
    let decryptor =
        cbc::Decryptor::<C>::new_from_slices(key, iv).map_err(|_| DecryptError::KeyOrIvLength)?;
    unpad(decryptor, buffer)
}

fn unpad<C>(decryptor: cbc::Decryptor<C>, buffer: &mut [u8]) -> Result<usize, DecryptError>
where
    C: cbc::cipher::BlockCipherDecrypt,
{
    decryptor
        .decrypt_padded::<Pkcs7>(buffer)
        .map(<[u8]>::len)
        .map_err(|_| DecryptError::Padding)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_lookups() {
        assert_eq!(name(&SM4_CBC), "SM4-CBC");
        assert_eq!(name(&HMAC_SM3), "HMAC-SM3");
        assert_eq!(name(&oid("1.2.3.4")), "unknown algorithm");
        assert_eq!(Hash::from_prf(&HMAC_SM3), Some(Hash::Sm3));
        assert_eq!(Hash::from_prf(&SHA256), None);
        assert_eq!(Hash::from_digest(&SHA256), Some(Hash::Sha256));
        assert_eq!(Cipher::from_pbes2(&SM4_CBC), Some(Cipher::Sm4));
        assert_eq!(Cipher::from_pbes2(&AES_256_GCM), None);
    }

    #[test]
    fn decrypt_checks_lengths() {
        let key = [7u8; 16];
        let iv = [9u8; 16];
        assert_eq!(
            Cipher::Sm4.decrypt(&key, &iv, &[]),
            Err(DecryptError::CiphertextLength)
        );
        assert_eq!(
            Cipher::Sm4.decrypt(&key, &iv, &[0u8; 17]),
            Err(DecryptError::CiphertextLength)
        );
        assert_eq!(
            Cipher::Sm4.decrypt(&key[..15], &iv, &[0u8; 16]),
            Err(DecryptError::KeyOrIvLength)
        );
        assert_eq!(
            Cipher::Aes256.decrypt(&key, &iv, &[0u8; 16]),
            Err(DecryptError::KeyOrIvLength)
        );
    }

    /// Encrypts with the `cbc` and `sm4` crates, then decrypts with the right and a wrong key.
    #[test]
    fn sm4_cbc_round_trip() {
        use cbc::cipher::{BlockModeEncrypt, KeyIvInit};

        let key = [
            0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef, 0xfe, 0xdc, 0xba, 0x98, 0x76, 0x54,
            0x32, 0x10,
        ];
        let iv = [0x5au8; 16];
        let plaintext = b"private key info bytes";
        let mut buffer = [0u8; 32];
        buffer[..plaintext.len()].copy_from_slice(plaintext);
        let ciphertext = cbc::Encryptor::<sm4::Sm4>::new_from_slices(&key, &iv)
            .unwrap()
            .encrypt_padded::<Pkcs7>(&mut buffer, plaintext.len())
            .unwrap()
            .to_vec();
        let decrypted = Cipher::Sm4.decrypt(&key, &iv, &ciphertext).unwrap();
        assert_eq!(decrypted.as_slice(), plaintext);

        let mut other_key = key;
        other_key[0] ^= 1;
        assert_eq!(
            Cipher::Sm4.decrypt(&other_key, &iv, &ciphertext),
            Err(DecryptError::Padding)
        );
    }
}
