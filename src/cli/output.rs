//! Human-readable reports.

use eseal::finding::Finding;
use eseal::report::{Check, CheckStatus, SealReport, SealSummary, SignatureReport};

use super::lang::{is_chinese, t};

pub fn verdict(valid: bool) -> &'static str {
    if valid {
        t("VALID", "有效")
    } else {
        t("INVALID", "无效")
    }
}

fn status_label(status: CheckStatus) -> &'static str {
    match status {
        CheckStatus::Passed => t("passed", "通过"),
        CheckStatus::Failed => t("FAILED", "失败"),
        CheckStatus::NotChecked => t("not checked", "未检查"),
    }
}

pub fn print_seal_summary(seal: &SealSummary, indent: &str) {
    outln!(
        "{indent}{} {:?}, Vid {:?}, esID {:?}, {} {:?}, {} {}",
        t("seal", "印章"),
        seal.version,
        seal.vendor_id,
        seal.es_id,
        t("name", "名称"),
        seal.name,
        t("type", "类型"),
        seal.seal_type
    );
    outln!(
        "{indent}{} {} .. {}",
        t("valid", "有效期"),
        seal.valid_start,
        seal.valid_end
    );
}

pub fn print_checks(checks: &[Check], indent: &str) {
    outln!("{indent}{}", t("checks:", "检查项："));
    for check in checks {
        let message = if is_chinese() {
            &check.message_zh
        } else {
            &check.message
        };
        outln!(
            "{indent}  [{}] {}: {message}",
            status_label(check.status),
            check.name
        );
    }
}

pub fn print_findings(findings: &[Finding], indent: &str) {
    if findings.is_empty() {
        return;
    }
    outln!(
        "{indent}{}",
        t(
            "findings (accepted deviations):",
            "容错发现（已接受的不规范之处）："
        )
    );
    for finding in findings {
        let message = if is_chinese() {
            finding.message_zh()
        } else {
            finding.message()
        };
        outln!("{indent}  {}: {message}", finding.code);
    }
}

pub fn print_seal_report(path: &str, report: &SealReport) {
    outln!("{}: {} {}", path, t("seal", "印章"), verdict(report.valid));
    print_seal_summary(&report.seal, "  ");
    outln!("  {} {}", t("checked at", "验证时间"), report.checked_at);
    print_checks(&report.checks, "  ");
    print_findings(&report.findings, "  ");
}

pub fn print_signature_report(path: &str, report: &SignatureReport) {
    outln!(
        "{}: {} {}",
        path,
        t("signature", "签章"),
        verdict(report.valid)
    );
    outln!(
        "  {} {}",
        t("signing time", "签章时间"),
        report.signing_time
    );
    if let Some(signer) = &report.signer {
        outln!("  {} {signer}", t("signer", "签章者"));
    }
    print_seal_summary(&report.seal, "  ");
    print_checks(&report.checks, "  ");
    print_findings(&report.findings, "  ");
}
