//! SM2 key pairs: reading, generation, signing and verification.

use std::fmt;

use sm2::elliptic_curve::sec1::ToSec1Point;
use sm2::pkcs8::{DecodePrivateKey, EncodePrivateKey};
use zeroize::Zeroizing;

use super::sm2p256::{self, AffinePoint, Scalar};
use super::{SignatureValue, message_digest};
use crate::error::{Error, Result};

/// An SM2 public key (a point on the curve).
///
/// The `sm2` crate's key handles the SEC1 and SubjectPublicKeyInfo encodings, and the same
/// point in this crate's own representation does the verification arithmetic.
#[derive(Clone)]
pub struct PublicKey {
    key: sm2::PublicKey,
    point: AffinePoint,
}

impl PublicKey {
    /// Reads a SEC1 point (uncompressed `04 || x || y` or compressed).
    pub fn from_sec1_bytes(bytes: &[u8]) -> Result<Self> {
        sm2::PublicKey::from_sec1_bytes(bytes)
            .map_err(|_| Error::Key("not a point on the SM2 curve"))
            .and_then(Self::from_sm2)
    }

    /// Reads a DER SubjectPublicKeyInfo (id-ecPublicKey on the SM2 curve).
    pub fn from_spki_der(der: &[u8]) -> Result<Self> {
        use sm2::pkcs8::DecodePublicKey;

        sm2::PublicKey::from_public_key_der(der)
            .map_err(|_| Error::Key("not an SM2 SubjectPublicKeyInfo"))
            .and_then(Self::from_sm2)
    }

    /// Wraps a key that the `sm2` crate has decoded, checking again that it is on the curve.
    fn from_sm2(key: sm2::PublicKey) -> Result<Self> {
        let encoded = key.to_sec1_point(false);
        let bytes = encoded.as_bytes();
        let (Ok(x), Ok(y)) = (bytes[1..33].try_into(), bytes[33..65].try_into()) else {
            return Err(Error::Key("not a point on the SM2 curve"));
        };
        let point = AffinePoint::from_coordinates(x, y)
            .ok_or(Error::Key("not a point on the SM2 curve"))?;
        Ok(Self { key, point })
    }

    /// Builds the key from a point computed by this crate.
    fn from_point(point: AffinePoint) -> Result<Self> {
        let mut bytes = [4u8; 65];
        bytes[1..33].copy_from_slice(&point.x.to_bytes());
        bytes[33..65].copy_from_slice(&point.y.to_bytes());
        let key = sm2::PublicKey::from_sec1_bytes(&bytes)
            .map_err(|_| Error::Key("not a point on the SM2 curve"))?;
        Ok(Self { key, point })
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

    /// Verifies `signature` over a precomputed `e = SM3(Z || M)`. Rejects r or s outside
    /// [1, n-1] as well as signatures that do not match.
    pub fn verify_digest(&self, e: &[u8; 32], signature: &SignatureValue) -> bool {
        sm2p256::verify_prehash(&self.point, e, &signature.r, &signature.s)
    }
}

impl PartialEq for PublicKey {
    fn eq(&self, other: &Self) -> bool {
        self.key == other.key
    }
}

impl Eq for PublicKey {}

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

/// An SM2 private key. The secret scalar and `(1 + d)^-1` are zeroized when the key is
/// dropped, and neither `Debug` nor any error message shows them.
pub struct PrivateKey {
    /// The `sm2` crate's copy of d, for the PKCS#8 encoding.
    secret: sm2::SecretKey,
    /// d, for the signing arithmetic.
    scalar: Zeroizing<Scalar>,
    /// `(1 + d)^-1 mod n`, computed once because every signature needs it. It is 0 when
    /// d = n - 1, a key that cannot sign.
    one_plus_d_inverse: Zeroizing<Scalar>,
    public: PublicKey,
}

impl PrivateKey {
    /// Generates a new key from the operating system's random number generator.
    pub fn generate() -> Result<Self> {
        let d = random_nonzero_scalar()?;
        Self::from_scalar_bytes(&Zeroizing::new(d.to_bytes())[..])
    }

    /// Builds the key from the `sm2` crate's secret key, deriving `d·G` with this crate's
    /// constant-time arithmetic.
    fn from_secret(secret: sm2::SecretKey) -> Result<Self> {
        let bytes = Zeroizing::new(<[u8; 32]>::from(secret.to_bytes()));
        // The sm2 crate keeps secret keys in [1, n-1].
        let scalar = Zeroizing::new(
            Scalar::from_bytes(&bytes).ok_or(Error::Key("the private scalar is not in 1..n-1"))?,
        );
        let point = sm2p256::public_key(&scalar)
            .ok_or(Error::Key("the private scalar is not in 1..n-1"))?;
        let one_plus_d_inverse = Zeroizing::new(scalar.add(&Scalar::ONE).invert());
        Ok(Self {
            secret,
            scalar,
            one_plus_d_inverse,
            public: PublicKey::from_point(point)?,
        })
    }

    /// Reads a private key from the 32-byte big-endian scalar.
    pub fn from_scalar_bytes(bytes: &[u8]) -> Result<Self> {
        let secret = sm2::SecretKey::from_slice(bytes)
            .map_err(|_| Error::Key("the private scalar is not in 1..n-1"))?;
        Self::from_secret(secret)
    }

    /// Reads a DER private key: PKCS#8 PrivateKeyInfo or SEC1 ECPrivateKey.
    pub fn from_der(der: &[u8]) -> Result<Self> {
        let secret = sm2::SecretKey::from_pkcs8_der(der)
            .or_else(|_| sm2::SecretKey::from_sec1_der(der))
            .map_err(|_| Error::Key("not an unencrypted SM2 PKCS#8 or SEC1 private key"))?;
        Self::from_secret(secret)
    }

    /// Reads a PEM private key: `PRIVATE KEY` (PKCS#8) or `EC PRIVATE KEY` (SEC1).
    pub fn from_pem(pem: &[u8]) -> Result<Self> {
        let (label, der) =
            der::pem::decode_vec(pem).map_err(|_| Error::Key("not a PEM document"))?;
        let der = Zeroizing::new(der);
        match label {
            "PRIVATE KEY" | "EC PRIVATE KEY" => Self::from_der(&der),
            "ENCRYPTED PRIVATE KEY" => Err(Error::Key(
                "encrypted private keys are not supported yet; decrypt the key first",
            )),
            _ => Err(Error::Key(
                "the PEM label is not PRIVATE KEY or EC PRIVATE KEY",
            )),
        }
    }

    /// Reads a private key from PEM or DER bytes, whichever they are.
    pub fn from_pem_or_der(bytes: &[u8]) -> Result<Self> {
        if bytes.starts_with(b"-----")
            || bytes.iter().take(64).all(u8::is_ascii) && bytes.windows(5).any(|w| w == b"-----")
        {
            Self::from_pem(bytes)
        } else {
            Self::from_der(bytes)
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

    /// Signs a precomputed `e = SM3(Z || M)` with a fresh random k from the operating system.
    /// Fails with [`Error::SignatureInvalid`] for the key d = n - 1, because 1 + d has no
    /// inverse mod n.
    pub fn sign_digest(&self, e: &[u8; 32]) -> Result<SignatureValue> {
        if self.one_plus_d_inverse.is_zero() {
            return Err(Error::SignatureInvalid);
        }
        loop {
            let k = random_nonzero_scalar()?;
            let Some((r, s)) = sm2p256::sign_prehash(&self.scalar, &self.one_plus_d_inverse, e, &k)
            else {
                continue;
            };
            return Ok(SignatureValue {
                r: r.to_bytes(),
                s: s.to_bytes(),
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

/// Draws a uniform scalar in [1, n-1] from the operating system's random number generator.
fn random_nonzero_scalar() -> Result<Zeroizing<Scalar>> {
    let mut bytes = Zeroizing::new([0u8; 32]);
    // Rejection sampling: n is close to 2^256, so a retry is rare.
    loop {
        getrandom::fill(bytes.as_mut()).map_err(|_| Error::Rng)?;
        if let Some(scalar) = Scalar::from_bytes(&bytes) {
            let scalar = Zeroizing::new(scalar);
            if !scalar.is_zero() {
                return Ok(scalar);
            }
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
