//! SM2 signatures with SM3 and the Z value (GM/T 0003, GM/T 0009), and SM3 digests.
//!
//! Signing computes `e = SM3(Z || M)` with `Z = SM3(ENTL || ID || a || b || xG || yG || xA || yA)`,
//! picks a fresh random `k`, and returns `r = (e + x1) mod n`,
//! `s = (1 + d)^-1 (k - r d) mod n`, retrying when `r = 0`, `r + k = n` or `s = 0`.
//! Verification recomputes `(e + x1) mod n` from `s·G + (r + s)·P`. Both run on this crate's
//! own curve arithmetic in the private `sm2p256` module, which is specialised for the SM2 prime.
//! The `sm2` crate still reads and writes the key encodings (SEC1, SubjectPublicKeyInfo, PKCS#8).

mod keys;
mod signature_value;
mod sm2p256;
pub(crate) mod sm3_lanes;

pub use keys::{PrivateKey, PublicKey, PublicKeyTable};
pub use signature_value::SignatureValue;

use sm3::{Digest, Sm3};

/// The default SM2 user ID of GM/T 0009, used by every producer seen so far.
pub const DEFAULT_SM2_ID: &[u8] = b"1234567812345678";

/// The SM2 user ID with which a certificate's or CRL's signature verified.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CertificateSignatureId {
    /// The default ID, as GB/T 38540 and GM/T 0015 certificates are signed.
    Default,
    /// An empty ID, as OpenSSL 3 signs certificates and CRLs when no ID is set. Read as a
    /// tolerance and reported as a finding.
    Empty,
}

/// Verifies the SM2 signature of a certificate or CRL over `message`, first with the default
/// ID and then with an empty one. Returns the ID that verified.
pub(crate) fn verify_certificate_signature(
    key: &PublicKey,
    message: &[u8],
    signature: &SignatureValue,
) -> Option<CertificateSignatureId> {
    if key.verify(DEFAULT_SM2_ID, message, signature) {
        Some(CertificateSignatureId::Default)
    } else if key.verify(b"", message, signature) {
        Some(CertificateSignatureId::Empty)
    } else {
        None
    }
}

/// SM2 curve coefficient a (GM/T 0003.5).
const CURVE_A: [u8; 32] = hex32("FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFC");
/// SM2 curve coefficient b.
const CURVE_B: [u8; 32] = hex32("28E9FA9E9D9F5E344D5A9E4BCF6509A7F39789F515AB8F92DDBCBD414D940E93");
/// x coordinate of the base point G.
const GX: [u8; 32] = hex32("32C4AE2C1F1981195F9904466A39C9948FE30BBFF2660BE1715A4589334C74C7");
/// y coordinate of the base point G.
const GY: [u8; 32] = hex32("BC3736A2F4F6779C59BDCEE36B692153D0A9877CC62A474002DF32E52139F0A0");

const fn hex32(text: &str) -> [u8; 32] {
    let bytes = text.as_bytes();
    let mut out = [0u8; 32];
    let mut i = 0;
    while i < 32 {
        out[i] = (nibble(bytes[2 * i]) << 4) | nibble(bytes[2 * i + 1]);
        i += 1;
    }
    out
}

const fn nibble(c: u8) -> u8 {
    match c {
        b'0'..=b'9' => c - b'0',
        b'A'..=b'F' => c - b'A' + 10,
        b'a'..=b'f' => c - b'a' + 10,
        _ => panic!("not a hex digit"),
    }
}

/// Anything that makes SM2 signatures: a [`PrivateKey`] in memory, or a USB key (SKF), a
/// hardware security module (SDF) or a seal server that the application connects.
///
/// eseal computes Z and `e = SM3(Z || M)` with the certificate's public key and asks only for
/// the signature of `e`. It then verifies the returned signature against the certificate, so
/// a signer that answers with a wrong signature is caught before anything is written.
pub trait Signer {
    /// The signer's public key when it is known in advance; used to refuse a key that does not
    /// match the certificate before signing. External devices may return `None`.
    fn public_key(&self) -> Option<PublicKey>;

    /// Signs the prehashed value `e = SM3(Z || M)` and returns (r, s).
    fn sign_digest(&self, e: &[u8; 32]) -> crate::error::Result<SignatureValue>;
}

impl Signer for PrivateKey {
    fn public_key(&self) -> Option<PublicKey> {
        Some(PrivateKey::public_key(self).clone())
    }

    fn sign_digest(&self, e: &[u8; 32]) -> crate::error::Result<SignatureValue> {
        PrivateKey::sign_digest(self, e)
    }
}

/// Signs `message` with `signer` for the certificate key `public_key`, and verifies the result
/// with that key before returning it.
pub(crate) fn sign_checked(
    signer: &dyn Signer,
    public_key: &PublicKey,
    id: &[u8],
    message: &[u8],
) -> crate::error::Result<SignatureValue> {
    let e = message_digest(public_key, id, message).ok_or(crate::error::Error::Key(
        "the SM2 user ID is longer than 8191 bytes",
    ))?;
    let value = signer.sign_digest(&e)?;
    if !public_key.verify_digest(&e, &value) {
        return Err(crate::error::Error::SignatureInvalid);
    }
    Ok(value)
}

/// Computes the SM3 digest of `data`.
pub fn sm3(data: &[u8]) -> [u8; 32] {
    Sm3::digest(data).into()
}

/// Computes the SM3 digest of each of `messages`, in the same order.
///
/// Independent digests run side by side, up to eight at a time in the SIMD lanes of an x86-64
/// processor with AVX2: eight 4 KiB documents take about as long as one. On other processors
/// the digests run one after another. The results are the same as [`sm3`] gives.
pub fn sm3_many(messages: &[&[u8]]) -> Vec<[u8; 32]> {
    let parts: Vec<[&[u8]; 1]> = messages.iter().map(|message| [*message]).collect();
    let messages: Vec<&[&[u8]]> = parts.iter().map(|part| part.as_slice()).collect();
    sm3_lanes::digest_many(&messages)
}

/// An incremental SM3 computation, for data that arrives in pieces.
#[derive(Clone, Default)]
pub struct Sm3Hasher(Sm3);

impl Sm3Hasher {
    /// Starts a new digest.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds `data` to the digest.
    pub fn update(&mut self, data: &[u8]) {
        self.0.update(data);
    }

    /// Returns the digest of everything added.
    pub fn finalize(self) -> [u8; 32] {
        self.0.finalize().into()
    }
}

/// Computes Z for a public key and user ID. Fails only when the ID is longer than 8191 bytes,
/// because ENTL is a 16-bit count of bits.
pub fn z_value(public_key: &PublicKey, id: &[u8]) -> Option<[u8; 32]> {
    Some(sm3(&z_input(public_key, id)?))
}

/// Returns the bytes whose SM3 digest is Z: `ENTL || ID || a || b || xG || yG || xA || yA`,
/// or `None` when the ID is longer than 8191 bytes.
pub(crate) fn z_input(public_key: &PublicKey, id: &[u8]) -> Option<Vec<u8>> {
    let entl = u16::try_from(id.len().checked_mul(8)?).ok()?;
    let (x, y) = public_key.coordinates();
    let mut input = Vec::with_capacity(2 + id.len() + 6 * 32);
    input.extend_from_slice(&entl.to_be_bytes());
    input.extend_from_slice(id);
    for part in [&CURVE_A[..], &CURVE_B, &GX, &GY, &x[..], &y[..]] {
        input.extend_from_slice(part);
    }
    Some(input)
}

/// Computes `e = SM3(Z || message)`, the value that SM2 signs.
pub fn message_digest(public_key: &PublicKey, id: &[u8], message: &[u8]) -> Option<[u8; 32]> {
    let z = z_value(public_key, id)?;
    let mut hasher = Sm3::new();
    hasher.update(z);
    hasher.update(message);
    Some(hasher.finalize().into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(text: &str) -> Vec<u8> {
        (0..text.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap())
            .collect()
    }

    /// GM/T 0004-2012 appendix A, example 1.
    #[test]
    fn sm3_abc() {
        assert_eq!(
            sm3(b"abc").to_vec(),
            hex("66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0")
        );
    }

    /// GM/T 0004-2012 appendix A, example 2: "abcd" repeated 16 times (64 bytes).
    #[test]
    fn sm3_64_byte_example() {
        let input = b"abcd".repeat(16);
        assert_eq!(
            sm3(&input).to_vec(),
            hex("debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732")
        );
    }

    #[test]
    fn sm3_incremental_equals_one_shot() {
        let data: Vec<u8> = (0..1000u32).map(|i| (i * 7) as u8).collect();
        let mut hasher = Sm3Hasher::new();
        for chunk in data.chunks(37) {
            hasher.update(chunk);
        }
        assert_eq!(hasher.finalize(), sm3(&data));
    }
}
