//! Tolerant decoding of SESeal, V1, V4 and V5.

use super::{
    CertDigest, CertList, ExtData, Header, PictureInfo, PropertyInfo, Seal, SealInfo, Stored,
    Version,
};
use crate::asn1::reader::{Reader, Tlv};
use crate::asn1::{
    self, Ctx, TAG_BIT_STRING, TAG_CONTEXT_0, TAG_INTEGER, TAG_OCTET_STRING, TAG_OID, TAG_SEQUENCE,
};
use crate::error::{ParseError, ParseErrorKind};
use crate::finding::{Finding, FindingCode};
use crate::time::{Time, TimeEncoding};

const SESEAL: &str = "SESeal";
const SEAL_INFO: &str = "SES_SealInfo";
const HEADER: &str = "SES_Header";
const PROPERTY: &str = "SES_ESPropertyInfo";
const PICTURE: &str = "SES_ESPictrueInfo";
const SIGN_INFO: &str = "SES_SignInfo";
const EXT_DATA: &str = "ExtData";

/// Decodes one SESeal that fills `der` exactly. `base` is added to reported offsets, so that a
/// seal nested in a signature reports offsets in the signature's bytes.
pub(crate) fn decode_seal(der: &[u8], base: usize) -> Result<Seal, ParseError> {
    let mut findings = Vec::new();
    let seal = decode_seal_inner(der, &mut findings).map_err(|mut e| {
        e.offset += base;
        e
    })?;
    let mut seal = seal;
    for finding in &mut findings {
        if let Some(offset) = finding.offset.as_mut() {
            *offset += base;
        }
    }
    seal.stored.findings = findings;
    seal.stored.signed_value_offset += base;
    check_canonical(&mut seal);
    Ok(seal)
}

fn decode_seal_inner(der: &[u8], findings: &mut Vec<Finding>) -> Result<Seal, ParseError> {
    let mut top = Reader::new(der, SESEAL);
    let outer = top.read(TAG_SEQUENCE, "")?;
    top.finish("")?;
    let mut reader = outer.reader(SESEAL, 0)?;
    let info_tlv = reader.read(TAG_SEQUENCE, "eSealInfo")?;

    // V1 has a SEQUENCE (signInfo) where V4 has an OCTET STRING (cert).
    let structural = if reader.peek_tag() == Some(TAG_SEQUENCE) {
        Version::V1
    } else {
        Version::V4
    };
    let mut ctx = Ctx { findings };
    let info = decode_seal_info(&info_tlv, structural, reader.depth(), &mut ctx)?;

    let (maker_cert, algorithm, signed_tlv, signed_parts, time_stamp);
    match structural {
        Version::V1 => {
            let sign_info = reader.read(TAG_SEQUENCE, "signInfo")?;
            let mut inner = sign_info.reader(SIGN_INFO, reader.depth())?;
            let cert = inner.read(TAG_OCTET_STRING, "cert")?;
            let alg = inner.read(TAG_OID, "signatureAlgorithm")?;
            let sig = inner.read(TAG_BIT_STRING, "signData")?;
            inner.finish("signData")?;
            maker_cert = cert.value.to_vec();
            algorithm = asn1::oid(&alg, SIGN_INFO, "signatureAlgorithm")?;
            signed_tlv = sig;
            signed_parts = vec![range(&info_tlv), range(&cert), range(&alg)];
            time_stamp = None;
        }
        _ => {
            let cert = reader.read(TAG_OCTET_STRING, "cert")?;
            let alg = reader.read(TAG_OID, "signAlgID")?;
            let sig = reader.read(TAG_BIT_STRING, "signedValue")?;
            time_stamp = match reader.read_optional(TAG_CONTEXT_0, "timeStamp")? {
                Some(tagged) => {
                    let mut inner = tagged.reader(SESEAL, reader.depth())?;
                    let bits = inner.read(TAG_BIT_STRING, "timeStamp")?;
                    inner.finish("timeStamp")?;
                    Some(asn1::bit_string(&bits, SESEAL, "timeStamp", &mut ctx)?.to_vec())
                }
                None => None,
            };
            reader.finish("signedValue")?;
            maker_cert = cert.value.to_vec();
            algorithm = asn1::oid(&alg, SESEAL, "signAlgID")?;
            signed_tlv = sig;
            signed_parts = vec![range(&info_tlv)];
        }
    }
    let signed_value = asn1::bit_string(&signed_tlv, SESEAL, "signedValue", &mut ctx)?.to_vec();

    let version = match structural {
        Version::V1 => Version::V1,
        _ if info.header.version == 5 || time_stamp.is_some() => Version::V5,
        _ => Version::V4,
    };
    Ok(Seal {
        version,
        info,
        maker_cert,
        signature_algorithm: algorithm,
        signed_value,
        time_stamp,
        stored: Stored {
            der: der.to_vec(),
            signed_parts,
            signed_value_offset: signed_tlv.offset,
            findings: Vec::new(),
        },
    })
}

fn range(tlv: &Tlv<'_>) -> std::ops::Range<usize> {
    tlv.offset..tlv.offset + tlv.raw.len()
}

fn decode_seal_info(
    tlv: &Tlv<'_>,
    version: Version,
    depth: u8,
    ctx: &mut Ctx<'_>,
) -> Result<SealInfo, ParseError> {
    let mut reader = tlv.reader(SEAL_INFO, depth)?;
    let header_tlv = reader.read(TAG_SEQUENCE, "header")?;
    let header = decode_header(&header_tlv, reader.depth(), ctx)?;
    let es_id_tlv = reader.read(asn1::TAG_IA5_STRING, "esID")?;
    let es_id = asn1::ia5_string(&es_id_tlv, SEAL_INFO, "esID", ctx)?;
    let property_tlv = reader.read(TAG_SEQUENCE, "property")?;
    let property = decode_property(&property_tlv, version, reader.depth(), ctx)?;
    let picture_tlv = reader.read(TAG_SEQUENCE, "picture")?;
    let picture = decode_picture(&picture_tlv, reader.depth(), ctx)?;
    let ext_datas = match reader.peek_tag() {
        None => None,
        Some(TAG_SEQUENCE) => {
            let list = reader.read(TAG_SEQUENCE, "extDatas")?;
            Some(decode_ext_datas(&list, reader.depth(), ctx)?)
        }
        // Some producers tag SES_SealInfo.extDatas like TBS_Sign.extDatas.
        Some(TAG_CONTEXT_0) => {
            let tagged = reader.read(TAG_CONTEXT_0, "extDatas")?;
            let mut inner = tagged.reader(SEAL_INFO, reader.depth())?;
            let list = inner.read(TAG_SEQUENCE, "extDatas")?;
            inner.finish("extDatas")?;
            Some(decode_ext_datas(&list, inner.depth(), ctx)?)
        }
        Some(found) => {
            return Err(reader.error(
                "extDatas",
                ParseErrorKind::UnexpectedTag {
                    expected: TAG_SEQUENCE,
                    found,
                },
            ));
        }
    };
    reader.finish("extDatas")?;
    Ok(SealInfo {
        header,
        es_id,
        property,
        picture,
        ext_datas,
    })
}

fn decode_header(tlv: &Tlv<'_>, depth: u8, ctx: &mut Ctx<'_>) -> Result<Header, ParseError> {
    let mut reader = tlv.reader(HEADER, depth)?;
    let id = reader.read(asn1::TAG_IA5_STRING, "ID")?;
    let version = reader.read(TAG_INTEGER, "version")?;
    let vid = reader.read(asn1::TAG_IA5_STRING, "Vid")?;
    reader.finish("Vid")?;
    Ok(Header {
        id: asn1::ia5_string(&id, HEADER, "ID", ctx)?,
        version: asn1::integer(&version, HEADER, "version", ctx)?,
        vid: asn1::ia5_string(&vid, HEADER, "Vid", ctx)?,
    })
}

fn decode_property(
    tlv: &Tlv<'_>,
    version: Version,
    depth: u8,
    ctx: &mut Ctx<'_>,
) -> Result<PropertyInfo, ParseError> {
    let mut reader = tlv.reader(PROPERTY, depth)?;
    let type_tlv = reader.read(TAG_INTEGER, "type")?;
    let seal_type = asn1::integer(&type_tlv, PROPERTY, "type", ctx)?;
    let name_tlv = reader.read(asn1::TAG_UTF8_STRING, "name")?;
    let name = asn1::utf8_string(&name_tlv, PROPERTY, "name", ctx)?;

    let cert_list_type = if version == Version::V1 {
        None
    } else {
        let t = reader.read(TAG_INTEGER, "certListType")?;
        let value = asn1::integer(&t, PROPERTY, "certListType", ctx)?;
        if value != 1 && value != 2 {
            ctx.note_detail(
                FindingCode::CertListTypeNonStandard,
                PROPERTY,
                "certListType",
                t.offset,
                format!("certListType {value}"),
            );
        }
        Some(value)
    };
    let list_tlv = reader.read(TAG_SEQUENCE, "certList")?;
    let cert_list = decode_cert_list(&list_tlv, cert_list_type, reader.depth(), ctx)?;

    let time_field = |reader: &mut Reader<'_>,
                      field: &'static str,
                      ctx: &mut Ctx<'_>|
     -> Result<Time, ParseError> {
        let t = reader.read_any(field)?;
        let (time, encoding) = Time::decode(&t, PROPERTY, field, ctx.findings)?;
        let expected = if version == Version::V1 {
            TimeEncoding::UtcTime
        } else {
            TimeEncoding::GeneralizedTime
        };
        if encoding != expected {
            ctx.note_detail(
                FindingCode::NonCanonicalDer,
                PROPERTY,
                field,
                t.offset,
                format!("{encoding:?} where the version requires {expected:?}"),
            );
        }
        Ok(time)
    };
    let create_date = time_field(&mut reader, "createDate", ctx)?;
    let valid_start = time_field(&mut reader, "validStart", ctx)?;
    let valid_end = time_field(&mut reader, "validEnd", ctx)?;
    reader.finish("validEnd")?;
    Ok(PropertyInfo {
        seal_type,
        name,
        cert_list_type,
        cert_list,
        create_date,
        valid_start,
        valid_end,
    })
}

fn decode_cert_list(
    tlv: &Tlv<'_>,
    cert_list_type: Option<i64>,
    depth: u8,
    ctx: &mut Ctx<'_>,
) -> Result<CertList, ParseError> {
    let mut reader = tlv.reader("SES_CertList", depth)?;
    // The CHOICE is untagged; certListType 2 selects digests, any other value is read as
    // certificates. A digest list is also recognised by its entries being SEQUENCEs.
    let digests = cert_list_type == Some(2)
        || (cert_list_type.is_some() && reader.peek_tag() == Some(TAG_SEQUENCE));
    if digests {
        let mut list = Vec::new();
        while !reader.is_empty() {
            let entry = reader.read(TAG_SEQUENCE, "certDigestList")?;
            let mut inner = entry.reader("CertDigestObj", reader.depth())?;
            let algorithm = inner.read_any("type")?;
            if !matches!(
                algorithm.tag,
                asn1::TAG_PRINTABLE_STRING | asn1::TAG_IA5_STRING | asn1::TAG_UTF8_STRING
            ) {
                return Err(algorithm.error(
                    "CertDigestObj",
                    "type",
                    ParseErrorKind::UnexpectedTag {
                        expected: asn1::TAG_PRINTABLE_STRING,
                        found: algorithm.tag,
                    },
                ));
            }
            let value = inner.read(TAG_OCTET_STRING, "value")?;
            inner.finish("value")?;
            list.push(CertDigest {
                algorithm: String::from_utf8_lossy(algorithm.value).into_owned(),
                value: value.value.to_vec(),
            });
        }
        return Ok(CertList::Digests(list));
    }
    let mut certs = Vec::new();
    while !reader.is_empty() {
        let entry = reader.read_any("certs")?;
        match entry.tag {
            TAG_OCTET_STRING => {}
            asn1::TAG_IA5_STRING if cert_list_type.is_none() => {
                ctx.note(
                    FindingCode::CertListEntryIa5String,
                    "SES_CertList",
                    "certs",
                    entry.offset,
                );
            }
            found => {
                return Err(entry.error(
                    "SES_CertList",
                    "certs",
                    ParseErrorKind::UnexpectedTag {
                        expected: TAG_OCTET_STRING,
                        found,
                    },
                ));
            }
        }
        certs.push(entry.value.to_vec());
    }
    Ok(CertList::Certs(certs))
}

fn decode_picture(tlv: &Tlv<'_>, depth: u8, ctx: &mut Ctx<'_>) -> Result<PictureInfo, ParseError> {
    let mut reader = tlv.reader(PICTURE, depth)?;
    let kind = reader.read(asn1::TAG_IA5_STRING, "type")?;
    let data = reader.read(TAG_OCTET_STRING, "data")?;
    let width = reader.read(TAG_INTEGER, "width")?;
    let height = reader.read(TAG_INTEGER, "height")?;
    reader.finish("height")?;
    let picture = PictureInfo {
        picture_type: asn1::ia5_string(&kind, PICTURE, "type", ctx)?,
        data: data.value.to_vec(),
        width: asn1::integer(&width, PICTURE, "width", ctx)?,
        height: asn1::integer(&height, PICTURE, "height", ctx)?,
    };
    if let Err(reason) = super::picture::check_declared_type(&picture.picture_type, &picture.data) {
        ctx.note_detail(
            FindingCode::PictureTypeMismatch,
            PICTURE,
            "type",
            kind.offset,
            reason,
        );
    }
    Ok(picture)
}

/// Decodes `ExtensionDatas ::= SEQUENCE OF ExtData`.
pub(crate) fn decode_ext_datas(
    tlv: &Tlv<'_>,
    depth: u8,
    ctx: &mut Ctx<'_>,
) -> Result<Vec<ExtData>, ParseError> {
    let mut reader = tlv.reader("ExtensionDatas", depth)?;
    let mut list = Vec::new();
    while !reader.is_empty() {
        let entry = reader.read(TAG_SEQUENCE, "ExtData")?;
        let mut inner = entry.reader(EXT_DATA, reader.depth())?;
        let id_tlv = inner.read(TAG_OID, "extnID")?;
        let id = asn1::oid(&id_tlv, EXT_DATA, "extnID")?;
        let critical = match inner.read_optional(asn1::TAG_BOOLEAN, "critical")? {
            Some(flag) => {
                let value = asn1::boolean(&flag, EXT_DATA, "critical", ctx)?;
                if !value {
                    ctx.note(
                        FindingCode::DefaultValueEncoded,
                        EXT_DATA,
                        "critical",
                        flag.offset,
                    );
                }
                value
            }
            None => false,
        };
        let value = inner.read(TAG_OCTET_STRING, "extnValue")?;
        inner.finish("extnValue")?;
        list.push(ExtData {
            id,
            critical,
            value: value.value.to_vec(),
        });
    }
    Ok(list)
}

/// Reports a stored encoding that differs from the canonical DER of the decoded values, unless a
/// more specific finding already explains the difference.
fn check_canonical(seal: &mut Seal) {
    let canonical = super::encode::encode_seal(seal).ok();
    let explained = seal
        .stored
        .findings
        .iter()
        .any(|f| f.code.changes_encoding());
    if canonical.as_deref() != Some(seal.as_der()) && !explained {
        seal.stored
            .findings
            .push(Finding::new(FindingCode::NonCanonicalDer, SESEAL, None));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_input_is_truncated() {
        let error = decode_seal(&[], 0).unwrap_err();
        assert_eq!(error.kind, ParseErrorKind::Empty);
        assert_eq!(error.structure, SESEAL);
    }

    #[test]
    fn wrong_outer_tag_is_named() {
        let error = decode_seal(&[0x04, 0x00], 0).unwrap_err();
        assert_eq!(error.field, "");
        assert!(matches!(
            error.kind,
            ParseErrorKind::UnexpectedTag {
                expected: 0x30,
                found: 0x04
            }
        ));
    }

    #[test]
    fn trailing_bytes_are_rejected() {
        let error = decode_seal(&[0x30, 0x00, 0x00], 0).unwrap_err();
        assert!(matches!(error.kind, ParseErrorKind::TrailingData(1)));
    }
}
