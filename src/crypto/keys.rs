//! SM2 key pairs: reading, generation, signing and verification.

use std::fmt;
use std::sync::Arc;

use sm2::elliptic_curve::sec1::ToSec1Point;
use sm2::pkcs8::{DecodePrivateKey, EncodePrivateKey};
use zeroize::Zeroizing;

use super::sm2p256::{self, AffinePoint, FixedBaseTable, Scalar};
use super::{SignatureValue, message_digest};
use crate::error::{Error, Result};
use crate::keystore::{self, KeyFormat, KeystoreError};

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

/// A public key with a table of precomputed multiples, for verifying many signatures made
/// with one key, such as a seal maker's or a signer's across a batch.
///
/// The table takes 88 KiB and costs about as much to build as ten verifications with
/// [`PublicKey::verify_digest`]; each verification with it is then about three times as fast
/// (13 µs against 47 µs on the development machine).
/// The results are the same. Cloning shares the table.
#[derive(Clone)]
pub struct PublicKeyTable {
    key: PublicKey,
    table: Arc<FixedBaseTable>,
}

impl PublicKeyTable {
    /// Builds the table of `key`.
    pub fn new(key: &PublicKey) -> Self {
        Self {
            key: key.clone(),
            table: Arc::new(FixedBaseTable::new(&key.point)),
        }
    }

    /// The key.
    pub fn public_key(&self) -> &PublicKey {
        &self.key
    }

    /// Verifies `signature` over a precomputed `e = SM3(Z || M)`, like
    /// [`PublicKey::verify_digest`].
    pub fn verify_digest(&self, e: &[u8; 32], signature: &SignatureValue) -> bool {
        sm2p256::verify_prehash_with_table(&self.table, e, &signature.r, &signature.s)
    }
}

impl fmt::Debug for PublicKeyTable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("PublicKeyTable").field(&self.key).finish()
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
        Self::from_secret(secret)
    }

    /// Reads a PKCS#8 PrivateKeyInfo from a decrypted key or a PKCS#12 keyBag; it must contain
    /// an SM2 key.
    pub(crate) fn from_private_key_info(der: &[u8]) -> Result<Self> {
        let secret = sm2::SecretKey::from_pkcs8_der(der)
            .map_err(|_| Error::Key("the PKCS#8 key is not an SM2 private key"))?;
        Self::from_secret(secret)
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

    /// n - 1, the largest private scalar the `sm2` crate accepts.
    const ORDER_MINUS_ONE: &str =
        "FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54122";

    fn scalar_bytes(hex: &str) -> Vec<u8> {
        (0..hex.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
            .collect()
    }

    fn small_scalar(value: u8) -> [u8; 32] {
        let mut bytes = [0u8; 32];
        bytes[31] = value;
        bytes
    }

    fn sm2_verifying_key(key: &PublicKey) -> sm2::dsa::VerifyingKey {
        sm2::dsa::VerifyingKey::new("1234567812345678", key.key).unwrap()
    }

    #[test]
    fn public_key_matches_sm2_crate() {
        let mut scalars = vec![
            small_scalar(1).to_vec(),
            small_scalar(2).to_vec(),
            scalar_bytes(ORDER_MINUS_ONE),
        ];
        for _ in 0..4 {
            let mut bytes = [0u8; 32];
            getrandom::fill(&mut bytes).unwrap();
            bytes[0] &= 0x7f;
            scalars.push(bytes.to_vec());
        }
        for bytes in scalars {
            let ours = PrivateKey::from_scalar_bytes(&bytes).unwrap();
            let theirs = sm2::SecretKey::from_slice(&bytes).unwrap().public_key();
            assert_eq!(
                ours.public_key().to_sec1_bytes(),
                theirs.to_sec1_point(false).as_bytes(),
                "d = {bytes:x?}"
            );
        }
    }

    #[test]
    fn signatures_cross_verify_with_sm2_crate() {
        use sm2::dsa::signature::Signer;

        for length in [0usize, 1, 31, 64, 200] {
            let key = PrivateKey::generate().unwrap();
            let message: Vec<u8> = (0..length).map(|i| (i * 31 + length) as u8).collect();
            let verifying_key = sm2_verifying_key(key.public_key());

            let ours = key.sign(DEFAULT_SM2_ID, &message).unwrap();
            let as_theirs = sm2::dsa::Signature::from_scalars(ours.r, ours.s).unwrap();
            assert!(
                verifying_key.verify(&message, &as_theirs).is_ok(),
                "length {length}"
            );

            let secret = sm2::SecretKey::from_slice(&key.secret.to_bytes()).unwrap();
            let signing_key = sm2::dsa::SigningKey::new("1234567812345678", &secret).unwrap();
            let theirs: sm2::dsa::Signature = signing_key.sign(&message);
            let value = SignatureValue {
                r: theirs.r().to_bytes().into(),
                s: theirs.s().to_bytes().into(),
            };
            assert!(
                key.public_key().verify(DEFAULT_SM2_ID, &message, &value),
                "length {length}"
            );
        }
    }

    #[test]
    fn small_scalar_keys_sign() {
        for d in [1u8, 2, 3, 16, 255] {
            let key = PrivateKey::from_scalar_bytes(&small_scalar(d)).unwrap();
            let signature = key.sign(DEFAULT_SM2_ID, b"small key").unwrap();
            assert!(
                key.public_key()
                    .verify(DEFAULT_SM2_ID, b"small key", &signature)
            );
            let theirs = sm2::dsa::Signature::from_scalars(signature.r, signature.s).unwrap();
            let verifying_key = sm2_verifying_key(key.public_key());
            assert!(
                verifying_key.verify(b"small key", &theirs).is_ok(),
                "d = {d}"
            );
        }
    }

    /// The signature example on the SM2 recommended curve from GM/T 0003.5-2012, with the
    /// fixed nonce k of the example, as other SM2 implementations use it in their tests.
    #[test]
    fn standard_example_signature() {
        let d = scalar_bytes("3945208F7B2144B13F36E38AC6D39F95889393692860B51A42FB81EF4DF7C5B8");
        let k = scalar_bytes("59276E27D506861A16680F3AD9C02DCCEF3CC1FA3CDBE4CE6D54B80DEAC1BC21");
        let expected_public = scalar_bytes(concat!(
            "04",
            "09F9DF311E5421A150DD7D161E4BC5C672179FAD1833FC076BB08FF356F35020",
            "CCEA490CE26775A52DC6EA718CC1AA600AED05FBF35E084A6632F6072DA9AD13"
        ));
        let expected_r =
            scalar_bytes("F5A03B0648D2C4630EEAC513E1BB81A15944DA3827D5B74143AC7EACEEE720B3");
        let expected_s =
            scalar_bytes("B1B6AA29DF212FD8763182BC0D421CA1BB9038FD1F7F42D4840B69C485BBC1AA");

        let key = PrivateKey::from_scalar_bytes(&d).unwrap();
        assert_eq!(key.public_key().to_sec1_bytes(), expected_public);

        let e = message_digest(key.public_key(), DEFAULT_SM2_ID, b"message digest").unwrap();
        let k = Scalar::from_bytes(&k.try_into().unwrap()).unwrap();
        let (r, s) = sm2p256::sign_prehash(&key.scalar, &key.one_plus_d_inverse, &e, &k).unwrap();
        assert_eq!(r.to_bytes().to_vec(), expected_r);
        assert_eq!(s.to_bytes().to_vec(), expected_s);

        let signature = SignatureValue {
            r: r.to_bytes(),
            s: s.to_bytes(),
        };
        assert!(
            key.public_key()
                .verify(DEFAULT_SM2_ID, b"message digest", &signature)
        );
    }

    #[test]
    fn off_curve_public_key_is_rejected() {
        let key = PrivateKey::from_scalar_bytes(&small_scalar(1)).unwrap();
        let mut bytes = key.public_key().to_sec1_bytes();
        assert!(PublicKey::from_sec1_bytes(&bytes).is_ok());
        bytes[64] ^= 1;
        assert!(matches!(
            PublicKey::from_sec1_bytes(&bytes),
            Err(Error::Key(_))
        ));
    }

    #[test]
    fn key_n_minus_one_cannot_sign() {
        // 1 + d = n has no inverse mod n.
        let key = PrivateKey::from_scalar_bytes(&scalar_bytes(ORDER_MINUS_ONE)).unwrap();
        assert!(matches!(
            key.sign(DEFAULT_SM2_ID, b"message"),
            Err(Error::SignatureInvalid)
        ));
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
