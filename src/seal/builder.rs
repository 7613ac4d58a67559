//! Making a seal (制章).

use der::asn1::ObjectIdentifier;

use super::picture::{PictureFormat, check_declared_type};
use super::{
    CertDigest, CertList, ExtData, Header, PictureInfo, PropertyInfo, Seal, SealInfo, Version,
};
use crate::asn1::{self, OID_SM2_WITH_SM3};
use crate::cert::Certificate;
use crate::crypto::{DEFAULT_SM2_ID, PrivateKey, Signer, sign_checked, sm3};
use crate::error::{Error, RefusalReason, Result};
use crate::time::Time;

/// Largest picture accepted when making a seal. Stamp images are tens of kilobytes, and an OFD
/// package used as the image a few hundred; 8 MiB leaves room without letting a mistake
/// produce a huge seal.
pub const MAX_PICTURE_BYTES: usize = 8 * 1024 * 1024;

/// Builds and signs a new seal. V4 (GB/T 38540-2020) unless [`SealBuilder::version`] says
/// otherwise.
///
/// The builder writes canonical DER and the standard OIDs, checks that the picture's bytes match
/// its type, and refuses a maker key that does not belong to the maker's certificate.
#[derive(Debug, Clone)]
pub struct SealBuilder {
    version: Version,
    vendor_id: String,
    es_id: String,
    seal_type: i64,
    name: String,
    cert_list: Option<CertList>,
    create_date: Option<Time>,
    validity: Option<(Time, Time)>,
    picture: Option<PictureInfo>,
    ext_datas: Vec<ExtData>,
    sm2_id: Vec<u8>,
    /// Set when signers were added both by certificate and by digest.
    mixed_cert_list: bool,
}

impl SealBuilder {
    /// Starts a seal with its code (esID) and name. The type defaults to 1 (unit seal).
    pub fn new(es_id: impl Into<String>, name: impl Into<String>) -> Self {
        Self {
            version: Version::V4,
            vendor_id: "eseal".into(),
            es_id: es_id.into(),
            seal_type: 1,
            name: name.into(),
            cert_list: None,
            create_date: None,
            validity: None,
            picture: None,
            ext_datas: Vec::new(),
            sm2_id: DEFAULT_SM2_ID.to_vec(),
            mixed_cert_list: false,
        }
    }

    /// Sets the format version (V4 by default).
    pub fn version(mut self, version: Version) -> Self {
        self.version = version;
        self
    }

    /// Sets SES_Header.Vid, the vendor identifier ("eseal" by default).
    pub fn vendor_id(mut self, vendor_id: impl Into<String>) -> Self {
        self.vendor_id = vendor_id.into();
        self
    }

    /// Sets SES_ESPropertyInfo.type: 1 unit seal, 2 personal seal, or a business-defined value.
    pub fn seal_type(mut self, seal_type: i64) -> Self {
        self.seal_type = seal_type;
        self
    }

    /// Authorises a signer by certificate (certListType 1).
    pub fn signer_certificate(mut self, cert: &Certificate) -> Self {
        match &mut self.cert_list {
            Some(CertList::Certs(certs)) => certs.push(cert.as_der().to_vec()),
            Some(CertList::Digests(_)) => self.mixed_cert_list = true,
            None => self.cert_list = Some(CertList::Certs(vec![cert.as_der().to_vec()])),
        }
        self
    }

    /// Authorises a signer by the SM3 digest of its certificate (certListType 2, V4 and V5 only).
    pub fn signer_certificate_digest(mut self, cert: &Certificate) -> Self {
        let digest = CertDigest {
            algorithm: "SM3".into(),
            value: sm3(cert.as_der()).to_vec(),
        };
        match &mut self.cert_list {
            Some(CertList::Digests(digests)) => digests.push(digest),
            Some(CertList::Certs(_)) => self.mixed_cert_list = true,
            None => self.cert_list = Some(CertList::Digests(vec![digest])),
        }
        self
    }

    /// Sets createDate (the signing time of the seal by default).
    pub fn create_date(mut self, time: Time) -> Self {
        self.create_date = Some(time);
        self
    }

    /// Sets validStart and validEnd.
    pub fn validity(mut self, start: Time, end: Time) -> Self {
        self.validity = Some((start, end));
        self
    }

    /// Sets the picture; its format is told from its bytes. Width and height are in millimetres.
    pub fn picture(mut self, data: Vec<u8>, width_mm: i64, height_mm: i64) -> Result<Self> {
        let format = PictureFormat::detect(&data).ok_or_else(|| {
            Error::Picture("the picture is not PNG, JPEG, GIF, BMP, SVG or an OFD package".into())
        })?;
        self = self.picture_with_type(format, data, width_mm, height_mm)?;
        Ok(self)
    }

    /// Sets the picture with a declared format, which must match its bytes.
    pub fn picture_with_type(
        mut self,
        format: PictureFormat,
        data: Vec<u8>,
        width_mm: i64,
        height_mm: i64,
    ) -> Result<Self> {
        if data.len() > MAX_PICTURE_BYTES {
            return Err(Error::Picture(format!(
                "the picture has {} bytes, more than the {MAX_PICTURE_BYTES} eseal accepts",
                data.len()
            )));
        }
        check_declared_type(format.type_name(), &data).map_err(Error::Picture)?;
        if !(1..=1000).contains(&width_mm) || !(1..=1000).contains(&height_mm) {
            return Err(Error::Picture(format!(
                "the size {width_mm} x {height_mm} mm is outside 1..1000 mm"
            )));
        }
        self.picture = Some(PictureInfo {
            picture_type: format.type_name().into(),
            data,
            width: width_mm,
            height: height_mm,
        });
        Ok(self)
    }

    /// Adds an extension (ExtData).
    pub fn ext_data(mut self, id: ObjectIdentifier, critical: bool, value: Vec<u8>) -> Self {
        self.ext_datas.push(ExtData {
            id,
            critical,
            value,
        });
        self
    }

    /// Sets the maker's SM2 user ID (the default ID `1234567812345678` otherwise).
    pub fn sm2_id(mut self, id: &[u8]) -> Self {
        self.sm2_id = id.to_vec();
        self
    }

    /// Signs the seal with the maker's key and certificate.
    pub fn sign(self, maker_key: &PrivateKey, maker_cert: &Certificate) -> Result<Seal> {
        self.sign_with(maker_key, maker_cert)
    }

    /// Signs the seal with an external maker signer (a USB key, an HSM or a seal server). The
    /// returned signature is verified against `maker_cert` before the seal is made.
    pub fn sign_with(self, maker_key: &dyn Signer, maker_cert: &Certificate) -> Result<Seal> {
        if self.es_id.is_empty() || !self.es_id.is_ascii() {
            return Err(Error::Encode {
                field: "esID",
                reason: format!("esID {:?} must be non-empty ASCII (IA5String)", self.es_id),
            });
        }
        if self.name.is_empty() {
            return Err(Error::Encode {
                field: "name",
                reason: "the seal name must not be empty".into(),
            });
        }
        if !self.vendor_id.is_ascii() {
            return Err(Error::Encode {
                field: "Vid",
                reason: format!("Vid {:?} must be ASCII (IA5String)", self.vendor_id),
            });
        }
        let maker_public_key = maker_cert.public_key()?;
        if maker_key
            .public_key()
            .is_some_and(|key| key != maker_public_key)
        {
            return Err(Error::SigningRefused(RefusalReason::KeyCertificateMismatch));
        }
        if self.mixed_cert_list {
            return Err(Error::Encode {
                field: "certList",
                reason:
                    "signers were added both as certificates and as digests; a seal lists one kind"
                        .into(),
            });
        }
        let cert_list = self.cert_list.ok_or(Error::Encode {
            field: "certList",
            reason: "no signer certificate was authorised".into(),
        })?;
        if self.version == Version::V1 && matches!(cert_list, CertList::Digests(_)) {
            return Err(Error::Encode {
                field: "certList",
                reason: "V1 seals hold certificates, not digests".into(),
            });
        }
        let (valid_start, valid_end) = self.validity.ok_or(Error::Encode {
            field: "validStart",
            reason: "no validity period was set".into(),
        })?;
        if valid_end < valid_start {
            return Err(Error::Encode {
                field: "validEnd",
                reason: format!("validEnd {valid_end} is before validStart {valid_start}"),
            });
        }
        let picture = self.picture.ok_or(Error::Encode {
            field: "picture",
            reason: "no picture was set".into(),
        })?;
        let cert_list_type = match (&cert_list, self.version) {
            (_, Version::V1) => None,
            (CertList::Certs(_), _) => Some(1),
            (CertList::Digests(_), _) => Some(2),
        };
        let info = SealInfo {
            header: Header {
                id: "ES".into(),
                version: i64::from(self.version.number()),
                vid: self.vendor_id,
            },
            es_id: self.es_id,
            property: PropertyInfo {
                seal_type: self.seal_type,
                name: self.name,
                cert_list_type,
                cert_list,
                create_date: self.create_date.unwrap_or_else(Time::now),
                valid_start,
                valid_end,
            },
            picture,
            ext_datas: (!self.ext_datas.is_empty()).then_some(self.ext_datas),
        };

        let info_der = super::encode::encode_seal_info(&info, self.version)?;
        let cert_der = super::encode::octets(maker_cert.as_der(), "cert")?;
        let algorithm_der = super::encode::oid(&OID_SM2_WITH_SM3, "signAlgID")?;
        let message = match self.version {
            Version::V1 => {
                asn1::sequence(&[info_der.as_slice(), &cert_der, &algorithm_der].concat())
            }
            Version::V4 | Version::V5 => info_der.clone(),
        };
        let signature =
            sign_checked(maker_key, &maker_public_key, &self.sm2_id, &message)?.to_der();
        let signature_der = super::encode::bits(&signature, "signedValue")?;
        let der = match self.version {
            Version::V1 => {
                let sign_info = asn1::sequence(&[cert_der, algorithm_der, signature_der].concat());
                asn1::sequence(&[info_der, sign_info].concat())
            }
            Version::V4 | Version::V5 => {
                asn1::sequence(&[info_der, cert_der, algorithm_der, signature_der].concat())
            }
        };
        Seal::from_der(&der)
    }
}
