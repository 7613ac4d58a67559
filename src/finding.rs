//! Findings: deviations from the standards that eseal accepted while reading.
//!
//! eseal reads what real producers write, and names every tolerance it applied so that a
//! reviewer sees exactly how a file departs from canonical DER and the standard's rules.
//! Each finding has a stable code (kebab-case, never renamed or reused) and a location.

use std::fmt;

/// The kind of a finding. The string returned by [`FindingCode::as_str`] is stable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum FindingCode {
    /// An SM2 signature value stored as the raw 64 bytes r || s instead of DER SEQUENCE { r, s }.
    SignatureRawRs,
    /// A DER signature value one byte short (a trailing 0x00 dropped); read after padding it.
    SignatureTruncatedDer,
    /// An INTEGER with a needless leading 0x00 octet.
    IntegerLeadingZero,
    /// An INTEGER whose top bit is set (it reads as negative); read as unsigned.
    IntegerNegative,
    /// A BIT STRING whose unused-bits count is not zero; its octets are used as they are.
    BitStringUnusedBits,
    /// A GeneralizedTime without the `Z` suffix; read as Beijing time (UTC+08:00).
    TimeWithoutZ,
    /// A GeneralizedTime with a two-digit year; read with the UTCTime century rule.
    TimeTwoDigitYear,
    /// A GeneralizedTime with fractional seconds; the fraction is ignored.
    TimeFraction,
    /// A DEFAULT value (`critical FALSE`) encoded although DER forbids it.
    DefaultValueEncoded,
    /// A certListType other than 1 (certificates) or 2 (certificate digests).
    CertListTypeNonStandard,
    /// A UTF8String padded with NUL characters; the NULs are removed.
    NamePaddedWithNul,
    /// A V1 certList entry written as IA5String instead of OCTET STRING.
    CertListEntryIa5String,
    /// V1 extDatas written as a plain SEQUENCE without the context tag.
    ExtDatasUntagged,
    /// A BOOLEAN encoded with a value other than 0x00 or 0xFF.
    BooleanNonCanonical,
    /// The seal picture's declared type does not match its bytes, or is not a known type.
    PictureTypeMismatch,
    /// An IA5String with characters outside ASCII.
    Ia5StringNonAscii,
    /// The stored bytes differ from the canonical DER of the same values.
    NonCanonicalDer,
    /// A certificate or CRL whose SM2 signature verifies with an empty user ID, as OpenSSL 3
    /// signs by default, and not with the default ID `1234567812345678`.
    Sm2EmptyUserId,
}

impl FindingCode {
    /// The stable code, as written in reports and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::SignatureRawRs => "signature-raw-r-s",
            Self::SignatureTruncatedDer => "signature-truncated-der",
            Self::IntegerLeadingZero => "integer-leading-zero",
            Self::IntegerNegative => "integer-negative",
            Self::BitStringUnusedBits => "bit-string-unused-bits",
            Self::TimeWithoutZ => "time-without-z",
            Self::TimeTwoDigitYear => "time-two-digit-year",
            Self::TimeFraction => "time-fraction",
            Self::DefaultValueEncoded => "default-value-encoded",
            Self::CertListTypeNonStandard => "cert-list-type-non-standard",
            Self::NamePaddedWithNul => "name-padded-with-nul",
            Self::CertListEntryIa5String => "cert-list-entry-ia5string",
            Self::ExtDatasUntagged => "ext-datas-untagged",
            Self::BooleanNonCanonical => "boolean-non-canonical",
            Self::PictureTypeMismatch => "picture-type-mismatch",
            Self::Ia5StringNonAscii => "ia5string-non-ascii",
            Self::NonCanonicalDer => "non-canonical-der",
            Self::Sm2EmptyUserId => "sm2-empty-user-id",
        }
    }

    /// Tells whether a finding of this kind means the stored bytes differ from canonical DER.
    pub fn changes_encoding(self) -> bool {
        !matches!(
            self,
            Self::CertListTypeNonStandard
                | Self::PictureTypeMismatch
                | Self::Ia5StringNonAscii
                | Self::Sm2EmptyUserId
        )
    }

    fn describe_en(self) -> &'static str {
        match self {
            Self::SignatureRawRs => "signature value is raw r||s, not DER SEQUENCE { r, s }",
            Self::SignatureTruncatedDer => {
                "DER signature value is one byte short; read after padding a trailing 0x00"
            }
            Self::IntegerLeadingZero => "INTEGER has a needless leading 0x00",
            Self::IntegerNegative => "INTEGER reads as negative; taken as unsigned",
            Self::BitStringUnusedBits => "BIT STRING unused-bits count is not zero",
            Self::TimeWithoutZ => "GeneralizedTime has no Z; read as Beijing time (UTC+08:00)",
            Self::TimeTwoDigitYear => "GeneralizedTime has a two-digit year",
            Self::TimeFraction => "time has fractional seconds; the fraction is ignored",
            Self::DefaultValueEncoded => "DEFAULT value critical FALSE is encoded",
            Self::CertListTypeNonStandard => "certListType is neither 1 nor 2",
            Self::NamePaddedWithNul => "UTF8String is padded with NUL characters",
            Self::CertListEntryIa5String => "certList entry is an IA5String, not an OCTET STRING",
            Self::ExtDatasUntagged => "extDatas is a plain SEQUENCE without its context tag",
            Self::BooleanNonCanonical => "BOOLEAN true is not encoded as 0xFF",
            Self::PictureTypeMismatch => "picture type does not match the picture bytes",
            Self::Ia5StringNonAscii => "IA5String contains non-ASCII characters",
            Self::NonCanonicalDer => "stored bytes are not canonical DER",
            Self::Sm2EmptyUserId => {
                "SM2 signature verifies only with an empty user ID (OpenSSL's default), not with 1234567812345678"
            }
        }
    }

    fn describe_zh(self) -> &'static str {
        match self {
            Self::SignatureRawRs => "签名值为裸 r||s 格式，而非 DER SEQUENCE { r, s }",
            Self::SignatureTruncatedDer => "DER 签名值少一个字节，补齐末尾 0x00 后读取",
            Self::IntegerLeadingZero => "INTEGER 含多余的前导 0x00",
            Self::IntegerNegative => "INTEGER 按补码为负数，已按无符号数读取",
            Self::BitStringUnusedBits => "BIT STRING 未用位数不为零",
            Self::TimeWithoutZ => "GeneralizedTime 缺少 Z，按北京时间（UTC+08:00）读取",
            Self::TimeTwoDigitYear => "GeneralizedTime 使用两位年份",
            Self::TimeFraction => "时间含小数秒，已忽略小数部分",
            Self::DefaultValueEncoded => "编码了默认值 critical FALSE",
            Self::CertListTypeNonStandard => "certListType 既不是 1 也不是 2",
            Self::NamePaddedWithNul => "UTF8String 末尾填充了 NUL 字符",
            Self::CertListEntryIa5String => "certList 条目为 IA5String，而非 OCTET STRING",
            Self::ExtDatasUntagged => "extDatas 为不带上下文标签的普通 SEQUENCE",
            Self::BooleanNonCanonical => "BOOLEAN 真值未编码为 0xFF",
            Self::PictureTypeMismatch => "印章图片类型与图片数据不符",
            Self::Ia5StringNonAscii => "IA5String 含非 ASCII 字符",
            Self::NonCanonicalDer => "存储的字节不是规范 DER 编码",
            Self::Sm2EmptyUserId => {
                "SM2 签名只能用空用户标识（OpenSSL 的默认值）验证，不能用 1234567812345678 验证"
            }
        }
    }
}

impl fmt::Display for FindingCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One tolerance applied while reading, with where it was applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// What was tolerated.
    pub code: FindingCode,
    /// The standard's structure and field, for example `SES_Signature.signature`.
    pub location: String,
    /// Byte offset of the element in the parsed input, where one applies.
    pub offset: Option<usize>,
    /// Extra detail, such as the value read.
    pub detail: Option<String>,
}

impl Finding {
    pub(crate) fn new(
        code: FindingCode,
        location: impl Into<String>,
        offset: Option<usize>,
    ) -> Self {
        Self {
            code,
            location: location.into(),
            offset,
            detail: None,
        }
    }

    pub(crate) fn with_detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }

    /// The message in English.
    pub fn message(&self) -> String {
        let mut message = format!("{}: {}", self.location, self.code.describe_en());
        if let Some(offset) = self.offset {
            message.push_str(&format!(" (at byte {offset})"));
        }
        if let Some(detail) = &self.detail {
            message.push_str(&format!(" [{detail}]"));
        }
        message
    }

    /// The message in Chinese.
    pub fn message_zh(&self) -> String {
        let mut message = format!("{}：{}", self.location, self.code.describe_zh());
        if let Some(offset) = self.offset {
            message.push_str(&format!("（位于字节 {offset}）"));
        }
        if let Some(detail) = &self.detail {
            message.push_str(&format!("［{detail}］"));
        }
        message
    }
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message())
    }
}
