//! PKCS#12 files (RFC 7292): the PFX, its MAC, the AuthenticatedSafe and the SafeBags.

use der::asn1::{ContextSpecific, ObjectIdentifier, OctetString};
use der::{
    Decode, DecodeValue, ErrorKind, FixedTag, Header, Reader, Sequence, Tag, TagMode, TagNumber,
};
use x509_cert::spki::AlgorithmIdentifierOwned;
use zeroize::Zeroizing;

use super::algorithms::{
    self, CERT_BAG, Hash, ID_DATA, ID_ENCRYPTED_DATA, KEY_BAG, PKCS8_SHROUDED_KEY_BAG,
    SAFE_CONTENTS_BAG, SUPPORTED_MAC_DIGESTS, X509_CERTIFICATE,
};
use super::pkcs12_pbe::Purpose;
use super::structures::{decrypt, decrypt_encrypted_private_key_info, unsupported};
use super::{IterationBudget, KeystoreError, MAX_BAGS, Password, check_input_len, check_salt_len};
use crate::cert::Certificate;
use crate::crypto::PrivateKey;
use crate::error::{Error, Result};

/// Maximum nesting of safeContentsBags inside each other.
const MAX_NESTING: usize = 4;

/// The contents of a PKCS#12 file: one private key, its certificate and the other
/// certificates.
#[derive(Debug)]
#[non_exhaustive]
pub struct Pkcs12 {
    /// The SM2 private key.
    pub private_key: PrivateKey,
    /// The first certificate whose public key is the private key's, if the file has one.
    pub certificate: Option<Certificate>,
    /// Every other certificate, in file order: usually the issuers of `certificate`.
    pub other_certificates: Vec<Certificate>,
}

impl Pkcs12 {
    /// Opens a DER or BER PKCS#12 file with its password.
    ///
    /// The MAC is checked first, so a wrong password is [`Error::WrongPassword`] before any
    /// decryption. A file without a MAC is read too. Then a wrong password shows as a
    /// decryption failure, also [`Error::WrongPassword`]. The password is used as UTF-8 bytes
    /// by PBES2 and as a BMPString by the PKCS#12 KDF. For an empty password, the MAC is tried
    /// with the two-byte BMPString terminator and then with no bytes, because writers differ.
    ///
    /// Certificates that are not X.509 and bags that are neither keys nor certificates (CRLs,
    /// secrets) are skipped.
    pub fn from_der(der: &[u8], password: &[u8]) -> Result<Self> {
        check_input_len(der.len())?;
        let pfx = Pfx::from_ber(der).map_err(|e| KeystoreError::malformed("PKCS#12 PFX", e))?;
        if pfx.version != 3 {
            return Err(KeystoreError::malformed(
                "PKCS#12 PFX",
                format!("version is {}, expected 3", pfx.version),
            ));
        }
        let auth_safe = match pfx.auth_safe.content {
            Content::Data(data) => data,
            Content::Encrypted(_) => {
                return Err(KeystoreError::malformed(
                    "PKCS#12 PFX",
                    "authSafe is encryptedData, expected data",
                ));
            }
            Content::Other(oid) => {
                return Err(unsupported(
                    "PKCS#12 integrity mode (authSafe content type)",
                    oid,
                    "data (password integrity mode)",
                ));
            }
        };

        let mut password = Password::new(password);
        let mut budget = IterationBudget::new();
        if let Some(mac) = &pfx.mac_data {
            verify_mac(mac, auth_safe.as_bytes(), &mut password, &mut budget)?;
        }

        let mut contents = Contents::default();
        let mut reader = BagReader {
            password: &password,
            budget: &mut budget,
            contents: &mut contents,
            bags: 0,
        };
        for info in decode_sequence_of::<ContentInfo>(auth_safe.as_bytes(), "AuthenticatedSafe")? {
            match info.content {
                Content::Data(data) => reader.read_safe_contents(data.as_bytes(), 0)?,
                Content::Encrypted(encrypted) => {
                    let plaintext = encrypted.decrypt(reader.password, reader.budget)?;
                    reader.read_safe_contents(&plaintext, 0)?;
                }
                Content::Other(oid) => {
                    return Err(unsupported(
                        "PKCS#12 privacy mode (AuthenticatedSafe content type)",
                        oid,
                        "data, encryptedData (password privacy mode)",
                    ));
                }
            }
        }
        contents.into_pkcs12()
    }
}

/// Checks the PKCS#12 MAC (RFC 7292 section 4 and appendix B.4) over the authSafe content.
fn verify_mac(
    mac: &MacData,
    data: &[u8],
    password: &mut Password<'_>,
    budget: &mut IterationBudget,
) -> Result<()> {
    let algorithm = &mac.mac.digest_algorithm;
    let hash = Hash::from_digest(&algorithm.oid).ok_or_else(|| {
        unsupported(
            "PKCS#12 MAC digest algorithm",
            algorithm.oid,
            SUPPORTED_MAC_DIGESTS,
        )
    })?;
    let tag = mac.mac.digest.as_bytes();
    if tag.len() != hash.output_len() {
        return Err(KeystoreError::malformed(
            "PKCS#12 MacData",
            format!(
                "the MAC is {} bytes, {} gives {}",
                tag.len(),
                algorithms::name(&algorithm.oid),
                hash.output_len()
            ),
        ));
    }
    let salt = mac.mac_salt.as_bytes();
    check_salt_len("PKCS#12 MAC salt length", salt)?;
    let iterations = mac.iterations.unwrap_or(1);

    let mut candidates = vec![Zeroizing::new(password.bmp()?.to_vec())];
    if password.raw().is_empty() {
        candidates.push(Zeroizing::new(Vec::new()));
    }
    for candidate in candidates {
        budget.spend("PKCS#12 MAC iteration count", iterations, 1)?;
        let mut key = Zeroizing::new(vec![0u8; hash.output_len()]);
        hash.pkcs12_kdf(&candidate, salt, Purpose::Mac, iterations, &mut key);
        if hash.hmac_matches(&key, data, tag) {
            password.set_bmp(candidate);
            return Ok(());
        }
    }
    Err(Error::WrongPassword("the PKCS#12 MAC does not verify"))
}

/// Keys and certificates collected from the bags.
#[derive(Default)]
struct Contents {
    keys: Vec<PrivateKey>,
    certificates: Vec<Certificate>,
}

impl Contents {
    fn into_pkcs12(mut self) -> Result<Pkcs12> {
        if self.keys.len() > 1 {
            return Err(Error::Keystore(KeystoreError::MultiplePrivateKeys(
                self.keys.len(),
            )));
        }
        let private_key = self
            .keys
            .pop()
            .ok_or(Error::Keystore(KeystoreError::NoPrivateKey))?;
        let position = self.certificates.iter().position(|certificate| {
            certificate
                .public_key()
                .is_ok_and(|public| &public == private_key.public_key())
        });
        let certificate = position.map(|index| self.certificates.remove(index));
        let mut other_certificates: Vec<Certificate> = Vec::new();
        for candidate in self.certificates {
            let duplicate = certificate
                .iter()
                .chain(other_certificates.iter())
                .any(|seen| seen.as_der() == candidate.as_der());
            if !duplicate {
                other_certificates.push(candidate);
            }
        }
        Ok(Pkcs12 {
            private_key,
            certificate,
            other_certificates,
        })
    }
}

/// Walks SafeContents and collects what the bags hold.
struct BagReader<'p, 'b> {
    password: &'p Password<'p>,
    budget: &'b mut IterationBudget,
    contents: &'b mut Contents,
    bags: usize,
}

impl BagReader<'_, '_> {
    fn read_safe_contents(&mut self, encoded: &[u8], depth: usize) -> Result<()> {
        if depth > MAX_NESTING {
            return Err(Error::Keystore(KeystoreError::LimitExceeded {
                what: "safeContentsBag nesting depth",
                value: depth as u64,
                limit: MAX_NESTING as u64,
            }));
        }
        for bag in decode_sequence_of::<SafeBag>(encoded, "SafeContents")? {
            self.bags += 1;
            if self.bags > MAX_BAGS {
                return Err(Error::Keystore(KeystoreError::LimitExceeded {
                    what: "number of SafeBags",
                    value: self.bags as u64,
                    limit: MAX_BAGS as u64,
                }));
            }
            self.read_bag(bag, depth)?;
        }
        Ok(())
    }

    fn read_bag(&mut self, bag: SafeBag, depth: usize) -> Result<()> {
        match bag {
            SafeBag::Key(private_key_info) => {
                self.contents
                    .keys
                    .push(PrivateKey::from_private_key_info(&private_key_info)?);
            }
            SafeBag::ShroudedKey(encrypted) => {
                let der =
                    decrypt_encrypted_private_key_info(&encrypted, self.password, self.budget)?;
                self.contents
                    .keys
                    .push(PrivateKey::from_private_key_info(&der)?);
            }
            SafeBag::Certificate(Some(der)) => {
                self.contents
                    .certificates
                    .push(Certificate::from_der(&der)?);
            }
            SafeBag::Certificate(None) | SafeBag::Other => {}
            SafeBag::SafeContents(nested) => self.read_safe_contents(&nested, depth + 1)?,
        }
        Ok(())
    }
}

/// Decodes a BER `SEQUENCE OF T`.
fn decode_sequence_of<'a, T>(encoded: &'a [u8], structure: &'static str) -> Result<Vec<T>>
where
    T: Decode<'a, Error = der::Error>,
{
    let decode = || -> der::Result<Vec<T>> {
        let mut reader =
            der::SliceReader::new_with_encoding_rules(encoded, der::EncodingRules::Ber)?;
        let items = reader.sequence(|reader| {
            let mut items = Vec::new();
            while !reader.is_finished() {
                if items.len() >= MAX_BAGS {
                    return Err(reader.error(ErrorKind::Overlength));
                }
                items.push(reader.decode()?);
            }
            Ok(items)
        })?;
        reader.finish()?;
        Ok(items)
    };
    decode().map_err(|e| KeystoreError::malformed(structure, e))
}

/// `PFX ::= SEQUENCE { version INTEGER {v3(3)}, authSafe ContentInfo, macData MacData OPTIONAL }`
struct Pfx {
    version: u8,
    auth_safe: ContentInfo,
    mac_data: Option<MacData>,
}

impl<'a> DecodeValue<'a> for Pfx {
    type Error = der::Error;

    fn decode_value<R: Reader<'a>>(reader: &mut R, _header: Header) -> der::Result<Self> {
        Ok(Self {
            version: reader.decode()?,
            auth_safe: reader.decode()?,
            mac_data: reader.decode()?,
        })
    }
}

impl FixedTag for Pfx {
    const TAG: Tag = Tag::Sequence;
}

/// `MacData ::= SEQUENCE { mac DigestInfo, macSalt OCTET STRING, iterations INTEGER DEFAULT 1 }`
#[derive(Sequence)]
struct MacData {
    mac: DigestInfo,
    mac_salt: OctetString,
    iterations: Option<u64>,
}

/// `DigestInfo ::= SEQUENCE { digestAlgorithm, digest OCTET STRING }`
#[derive(Sequence)]
struct DigestInfo {
    digest_algorithm: AlgorithmIdentifierOwned,
    digest: OctetString,
}

/// A ContentInfo (RFC 5652) with its content decoded by content type.
struct ContentInfo {
    content: Content,
}

enum Content {
    Data(OctetString),
    Encrypted(EncryptedData),
    Other(ObjectIdentifier),
}

impl<'a> DecodeValue<'a> for ContentInfo {
    type Error = der::Error;

    fn decode_value<R: Reader<'a>>(reader: &mut R, _header: Header) -> der::Result<Self> {
        let content_type: ObjectIdentifier = reader.decode()?;
        let content = match content_type {
            ID_DATA => Content::Data(explicit_content(reader)?),
            ID_ENCRYPTED_DATA => Content::Encrypted(explicit_content(reader)?),
            other => {
                skip_rest(reader)?;
                Content::Other(other)
            }
        };
        Ok(Self { content })
    }
}

impl FixedTag for ContentInfo {
    const TAG: Tag = Tag::Sequence;
}

/// Decodes the `[0] EXPLICIT` content of a ContentInfo or SafeBag, which both require.
fn explicit_content<'a, T, R>(reader: &mut R) -> der::Result<T>
where
    T: Decode<'a, Error = der::Error>,
    R: Reader<'a>,
{
    match ContextSpecific::<T>::decode_explicit(reader, TagNumber(0))? {
        Some(field) => Ok(field.value),
        None => Err(reader.error(ErrorKind::TagUnexpected {
            expected: Some(Tag::ContextSpecific {
                constructed: true,
                number: TagNumber(0),
            }),
            actual: Tag::peek(reader)?,
        })),
    }
}

/// Skips the remaining elements of a structure: optional fields eseal does not use.
fn skip_rest<'a, R: Reader<'a>>(reader: &mut R) -> der::Result<()> {
    while !reader.is_finished() {
        reader.tlv_bytes()?;
    }
    Ok(())
}

/// `EncryptedData ::= SEQUENCE { version, encryptedContentInfo, unprotectedAttrs [1] OPTIONAL }`
/// with `EncryptedContentInfo ::= SEQUENCE { contentType, contentEncryptionAlgorithm,
/// encryptedContent [0] IMPLICIT OCTET STRING OPTIONAL }` (RFC 5652 sections 6.1 and 8).
struct EncryptedData {
    content_type: ObjectIdentifier,
    algorithm: AlgorithmIdentifierOwned,
    encrypted_content: Option<OctetString>,
}

impl<'a> DecodeValue<'a> for EncryptedData {
    type Error = der::Error;

    fn decode_value<R: Reader<'a>>(reader: &mut R, _header: Header) -> der::Result<Self> {
        let _version: u8 = reader.decode()?;
        let data = reader.sequence(|reader| {
            let content_type = reader.decode()?;
            let algorithm = reader.decode()?;
            let encrypted_content = reader.context_specific(TagNumber(0), TagMode::Implicit)?;
            Ok::<_, der::Error>(Self {
                content_type,
                algorithm,
                encrypted_content,
            })
        })?;
        skip_rest(reader)?;
        Ok(data)
    }
}

impl FixedTag for EncryptedData {
    const TAG: Tag = Tag::Sequence;
}

impl EncryptedData {
    fn decrypt(
        &self,
        password: &Password<'_>,
        budget: &mut IterationBudget,
    ) -> Result<Zeroizing<Vec<u8>>> {
        if self.content_type != ID_DATA {
            return Err(KeystoreError::malformed(
                "PKCS#12 EncryptedContentInfo",
                format!("contentType is {}, expected data", self.content_type),
            ));
        }
        let ciphertext = self.encrypted_content.as_ref().ok_or_else(|| {
            KeystoreError::malformed(
                "PKCS#12 EncryptedContentInfo",
                "encryptedContent is missing",
            )
        })?;
        decrypt(&self.algorithm, password, ciphertext.as_bytes(), budget)
    }
}

/// A SafeBag (RFC 7292 section 4.2) with its value decoded by bag type. The bag attributes
/// (friendlyName, localKeyId) are skipped: the key's certificate is found by its public key.
enum SafeBag {
    /// A PrivateKeyInfo, zeroized when dropped even if an earlier bag fails.
    Key(Zeroizing<Vec<u8>>),
    /// An EncryptedPrivateKeyInfo.
    ShroudedKey(Vec<u8>),
    /// The DER certificate of an x509Certificate CertBag; `None` for other certificate types.
    Certificate(Option<Vec<u8>>),
    /// Nested SafeContents.
    SafeContents(Vec<u8>),
    Other,
}

/// `CertBag ::= SEQUENCE { certId, certValue [0] EXPLICIT }`
struct CertBag(Option<Vec<u8>>);

impl<'a> DecodeValue<'a> for CertBag {
    type Error = der::Error;

    fn decode_value<R: Reader<'a>>(reader: &mut R, _header: Header) -> der::Result<Self> {
        let cert_id: ObjectIdentifier = reader.decode()?;
        if cert_id == X509_CERTIFICATE {
            let value: OctetString = explicit_content(reader)?;
            Ok(Self(Some(value.as_bytes().to_vec())))
        } else {
            skip_rest(reader)?;
            Ok(Self(None))
        }
    }
}

impl FixedTag for CertBag {
    const TAG: Tag = Tag::Sequence;
}

/// The TLV of a bag value, kept as bytes to decode later: a whole SEQUENCE, so BER
/// indefinite lengths inside it stay readable.
struct Tlv(Vec<u8>);

impl<'a> Decode<'a> for Tlv {
    type Error = der::Error;

    fn decode<R: Reader<'a>>(reader: &mut R) -> der::Result<Self> {
        Ok(Self(reader.tlv_bytes()?.to_vec()))
    }
}

impl<'a> DecodeValue<'a> for SafeBag {
    type Error = der::Error;

    fn decode_value<R: Reader<'a>>(reader: &mut R, _header: Header) -> der::Result<Self> {
        let bag_id: ObjectIdentifier = reader.decode()?;
        let bag = match bag_id {
            KEY_BAG => SafeBag::Key(Zeroizing::new(explicit_content::<Tlv, R>(reader)?.0)),
            PKCS8_SHROUDED_KEY_BAG => SafeBag::ShroudedKey(explicit_content::<Tlv, R>(reader)?.0),
            CERT_BAG => SafeBag::Certificate(explicit_content::<CertBag, R>(reader)?.0),
            SAFE_CONTENTS_BAG => SafeBag::SafeContents(explicit_content::<Tlv, R>(reader)?.0),
            _ => SafeBag::Other,
        };
        skip_rest(reader)?;
        Ok(bag)
    }
}

impl FixedTag for SafeBag {
    const TAG: Tag = Tag::Sequence;
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Builds a MacData over `data` with the MAC key derived from `password_bmp` as given.
    fn mac_data(password_bmp: &[u8], data: &[u8]) -> MacData {
        use hmac::{KeyInit, Mac};

        let salt = [3u8; 8];
        let mut key = [0u8; 32];
        Hash::Sha256.pkcs12_kdf(password_bmp, &salt, Purpose::Mac, 5, &mut key);
        let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(&key).unwrap();
        mac.update(data);
        MacData {
            mac: DigestInfo {
                digest_algorithm: AlgorithmIdentifierOwned {
                    oid: ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.1"),
                    parameters: None,
                },
                digest: OctetString::new(mac.finalize().into_bytes().to_vec()).unwrap(),
            },
            mac_salt: OctetString::new(salt.to_vec()).unwrap(),
            iterations: Some(5),
        }
    }

    #[test]
    fn empty_password_without_terminator_verifies() {
        let data = b"authSafe content";
        let mac = mac_data(b"", data);
        let mut password = Password::new(b"");
        verify_mac(&mac, data, &mut password, &mut IterationBudget::new()).unwrap();
        // Later PKCS#12 decryption uses the form that verified.
        assert_eq!(password.bmp().unwrap(), b"");

        let mut other = Password::new(b"a");
        assert!(matches!(
            verify_mac(&mac, data, &mut other, &mut IterationBudget::new()),
            Err(Error::WrongPassword(_))
        ));
    }

    #[test]
    fn empty_password_with_terminator_verifies() {
        let data = b"authSafe content";
        let mac = mac_data(&[0, 0], data);
        let mut password = Password::new(b"");
        verify_mac(&mac, data, &mut password, &mut IterationBudget::new()).unwrap();
        assert_eq!(password.bmp().unwrap(), &[0, 0]);
    }

    #[test]
    fn mac_of_other_data_fails() {
        let mac = mac_data(&[0, b'a', 0, 0], b"authSafe content");
        let mut password = Password::new(b"a");
        assert!(matches!(
            verify_mac(
                &mac,
                b"authSafe contenT",
                &mut password,
                &mut IterationBudget::new()
            ),
            Err(Error::WrongPassword(_))
        ));
    }
}
