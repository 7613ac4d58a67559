//! Canonical DER encoding of SES_Signature.

use der::asn1::ObjectIdentifier;

use super::Signature;
use crate::asn1::sequence;
use crate::error::Result;
use crate::seal::encode::{
    bits, encode_ext_datas, encode_time, explicit0, ia5, integer, octets, oid,
};
use crate::seal::{ExtData, Seal, Version};
use crate::time::Time;

/// The values of a TBS_Sign to encode; the seal is written exactly as stored.
pub(crate) struct TbsParts<'a> {
    pub version: Version,
    /// TBS_Sign.version as written (4 for V4, 5 for V5, 1 for V1).
    pub version_number: i64,
    pub seal: &'a Seal,
    pub time_info: Time,
    pub data_hash: &'a [u8],
    pub property_info: &'a str,
    pub ext_datas: Option<&'a [ExtData]>,
    /// V1 only: the signer's certificate and the algorithm, which V1 puts inside TBS_Sign.
    pub cert: &'a [u8],
    pub algorithm: &'a ObjectIdentifier,
}

pub(crate) fn encode_tbs(parts: &TbsParts<'_>) -> Result<Vec<u8>> {
    let mut contents = integer(parts.version_number, "TBS_Sign.version")?;
    contents.extend_from_slice(parts.seal.as_der());
    if parts.version == Version::V1 {
        let text = parts
            .time_info
            .to_utc_time_text()
            .ok_or(crate::Error::Encode {
                field: "timeInfo",
                reason: "V1 time must be within 1950..2049".into(),
            })?;
        contents.extend(bits(text.as_bytes(), "timeInfo")?);
    } else {
        contents.extend(encode_time(parts.time_info, parts.version, "timeInfo")?);
    }
    contents.extend(bits(parts.data_hash, "dataHash")?);
    contents.extend(ia5(parts.property_info, "propertyInfo")?);
    if parts.version == Version::V1 {
        contents.extend(octets(parts.cert, "cert")?);
        contents.extend(oid(parts.algorithm, "signatureAlgorithm")?);
    } else if let Some(ext_datas) = parts.ext_datas {
        contents.extend(explicit0(&encode_ext_datas(ext_datas)?));
    }
    Ok(sequence(&contents))
}

pub(crate) fn encode_signature(signature: &Signature) -> Result<Vec<u8>> {
    let tbs = &signature.tbs;
    let parts = TbsParts {
        version: signature.version,
        version_number: tbs.version,
        seal: &tbs.seal,
        time_info: tbs.time_info,
        data_hash: &tbs.data_hash,
        property_info: &tbs.property_info,
        ext_datas: tbs.ext_datas.as_deref(),
        cert: &signature.signer_cert,
        algorithm: &signature.signature_algorithm,
    };
    let mut contents = encode_tbs(&parts)?;
    if signature.version != Version::V1 {
        contents.extend(octets(&signature.signer_cert, "cert")?);
        contents.extend(oid(&signature.signature_algorithm, "signatureAlgID")?);
    }
    contents.extend(bits(&signature.signature, "signature")?);
    if let Some(time_stamp) = &signature.time_stamp {
        contents.extend(explicit0(&bits(time_stamp, "timeStamp")?));
    }
    Ok(sequence(&contents))
}
