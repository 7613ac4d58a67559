//! Canonical DER encoding of seals.

use std::time::Duration;

use der::Encode;
use der::asn1::{
    BitStringRef, GeneralizedTime, Ia5StringRef, ObjectIdentifier, OctetStringRef,
    PrintableStringRef, UtcTime, Utf8StringRef,
};

use super::{CertList, ExtData, PictureInfo, PropertyInfo, Seal, SealInfo, Version};
use crate::asn1::{TAG_CONTEXT_0, push_length, sequence};
use crate::error::{Error, Result};
use crate::time::Time;

pub(crate) fn encode_seal(seal: &Seal) -> Result<Vec<u8>> {
    let info = encode_seal_info(&seal.info, seal.version)?;
    let mut contents = info;
    match seal.version {
        Version::V1 => {
            let mut sign_info = octets(&seal.maker_cert, "cert")?;
            sign_info.extend(oid(&seal.signature_algorithm, "signatureAlgorithm")?);
            sign_info.extend(bits(&seal.signed_value, "signData")?);
            contents.extend(sequence(&sign_info));
        }
        Version::V4 | Version::V5 => {
            contents.extend(octets(&seal.maker_cert, "cert")?);
            contents.extend(oid(&seal.signature_algorithm, "signAlgID")?);
            contents.extend(bits(&seal.signed_value, "signedValue")?);
            if let Some(time_stamp) = &seal.time_stamp {
                contents.extend(explicit0(&bits(time_stamp, "timeStamp")?));
            }
        }
    }
    Ok(sequence(&contents))
}

/// Encodes SES_SealInfo; V1 writes UTCTime dates and no certListType.
pub(crate) fn encode_seal_info(info: &SealInfo, version: Version) -> Result<Vec<u8>> {
    let mut header = ia5(&info.header.id, "SES_Header.ID")?;
    header.extend(integer(info.header.version, "SES_Header.version")?);
    header.extend(ia5(&info.header.vid, "SES_Header.Vid")?);

    let mut contents = sequence(&header);
    contents.extend(ia5(&info.es_id, "esID")?);
    contents.extend(encode_property(&info.property, version)?);
    contents.extend(encode_picture(&info.picture)?);
    if let Some(ext_datas) = &info.ext_datas {
        contents.extend(encode_ext_datas(ext_datas)?);
    }
    Ok(sequence(&contents))
}

fn encode_property(property: &PropertyInfo, version: Version) -> Result<Vec<u8>> {
    let mut contents = integer(property.seal_type, "type")?;
    contents.extend(utf8(&property.name, "name")?);
    if version != Version::V1 {
        let list_type = property.cert_list_type.unwrap_or(match property.cert_list {
            CertList::Certs(_) => 1,
            CertList::Digests(_) => 2,
        });
        contents.extend(integer(list_type, "certListType")?);
    }
    let mut list = Vec::new();
    match &property.cert_list {
        CertList::Certs(certs) => {
            for cert in certs {
                list.extend(octets(cert, "certList")?);
            }
        }
        CertList::Digests(digests) => {
            for digest in digests {
                let name = PrintableStringRef::new(&digest.algorithm)
                    .map_err(|e| encode_error("CertDigestObj.type", e))?;
                let mut entry = name
                    .to_der()
                    .map_err(|e| encode_error("CertDigestObj.type", e))?;
                entry.extend(octets(&digest.value, "CertDigestObj.value")?);
                list.extend(sequence(&entry));
            }
        }
    }
    contents.extend(sequence(&list));
    for (time, field) in [
        (property.create_date, "createDate"),
        (property.valid_start, "validStart"),
        (property.valid_end, "validEnd"),
    ] {
        contents.extend(encode_time(time, version, field)?);
    }
    Ok(sequence(&contents))
}

fn encode_picture(picture: &PictureInfo) -> Result<Vec<u8>> {
    let mut contents = ia5(&picture.picture_type, "SES_ESPictrueInfo.type")?;
    contents.extend(octets(&picture.data, "SES_ESPictrueInfo.data")?);
    contents.extend(integer(picture.width, "width")?);
    contents.extend(integer(picture.height, "height")?);
    Ok(sequence(&contents))
}

/// Encodes `ExtensionDatas ::= SEQUENCE OF ExtData`, leaving out `critical` when false (DER).
pub(crate) fn encode_ext_datas(list: &[ExtData]) -> Result<Vec<u8>> {
    let mut contents = Vec::new();
    for ext in list {
        let mut entry = oid(&ext.id, "ExtData.extnID")?;
        if ext.critical {
            entry.extend(
                true.to_der()
                    .map_err(|e| encode_error("ExtData.critical", e))?,
            );
        }
        entry.extend(octets(&ext.value, "ExtData.extnValue")?);
        contents.extend(sequence(&entry));
    }
    Ok(sequence(&contents))
}

/// Encodes a time as UTCTime for V1 and GeneralizedTime otherwise.
pub(crate) fn encode_time(time: Time, version: Version, field: &'static str) -> Result<Vec<u8>> {
    let duration = Duration::from_secs(time.unix_seconds());
    let encoded = if version == Version::V1 {
        UtcTime::from_unix_duration(duration).and_then(|t| t.to_der())
    } else {
        GeneralizedTime::from_unix_duration(duration).and_then(|t| t.to_der())
    };
    encoded.map_err(|e| encode_error(field, e))
}

pub(crate) fn explicit0(contents: &[u8]) -> Vec<u8> {
    let mut out = vec![TAG_CONTEXT_0];
    push_length(&mut out, contents.len());
    out.extend_from_slice(contents);
    out
}

pub(crate) fn ia5(text: &str, field: &'static str) -> Result<Vec<u8>> {
    Ia5StringRef::new(text)
        .and_then(|s| s.to_der())
        .map_err(|e| encode_error(field, e))
}

pub(crate) fn utf8(text: &str, field: &'static str) -> Result<Vec<u8>> {
    Utf8StringRef::new(text)
        .and_then(|s| s.to_der())
        .map_err(|e| encode_error(field, e))
}

pub(crate) fn integer(value: i64, field: &'static str) -> Result<Vec<u8>> {
    value.to_der().map_err(|e| encode_error(field, e))
}

pub(crate) fn octets(data: &[u8], field: &'static str) -> Result<Vec<u8>> {
    OctetStringRef::new(data)
        .and_then(|s| s.to_der())
        .map_err(|e| encode_error(field, e))
}

pub(crate) fn bits(data: &[u8], field: &'static str) -> Result<Vec<u8>> {
    BitStringRef::from_bytes(data)
        .and_then(|s| s.to_der())
        .map_err(|e| encode_error(field, e))
}

pub(crate) fn oid(value: &ObjectIdentifier, field: &'static str) -> Result<Vec<u8>> {
    value.to_der().map_err(|e| encode_error(field, e))
}

fn encode_error(field: &'static str, error: der::Error) -> Error {
    Error::Encode {
        field,
        reason: error.to_string(),
    }
}
