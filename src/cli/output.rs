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

pub fn print_ofd_report(path: &str, report: &eseal::ofd::OfdReport) {
    outln!(
        "{}: {} {}",
        path,
        t("OFD document", "OFD 文档"),
        verdict(report.valid)
    );
    if report.signatures.is_empty() {
        outln!(
            "  {}",
            t("the document has no signatures", "文档中没有签章")
        );
    }
    for signature in &report.signatures {
        print_ofd_signature(signature);
        print_checks(&signature.checks, "    ");
        if !signature.failed_references.is_empty() {
            outln!(
                "    {}",
                t("References that do not match:", "不一致的 Reference：")
            );
            for path in &signature.failed_references {
                outln!("      {path}");
            }
        }
        for error in &signature.errors {
            outln!("    {}{error}", t("error: ", "错误："));
        }
        print_findings(&signature.findings, "    ");
    }
}

/// Prints what identifies one OFD signature: its ID, type, provider, time, seal and annotations.
pub fn print_ofd_signature(signature: &eseal::ofd::OfdSignatureReport) {
    outln!(
        "  {} {} (Type={}, /{}): {}",
        t("signature", "签章"),
        signature.id,
        signature.signature_type,
        signature.path,
        verdict(signature.valid)
    );
    if let Some(provider) = &signature.provider {
        outln!(
            "    Provider {} {} {}",
            provider.name,
            provider.version.as_deref().unwrap_or(""),
            provider.company.as_deref().unwrap_or("")
        );
    }
    if let Some(time) = &signature.signature_date_time {
        outln!("    SignatureDateTime {time}");
    }
    if let Some(core) = &signature.signature {
        outln!(
            "    {} {}",
            t("signing time", "签章时间"),
            core.signing_time
        );
        if let Some(signer) = &core.signer {
            outln!("    {} {signer}", t("signer", "签章者"));
        }
        print_seal_summary(&core.seal, "    ");
    }
    for annot in &signature.stamp_annots {
        outln!(
            "    StampAnnot PageRef={} Boundary=\"{}\"{}",
            annot.page_ref,
            annot.boundary,
            annot
                .clip
                .as_deref()
                .map(|c| format!(" Clip=\"{c}\""))
                .unwrap_or_default()
        );
    }
    outln!("    References {}", signature.references);
}
