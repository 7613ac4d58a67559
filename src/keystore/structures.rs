//! EncryptedPrivateKeyInfo (RFC 5958) and the choice of decryption scheme by OID, shared by
//! encrypted PKCS#8 files and PKCS#12 shrouded key bags and encrypted contents.

use der::asn1::{Any, ObjectIdentifier, OctetString};
use der::{Decode, EncodingRules, Sequence};
use x509_cert::spki::AlgorithmIdentifierOwned;
use zeroize::Zeroizing;

use super::algorithms::{self, Cipher, DecryptError, PBES2};
use super::{IterationBudget, KeystoreError, Password, pbes2, pkcs12_pbe};
use crate::error::{Error, Result};

/// The schemes [`decrypt`] supports, for messages.
const SUPPORTED_SCHEMES: &str = "PBES2, pbeWithSHAAnd3-KeyTripleDES-CBC, \
     pbeWithSHAAnd2-KeyTripleDES-CBC, pbeWithSHAAnd128BitRC2-CBC, pbeWithSHAAnd40BitRC2-CBC";

/// `EncryptedPrivateKeyInfo ::= SEQUENCE { encryptionAlgorithm, encryptedData OCTET STRING }`
#[derive(Sequence)]
pub(super) struct EncryptedPrivateKeyInfo {
    pub encryption_algorithm: AlgorithmIdentifierOwned,
    pub encrypted_data: OctetString,
}

/// Decodes the parameters of an AlgorithmIdentifier, which the algorithm requires.
pub(super) fn parameters<'a, T>(parameters: Option<&'a Any>, structure: &'static str) -> Result<T>
where
    T: der::Choice<'a> + der::DecodeValue<'a, Error = der::Error>,
{
    let parameters = parameters
        .ok_or_else(|| KeystoreError::malformed(structure, "the parameters are missing"))?;
    parameters
        .decode_as_encoding(EncodingRules::Ber)
        .map_err(|e| KeystoreError::malformed(structure, e))
}

/// Builds the UnsupportedAlgorithm error for `oid`.
pub(super) fn unsupported(
    role: &'static str,
    oid: ObjectIdentifier,
    supported: &'static str,
) -> Error {
    Error::Keystore(KeystoreError::UnsupportedAlgorithm {
        role,
        oid,
        name: algorithms::name(&oid),
        supported,
    })
}

/// Turns a CBC decryption failure into the crate's error: bad padding means a wrong password.
pub(super) fn decrypt_error(error: DecryptError) -> Error {
    match error {
        DecryptError::Padding => Error::WrongPassword("decryption gave invalid padding"),
        DecryptError::CiphertextLength => KeystoreError::malformed(
            "encrypted data",
            "the length is not a whole number of cipher blocks",
        ),
        DecryptError::KeyOrIvLength => {
            KeystoreError::malformed("encryption parameters", "the IV has the wrong length")
        }
    }
}

/// Decrypts `ciphertext` with the password-based scheme named by `algorithm`.
pub(super) fn decrypt(
    algorithm: &AlgorithmIdentifierOwned,
    password: &Password<'_>,
    ciphertext: &[u8],
    budget: &mut IterationBudget,
) -> Result<Zeroizing<Vec<u8>>> {
    let parameters = algorithm.parameters.as_ref();
    if algorithm.oid == PBES2 {
        return pbes2::decrypt(parameters, password.raw(), ciphertext, budget);
    }
    let cipher = match algorithm.oid {
        algorithms::PBE_SHA1_3DES => Cipher::DesEde3,
        algorithms::PBE_SHA1_2DES => Cipher::DesEde2,
        algorithms::PBE_SHA1_RC2_128 => Cipher::Rc2 {
            effective_bits: 128,
        },
        algorithms::PBE_SHA1_RC2_40 => Cipher::Rc2 { effective_bits: 40 },
        other => {
            return Err(unsupported(
                "password-based encryption scheme",
                other,
                SUPPORTED_SCHEMES,
            ));
        }
    };
    pkcs12_pbe::decrypt(cipher, parameters, password.bmp()?, ciphertext, budget)
}

/// Decrypts a DER or BER EncryptedPrivateKeyInfo and returns the PrivateKeyInfo bytes.
///
/// Plaintext that is not a PrivateKeyInfo is reported as a wrong password: a wrong key gives
/// valid padding by chance about once in 256 tries.
pub(super) fn decrypt_encrypted_private_key_info(
    encoded: &[u8],
    password: &Password<'_>,
    budget: &mut IterationBudget,
) -> Result<Zeroizing<Vec<u8>>> {
    let info = EncryptedPrivateKeyInfo::from_ber(encoded)
        .map_err(|e| KeystoreError::malformed("EncryptedPrivateKeyInfo", e))?;
    let plaintext = decrypt(
        &info.encryption_algorithm,
        password,
        info.encrypted_data.as_bytes(),
        budget,
    )?;
    if sm2::pkcs8::PrivateKeyInfoRef::from_der(&plaintext).is_err() {
        return Err(Error::WrongPassword(
            "the decrypted data is not a PKCS#8 private key",
        ));
    }
    Ok(plaintext)
}
