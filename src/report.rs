//! Verification reports: one entry per check, plus the findings of tolerant reading.
//!
//! A report is valid only when every check that was performed passed. Checks that this version
//! of eseal does not perform (certificate chains, revocation, time stamps) are listed as
//! [`CheckStatus::NotChecked`] so that a reader sees what was not verified.

use serde_json::{Value, json};

use crate::finding::Finding;
use crate::seal::{Seal, Version};
use crate::time::Time;

/// The outcome of one check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckStatus {
    /// The check was performed and passed.
    Passed,
    /// The check was performed and failed.
    Failed,
    /// The check was not performed, for the reason given in the message.
    NotChecked,
}

impl CheckStatus {
    /// The stable name used in JSON: "passed", "failed" or "not_checked".
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Passed => "passed",
            Self::Failed => "failed",
            Self::NotChecked => "not_checked",
        }
    }
}

/// One check with its outcome and a message in English and Chinese.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    /// Stable identifier, such as `seal.maker_signature`.
    pub name: &'static str,
    /// The outcome.
    pub status: CheckStatus,
    /// The outcome in English.
    pub message: String,
    /// The outcome in Chinese.
    pub message_zh: String,
}

impl Check {
    pub(crate) fn new(
        name: &'static str,
        status: CheckStatus,
        message: impl Into<String>,
        message_zh: impl Into<String>,
    ) -> Self {
        Self {
            name,
            status,
            message: message.into(),
            message_zh: message_zh.into(),
        }
    }

    pub(crate) fn passed(
        name: &'static str,
        message: impl Into<String>,
        message_zh: impl Into<String>,
    ) -> Self {
        Self::new(name, CheckStatus::Passed, message, message_zh)
    }

    pub(crate) fn failed(
        name: &'static str,
        message: impl Into<String>,
        message_zh: impl Into<String>,
    ) -> Self {
        Self::new(name, CheckStatus::Failed, message, message_zh)
    }

    pub(crate) fn not_checked(
        name: &'static str,
        message: impl Into<String>,
        message_zh: impl Into<String>,
    ) -> Self {
        Self::new(name, CheckStatus::NotChecked, message, message_zh)
    }

    pub(crate) fn to_json(&self) -> Value {
        json!({
            "name": self.name,
            "status": self.status.as_str(),
            "message": self.message,
            "message_zh": self.message_zh,
        })
    }
}

/// The facts about a seal that a report shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SealSummary {
    /// The format version.
    pub version: Version,
    /// SES_Header.Vid.
    pub vendor_id: String,
    /// esID.
    pub es_id: String,
    /// SES_ESPropertyInfo.name.
    pub name: String,
    /// SES_ESPropertyInfo.type.
    pub seal_type: i64,
    /// validStart.
    pub valid_start: Time,
    /// validEnd.
    pub valid_end: Time,
    /// Whether the maker's signature verified.
    pub maker_signature_valid: bool,
}

impl SealSummary {
    pub(crate) fn new(seal: &Seal, maker_signature_valid: bool) -> Self {
        let property = &seal.info.property;
        Self {
            version: seal.version,
            vendor_id: seal.info.header.vid.clone(),
            es_id: seal.info.es_id.clone(),
            name: property.name.clone(),
            seal_type: property.seal_type,
            valid_start: property.valid_start,
            valid_end: property.valid_end,
            maker_signature_valid,
        }
    }

    fn to_json(&self) -> Value {
        json!({
            "version": self.version.number(),
            "vendor_id": self.vendor_id,
            "es_id": self.es_id,
            "name": self.name,
            "type": self.seal_type,
            "valid_start": self.valid_start.to_string(),
            "valid_end": self.valid_end.to_string(),
            "maker_signature_valid": self.maker_signature_valid,
        })
    }
}

/// The result of verifying a seal on its own.
#[derive(Debug, Clone)]
pub struct SealReport {
    /// True only when every performed check passed.
    pub valid: bool,
    /// The time the seal's and certificate's validity were checked at.
    pub checked_at: Time,
    /// The seal's facts.
    pub seal: SealSummary,
    /// One entry per check.
    pub checks: Vec<Check>,
    /// The tolerances applied while reading.
    pub findings: Vec<Finding>,
}

impl SealReport {
    /// The report as the JSON text that `eseal verify --json` writes for a seal.
    pub fn to_json_string(&self) -> String {
        serde_json::to_string_pretty(&self.to_json()).unwrap_or_default()
    }

    /// The report as the JSON object that `eseal verify --json` writes for a seal.
    pub fn to_json(&self) -> Value {
        json!({
            "kind": "seal",
            "valid": self.valid,
            "checked_at": self.checked_at.to_string(),
            "seal": self.seal.to_json(),
            "checks": self.checks.iter().map(Check::to_json).collect::<Vec<_>>(),
            "findings": findings_json(&self.findings),
        })
    }
}

/// The result of verifying one SES_Signature.
#[derive(Debug, Clone)]
pub struct SignatureReport {
    /// True only when every performed check passed.
    pub valid: bool,
    /// The format version.
    pub version: Version,
    /// Whether the signer's SM2 signature over TBS_Sign verified.
    pub signature_valid: bool,
    /// Whether dataHash equals the digest of the data given; `None` when no data was given.
    pub data_hash_valid: Option<bool>,
    /// Whether the signer's certificate is in the seal's certList.
    pub signer_in_cert_list: bool,
    /// TBS_Sign.timeInfo, the signing time claimed by the signer.
    pub signing_time: Time,
    /// The signer certificate's subject, when it could be read.
    pub signer: Option<String>,
    /// TBS_Sign.propertyInfo.
    pub property_info: String,
    /// The facts of the seal used.
    pub seal: SealSummary,
    /// One entry per check, the seal's checks included (their names start with `seal.`).
    pub checks: Vec<Check>,
    /// The tolerances applied while reading, the seal's included.
    pub findings: Vec<Finding>,
}

impl SignatureReport {
    /// The report of this one signature as a JSON object (an entry of `signatures`).
    pub fn to_json_entry(&self) -> Value {
        json!({
            "valid": self.valid,
            "version": self.version.number(),
            "signature_valid": self.signature_valid,
            "data_hash_valid": self.data_hash_valid,
            "signer_in_cert_list": self.signer_in_cert_list,
            "signing_time": self.signing_time.to_string(),
            "signer": self.signer,
            "property_info": self.property_info,
            "seal": self.seal.to_json(),
            "checks": self.checks.iter().map(Check::to_json).collect::<Vec<_>>(),
            "findings": findings_json(&self.findings),
        })
    }

    /// The report as the JSON text that `eseal verify --json` writes for a signature file.
    pub fn to_json_string(&self) -> String {
        serde_json::to_string_pretty(&self.to_json()).unwrap_or_default()
    }

    /// The report as the JSON object that `eseal verify --json` writes for a signature file.
    pub fn to_json(&self) -> Value {
        json!({
            "kind": "signature",
            "valid": self.valid,
            "seal": self.seal.to_json(),
            "signatures": [self.to_json_entry()],
        })
    }

    /// The check with the given name, if the report has it.
    pub fn check(&self, name: &str) -> Option<&Check> {
        self.checks.iter().find(|c| c.name == name)
    }
}

impl SealReport {
    /// The check with the given name, if the report has it.
    pub fn check(&self, name: &str) -> Option<&Check> {
        self.checks.iter().find(|c| c.name == name)
    }
}

pub(crate) fn findings_json(findings: &[Finding]) -> Vec<Value> {
    findings
        .iter()
        .map(|f| {
            json!({
                "code": f.code.as_str(),
                "location": f.location,
                "offset": f.offset,
                "message": f.message(),
                "message_zh": f.message_zh(),
            })
        })
        .collect()
}

/// Writes `count` and an English noun, singular for one: "1 certificate", "3 certificates".
pub(crate) fn count_en(count: usize, singular: &str, plural: &str) -> String {
    if count == 1 {
        format!("1 {singular}")
    } else {
        format!("{count} {plural}")
    }
}

/// Tells whether every performed check passed, and at least one was performed.
pub(crate) fn all_passed(checks: &[Check]) -> bool {
    checks.iter().all(|c| c.status != CheckStatus::Failed)
        && checks.iter().any(|c| c.status == CheckStatus::Passed)
}

#[cfg(test)]
mod tests {
    use super::count_en;

    #[test]
    fn english_counts_singular_for_one() {
        assert_eq!(count_en(0, "certificate", "certificates"), "0 certificates");
        assert_eq!(count_en(1, "certificate", "certificates"), "1 certificate");
        assert_eq!(count_en(2, "Reference", "References"), "2 References");
    }
}
