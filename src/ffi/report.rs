//! Verification reports.

use std::ffi::{CString, c_char};

use super::boundary::{free_handle, guard, handle, out, write};
use super::result::eseal_result;
use crate::finding::Finding;
use crate::report::{Check, SealReport, SignatureReport};

/// The outcome of one check, as in `eseal_report_check`.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum eseal_check_status {
    /// The check passed.
    Passed = 0,
    /// The check failed.
    Failed = 1,
    /// The check was not performed.
    NotChecked = 2,
}

struct CheckStrings {
    name: CString,
    status: eseal_check_status,
    message: CString,
    message_zh: CString,
}

struct FindingStrings {
    code: CString,
    message: CString,
    message_zh: CString,
}

/// A verification report: validity, checks, findings and the JSON that `eseal verify --json`
/// writes. Immutable; may be shared between threads.
pub struct eseal_report {
    valid: bool,
    json: CString,
    checks: Vec<CheckStrings>,
    findings: Vec<FindingStrings>,
}

fn c_string(text: &str) -> CString {
    CString::new(text.replace('\0', "")).unwrap_or_default()
}

impl eseal_report {
    fn new(valid: bool, json: String, checks: &[Check], findings: &[Finding]) -> Self {
        Self {
            valid,
            json: c_string(&json),
            checks: checks
                .iter()
                .map(|c| CheckStrings {
                    name: c_string(c.name),
                    status: match c.status {
                        crate::report::CheckStatus::Passed => eseal_check_status::Passed,
                        crate::report::CheckStatus::Failed => eseal_check_status::Failed,
                        crate::report::CheckStatus::NotChecked => eseal_check_status::NotChecked,
                    },
                    message: c_string(&c.message),
                    message_zh: c_string(&c.message_zh),
                })
                .collect(),
            findings: findings
                .iter()
                .map(|f| FindingStrings {
                    code: c_string(f.code.as_str()),
                    message: c_string(&f.message()),
                    message_zh: c_string(&f.message_zh()),
                })
                .collect(),
        }
    }

    pub(crate) fn from_seal(report: &SealReport) -> Self {
        Self::new(
            report.valid,
            report.to_json_string(),
            &report.checks,
            &report.findings,
        )
    }

    pub(crate) fn from_ofd(report: &crate::ofd::OfdReport) -> Self {
        let checks: Vec<Check> = report
            .signatures
            .iter()
            .flat_map(|s| s.checks.iter().cloned())
            .collect();
        let findings: Vec<Finding> = report
            .signatures
            .iter()
            .flat_map(|s| s.findings.iter().cloned())
            .collect();
        Self::new(report.valid, report.to_json_string(), &checks, &findings)
    }

    pub(crate) fn from_signature(report: &SignatureReport) -> Self {
        Self::new(
            report.valid,
            report.to_json_string(),
            &report.checks,
            &report.findings,
        )
    }
}

/// Tells whether the report is valid: every performed check passed.
///
/// # Safety
///
/// `report` must be a live report; `valid_out` must be writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_report_valid(
    report: *const eseal_report,
    valid_out: *mut bool,
) -> eseal_result {
    guard(|| {
        // SAFETY: forwarded from this function's contract.
        let report = unsafe { handle(report)? };
        let valid_out = out(valid_out)?;
        // SAFETY: checked by `out`.
        unsafe { write(valid_out, report.valid) };
        Ok(())
    })
}

/// Gets the report as JSON, the same text `eseal verify --json` prints: a NUL-terminated UTF-8
/// string owned by the report, valid until the report is freed.
///
/// # Safety
///
/// `report` must be a live report; `json_out` must be writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_report_json(
    report: *const eseal_report,
    json_out: *mut *const c_char,
) -> eseal_result {
    guard(|| {
        // SAFETY: forwarded from this function's contract.
        let report = unsafe { handle(report)? };
        let json_out = out(json_out)?;
        // SAFETY: checked by `out`.
        unsafe { write(json_out, report.json.as_ptr()) };
        Ok(())
    })
}

/// Copies the report's JSON and its terminating NUL into `buffer`, and sets `*written_out` to
/// the JSON's length without the NUL. Fails with
/// `ESEAL_RESULT_BUFFER_TOO_SMALL`, writing nothing, when `capacity` is less than the JSON's
/// length plus one; `eseal_report_json_length` returns the length.
///
/// # Safety
///
/// `report` must be a live report; `buffer` must point to `capacity` writable bytes; `written_out`
/// must be writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_report_json_copy(
    report: *const eseal_report,
    buffer: *mut c_char,
    capacity: usize,
    written_out: *mut usize,
) -> eseal_result {
    guard(|| {
        // SAFETY: forwarded from this function's contract.
        let report = unsafe { handle(report)? };
        let buffer = out(buffer)?;
        let written_out = out(written_out)?;
        let text = report.json.as_bytes_with_nul();
        if capacity < text.len() {
            return Err(eseal_result::BufferTooSmall.into());
        }
        // SAFETY: `buffer` has `capacity` writable bytes, at least `text.len()`, and does not
        // overlap the report's own string.
        unsafe {
            std::ptr::copy_nonoverlapping(text.as_ptr().cast::<c_char>(), buffer, text.len());
            write(written_out, text.len() - 1);
        }
        Ok(())
    })
}

/// Gets the length in bytes of the report's JSON, without the terminating NUL.
///
/// # Safety
///
/// `report` must be a live report; `length_out` must be writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_report_json_length(
    report: *const eseal_report,
    length_out: *mut usize,
) -> eseal_result {
    guard(|| {
        // SAFETY: forwarded from this function's contract.
        let report = unsafe { handle(report)? };
        let length_out = out(length_out)?;
        // SAFETY: checked by `out`.
        unsafe { write(length_out, report.json.as_bytes().len()) };
        Ok(())
    })
}

/// Gets the number of checks in the report.
///
/// # Safety
///
/// `report` must be a live report; `count_out` must be writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_report_check_count(
    report: *const eseal_report,
    count_out: *mut usize,
) -> eseal_result {
    guard(|| {
        // SAFETY: forwarded from this function's contract.
        let report = unsafe { handle(report)? };
        let count_out = out(count_out)?;
        // SAFETY: checked by `out`.
        unsafe { write(count_out, report.checks.len()) };
        Ok(())
    })
}

/// Gets check number `index`: its stable name (such as `seal.maker_signature`), status, and
/// English and Chinese messages. Strings are owned by the report and valid until it is freed.
/// Fails with `ESEAL_RESULT_INVALID_ARGUMENT` when `index` is not below the check count.
///
/// # Safety
///
/// `report` must be a live report; all outputs must be writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_report_check(
    report: *const eseal_report,
    index: usize,
    name_out: *mut *const c_char,
    status_out: *mut eseal_check_status,
    message_out: *mut *const c_char,
    message_zh_out: *mut *const c_char,
) -> eseal_result {
    guard(|| {
        // SAFETY: forwarded from this function's contract.
        let report = unsafe { handle(report)? };
        let (name_out, status_out) = (out(name_out)?, out(status_out)?);
        let (message_out, message_zh_out) = (out(message_out)?, out(message_zh_out)?);
        let check = report
            .checks
            .get(index)
            .ok_or(eseal_result::InvalidArgument)?;
        // SAFETY: checked by `out`.
        unsafe {
            write(name_out, check.name.as_ptr());
            write(status_out, check.status);
            write(message_out, check.message.as_ptr());
            write(message_zh_out, check.message_zh.as_ptr());
        }
        Ok(())
    })
}

/// Gets the number of findings (tolerances applied while reading) in the report.
///
/// # Safety
///
/// `report` must be a live report; `count_out` must be writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_report_finding_count(
    report: *const eseal_report,
    count_out: *mut usize,
) -> eseal_result {
    guard(|| {
        // SAFETY: forwarded from this function's contract.
        let report = unsafe { handle(report)? };
        let count_out = out(count_out)?;
        // SAFETY: checked by `out`.
        unsafe { write(count_out, report.findings.len()) };
        Ok(())
    })
}

/// Gets finding number `index`: its stable code (such as `signature-raw-r-s`) and English and
/// Chinese messages, owned by the report. Fails with `ESEAL_RESULT_INVALID_ARGUMENT` when
/// `index` is not below the finding count.
///
/// # Safety
///
/// `report` must be a live report; all outputs must be writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_report_finding(
    report: *const eseal_report,
    index: usize,
    code_out: *mut *const c_char,
    message_out: *mut *const c_char,
    message_zh_out: *mut *const c_char,
) -> eseal_result {
    guard(|| {
        // SAFETY: forwarded from this function's contract.
        let report = unsafe { handle(report)? };
        let (code_out, message_out, message_zh_out) =
            (out(code_out)?, out(message_out)?, out(message_zh_out)?);
        let finding = report
            .findings
            .get(index)
            .ok_or(eseal_result::InvalidArgument)?;
        // SAFETY: checked by `out`.
        unsafe {
            write(code_out, finding.code.as_ptr());
            write(message_out, finding.message.as_ptr());
            write(message_zh_out, finding.message_zh.as_ptr());
        }
        Ok(())
    })
}

/// Releases a report. NULL is ignored.
///
/// # Safety
///
/// `report` must be NULL or a report from this library that is not used afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_report_free(report: *mut eseal_report) {
    // SAFETY: forwarded from this function's contract.
    unsafe { free_handle(report) }
}
