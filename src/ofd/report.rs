//! The report of an OFD verification: one entry per signature.

use serde_json::{Value, json};

use super::OfdError;
use super::xml::{Provider, StampAnnot};
use crate::finding::Finding;
use crate::report::{Check, SignatureReport};

/// The verification of one signature of an OFD document.
#[derive(Debug, Clone)]
pub struct OfdSignatureReport {
    /// Signatures.xml `ID`.
    pub id: String,
    /// Signatures.xml `Type`: "Seal" or "Sign".
    pub signature_type: String,
    /// The package path of Signature.xml.
    pub path: String,
    /// SignedInfo `Provider`.
    pub provider: Option<Provider>,
    /// SignedInfo `SignatureDateTime`, as written.
    pub signature_date_time: Option<String>,
    /// SignedInfo `StampAnnot` elements.
    pub stamp_annots: Vec<StampAnnot>,
    /// True only when every performed check passed.
    pub valid: bool,
    /// Number of References.
    pub references: usize,
    /// Package paths (with a leading `/`) of References whose SM3 digest does not match or
    /// whose file is missing.
    pub failed_references: Vec<String>,
    /// OFD checks (`ofd.*`) followed by the SES_Signature's checks.
    pub checks: Vec<Check>,
    /// Tolerances applied while reading the SES_Signature.
    pub findings: Vec<Finding>,
    /// Problems met while reading this signature's files.
    pub errors: Vec<OfdError>,
    /// The SES_Signature's verification, when SignedValue.dat could be read.
    pub signature: Option<SignatureReport>,
}

impl OfdSignatureReport {
    /// The entry of this signature in the `signatures` list of the JSON report.
    pub fn to_json(&self) -> Value {
        let mut entry = match &self.signature {
            Some(report) => report.to_json_entry(),
            None => json!({}),
        };
        entry["id"] = json!(self.id);
        entry["type"] = json!(self.signature_type);
        entry["path"] = json!(format!("/{}", self.path));
        entry["provider"] = match &self.provider {
            Some(p) => json!({"name": p.name, "version": p.version, "company": p.company}),
            None => Value::Null,
        };
        entry["signature_date_time"] = json!(self.signature_date_time);
        entry["valid"] = json!(self.valid);
        entry["references"] = json!(self.references);
        entry["failed_references"] = json!(self.failed_references);
        entry["stamp_annots"] = self
            .stamp_annots
            .iter()
            .map(|a| json!({"id": a.id, "page_ref": a.page_ref, "boundary": a.boundary, "clip": a.clip}))
            .collect();
        entry["checks"] = self.checks.iter().map(Check::to_json).collect();
        entry["findings"] = crate::report::findings_json(&self.findings).into();
        entry["errors"] = self.errors.iter().map(|e| json!(e.to_string())).collect();
        entry
    }

    /// The check with the given name, if the report has it.
    pub fn check(&self, name: &str) -> Option<&Check> {
        self.checks.iter().find(|c| c.name == name)
    }
}

/// The verification of every signature of an OFD document.
#[derive(Debug, Clone)]
pub struct OfdReport {
    /// True when the document has at least one signature and every signature is valid.
    pub valid: bool,
    /// One entry per signature, in the order of the signature lists.
    pub signatures: Vec<OfdSignatureReport>,
}

impl OfdReport {
    /// The report as the JSON object that `eseal verify DOC.ofd --json` writes.
    pub fn to_json(&self) -> Value {
        json!({
            "kind": "ofd",
            "valid": self.valid,
            "signatures": self.signatures.iter().map(OfdSignatureReport::to_json).collect::<Vec<_>>(),
        })
    }

    /// The report as JSON text.
    pub fn to_json_string(&self) -> String {
        serde_json::to_string_pretty(&self.to_json()).unwrap_or_default()
    }
}
