//! ASN.1 building blocks shared by the seal and signature structures.
//!
//! Reading is tolerant and hand-written (see [`reader`]); every tolerance becomes a
//! [`Finding`]. Writing uses the `der` crate, so output is canonical DER.

pub(crate) mod reader;

use der::asn1::ObjectIdentifier;

use crate::error::ParseError;
use crate::finding::{Finding, FindingCode};
use reader::Tlv;

pub(crate) const TAG_BOOLEAN: u8 = 0x01;
pub(crate) const TAG_INTEGER: u8 = 0x02;
pub(crate) const TAG_BIT_STRING: u8 = 0x03;
pub(crate) const TAG_OCTET_STRING: u8 = 0x04;
pub(crate) const TAG_OID: u8 = 0x06;
pub(crate) const TAG_UTF8_STRING: u8 = 0x0c;
pub(crate) const TAG_PRINTABLE_STRING: u8 = 0x13;
pub(crate) const TAG_IA5_STRING: u8 = 0x16;
pub(crate) const TAG_SEQUENCE: u8 = 0x30;
/// `[0]` constructed, context-specific.
pub(crate) const TAG_CONTEXT_0: u8 = 0xa0;

/// SM2-with-SM3 signature algorithm, GM/T 0006.
pub const OID_SM2_WITH_SM3: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.156.10197.1.501");
/// SM3 digest algorithm.
pub const OID_SM3: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.156.10197.1.401");
/// The SM2 curve (sm2p256v1).
pub const OID_SM2_CURVE: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.156.10197.1.301");

/// Context shared by the decoders of one structure: where findings go.
pub(crate) struct Ctx<'f> {
    pub findings: &'f mut Vec<Finding>,
}

impl Ctx<'_> {
    pub(crate) fn note(&mut self, code: FindingCode, structure: &str, field: &str, offset: usize) {
        self.findings.push(Finding::new(
            code,
            format!("{structure}.{field}"),
            Some(offset),
        ));
    }

    pub(crate) fn note_detail(
        &mut self,
        code: FindingCode,
        structure: &str,
        field: &str,
        offset: usize,
        detail: String,
    ) {
        self.findings.push(
            Finding::new(code, format!("{structure}.{field}"), Some(offset)).with_detail(detail),
        );
    }
}

/// Reads a small INTEGER (header version, type, certListType, width, height).
pub(crate) fn integer(
    tlv: &Tlv<'_>,
    structure: &'static str,
    field: &'static str,
    ctx: &mut Ctx<'_>,
) -> Result<i64, ParseError> {
    let bytes = tlv.value;
    if bytes.is_empty() {
        return Err(tlv.invalid(structure, field, "empty INTEGER"));
    }
    if bytes.len() > 1 && bytes[0] == 0 && bytes[1] & 0x80 == 0 {
        ctx.note(
            FindingCode::IntegerLeadingZero,
            structure,
            field,
            tlv.offset,
        );
    }
    let significant = {
        let skip = bytes
            .iter()
            .take_while(|&&b| b == 0)
            .count()
            .min(bytes.len() - 1);
        &bytes[skip..]
    };
    if significant.len() > 8 {
        return Err(tlv.invalid(structure, field, "INTEGER too large"));
    }
    let negative = bytes[0] & 0x80 != 0;
    let mut value: i64 = if negative { -1 } else { 0 };
    for &b in significant {
        value = (value << 8) | i64::from(b);
    }
    Ok(value)
}

/// Reads an IA5String; non-ASCII characters are accepted as UTF-8 and reported.
pub(crate) fn ia5_string(
    tlv: &Tlv<'_>,
    structure: &'static str,
    field: &'static str,
    ctx: &mut Ctx<'_>,
) -> Result<String, ParseError> {
    if !tlv.value.is_ascii() {
        ctx.note(FindingCode::Ia5StringNonAscii, structure, field, tlv.offset);
    }
    Ok(String::from_utf8_lossy(tlv.value).into_owned())
}

/// Reads a UTF8String; trailing NUL padding is removed and reported.
pub(crate) fn utf8_string(
    tlv: &Tlv<'_>,
    structure: &'static str,
    field: &'static str,
    ctx: &mut Ctx<'_>,
) -> Result<String, ParseError> {
    let text = std::str::from_utf8(tlv.value)
        .map_err(|_| tlv.invalid(structure, field, "UTF8String is not valid UTF-8"))?;
    let trimmed = text.trim_end_matches('\0');
    if trimmed.len() != text.len() {
        ctx.note(FindingCode::NamePaddedWithNul, structure, field, tlv.offset);
    }
    Ok(trimmed.to_owned())
}

/// Reads the octets of a BIT STRING. A non-zero unused-bits count is reported and ignored,
/// because the producers that write it strip trailing zero bits but store every octet.
pub(crate) fn bit_string<'a>(
    tlv: &Tlv<'a>,
    structure: &'static str,
    field: &'static str,
    ctx: &mut Ctx<'_>,
) -> Result<&'a [u8], ParseError> {
    let Some((&unused, octets)) = tlv.value.split_first() else {
        return Err(tlv.invalid(structure, field, "BIT STRING has no unused-bits octet"));
    };
    if unused > 7 || (unused != 0 && octets.is_empty()) {
        return Err(tlv.invalid(
            structure,
            field,
            format!("BIT STRING unused-bits count {unused}"),
        ));
    }
    if unused != 0 {
        ctx.note_detail(
            FindingCode::BitStringUnusedBits,
            structure,
            field,
            tlv.offset,
            format!("unused bits {unused}"),
        );
    }
    Ok(octets)
}

/// Reads an OBJECT IDENTIFIER.
pub(crate) fn oid(
    tlv: &Tlv<'_>,
    structure: &'static str,
    field: &'static str,
) -> Result<ObjectIdentifier, ParseError> {
    ObjectIdentifier::from_bytes(tlv.value)
        .map_err(|_| tlv.invalid(structure, field, "invalid OBJECT IDENTIFIER"))
}

/// Reads a BOOLEAN; any non-zero octet is true, and a value other than 0xFF is reported.
pub(crate) fn boolean(
    tlv: &Tlv<'_>,
    structure: &'static str,
    field: &'static str,
    ctx: &mut Ctx<'_>,
) -> Result<bool, ParseError> {
    match tlv.value {
        [0x00] => Ok(false),
        [0xff] => Ok(true),
        [_] => {
            ctx.note(
                FindingCode::BooleanNonCanonical,
                structure,
                field,
                tlv.offset,
            );
            Ok(true)
        }
        _ => Err(tlv.invalid(structure, field, "BOOLEAN must be one octet")),
    }
}

/// Wraps contents in a DER SEQUENCE header.
pub(crate) fn sequence(contents: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(contents.len() + 6);
    out.push(TAG_SEQUENCE);
    push_length(&mut out, contents.len());
    out.extend_from_slice(contents);
    out
}

/// Appends a DER definite length.
pub(crate) fn push_length(out: &mut Vec<u8>, length: usize) {
    if length < 0x80 {
        out.push(length as u8);
    } else {
        let bytes = length.to_be_bytes();
        let skip = bytes.iter().take_while(|&&b| b == 0).count();
        out.push(0x80 | (bytes.len() - skip) as u8);
        out.extend_from_slice(&bytes[skip..]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reader::Reader;

    fn read_integer(bytes: &[u8]) -> (Result<i64, ParseError>, Vec<Finding>) {
        let mut findings = Vec::new();
        let tlv = Reader::new(bytes, "T").read_any("f").unwrap();
        let value = integer(
            &tlv,
            "T",
            "f",
            &mut Ctx {
                findings: &mut findings,
            },
        );
        (value, findings)
    }

    #[test]
    fn integer_values() {
        assert_eq!(read_integer(&[0x02, 0x01, 0x04]).0.unwrap(), 4);
        assert_eq!(read_integer(&[0x02, 0x02, 0x00, 0x80]).0.unwrap(), 128);
        assert_eq!(read_integer(&[0x02, 0x01, 0xff]).0.unwrap(), -1);
    }

    #[test]
    fn integer_leading_zero_is_reported() {
        let (value, findings) = read_integer(&[0x02, 0x02, 0x00, 0x04]);
        assert_eq!(value.unwrap(), 4);
        assert_eq!(findings[0].code, FindingCode::IntegerLeadingZero);
    }

    #[test]
    fn oversized_integer_is_an_error() {
        let mut bytes = vec![0x02, 0x0a, 0x01];
        bytes.extend([0u8; 9]);
        assert!(read_integer(&bytes).0.is_err());
    }

    #[test]
    fn length_encoding_matches_der() {
        let mut out = Vec::new();
        push_length(&mut out, 0x7f);
        push_length(&mut out, 0x80);
        push_length(&mut out, 0x1234);
        assert_eq!(out, [0x7f, 0x81, 0x80, 0x82, 0x12, 0x34]);
    }
}
