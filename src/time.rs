//! Times in seals and signatures: UTCTime and GeneralizedTime, read tolerantly.

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use der::DateTime;

use crate::asn1::reader::Tlv;
use crate::error::ParseError;
use crate::finding::{Finding, FindingCode};

/// Offset of Beijing time (UTC+08:00), the local time of the producers that omit `Z`.
const BEIJING_OFFSET_SECONDS: u64 = 8 * 3600;

/// The ASN.1 type a time is encoded as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeEncoding {
    /// UTCTime (tag 0x17), used by GM/T 0031-2014 (V1).
    UtcTime,
    /// GeneralizedTime (tag 0x18), used by GB/T 38540-2020 (V4) and V5.
    GeneralizedTime,
}

/// An instant with one-second precision, in UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Time {
    unix_seconds: u64,
}

impl Time {
    /// The current system time.
    pub fn now() -> Self {
        let seconds = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        Self {
            unix_seconds: seconds,
        }
    }

    /// Builds a time from seconds since 1970-01-01T00:00:00Z.
    pub fn from_unix_seconds(unix_seconds: u64) -> Self {
        Self { unix_seconds }
    }

    /// Seconds since 1970-01-01T00:00:00Z.
    pub fn unix_seconds(&self) -> u64 {
        self.unix_seconds
    }

    /// Builds a time from calendar fields in UTC; `None` when a field is out of range.
    pub fn from_utc(
        year: u16,
        month: u8,
        day: u8,
        hour: u8,
        minute: u8,
        second: u8,
    ) -> Option<Self> {
        DateTime::new(year, month, day, hour, minute, second)
            .ok()
            .map(Self::from_date_time)
    }

    fn from_date_time(date_time: DateTime) -> Self {
        Self {
            unix_seconds: date_time.unix_duration().as_secs(),
        }
    }

    pub(crate) fn to_date_time(self) -> Option<DateTime> {
        DateTime::from_unix_duration(Duration::from_secs(self.unix_seconds)).ok()
    }

    /// Parses a time given by a person: `2024-02-06T07:06:18Z`, `2024-02-06 15:06:18+08:00`,
    /// `20240206070618Z` or a date `2024-02-06` (midnight UTC). A time without a zone is UTC.
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim();
        let (body, offset) = split_zone(text)?;
        let digits: String = body.chars().filter(|c| c.is_ascii_digit()).collect();
        let others_ok = body
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '-' | ':' | 'T' | 't' | ' '));
        if !others_ok {
            return None;
        }
        let field =
            |range: std::ops::Range<usize>| digits.get(range).and_then(|s| s.parse::<u16>().ok());
        let time = match digits.len() {
            8 => Self::from_utc(
                field(0..4)?,
                field(4..6)? as u8,
                field(6..8)? as u8,
                0,
                0,
                0,
            )?,
            12 | 14 => Self::from_utc(
                field(0..4)?,
                field(4..6)? as u8,
                field(6..8)? as u8,
                field(8..10)? as u8,
                field(10..12)? as u8,
                if digits.len() == 14 {
                    field(12..14)? as u8
                } else {
                    0
                },
            )?,
            _ => return None,
        };
        let seconds = i64::try_from(time.unix_seconds).ok()? - offset;
        Some(Self::from_unix_seconds(u64::try_from(seconds).ok()?))
    }

    /// Decodes a UTCTime or GeneralizedTime element, tolerating what producers write.
    pub(crate) fn decode(
        tlv: &Tlv<'_>,
        structure: &'static str,
        field: &'static str,
        findings: &mut Vec<Finding>,
    ) -> Result<(Self, TimeEncoding), ParseError> {
        let text = std::str::from_utf8(tlv.value)
            .map_err(|_| tlv.invalid(structure, field, "time is not ASCII text"))?;
        let location = || format!("{structure}.{field}");
        match tlv.tag {
            0x17 => {
                let time = parse_asn1_time(text, 2).ok_or_else(|| {
                    tlv.invalid(structure, field, format!("invalid UTCTime {text:?}"))
                })?;
                if !time.zulu {
                    findings.push(
                        Finding::new(FindingCode::TimeWithoutZ, location(), Some(tlv.offset))
                            .with_detail(text),
                    );
                }
                Ok((time.instant, TimeEncoding::UtcTime))
            }
            0x18 => {
                // Producers also write two-digit years into a GeneralizedTime.
                let year_digits =
                    if text.len() >= 14 && text.as_bytes()[..14].iter().all(u8::is_ascii_digit) {
                        4
                    } else {
                        2
                    };
                let time = parse_asn1_time(text, year_digits).ok_or_else(|| {
                    tlv.invalid(
                        structure,
                        field,
                        format!("invalid GeneralizedTime {text:?}"),
                    )
                })?;
                if year_digits == 2 {
                    findings.push(
                        Finding::new(FindingCode::TimeTwoDigitYear, location(), Some(tlv.offset))
                            .with_detail(text),
                    );
                }
                if !time.zulu {
                    findings.push(
                        Finding::new(FindingCode::TimeWithoutZ, location(), Some(tlv.offset))
                            .with_detail(text),
                    );
                }
                if time.fraction {
                    findings.push(
                        Finding::new(FindingCode::TimeFraction, location(), Some(tlv.offset))
                            .with_detail(text),
                    );
                }
                Ok((time.instant, TimeEncoding::GeneralizedTime))
            }
            found => Err(tlv.error(
                structure,
                field,
                crate::error::ParseErrorKind::UnexpectedTag {
                    expected: 0x18,
                    found,
                },
            )),
        }
    }

    /// Parses the text of a V1 timeInfo (UTCTime or GeneralizedTime characters in a BIT STRING).
    pub(crate) fn parse_text(text: &str) -> Option<(Self, bool)> {
        let year_digits =
            if text.len() >= 14 && text.as_bytes()[..14].iter().all(u8::is_ascii_digit) {
                4
            } else {
                2
            };
        parse_asn1_time(text, year_digits).map(|t| (t.instant, t.zulu))
    }

    /// The UTCTime text `YYMMDDHHMMSSZ`, or `None` outside 1950..2049.
    pub(crate) fn to_utc_time_text(self) -> Option<String> {
        let dt = self.to_date_time()?;
        if !(1950..2050).contains(&dt.year()) {
            return None;
        }
        Some(format!(
            "{:02}{:02}{:02}{:02}{:02}{:02}Z",
            dt.year() % 100,
            dt.month(),
            dt.day(),
            dt.hour(),
            dt.minutes(),
            dt.seconds()
        ))
    }
}

impl fmt::Display for Time {
    /// Formats as `2024-02-06T07:06:18Z`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.to_date_time() {
            Some(dt) => write!(
                f,
                "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
                dt.year(),
                dt.month(),
                dt.day(),
                dt.hour(),
                dt.minutes(),
                dt.seconds()
            ),
            None => write!(f, "@{}", self.unix_seconds),
        }
    }
}

struct ParsedTime {
    instant: Time,
    zulu: bool,
    fraction: bool,
}

/// Parses `YYYYMMDDHHMMSS[.fff][Z|+hhmm]` (four-digit year) or `YYMMDDHHMMSS...` (two digits,
/// 1950..2049 as in UTCTime). Text without a zone is read as Beijing time.
fn parse_asn1_time(text: &str, year_digits: usize) -> Option<ParsedTime> {
    let bytes = text.as_bytes();
    let digits_len = year_digits + 10;
    let head = bytes.get(..digits_len)?;
    if !head.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let number = |from: usize, len: usize| -> u16 {
        head[from..from + len]
            .iter()
            .fold(0u16, |acc, &b| acc * 10 + u16::from(b - b'0'))
    };
    let year = if year_digits == 4 {
        number(0, 4)
    } else {
        let yy = number(0, 2);
        if yy >= 50 { 1900 + yy } else { 2000 + yy }
    };
    let p = year_digits;
    let (month, day, hour, minute, second) = (
        number(p, 2) as u8,
        number(p + 2, 2) as u8,
        number(p + 4, 2) as u8,
        number(p + 6, 2) as u8,
        number(p + 8, 2) as u8,
    );
    let mut rest = &text[digits_len..];
    let mut fraction = false;
    if let Some(after) = rest.strip_prefix('.').or_else(|| rest.strip_prefix(',')) {
        let count = after.bytes().take_while(u8::is_ascii_digit).count();
        if count == 0 {
            return None;
        }
        fraction = true;
        rest = &after[count..];
    }
    let base = Time::from_utc(year, month, day, hour, minute, second)?;
    let (zulu, offset_seconds): (bool, i64) = match rest {
        "Z" => (true, 0),
        "" => (false, BEIJING_OFFSET_SECONDS as i64),
        zone => {
            let sign = match zone.as_bytes().first()? {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            let digits = &zone[1..];
            if digits.len() != 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            let hours: i64 = digits[..2].parse().ok()?;
            let minutes: i64 = digits[2..].parse().ok()?;
            (true, sign * (hours * 3600 + minutes * 60))
        }
    };
    let seconds = i64::try_from(base.unix_seconds).ok()? - offset_seconds;
    Some(ParsedTime {
        instant: Time::from_unix_seconds(u64::try_from(seconds).ok()?),
        zulu,
        fraction,
    })
}

/// Splits a zone suffix (`Z`, `+08:00`, `+0800`) off a person's time; returns the offset in seconds.
fn split_zone(text: &str) -> Option<(&str, i64)> {
    if let Some(body) = text.strip_suffix('Z').or_else(|| text.strip_suffix('z')) {
        return Some((body, 0));
    }
    // A zone starts with + or - after the time part (date-only text has '-' inside the date).
    if let Some(index) = text.rfind(['+', '-']) {
        let (body, zone) = text.split_at(index);
        if body.contains(['T', 't', ' ']) || body.len() >= 14 && !body.contains('-') {
            let sign = if zone.starts_with('+') { 1 } else { -1 };
            let digits: String = zone[1..].chars().filter(|c| *c != ':').collect();
            if digits.len() == 4 && digits.bytes().all(|b| b.is_ascii_digit()) {
                let hours: i64 = digits[..2].parse().ok()?;
                let minutes: i64 = digits[2..].parse().ok()?;
                // An offset is at most 23:59, as in ISO 8601 and RFC 3339.
                if hours > 23 || minutes > 59 {
                    return None;
                }
                return Some((body, sign * (hours * 3600 + minutes * 60)));
            }
        }
    }
    Some((text, 0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generalized_time_with_z() {
        let t = parse_asn1_time("20240206070618Z", 4).unwrap();
        assert!(t.zulu);
        assert_eq!(t.instant.to_string(), "2024-02-06T07:06:18Z");
    }

    #[test]
    fn time_without_z_is_beijing_time() {
        let t = parse_asn1_time("20220318213217", 4).unwrap();
        assert!(!t.zulu);
        assert_eq!(t.instant.to_string(), "2022-03-18T13:32:17Z");
    }

    #[test]
    fn two_digit_years_follow_utctime_rule() {
        assert_eq!(
            parse_asn1_time("200422021807Z", 2)
                .unwrap()
                .instant
                .to_string(),
            "2020-04-22T02:18:07Z"
        );
        assert_eq!(
            parse_asn1_time("990101000000Z", 2)
                .unwrap()
                .instant
                .to_string(),
            "1999-01-01T00:00:00Z"
        );
    }

    #[test]
    fn explicit_offset_is_applied() {
        let t = parse_asn1_time("20240206150618+0800", 4).unwrap();
        assert_eq!(t.instant.to_string(), "2024-02-06T07:06:18Z");
    }

    #[test]
    fn invalid_dates_are_rejected() {
        assert!(parse_asn1_time("20241306070618Z", 4).is_none());
        assert!(parse_asn1_time("2024020607061", 4).is_none());
        assert!(parse_asn1_time("20240206070618X", 4).is_none());
    }

    #[test]
    fn person_time_offset_out_of_range() {
        assert!(Time::parse("2021-06-01T08:00:00+25:00").is_none());
        assert!(Time::parse("2021-06-01T08:00:00-08:60").is_none());
        assert_eq!(
            Time::parse("2021-06-01T08:00:00-23:59")
                .unwrap()
                .to_string(),
            "2021-06-02T07:59:00Z"
        );
    }

    #[test]
    fn person_times_parse() {
        assert_eq!(
            Time::parse("2024-02-06T07:06:18Z").unwrap().to_string(),
            "2024-02-06T07:06:18Z"
        );
        assert_eq!(
            Time::parse("2024-02-06 15:06:18+08:00")
                .unwrap()
                .to_string(),
            "2024-02-06T07:06:18Z"
        );
        assert_eq!(
            Time::parse("2024-02-06").unwrap().to_string(),
            "2024-02-06T00:00:00Z"
        );
        assert_eq!(
            Time::parse("20240206070618Z").unwrap().to_string(),
            "2024-02-06T07:06:18Z"
        );
        assert!(Time::parse("yesterday").is_none());
        assert!(Time::parse("2024-02-30").is_none());
    }
}
