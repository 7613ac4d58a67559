//! The PKCS#12 key derivation function (RFC 7292 appendix B.2) and the PKCS#12
//! password-based encryption schemes of appendix C.

use der::Sequence;
use der::asn1::{Any, OctetString};
use sha2::digest::block_api::BlockSizeUser;
use sha2::digest::{Digest, FixedOutputReset, Output};
use zeroize::{Zeroize, Zeroizing};

use super::algorithms::{Cipher, Hash};
use super::structures::{decrypt_error, parameters};
use super::{IterationBudget, check_salt_len};
use crate::error::Result;

/// The purpose of a PKCS#12 KDF output: the ID byte of RFC 7292 appendix B.3.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Purpose {
    Key = 1,
    Iv = 2,
    Mac = 3,
}

/// `pkcs-12PbeParams ::= SEQUENCE { salt OCTET STRING, iterations INTEGER }`
#[derive(Sequence)]
struct Pkcs12PbeParams {
    salt: OctetString,
    iterations: u64,
}

/// Encodes a password as the PKCS#12 KDF takes it: a BMPString of UTF-16 big-endian code
/// units followed by a two-byte zero terminator (RFC 7292 appendix B.1). Characters outside
/// the Basic Multilingual Plane become surrogate pairs, as OpenSSL 3 encodes them.
pub(crate) fn bmp_password(password: &str) -> Zeroizing<Vec<u8>> {
    let mut bmp = Zeroizing::new(Vec::with_capacity(2 * password.len() + 2));
    for unit in password.encode_utf16() {
        bmp.extend_from_slice(&unit.to_be_bytes());
    }
    bmp.extend_from_slice(&[0, 0]);
    bmp
}

/// Fills `out` with the PKCS#12 KDF of RFC 7292 appendix B.2 over the hash `D`.
///
/// `password` is already in BMPString form (see [`bmp_password`]). Every intermediate value
/// is zeroized before returning.
pub(crate) fn derive<D>(
    password: &[u8],
    salt: &[u8],
    purpose: Purpose,
    iterations: u64,
    out: &mut [u8],
) where
    D: Digest + FixedOutputReset + BlockSizeUser,
{
    let v = <D as BlockSizeUser>::block_size();
    let u = <D as Digest>::output_size();

    // Steps 1 to 4: D is v copies of the ID byte; I = S || P, where S and P repeat the salt
    // and the password to whole multiples of v bytes.
    let diversifier = vec![purpose as u8; v];
    let salt_len = v * salt.len().div_ceil(v);
    let password_len = v * password.len().div_ceil(v);
    let mut input = Zeroizing::new(Vec::with_capacity(salt_len + password_len));
    input.extend(salt.iter().cycle().take(salt_len));
    input.extend(password.iter().cycle().take(password_len));

    let mut hasher = D::new();
    let mut a = Output::<D>::default();
    let mut b = Zeroizing::new(vec![0u8; v]);
    for chunk in out.chunks_mut(u) {
        // Step 6a: A = H^iterations(D || I).
        Digest::update(&mut hasher, &diversifier);
        Digest::update(&mut hasher, input.as_slice());
        Digest::finalize_into_reset(&mut hasher, &mut a);
        for _ in 1..iterations {
            Digest::update(&mut hasher, &a);
            Digest::finalize_into_reset(&mut hasher, &mut a);
        }
        chunk.copy_from_slice(&a[..chunk.len()]);

        // Steps 6b and 6c: B repeats A to v bytes, and each v-byte block I_j of I becomes
        // (I_j + B + 1) mod 2^(8v), read as big-endian integers.
        for (index, byte) in b.iter_mut().enumerate() {
            *byte = a[index % u];
        }
        for block in input.chunks_mut(v) {
            let mut carry = 1u16;
            for (target, addend) in block.iter_mut().zip(b.iter()).rev() {
                let sum = u16::from(*target) + u16::from(*addend) + carry;
                *target = sum as u8;
                carry = sum >> 8;
            }
        }
    }
    a.as_mut_slice().zeroize();
}

/// Decrypts `ciphertext` with a PKCS#12 scheme: SHA-1 PKCS#12 KDF for the key and IV, then
/// `cipher` in CBC mode.
pub(super) fn decrypt(
    cipher: Cipher,
    pbe_parameters: Option<&Any>,
    password_bmp: &[u8],
    ciphertext: &[u8],
    budget: &mut IterationBudget,
) -> Result<Zeroizing<Vec<u8>>> {
    let params: Pkcs12PbeParams = parameters(pbe_parameters, "pkcs-12PbeParams")?;
    let salt = params.salt.as_bytes();
    check_salt_len("PKCS#12 salt length", salt)?;
    // The key and the IV are two derivations.
    budget.spend("PKCS#12 KDF iteration count", params.iterations, 2)?;

    let mut key = Zeroizing::new([0u8; 24]);
    let key = &mut key[..cipher.key_len()];
    let mut iv = Zeroizing::new([0u8; 8]);
    Hash::Sha1.pkcs12_kdf(password_bmp, salt, Purpose::Key, params.iterations, key);
    Hash::Sha1.pkcs12_kdf(
        password_bmp,
        salt,
        Purpose::Iv,
        params.iterations,
        iv.as_mut_slice(),
    );
    cipher
        .decrypt(key, iv.as_slice(), ciphertext)
        .map_err(decrypt_error)
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

    #[test]
    fn bmp_password_encoding() {
        assert_eq!(bmp_password("").as_slice(), &[0, 0]);
        assert_eq!(bmp_password("ab").as_slice(), &[0, b'a', 0, b'b', 0, 0]);
        assert_eq!(bmp_password("密").as_slice(), &[0x5b, 0xc6, 0, 0]);
        // U+1F511 (key emoji) is the surrogate pair D83D DD11.
        assert_eq!(
            bmp_password("\u{1F511}").as_slice(),
            &[0xd8, 0x3d, 0xdd, 0x11, 0, 0]
        );
    }

    /// Expected values in these tests were computed with OpenSSL 3.0.19:
    /// `openssl kdf -keylen N -kdfopt digest:SHA1 -kdfopt hexpass:BMP -kdfopt hexsalt:SALT
    /// -kdfopt iter:I -kdfopt id:ID PKCS12KDF`, where BMP is the password in BMPString form.
    #[test]
    fn sha1_kdf_known_answers() {
        let password = bmp_password("smeg");
        let salt = hex("0A58CF64530D823F");
        let mut key = [0u8; 24];
        derive::<sha1::Sha1>(&password, &salt, Purpose::Key, 1, &mut key);
        assert_eq!(
            key.to_vec(),
            hex("8AAAE6297B6CB04642AB5B077851284EB7128F1A2A7FBCA3")
        );
        let mut iv = [0u8; 8];
        derive::<sha1::Sha1>(&password, &salt, Purpose::Iv, 1, &mut iv);
        assert_eq!(iv.to_vec(), hex("79993DFE048D3B76"));
    }

    #[test]
    fn sha1_kdf_known_answers_iterated() {
        let password = bmp_password("queeg");
        let salt = hex("05DEC959ACFF72F7");
        let mut key = [0u8; 24];
        derive::<sha1::Sha1>(&password, &salt, Purpose::Key, 1000, &mut key);
        assert_eq!(
            key.to_vec(),
            hex("ED2034E36328830FF09DF1E1A07DD357185DAC0D4F9EB3D4")
        );
        let mut iv = [0u8; 8];
        derive::<sha1::Sha1>(&password, &salt, Purpose::Iv, 1000, &mut iv);
        assert_eq!(iv.to_vec(), hex("11DEDAD7758D4860"));
    }

    /// Non-ASCII password, a salt shorter than a block, and three hash outputs.
    #[test]
    fn sha256_kdf_known_answer() {
        let password = bmp_password("eseal-密码");
        let mut mac_key = [0u8; 70];
        derive::<sha2::Sha256>(&password, &hex("0102030405"), Purpose::Mac, 3, &mut mac_key);
        assert_eq!(
            mac_key.to_vec(),
            hex(concat!(
                "3C2D943C41C746DF247B9AF8138CBCC604F69163C7BEC6AB50E595214FE7A48C",
                "94079A30DFDA53D027B32924B6DBB753582F3EC17019AC7556FC832D1DF838C8",
                "4620C3C24799"
            ))
        );
    }

    #[test]
    fn sm3_kdf_known_answer() {
        let password = bmp_password("abc");
        let mut key = [0u8; 40];
        derive::<sm3::Sm3>(
            &password,
            &hex("00112233445566778899"),
            Purpose::Key,
            2,
            &mut key,
        );
        assert_eq!(
            key.to_vec(),
            hex("ACD6D2A1F99DC0D42B934597EB6D41A7087AE6ED82452C01CFAEA1D53B30609D06BBA0662FD44C7D")
        );
    }
}
