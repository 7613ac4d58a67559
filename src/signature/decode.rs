//! Tolerant decoding of SES_Signature, V1, V4 and V5.

use super::{Signature, Stored, TbsSign};
use crate::asn1::reader::Reader;
use crate::asn1::{
    self, Ctx, TAG_BIT_STRING, TAG_CONTEXT_0, TAG_INTEGER, TAG_OCTET_STRING, TAG_OID, TAG_SEQUENCE,
};
use crate::error::{ParseError, ParseErrorKind};
use crate::finding::{Finding, FindingCode};
use crate::seal::Version;
use crate::time::{Time, TimeEncoding};

const SIGNATURE: &str = "SES_Signature";
const TBS: &str = "TBS_Sign";

pub(crate) fn decode_signature(der: &[u8]) -> Result<Signature, ParseError> {
    let mut top = Reader::new(der, SIGNATURE);
    let outer = top.read(TAG_SEQUENCE, "")?;
    top.finish("")?;
    let mut reader = outer.reader(SIGNATURE, 0)?;
    let tbs_tlv = reader.read(TAG_SEQUENCE, "toSign")?;

    // V1 has only toSign and signature; V4 and V5 follow toSign with the cert OCTET STRING.
    let structural = if reader.peek_tag() == Some(TAG_BIT_STRING) {
        Version::V1
    } else {
        Version::V4
    };

    let mut findings = Vec::new();
    let mut tbs_reader = tbs_tlv.reader(TBS, reader.depth())?;
    let version_tlv = tbs_reader.read(TAG_INTEGER, "version")?;
    let seal_tlv = tbs_reader.read(TAG_SEQUENCE, "eseal")?;
    // The seal's findings come first, with offsets in this signature's bytes.
    let seal = crate::seal::decode::decode_seal(seal_tlv.raw, seal_tlv.offset)?;
    findings.extend(seal.findings().iter().cloned());
    let mut ctx = Ctx {
        findings: &mut findings,
    };
    let tbs_version = asn1::integer(&version_tlv, TBS, "version", &mut ctx)?;

    let time_tlv = tbs_reader.read_any("timeInfo")?;
    let time_info = if structural == Version::V1 {
        decode_v1_time(&time_tlv, &mut ctx)?
    } else {
        let (time, encoding) = Time::decode(&time_tlv, TBS, "timeInfo", ctx.findings)?;
        if encoding != TimeEncoding::GeneralizedTime {
            ctx.note_detail(
                FindingCode::NonCanonicalDer,
                TBS,
                "timeInfo",
                time_tlv.offset,
                "UTCTime where GeneralizedTime is required".into(),
            );
        }
        time
    };
    let hash_tlv = tbs_reader.read(TAG_BIT_STRING, "dataHash")?;
    let data_hash = asn1::bit_string(&hash_tlv, TBS, "dataHash", &mut ctx)?.to_vec();
    let property_tlv = tbs_reader.read(asn1::TAG_IA5_STRING, "propertyInfo")?;
    let property_info = asn1::ia5_string(&property_tlv, TBS, "propertyInfo", &mut ctx)?;

    let (signer_cert, algorithm, ext_datas, signature_tlv, time_stamp);
    if structural == Version::V1 {
        let cert = tbs_reader.read(TAG_OCTET_STRING, "cert")?;
        let alg = tbs_reader.read(TAG_OID, "signatureAlgorithm")?;
        tbs_reader.finish("signatureAlgorithm")?;
        signer_cert = cert.value.to_vec();
        algorithm = asn1::oid(&alg, TBS, "signatureAlgorithm")?;
        ext_datas = None;
        signature_tlv = reader.read(TAG_BIT_STRING, "signature")?;
        time_stamp = None;
    } else {
        ext_datas = match tbs_reader.peek_tag() {
            None => None,
            Some(TAG_CONTEXT_0) => {
                let tagged = tbs_reader.read(TAG_CONTEXT_0, "extDatas")?;
                let mut inner = tagged.reader(TBS, tbs_reader.depth())?;
                let list = inner.read(TAG_SEQUENCE, "extDatas")?;
                inner.finish("extDatas")?;
                Some(crate::seal::decode::decode_ext_datas(
                    &list,
                    inner.depth(),
                    &mut ctx,
                )?)
            }
            Some(TAG_SEQUENCE) => {
                let list = tbs_reader.read(TAG_SEQUENCE, "extDatas")?;
                ctx.note(FindingCode::ExtDatasUntagged, TBS, "extDatas", list.offset);
                Some(crate::seal::decode::decode_ext_datas(
                    &list,
                    tbs_reader.depth(),
                    &mut ctx,
                )?)
            }
            Some(found) => {
                return Err(tbs_reader.error(
                    "extDatas",
                    ParseErrorKind::UnexpectedTag {
                        expected: TAG_CONTEXT_0,
                        found,
                    },
                ));
            }
        };
        tbs_reader.finish("extDatas")?;
        let cert = reader.read(TAG_OCTET_STRING, "cert")?;
        let alg = reader.read(TAG_OID, "signatureAlgID")?;
        signer_cert = cert.value.to_vec();
        algorithm = asn1::oid(&alg, SIGNATURE, "signatureAlgID")?;
        signature_tlv = reader.read(TAG_BIT_STRING, "signature")?;
        time_stamp = match reader.read_optional(TAG_CONTEXT_0, "timeStamp")? {
            Some(tagged) => {
                let mut inner = tagged.reader(SIGNATURE, reader.depth())?;
                let bits = inner.read(TAG_BIT_STRING, "timeStamp")?;
                inner.finish("timeStamp")?;
                Some(asn1::bit_string(&bits, SIGNATURE, "timeStamp", &mut ctx)?.to_vec())
            }
            None => None,
        };
    }
    reader.finish("signature")?;
    let signature = asn1::bit_string(&signature_tlv, SIGNATURE, "signature", &mut ctx)?.to_vec();

    let version = match structural {
        Version::V1 => Version::V1,
        _ if tbs_version == 5 => Version::V5,
        _ => Version::V4,
    };
    let mut decoded = Signature {
        version,
        tbs: TbsSign {
            version: tbs_version,
            seal,
            time_info,
            data_hash,
            property_info,
            ext_datas,
        },
        signer_cert,
        signature_algorithm: algorithm,
        signature,
        time_stamp,
        stored: Stored {
            der: der.to_vec(),
            tbs: tbs_tlv.offset..tbs_tlv.offset + tbs_tlv.raw.len(),
            seal_end: seal_tlv.offset + seal_tlv.raw.len(),
            signature_offset: signature_tlv.offset,
            findings,
        },
    };
    check_canonical(&mut decoded);
    Ok(decoded)
}

/// Reads the V1 timeInfo: time text (UTCTime or GeneralizedTime characters) in a BIT STRING.
fn decode_v1_time(
    tlv: &crate::asn1::reader::Tlv<'_>,
    ctx: &mut Ctx<'_>,
) -> Result<Time, ParseError> {
    if tlv.tag != TAG_BIT_STRING {
        // Producers that follow V4 habits write a plain time here.
        return Time::decode(tlv, TBS, "timeInfo", ctx.findings).map(|(time, _)| time);
    }
    let octets = asn1::bit_string(tlv, TBS, "timeInfo", ctx)?;
    let text = std::str::from_utf8(octets)
        .map_err(|_| tlv.invalid(TBS, "timeInfo", "timeInfo is not time text"))?;
    // NOTE: GM/T 0031-2014 also allows a time stamp token here; eseal reads only time text.
    let (time, zulu) = Time::parse_text(text)
        .ok_or_else(|| tlv.invalid(TBS, "timeInfo", format!("timeInfo {text:?} is not a time")))?;
    if !zulu {
        ctx.note_detail(
            FindingCode::TimeWithoutZ,
            TBS,
            "timeInfo",
            tlv.offset,
            text.to_owned(),
        );
    }
    Ok(time)
}

fn check_canonical(signature: &mut Signature) {
    let canonical = super::encode::encode_signature(signature).ok();
    let explained = signature
        .stored
        .findings
        .iter()
        .any(|f| f.code.changes_encoding());
    if canonical.as_deref() != Some(signature.as_der()) && !explained {
        signature
            .stored
            .findings
            .push(Finding::new(FindingCode::NonCanonicalDer, SIGNATURE, None));
    }
}
