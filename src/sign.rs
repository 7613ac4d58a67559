//! Signing (签章): making a SES_Signature over data with a seal.
//!
//! Before anything is signed, the seal and the signer are checked the way a verifier will check
//! them: the seal's maker signature, and the seal's and the maker certificate's validity at the
//! signing time. Then the signer's certificate must be in the seal's certList and valid at the
//! signing time, and the key must belong to it. Signing is refused, with the reason, when one
//! check fails.

use std::io::Read;

use crate::asn1::OID_SM2_WITH_SM3;
use crate::cert::Certificate;
use crate::crypto::{DEFAULT_SM2_ID, PrivateKey, Signer, Sm3Hasher, sign_checked, sm3};
use crate::error::{Error, RefusalReason, Result};
use crate::report::CheckStatus;
use crate::seal::{ExtData, Seal, Version};
use crate::signature::Signature;
use crate::signature::encode::{TbsParts, encode_tbs};
use crate::time::Time;
use crate::verify::{VerifyOptions, verify_seal};

/// A time stamp service: given the signature value (DER), returns a DER TimeStampToken over it.
pub type TimeStamper<'a> = dyn Fn(&[u8]) -> Result<Vec<u8>> + 'a;

/// Builds a SES_Signature with a seal, the signer's key and the signer's certificate.
///
/// The version follows the seal: a V1 seal gives a V1 signature, a V5 seal a V5 signature, and a
/// V4 seal a V4 signature (the default of GB/T 38540-2020).
pub struct SignatureBuilder<'a> {
    seal: &'a Seal,
    key: &'a dyn Signer,
    cert: &'a Certificate,
    version: Option<Version>,
    time: Option<Time>,
    property_info: String,
    ext_datas: Option<Vec<ExtData>>,
    sm2_id: Vec<u8>,
    time_stamper: Option<&'a TimeStamper<'a>>,
}

impl std::fmt::Debug for SignatureBuilder<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignatureBuilder")
            .field("seal", &self.seal.info.es_id)
            .field("cert", &self.cert)
            .field("version", &self.version)
            .field("time", &self.time)
            .finish_non_exhaustive()
    }
}

impl<'a> SignatureBuilder<'a> {
    /// Starts a signature with the seal, the signer's private key and certificate.
    pub fn new(seal: &'a Seal, key: &'a PrivateKey, cert: &'a Certificate) -> Self {
        Self::with_signer(seal, key, cert)
    }

    /// Starts a signature whose SM2 signature comes from `signer` (a USB key, an HSM or a seal
    /// server). The returned signature is verified against `cert` before it is used.
    pub fn with_signer(seal: &'a Seal, signer: &'a dyn Signer, cert: &'a Certificate) -> Self {
        let key = signer;
        Self {
            seal,
            key,
            cert,
            version: None,
            time: None,
            property_info: String::new(),
            ext_datas: None,
            sm2_id: DEFAULT_SM2_ID.to_vec(),
            time_stamper: None,
        }
    }

    /// Sets the signature version; it must be of the seal's family (V1 with V1, V4/V5 with V4/V5).
    pub fn version(mut self, version: Version) -> Self {
        self.version = Some(version);
        self
    }

    /// Sets the signing time, timeInfo (the current time by default).
    pub fn time(mut self, time: Time) -> Self {
        self.time = Some(time);
        self
    }

    /// Sets propertyInfo (for OFD, the path of Signature.xml).
    pub fn property_info(mut self, text: impl Into<String>) -> Self {
        self.property_info = text.into();
        self
    }

    /// Sets extDatas (V4 and V5).
    pub fn ext_datas(mut self, ext_datas: Vec<ExtData>) -> Self {
        self.ext_datas = Some(ext_datas);
        self
    }

    /// Sets the signer's SM2 user ID (the default ID `1234567812345678` otherwise).
    pub fn sm2_id(mut self, id: &[u8]) -> Self {
        self.sm2_id = id.to_vec();
        self
    }

    /// Asks `stamper` (the application's time stamp service) for a GB/T 20520 time stamp
    /// token over the signature value and stores it in SES_Signature.timeStamp (V4 and V5).
    /// The token is checked to cover the signature value before anything is returned. A token
    /// that cannot be read or covers other bytes fails signing with [`Error::TimeStamp`]. With a
    /// V1 seal, signing fails with [`Error::Encode`] before the signer is called.
    pub fn time_stamp_with(mut self, stamper: &'a TimeStamper<'a>) -> Self {
        self.time_stamper = Some(stamper);
        self
    }

    /// Signs `data`.
    pub fn sign(self, data: &[u8]) -> Result<Signature> {
        let digest = sm3(data);
        self.sign_digest(digest)
    }

    /// Signs everything `reader` yields, hashing it as it is read.
    pub fn sign_reader(self, mut reader: impl Read) -> Result<Signature> {
        let mut hasher = Sm3Hasher::new();
        let mut buffer = vec![0u8; 64 * 1024];
        loop {
            let read = reader.read(&mut buffer)?;
            if read == 0 {
                break;
            }
            hasher.update(&buffer[..read]);
        }
        self.sign_digest(hasher.finalize())
    }

    /// Signs data whose SM3 digest is `digest`.
    pub fn sign_digest(self, digest: [u8; 32]) -> Result<Signature> {
        let time = self.time.unwrap_or_else(Time::now);
        let version = self.check(time)?;
        // Checked before signing, so that an external signer (a USB key may prompt for its PIN)
        // is not called for a signature that would be discarded.
        if self.time_stamper.is_some() && version == Version::V1 {
            return Err(Error::Encode {
                field: "timeStamp",
                reason: "V1 signatures have no timeStamp field".into(),
            });
        }
        let parts = TbsParts {
            version,
            version_number: i64::from(version.number()),
            seal: self.seal,
            time_info: time,
            data_hash: &digest,
            property_info: &self.property_info,
            ext_datas: self.ext_datas.as_deref(),
            cert: self.cert.as_der(),
            algorithm: &OID_SM2_WITH_SM3,
        };
        let tbs = encode_tbs(&parts)?;
        let value = sign_checked(self.key, &self.cert.public_key()?, &self.sm2_id, &tbs)?;
        let value_der = value.to_der();
        let token = match self.time_stamper {
            Some(stamper) => {
                let token = stamper(&value_der)?;
                let parsed = crate::timestamp::TimeStampToken::from_der(&token).map_err(|e| {
                    Error::TimeStamp(format!("the service's token cannot be read: {e}"))
                })?;
                parsed
                    .verify(&value_der, None)
                    .map_err(|e| Error::TimeStamp(format!("the service's token: {e}")))?;
                Some(token)
            }
            None => None,
        };
        let der = assemble(
            version,
            tbs,
            self.cert.as_der(),
            &value_der,
            token.as_deref(),
        )?;
        Signature::from_der(&der)
    }

    /// Runs the checks a verifier will run, and returns the signature version to write.
    fn check(&self, time: Time) -> Result<Version> {
        let seal = self.seal;
        let version = self.version.unwrap_or(seal.version);
        let same_family = (version == Version::V1) == (seal.version == Version::V1);
        if !same_family {
            return Err(Error::SigningRefused(RefusalReason::VersionMismatch {
                seal: seal.version.number(),
                signature: version.number(),
            }));
        }
        let certificate_key = self.cert.public_key()?;
        if self
            .key
            .public_key()
            .is_some_and(|key| key != certificate_key)
        {
            return Err(Error::SigningRefused(RefusalReason::KeyCertificateMismatch));
        }
        let options = VerifyOptions {
            sm2_id: self.sm2_id.clone(),
            at: Some(time),
            ..VerifyOptions::default()
        };
        let report = verify_seal(seal, &options);
        if report.check("seal.maker_signature").map(|c| c.status) != Some(CheckStatus::Passed) {
            return Err(Error::SigningRefused(RefusalReason::SealSignatureInvalid));
        }
        if !seal.is_valid_at(time) {
            let property = &seal.info.property;
            return Err(Error::SigningRefused(RefusalReason::SealNotValidAt {
                time: time.to_string(),
                valid_start: property.valid_start.to_string(),
                valid_end: property.valid_end.to_string(),
            }));
        }
        if report
            .check("seal.maker_certificate_validity")
            .map(|c| c.status)
            != Some(CheckStatus::Passed)
        {
            return Err(Error::SigningRefused(
                RefusalReason::MakerCertificateNotValidAt {
                    time: time.to_string(),
                },
            ));
        }
        if !seal.info.property.cert_list.contains(self.cert.as_der()) {
            return Err(Error::SigningRefused(RefusalReason::SignerNotInCertList));
        }
        if !self.cert.is_valid_at(time) {
            return Err(Error::SigningRefused(
                RefusalReason::SignerCertificateNotValidAt {
                    time: time.to_string(),
                },
            ));
        }
        Ok(version)
    }
}

fn assemble(
    version: Version,
    tbs: Vec<u8>,
    cert: &[u8],
    signature: &[u8],
    time_stamp: Option<&[u8]>,
) -> Result<Vec<u8>> {
    use crate::seal::encode::{bits, octets, oid};

    let mut contents = tbs;
    if version != Version::V1 {
        contents.extend(octets(cert, "cert")?);
        contents.extend(oid(&OID_SM2_WITH_SM3, "signatureAlgID")?);
    }
    contents.extend(bits(signature, "signature")?);
    if let Some(token) = time_stamp {
        contents.extend(crate::seal::encode::explicit0(&bits(token, "timeStamp")?));
    }
    Ok(crate::asn1::sequence(&contents))
}
