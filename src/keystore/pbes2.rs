//! PBES2 with PBKDF2 (RFC 8018 sections 5.2 and 6.2, ASN.1 in appendix A.2 and A.4).

use der::Sequence;
use der::asn1::{Any, OctetString};
use x509_cert::spki::AlgorithmIdentifierOwned;
use zeroize::Zeroizing;

use super::algorithms::{Cipher, Hash, PBKDF2, SUPPORTED_PBES2_CIPHERS, SUPPORTED_PRFS};
use super::structures::{decrypt_error, parameters, unsupported};
use super::{IterationBudget, KeystoreError, check_salt_len};
use crate::error::Result;

/// `PBES2-params ::= SEQUENCE { keyDerivationFunc, encryptionScheme }`
#[derive(Sequence)]
pub(super) struct Pbes2Params {
    pub key_derivation_func: AlgorithmIdentifierOwned,
    pub encryption_scheme: AlgorithmIdentifierOwned,
}

/// `PBKDF2-params`. The salt CHOICE `otherSource` is not supported, and OpenSSL and GmSSL
/// write `specified`.
#[derive(Sequence)]
pub(super) struct Pbkdf2Params {
    pub salt: OctetString,
    /// Decoded as u64 so that a count over [`super::MAX_ITERATIONS`] is reported as such.
    pub iteration_count: u64,
    pub key_length: Option<u64>,
    /// `DEFAULT algid-hmacWithSHA1`.
    pub prf: Option<AlgorithmIdentifierOwned>,
}

/// Decrypts `ciphertext` with PBES2: PBKDF2 derives the key from `password` (the bytes as
/// given), and the encryption scheme's CBC cipher decrypts.
pub(super) fn decrypt(
    pbes2_parameters: Option<&Any>,
    password: &[u8],
    ciphertext: &[u8],
    budget: &mut IterationBudget,
) -> Result<Zeroizing<Vec<u8>>> {
    let pbes2: Pbes2Params = parameters(pbes2_parameters, "PBES2-params")?;

    let kdf = &pbes2.key_derivation_func;
    if kdf.oid != PBKDF2 {
        return Err(unsupported(
            "PBES2 key derivation function",
            kdf.oid,
            "PBKDF2",
        ));
    }
    let kdf: Pbkdf2Params = parameters(kdf.parameters.as_ref(), "PBKDF2-params")?;
    let hash = match &kdf.prf {
        None => Hash::Sha1,
        Some(prf) => Hash::from_prf(&prf.oid)
            .ok_or_else(|| unsupported("PBKDF2 pseudo-random function", prf.oid, SUPPORTED_PRFS))?,
    };

    let scheme = &pbes2.encryption_scheme;
    let cipher = Cipher::from_pbes2(&scheme.oid).ok_or_else(|| {
        unsupported(
            "PBES2 encryption scheme",
            scheme.oid,
            SUPPORTED_PBES2_CIPHERS,
        )
    })?;
    let iv: OctetString = parameters(scheme.parameters.as_ref(), "PBES2 encryption scheme IV")?;
    if iv.as_bytes().len() != cipher.block_len() {
        return Err(KeystoreError::malformed(
            "PBES2 encryption scheme IV",
            format!(
                "the IV is {} bytes, the cipher needs {}",
                iv.as_bytes().len(),
                cipher.block_len()
            ),
        ));
    }
    if let Some(key_length) = kdf.key_length {
        if key_length != cipher.key_len() as u64 {
            return Err(KeystoreError::malformed(
                "PBKDF2-params",
                format!(
                    "keyLength is {key_length}, the cipher needs {}",
                    cipher.key_len()
                ),
            ));
        }
    }

    check_salt_len("PBKDF2 salt length", kdf.salt.as_bytes())?;
    budget.spend("PBKDF2 iteration count", kdf.iteration_count, 1)?;
    // `spend` rejects counts over MAX_ITERATIONS, which fits in u32.
    let iterations = u32::try_from(kdf.iteration_count)
        .map_err(|_| KeystoreError::malformed("PBKDF2-params", "iterationCount is too large"))?;

    let mut key = Zeroizing::new([0u8; 32]);
    let key = &mut key[..cipher.key_len()];
    hash.pbkdf2(password, kdf.salt.as_bytes(), iterations, key);
    cipher
        .decrypt(key, iv.as_bytes(), ciphertext)
        .map_err(decrypt_error)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;
    use der::asn1::ObjectIdentifier;

    fn algorithm(oid: &str, parameters: Option<Any>) -> AlgorithmIdentifierOwned {
        AlgorithmIdentifierOwned {
            oid: ObjectIdentifier::new_unwrap(oid),
            parameters,
        }
    }

    fn pbes2_parameters(iterations: u64, prf: &str, cipher: &str, iv_len: usize) -> Any {
        let kdf = Pbkdf2Params {
            salt: OctetString::new(vec![1u8; 8]).unwrap(),
            iteration_count: iterations,
            key_length: None,
            prf: Some(algorithm(prf, None)),
        };
        let iv = OctetString::new(vec![2u8; iv_len]).unwrap();
        let pbes2 = Pbes2Params {
            key_derivation_func: algorithm(
                "1.2.840.113549.1.5.12",
                Some(Any::encode_from(&kdf).unwrap()),
            ),
            encryption_scheme: algorithm(cipher, Some(Any::encode_from(&iv).unwrap())),
        };
        Any::encode_from(&pbes2).unwrap()
    }

    const HMAC_SM3: &str = "1.2.156.10197.1.401.2";
    const SM4_CBC: &str = "1.2.156.10197.1.104.2";

    #[test]
    fn iteration_count_over_limit_is_rejected_before_derivation() {
        let parameters = pbes2_parameters(20_000_000, HMAC_SM3, SM4_CBC, 16);
        let result = decrypt(
            Some(&parameters),
            b"pw",
            &[0u8; 16],
            &mut IterationBudget::new(),
        );
        assert!(matches!(
            result,
            Err(Error::Keystore(KeystoreError::LimitExceeded {
                value: 20_000_000,
                ..
            }))
        ));
    }

    #[test]
    fn unsupported_prf_and_cipher_name_the_oid() {
        let parameters = pbes2_parameters(1, "1.2.840.113549.2.12", SM4_CBC, 16);
        let error = decrypt(
            Some(&parameters),
            b"pw",
            &[0u8; 16],
            &mut IterationBudget::new(),
        )
        .unwrap_err();
        assert!(error.to_string().contains("1.2.840.113549.2.12"), "{error}");

        let gcm = "2.16.840.1.101.3.4.1.46";
        let parameters = pbes2_parameters(1, HMAC_SM3, gcm, 12);
        let error = decrypt(
            Some(&parameters),
            b"pw",
            &[0u8; 16],
            &mut IterationBudget::new(),
        )
        .unwrap_err();
        assert!(
            error
                .to_string()
                .contains("AES-256-GCM (2.16.840.1.101.3.4.1.46)"),
            "{error}"
        );
    }

    #[test]
    fn wrong_iv_length_is_malformed() {
        let parameters = pbes2_parameters(1, HMAC_SM3, SM4_CBC, 8);
        assert!(matches!(
            decrypt(
                Some(&parameters),
                b"pw",
                &[0u8; 16],
                &mut IterationBudget::new()
            ),
            Err(Error::Keystore(KeystoreError::Malformed { .. }))
        ));
    }

    #[test]
    fn missing_parameters_are_malformed() {
        assert!(matches!(
            decrypt(None, b"pw", &[0u8; 16], &mut IterationBudget::new()),
            Err(Error::Keystore(KeystoreError::Malformed { .. }))
        ));
    }
}
