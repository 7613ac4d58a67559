//! The SM2 signature value: DER `SEQUENCE { r INTEGER, s INTEGER }` (GM/T 0009), and the
//! other encodings producers store in its place.

use crate::finding::{Finding, FindingCode};

/// An SM2 signature (r, s) as two 32-byte big-endian integers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SignatureValue {
    /// r
    pub r: [u8; 32],
    /// s
    pub s: [u8; 32],
}

impl SignatureValue {
    /// Encodes as DER `SEQUENCE { r INTEGER, s INTEGER }`, minimal and positive.
    pub fn to_der(&self) -> Vec<u8> {
        let mut contents = Vec::with_capacity(70);
        push_unsigned_integer(&mut contents, &self.r);
        push_unsigned_integer(&mut contents, &self.s);
        crate::asn1::sequence(&contents)
    }

    /// The raw 64 bytes r || s.
    pub fn to_raw(&self) -> [u8; 64] {
        let mut out = [0u8; 64];
        out[..32].copy_from_slice(&self.r);
        out[32..].copy_from_slice(&self.s);
        out
    }

    /// Reads a stored signature value in any encoding producers write: DER (also with needless
    /// leading zeros, with negative-looking INTEGERs, or missing a final 0x00 octet) or raw
    /// 64-byte r || s. Every deviation from DER is added to `findings` under `location`.
    pub fn decode(
        bytes: &[u8],
        location: &str,
        offset: usize,
        findings: &mut Vec<Finding>,
    ) -> Result<Self, String> {
        let mut local = Vec::new();
        if let Some(value) = decode_der(bytes, location, offset, &mut local) {
            findings.extend(local);
            return Ok(value);
        }
        // One producer drops the final 0x00 octet of s, leaving the SEQUENCE one byte short.
        if bytes.first() == Some(&0x30)
            && bytes
                .get(1)
                .is_some_and(|&len| usize::from(len) == bytes.len() - 1)
        {
            let mut padded = bytes.to_vec();
            padded.push(0);
            local.clear();
            if let Some(value) = decode_der(&padded, location, offset, &mut local) {
                findings.push(Finding::new(
                    FindingCode::SignatureTruncatedDer,
                    location,
                    Some(offset),
                ));
                findings.extend(local);
                return Ok(value);
            }
        }
        if bytes.len() == 64 {
            findings.push(Finding::new(
                FindingCode::SignatureRawRs,
                location,
                Some(offset),
            ));
            let mut value = SignatureValue {
                r: [0; 32],
                s: [0; 32],
            };
            value.r.copy_from_slice(&bytes[..32]);
            value.s.copy_from_slice(&bytes[32..]);
            return Ok(value);
        }
        Err(format!(
            "the signature value ({} bytes) is neither DER SEQUENCE {{ r, s }} nor raw r||s",
            bytes.len()
        ))
    }
}

fn push_unsigned_integer(out: &mut Vec<u8>, value: &[u8; 32]) {
    let skip = value.iter().take_while(|&&b| b == 0).count().min(31);
    let digits = &value[skip..];
    let pad = digits[0] & 0x80 != 0;
    out.push(0x02);
    out.push((digits.len() + usize::from(pad)) as u8);
    if pad {
        out.push(0);
    }
    out.extend_from_slice(digits);
}

/// Parses DER `SEQUENCE { INTEGER, INTEGER }` exactly filling `bytes`, reading the INTEGERs as
/// unsigned; `None` when the framing is not that.
fn decode_der(
    bytes: &[u8],
    location: &str,
    offset: usize,
    findings: &mut Vec<Finding>,
) -> Option<SignatureValue> {
    use crate::asn1::reader::Reader;

    let mut outer = Reader::new(bytes, "signature");
    let sequence = outer.read(0x30, "value").ok()?;
    if !outer.is_empty() {
        return None;
    }
    let mut inner = sequence.reader("signature", 0).ok()?;
    let r = inner.read(0x02, "r").ok()?;
    let s = inner.read(0x02, "s").ok()?;
    if !inner.is_empty() {
        return None;
    }
    let r = read_unsigned(r.value, location, offset, findings)?;
    let s = read_unsigned(s.value, location, offset, findings)?;
    Some(SignatureValue { r, s })
}

fn read_unsigned(
    bytes: &[u8],
    location: &str,
    offset: usize,
    findings: &mut Vec<Finding>,
) -> Option<[u8; 32]> {
    let first = *bytes.first()?;
    if first & 0x80 != 0 {
        push_once(findings, FindingCode::IntegerNegative, location, offset);
    } else if bytes.len() > 1 && first == 0 && bytes[1] & 0x80 == 0 {
        push_once(findings, FindingCode::IntegerLeadingZero, location, offset);
    }
    let skip = bytes.iter().take_while(|&&b| b == 0).count();
    let digits = &bytes[skip..];
    if digits.len() > 32 {
        return None;
    }
    let mut out = [0u8; 32];
    out[32 - digits.len()..].copy_from_slice(digits);
    Some(out)
}

fn push_once(findings: &mut Vec<Finding>, code: FindingCode, location: &str, offset: usize) {
    if !findings.iter().any(|f| f.code == code) {
        findings.push(Finding::new(code, location, Some(offset)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> SignatureValue {
        let mut r = [0x11; 32];
        r[0] = 0x81;
        let mut s = [0x22; 32];
        s[0] = 0;
        s[1] = 0x05;
        SignatureValue { r, s }
    }

    #[test]
    fn der_round_trip_is_minimal() {
        let value = sample();
        let der = value.to_der();
        // r needs a 0x00 sign octet (33 bytes), s drops its leading zero (31 bytes).
        assert_eq!(&der[..4], &[0x30, 68, 0x02, 33]);
        let mut findings = Vec::new();
        assert_eq!(
            SignatureValue::decode(&der, "x", 0, &mut findings).unwrap(),
            value
        );
        assert!(findings.is_empty());
    }

    #[test]
    fn raw_r_s_is_reported() {
        let value = sample();
        let mut findings = Vec::new();
        let decoded = SignatureValue::decode(&value.to_raw(), "x", 7, &mut findings).unwrap();
        assert_eq!(decoded, value);
        assert_eq!(findings[0].code, FindingCode::SignatureRawRs);
        assert_eq!(findings[0].offset, Some(7));
    }

    #[test]
    fn negative_integer_is_read_unsigned() {
        let value = sample();
        // Write r without its 0x00 sign octet.
        let mut contents = vec![0x02, 32];
        contents.extend_from_slice(&value.r);
        push_unsigned_integer(&mut contents, &value.s);
        let der = crate::asn1::sequence(&contents);
        let mut findings = Vec::new();
        assert_eq!(
            SignatureValue::decode(&der, "x", 0, &mut findings).unwrap(),
            value
        );
        assert_eq!(findings[0].code, FindingCode::IntegerNegative);
    }

    #[test]
    fn dropped_final_zero_is_padded() {
        let mut value = sample();
        value.s[31] = 0;
        let mut der = value.to_der();
        assert_eq!(der.pop(), Some(0));
        let mut findings = Vec::new();
        assert_eq!(
            SignatureValue::decode(&der, "x", 0, &mut findings).unwrap(),
            value
        );
        assert_eq!(findings[0].code, FindingCode::SignatureTruncatedDer);
    }

    #[test]
    fn garbage_is_rejected() {
        let mut findings = Vec::new();
        assert!(SignatureValue::decode(&[0x30, 0x03, 0x02, 0x01], "x", 0, &mut findings).is_err());
        assert!(SignatureValue::decode(&[0u8; 63], "x", 0, &mut findings).is_err());
        assert!(SignatureValue::decode(&[], "x", 0, &mut findings).is_err());
    }
}
