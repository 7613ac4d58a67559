//! Verification of every signature in an OFD package.

use std::io::{Read, Seek};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use super::OfdError;
use super::package::{Limits, Package, parent, resolve};
use super::report::{OfdReport, OfdSignatureReport};
use super::xml::{self, ListEntry, SignatureXml};
use crate::error::Error;
use crate::report::{Check, all_passed, count_en};
use crate::signature::Signature;
use crate::verify::{SealCache, SignedData, VerifyOptions, verify_signature_cached};

/// Largest SignedValue.dat or Seal.esl read: seals with large pictures reach a few megabytes.
const MAX_DER_BYTES: u64 = 64 << 20;

/// Verifies every signature of an OFD package.
///
/// Limits violations, a damaged archive and an unreadable OFD.xml or signature list are
/// errors. A problem confined to one signature (a missing or escaping path, a malformed
/// Signature.xml or SignedValue.dat) makes that signature invalid and is listed in its report.
pub fn verify_ofd<R: Read + Seek>(
    reader: R,
    options: &VerifyOptions,
    limits: Limits,
) -> Result<OfdReport, Error> {
    let mut package = Package::open(reader, limits)?;
    let ofd_xml = package.read("OFD.xml", limits.max_xml_bytes)?;
    let lists = xml::parse_with(&ofd_xml, "OFD.xml", &limits, |root| {
        Ok(xml::signature_lists(root))
    })?;

    // The signatures of one document often carry the same seal and signer, so a cache for the
    // document checks the maker's signature and reads the certificates once. The reports are
    // the same as without it.
    let cache = SealCache::new(SEALS_PER_DOCUMENT);
    let mut signatures = Vec::new();
    for list in lists {
        let list_path = resolve("", &list)?;
        let list_xml = package.read(&list_path, limits.max_xml_bytes)?;
        let (_, entries) = xml::parse_with(&list_xml, &list_path, &limits, |root| {
            Ok(xml::signature_list(root))
        })?;
        for entry in entries {
            signatures.push(verify_entry(
                &mut package,
                parent(&list_path),
                &entry,
                options,
                &cache,
            )?);
        }
    }
    Ok(OfdReport {
        valid: !signatures.is_empty() && signatures.iter().all(|s| s.valid),
        signatures,
    })
}

/// The number of seals the cache of one document's verification keeps.
const SEALS_PER_DOCUMENT: usize = 16;

/// Errors that stop the whole verification rather than one signature.
fn is_fatal(error: &OfdError) -> bool {
    matches!(
        error,
        OfdError::EntryTooLarge { .. }
            | OfdError::TotalTooLarge { .. }
            | OfdError::Corrupt { .. }
            | OfdError::NotZip(_)
    )
}

fn verify_entry<R: Read + Seek>(
    package: &mut Package<R>,
    list_dir: &str,
    entry: &ListEntry,
    options: &VerifyOptions,
    cache: &SealCache,
) -> Result<OfdSignatureReport, Error> {
    let mut report = OfdSignatureReport {
        id: entry.id.clone(),
        signature_type: entry.kind.clone(),
        path: String::new(),
        provider: None,
        signature_date_time: None,
        stamp_annots: Vec::new(),
        valid: false,
        references: 0,
        failed_references: Vec::new(),
        checks: Vec::new(),
        findings: Vec::new(),
        errors: Vec::new(),
        signature: None,
    };
    match check_entry(package, list_dir, entry, options, cache, &mut report) {
        Ok(()) => {}
        Err(error) if is_fatal(&error) => return Err(error.into()),
        Err(error) => {
            report.checks.push(Check::failed(
                "ofd.signature_files",
                format!("the signature's files cannot be read: {error}"),
                format!("无法读取签章文件：{error}"),
            ));
            report.errors.push(error);
        }
    }
    report.valid = all_passed(&report.checks) && report.errors.is_empty();
    Ok(report)
}

fn check_entry<R: Read + Seek>(
    package: &mut Package<R>,
    list_dir: &str,
    entry: &ListEntry,
    options: &VerifyOptions,
    cache: &SealCache,
    report: &mut OfdSignatureReport,
) -> Result<(), OfdError> {
    let limits = package.limits;
    let signature_path = resolve(list_dir, &entry.base_loc)?;
    report.path = signature_path.clone();
    let signature_xml = package.read(&signature_path, limits.max_xml_bytes)?;
    let info: SignatureXml = xml::parse_with(&signature_xml, &signature_path, &limits, |root| {
        Ok(xml::signature_xml(root))
    })?;
    report.provider = info.provider.clone();
    report.signature_date_time = info.signature_date_time.clone();
    report.stamp_annots = info.stamp_annots.clone();
    let signature_dir = parent(&signature_path).to_owned();

    check_references(package, &signature_dir, &info, report)?;

    if entry.kind == "Sign" {
        report.checks.push(Check::failed(
            "ofd.signature_type",
            "Type=\"Sign\" signatures carry GB/T 35275 SignedData, which eseal does not verify yet",
            "Type=\"Sign\" 签名采用 GB/T 35275 SignedData，eseal 暂不验证此类签名",
        ));
        return Ok(());
    }

    let Some(signed_value) = info.signed_value.as_deref().filter(|v| !v.is_empty()) else {
        report.checks.push(Check::failed(
            "ofd.signed_value",
            "Signature.xml names no SignedValue",
            "Signature.xml 未给出 SignedValue",
        ));
        return Ok(());
    };
    let value_path = resolve(&signature_dir, signed_value)?;
    let der = package.read(&value_path, MAX_DER_BYTES)?;
    let signature = match Signature::from_der(&der) {
        Ok(signature) => signature,
        Err(e) => {
            report.checks.push(Check::failed(
                "ofd.signed_value",
                format!("/{value_path} is not a SES_Signature: {e}"),
                format!("/{value_path} 不是有效的 SES_Signature：{e}"),
            ));
            return Ok(());
        }
    };
    report.checks.push(Check::passed(
        "ofd.signed_value",
        format!("/{value_path} decoded"),
        format!("/{value_path} 解码成功"),
    ));

    match info.seal_base_loc.as_deref().filter(|v| !v.is_empty()) {
        None => report.checks.push(Check::not_checked(
            "ofd.seal_file",
            "no Seal.esl is stored beside the signature",
            "签章旁未存放 Seal.esl",
        )),
        Some(location) => {
            let seal_path = resolve(&signature_dir, location)?;
            let stored = package.read(&seal_path, MAX_DER_BYTES)?;
            report.checks.push(if stored == signature.seal().as_der() {
                Check::passed(
                    "ofd.seal_file",
                    format!("/{seal_path} equals the seal inside the signature"),
                    format!("/{seal_path} 与签章数据中的印章一致"),
                )
            } else {
                Check::failed(
                    "ofd.seal_file",
                    format!("/{seal_path} differs from the seal inside the signature"),
                    format!("/{seal_path} 与签章数据中的印章不一致"),
                )
            });
        }
    }

    // dataHash covers Signature.xml exactly as stored.
    let verified = verify_signature_cached(
        &signature,
        SignedData::Bytes(&signature_xml),
        options,
        cache,
    );
    report.checks.extend(verified.checks.iter().cloned());
    report.findings = verified.findings.clone();
    report.signature = Some(verified);
    Ok(())
}

fn is_sm3_method(method: Option<&str>) -> bool {
    match method {
        // GB/T 33190 makes SM3 the default digest of References.
        None => true,
        Some(name) => name.eq_ignore_ascii_case("sm3") || name.trim() == "1.2.156.10197.1.401",
    }
}

fn check_references<R: Read + Seek>(
    package: &mut Package<R>,
    signature_dir: &str,
    info: &SignatureXml,
    report: &mut OfdSignatureReport,
) -> Result<(), OfdError> {
    report.references = info.references.len();
    if !is_sm3_method(info.check_method.as_deref()) {
        let method = info.check_method.clone().unwrap_or_default();
        report.checks.push(Check::failed(
            "ofd.references",
            format!("CheckMethod {method:?} is not SM3"),
            format!("CheckMethod {method:?} 不是 SM3"),
        ));
        report.failed_references = info
            .references
            .iter()
            .map(|(path, _)| path.clone())
            .collect();
        return Ok(());
    }
    let mut problems = Vec::new();
    // Resolve every reference first, so that the files' digests are computed side by side;
    // the results are then read in the order of the references.
    let resolved: Vec<Result<String, OfdError>> = info
        .references
        .iter()
        .map(|(file_ref, _)| resolve(signature_dir, file_ref))
        .collect();
    let paths: Vec<String> = resolved.iter().flatten().cloned().collect();
    let mut digests = package.sm3_of_files(&paths).into_iter();
    for ((file_ref, check_value), path) in info.references.iter().zip(resolved) {
        let path = match path {
            Ok(path) => path,
            Err(error) => {
                report.failed_references.push(file_ref.clone());
                problems.push(error.to_string());
                report.errors.push(error);
                continue;
            }
        };
        let expected: String = check_value.chars().filter(|c| !c.is_whitespace()).collect();
        let expected = STANDARD.decode(expected).unwrap_or_default();
        let digest = digests.next().expect("one digest per resolved path");
        let matches = match digest {
            Ok(digest) => digest.as_slice() == expected.as_slice(),
            Err(OfdError::Missing(_)) => {
                problems.push(format!("/{path} is missing"));
                false
            }
            Err(error) => return Err(error),
        };
        if !matches {
            report.failed_references.push(format!("/{path}"));
        }
    }
    let total = info.references.len();
    report.checks.push(if report.failed_references.is_empty() {
        Check::passed(
            "ofd.references",
            if total == 1 {
                "the 1 Reference matches the SM3 digest of its file".to_owned()
            } else {
                format!("all {total} References match the SM3 digests of their files")
            },
            format!("全部 {total} 个 Reference 与文件的 SM3 摘要一致"),
        )
    } else {
        let failed = report.failed_references.join(", ");
        let failures = report.failed_references.len();
        let verb = if failures == 1 { "does" } else { "do" };
        let mut en = format!(
            "{failures} of {} {verb} not match: {failed}",
            count_en(total, "Reference", "References")
        );
        if !problems.is_empty() {
            en.push_str(&format!(" ({})", problems.join("; ")));
        }
        Check::failed(
            "ofd.references",
            en,
            format!(
                "{} 个 Reference（共 {total} 个）与文件不符：{failed}",
                report.failed_references.len()
            ),
        )
    });
    if total == 0 {
        report.checks.push(Check::failed(
            "ofd.references",
            "Signature.xml lists no References, so it protects no file",
            "Signature.xml 未列出任何 Reference，未保护任何文件",
        ));
    }
    Ok(())
}
