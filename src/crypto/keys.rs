//! SM2 key pairs: reading, generation, signing and verification.

use std::fmt;

use sm2::elliptic_curve::ops::Reduce;
use sm2::elliptic_curve::point::AffineCoordinates;
use sm2::elliptic_curve::sec1::ToSec1Point;
use sm2::elliptic_curve::{Group, PrimeField};
use sm2::pkcs8::{DecodePrivateKey, EncodePrivateKey};
use sm2::{FieldBytes, NonZeroScalar, ProjectivePoint, Scalar};
use zeroize::Zeroizing;

use super::{SignatureValue, message_digest};
use crate::error::{Error, Result};
use crate::keystore::{self, KeyFormat, KeystoreError};

/// An SM2 public key (a point on the curve).
#[derive(Clone, PartialEq, Eq)]
pub struct PublicKey {
    key: sm2::PublicKey,
}

impl PublicKey {
    /// Reads a SEC1 point (uncompressed `04 || x || y` or compressed).
    pub fn from_sec1_bytes(bytes: &[u8]) -> Result<Self> {
        sm2::PublicKey::from_sec1_bytes(bytes)
            .map(|key| Self { key })
            .map_err(|_| Error::Key("not a point on the SM2 curve"))
    }

    /// Reads a DER SubjectPublicKeyInfo (id-ecPublicKey on the SM2 curve).
    pub fn from_spki_der(der: &[u8]) -> Result<Self> {
        use sm2::pkcs8::DecodePublicKey;

        sm2::PublicKey::from_public_key_der(der)
            .map(|key| Self { key })
            .map_err(|_| Error::Key("not an SM2 SubjectPublicKeyInfo"))
    }

    /// Reads a PEM `PUBLIC KEY` (SubjectPublicKeyInfo).
    pub fn from_pem(pem: &[u8]) -> Result<Self> {
        let (label, der) =
            der::pem::decode_vec(pem).map_err(|_| Error::Key("not a PEM document"))?;
        if label != "PUBLIC KEY" {
            return Err(Error::Key("the PEM label is not PUBLIC KEY"));
        }
        Self::from_spki_der(&der)
    }

    /// The uncompressed SEC1 encoding `04 || x || y`.
    pub fn to_sec1_bytes(&self) -> Vec<u8> {
        self.key.to_sec1_point(false).as_bytes().to_vec()
    }

    pub(crate) fn coordinates(&self) -> ([u8; 32], [u8; 32]) {
        let point = self.key.to_sec1_point(false);
        let bytes = point.as_bytes();
        let mut x = [0u8; 32];
        let mut y = [0u8; 32];
        x.copy_from_slice(&bytes[1..33]);
        y.copy_from_slice(&bytes[33..65]);
        (x, y)
    }

    /// Verifies `signature` over `message` with the signer's `id`.
    pub fn verify(&self, id: &[u8], message: &[u8], signature: &SignatureValue) -> bool {
        match message_digest(self, id, message) {
            Some(e) => self.verify_digest(&e, signature),
            None => false,
        }
    }

    /// Verifies `signature` over a precomputed `e = SM3(Z || M)`.
    pub fn verify_digest(&self, e: &[u8; 32], signature: &SignatureValue) -> bool {
        use sm2::dsa::signature::hazmat::PrehashVerifier;

        let Ok(signature) = sm2::dsa::Signature::from_scalars(signature.r, signature.s) else {
            return false;
        };
        // The distinguishing ID given here only feeds the crate's own Z, which a prehash
        // verification does not use.
        let Ok(verifying_key) = sm2::dsa::VerifyingKey::new("1234567812345678", self.key) else {
            return false;
        };
        verifying_key.verify_prehash(e, &signature).is_ok()
    }
}

impl fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let hex: String = self
            .to_sec1_bytes()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        f.debug_tuple("PublicKey").field(&hex).finish()
    }
}

/// An SM2 private key. The secret scalar is zeroized when the key is dropped, and neither
/// `Debug` nor any error message shows it.
pub struct PrivateKey {
    secret: sm2::SecretKey,
    public: PublicKey,
}

impl PrivateKey {
    /// Generates a new key from the operating system's random number generator.
    pub fn generate() -> Result<Self> {
        let d = random_nonzero_scalar()?;
        Self::from_scalar(&d)
    }

    fn from_scalar(d: &NonZeroScalar) -> Result<Self> {
        let secret = sm2::SecretKey::from(d);
        let public = PublicKey {
            key: secret.public_key(),
        };
        Ok(Self { secret, public })
    }

    /// Reads a private key from the 32-byte big-endian scalar.
    pub fn from_scalar_bytes(bytes: &[u8]) -> Result<Self> {
        let secret = sm2::SecretKey::from_slice(bytes)
            .map_err(|_| Error::Key("the private scalar is not in 1..n-1"))?;
        Ok(Self::from_secret(secret))
    }

    /// Reads a DER private key: PKCS#8 PrivateKeyInfo or SEC1 ECPrivateKey.
    ///
    /// An encrypted key gives [`KeystoreError::PasswordRequired`]; read it with
    /// [`Self::from_encrypted_der`] or [`Self::from_pem_or_der_with_password`].
    pub fn from_der(der: &[u8]) -> Result<Self> {
        let secret = sm2::SecretKey::from_pkcs8_der(der)
            .or_else(|_| sm2::SecretKey::from_sec1_der(der))
            .map_err(|_| match KeyFormat::detect(der) {
                KeyFormat::EncryptedPkcs8 => {
                    Error::Keystore(KeystoreError::PasswordRequired("private key"))
                }
                KeyFormat::Pkcs12 => Error::Keystore(KeystoreError::IsPkcs12),
                _ => Error::Key("not an unencrypted SM2 PKCS#8 or SEC1 private key"),
            })?;
        Ok(Self::from_secret(secret))
    }

    /// Reads a PKCS#8 PrivateKeyInfo from a decrypted key or a PKCS#12 keyBag; it must contain
    /// an SM2 key.
    pub(crate) fn from_private_key_info(der: &[u8]) -> Result<Self> {
        let secret = sm2::SecretKey::from_pkcs8_der(der)
            .map_err(|_| Error::Key("the PKCS#8 key is not an SM2 private key"))?;
        Ok(Self::from_secret(secret))
    }

    fn from_secret(secret: sm2::SecretKey) -> Self {
        let public = PublicKey {
            key: secret.public_key(),
        };
        Self { secret, public }
    }

    /// Reads a PEM private key: `PRIVATE KEY` (PKCS#8) or `EC PRIVATE KEY` (SEC1).
    ///
    /// `ENCRYPTED PRIVATE KEY` gives [`KeystoreError::PasswordRequired`].
    pub fn from_pem(pem: &[u8]) -> Result<Self> {
        let (label, der) = der::pem::decode_vec(keystore::trim_to_pem(pem))
            .map_err(|_| Error::Key("not a PEM document"))?;
        let der = Zeroizing::new(der);
        match label {
            "PRIVATE KEY" | "EC PRIVATE KEY" => Self::from_der(&der),
            "ENCRYPTED PRIVATE KEY" => Err(Error::Keystore(KeystoreError::PasswordRequired(
                "private key",
            ))),
            _ => Err(Error::Key(
                "the PEM label is not PRIVATE KEY or EC PRIVATE KEY",
            )),
        }
    }

    /// Reads a private key from PEM or DER bytes, whichever they are.
    pub fn from_pem_or_der(bytes: &[u8]) -> Result<Self> {
        if keystore::is_pem(bytes) {
            Self::from_pem(bytes)
        } else {
            Self::from_der(bytes)
        }
    }

    /// Reads an encrypted PKCS#8 key (DER EncryptedPrivateKeyInfo) with its password.
    ///
    /// The schemes are listed in [`crate::keystore`]. A wrong password is
    /// [`Error::WrongPassword`]; an unsupported scheme is
    /// [`KeystoreError::UnsupportedAlgorithm`] with the OID.
    pub fn from_encrypted_der(der: &[u8], password: &[u8]) -> Result<Self> {
        let private_key_info = keystore::decrypt_private_key_info(der, password)?;
        Self::from_private_key_info(&private_key_info)
    }

    /// Reads an encrypted PKCS#8 PEM key (label `ENCRYPTED PRIVATE KEY`) with its password.
    pub fn from_encrypted_pem(pem: &[u8], password: &[u8]) -> Result<Self> {
        let (label, der) = der::pem::decode_vec(keystore::trim_to_pem(pem))
            .map_err(|_| Error::Key("not a PEM document"))?;
        if label != "ENCRYPTED PRIVATE KEY" {
            return Err(Error::Key("the PEM label is not ENCRYPTED PRIVATE KEY"));
        }
        Self::from_encrypted_der(&der, password)
    }

    /// Reads an encrypted or unencrypted private key from PEM or DER bytes: encrypted PKCS#8,
    /// PKCS#8 or SEC1. The password is used only when the key is encrypted, and an encrypted
    /// key without one gives [`KeystoreError::PasswordRequired`]. A PKCS#12 file gives
    /// [`KeystoreError::IsPkcs12`]: open it with [`crate::keystore::Pkcs12`].
    pub fn from_pem_or_der_with_password(bytes: &[u8], password: Option<&[u8]>) -> Result<Self> {
        match (KeyFormat::detect(bytes), password) {
            (KeyFormat::EncryptedPkcs8, Some(password)) => {
                if keystore::is_pem(bytes) {
                    Self::from_encrypted_pem(bytes, password)
                } else {
                    Self::from_encrypted_der(bytes, password)
                }
            }
            _ => Self::from_pem_or_der(bytes),
        }
    }

    /// Writes the key as an unencrypted PKCS#8 PEM document.
    pub fn to_pkcs8_pem(&self) -> Result<Zeroizing<String>> {
        self.secret
            .to_pkcs8_pem(der::pem::LineEnding::LF)
            .map_err(|_| Error::Key("cannot encode the private key as PKCS#8"))
    }

    /// The matching public key.
    pub fn public_key(&self) -> &PublicKey {
        &self.public
    }

    /// Signs `message` with the signer's `id` (use [`super::DEFAULT_SM2_ID`] unless told otherwise).
    pub fn sign(&self, id: &[u8], message: &[u8]) -> Result<SignatureValue> {
        let e = message_digest(&self.public, id, message)
            .ok_or(Error::Key("the SM2 user ID is longer than 8191 bytes"))?;
        self.sign_digest(&e)
    }

    /// Signs a precomputed `e = SM3(Z || M)`.
    pub fn sign_digest(&self, e: &[u8; 32]) -> Result<SignatureValue> {
        let d = Zeroizing::new(*self.secret.to_nonzero_scalar());
        let one_plus_d_inv = Zeroizing::new(
            Option::<Scalar>::from((Scalar::ONE + *d).invert()).ok_or(Error::SignatureInvalid)?,
        );
        let e_scalar = <Scalar as Reduce<FieldBytes>>::reduce(&FieldBytes::from(*e));
        loop {
            let k = Zeroizing::new(*random_nonzero_scalar()?);
            let point = (ProjectivePoint::generator() * *k).to_affine();
            let x1 = <Scalar as Reduce<FieldBytes>>::reduce(&point.x());
            let r = e_scalar + x1;
            if bool::from(r.is_zero()) || bool::from((r + *k).is_zero()) {
                continue;
            }
            let s = *one_plus_d_inv * (*k - r * *d);
            if bool::from(s.is_zero()) {
                continue;
            }
            return Ok(SignatureValue {
                r: r.to_repr().into(),
                s: s.to_repr().into(),
            });
        }
    }
}

impl fmt::Debug for PrivateKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PrivateKey")
            .field("public", &self.public)
            .finish_non_exhaustive()
    }
}

fn random_nonzero_scalar() -> Result<NonZeroScalar> {
    let mut bytes = Zeroizing::new([0u8; 32]);
    // Rejection sampling: n is close to 2^256, so a retry is rare.
    loop {
        getrandom::fill(bytes.as_mut()).map_err(|_| Error::Rng)?;
        let candidate: Option<NonZeroScalar> =
            NonZeroScalar::from_repr(FieldBytes::from(*bytes)).into();
        if let Some(scalar) = candidate {
            return Ok(scalar);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::DEFAULT_SM2_ID;
    use sm2::dsa::signature::Verifier;

    #[test]
    fn sign_then_verify() {
        let key = PrivateKey::generate().unwrap();
        let signature = key.sign(DEFAULT_SM2_ID, b"message").unwrap();
        assert!(
            key.public_key()
                .verify(DEFAULT_SM2_ID, b"message", &signature)
        );
        assert!(
            !key.public_key()
                .verify(DEFAULT_SM2_ID, b"messagf", &signature)
        );
        assert!(
            !key.public_key()
                .verify(b"another id", b"message", &signature)
        );
    }

    #[test]
    fn signature_verifies_in_sm2_crate() {
        let key = PrivateKey::generate().unwrap();
        let signature = key.sign(DEFAULT_SM2_ID, b"cross check").unwrap();
        let verifying_key =
            sm2::dsa::VerifyingKey::new("1234567812345678", key.public.key).unwrap();
        let theirs = sm2::dsa::Signature::from_scalars(signature.r, signature.s).unwrap();
        assert!(verifying_key.verify(b"cross check", &theirs).is_ok());
    }

    #[test]
    fn other_key_does_not_verify() {
        let key = PrivateKey::generate().unwrap();
        let other = PrivateKey::generate().unwrap();
        let signature = key.sign(DEFAULT_SM2_ID, b"message").unwrap();
        assert!(
            !other
                .public_key()
                .verify(DEFAULT_SM2_ID, b"message", &signature)
        );
    }

    #[test]
    fn debug_hides_secret() {
        let key = PrivateKey::from_scalar_bytes(&[0x11; 32]).unwrap();
        let text = format!("{key:?}");
        assert!(!text.contains("1111111111"));
    }

    #[test]
    fn pkcs8_round_trip() {
        let key = PrivateKey::generate().unwrap();
        let pem = key.to_pkcs8_pem().unwrap();
        let again = PrivateKey::from_pem(pem.as_bytes()).unwrap();
        assert_eq!(again.public_key(), key.public_key());
    }
}
