//! `eseal verify`: one file, or every seal and signature under a folder.

use std::path::{Path, PathBuf};

use clap::Args;
use serde_json::{Value, json};

use eseal::{Decoded, SignedData, VerifyOptions};

use super::lang::t;
use super::output::{print_ofd_report, print_seal_report, print_signature_report, verdict};
use super::{EXIT_INVALID, EXIT_USAGE, EXIT_VALID, fail, read_file};

/// Arguments of `eseal verify`.
#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// A seal (.esl), a signature (SignedValue.dat), or a folder to search.
    path: PathBuf,
    /// The original signed bytes, compared with the signature's dataHash.
    #[arg(long, value_name = "DATA")]
    data: Option<PathBuf>,
    /// For a seal: check its validity at this time instead of now. Accepts 2024-02-06T07:06:18Z,
    /// 2024-02-06 15:06:18+08:00 or 2024-02-06; a time without a zone is UTC. Signatures are
    /// always checked at their signing time.
    #[arg(long, value_name = "TIME")]
    at: Option<String>,
    /// Write one JSON object instead of text.
    #[arg(long)]
    json: bool,
    /// Trusted roots and intermediate CA certificates: a PEM or DER file, or a folder of them.
    /// Turns the chain, key usage and revocation checks on.
    #[arg(long, value_name = "FILE|DIR")]
    trust: Vec<PathBuf>,
    /// A CRL (PEM or DER) signed by a CA of the trust store; repeat for several.
    #[arg(long, value_name = "FILE")]
    crl: Vec<PathBuf>,
    /// A seal revocation list (see `eseal revocation create`); repeat for several.
    #[arg(long, value_name = "FILE")]
    revoked: Vec<PathBuf>,
}

/// Builds the trust policy from --trust, --crl and --revoked.
fn trust_policy(
    args: &VerifyArgs,
) -> Result<Option<std::sync::Arc<eseal::trust::TrustPolicy>>, String> {
    if args.trust.is_empty() && args.crl.is_empty() && args.revoked.is_empty() {
        return Ok(None);
    }
    if args.trust.is_empty() {
        return Err(t(
            "--crl and --revoked need --trust with the CA certificates that sign them",
            "--crl 和 --revoked 需要同时用 --trust 给出签发它们的 CA 证书",
        )
        .to_owned());
    }
    let mut policy = eseal::trust::TrustPolicy::default();
    for path in &args.trust {
        policy
            .store
            .add_path(path)
            .map_err(|e| format!("{}: {e}", path.display()))?;
    }
    if policy.store.anchors().is_empty() {
        return Err(t(
            "--trust gave no root certificate (a self-issued CA certificate)",
            "--trust 未给出根证书（自签发的 CA 证书）",
        )
        .to_owned());
    }
    for path in &args.crl {
        let bytes = read_file(path)?;
        policy.crls.push(
            eseal::trust::Crl::from_pem_or_der(&bytes)
                .map_err(|e| format!("{}: {e}", path.display()))?,
        );
    }
    for path in &args.revoked {
        let bytes = read_file(path)?;
        policy.seal_revocations.push(
            eseal::trust::SealRevocationList::from_pem_or_der(&bytes)
                .map_err(|e| format!("{}: {e}", path.display()))?,
        );
    }
    Ok(Some(std::sync::Arc::new(policy)))
}

/// One verified file.
struct Outcome {
    valid: bool,
    json: Value,
}

pub fn run(args: &VerifyArgs) -> u8 {
    let mut options = VerifyOptions::default();
    match trust_policy(args) {
        Ok(policy) => options.trust = policy,
        Err(message) => return fail(message),
    }
    if let Some(text) = &args.at {
        match super::make::parse_time(text) {
            Ok(time) => options.at = Some(time),
            Err(message) => return fail(format!("--at: {message}")),
        }
    }
    if args.path.is_dir() {
        if args.data.is_some() {
            return fail(t(
                "--data cannot be used with a folder",
                "--data 不能与文件夹一起使用",
            ));
        }
        return verify_folder(&args.path, &options, args.json);
    }
    if is_ofd(&args.path) {
        if args.data.is_some() || args.at.is_some() {
            return fail(t(
                "--data and --at do not apply to an OFD document: its signatures cover its own files and are checked at their signing times",
                "--data 和 --at 不适用于 OFD 文档：其签章保护文档自身的文件，并按各自的签章时间验证",
            ));
        }
        return verify_ofd_file(&args.path, &options, args.json);
    }
    let bytes = match read_file(&args.path) {
        Ok(bytes) => bytes,
        Err(message) => return fail(message),
    };
    let data = match &args.data {
        Some(path) => match read_file(path) {
            Ok(data) => Some(data),
            Err(message) => return fail(message),
        },
        None => None,
    };
    let display = args.path.display().to_string();
    // Options that do not apply to this kind of file are usage errors, not silently ignored.
    match eseal::decode(&bytes) {
        Ok(Decoded::Seal(_)) if data.is_some() => {
            return fail(format!(
                "{display}: {}",
                t(
                    "--data applies to signatures, not to a seal",
                    "--data 只用于签章数据，不能用于印章"
                )
            ));
        }
        Ok(Decoded::Signature(_)) if args.at.is_some() => {
            return fail(format!(
                "{display}: {}",
                t(
                    "--at applies to seals; a signature is checked at its signing time",
                    "--at 只用于印章；签章数据按其签章时间验证"
                )
            ));
        }
        _ => {}
    }
    match verify_bytes(&display, &bytes, data.as_deref(), &options, !args.json) {
        Ok(outcome) => {
            if args.json {
                outln!(
                    "{}",
                    serde_json::to_string_pretty(&outcome.json).unwrap_or_default()
                );
            }
            if outcome.valid {
                EXIT_VALID
            } else {
                EXIT_INVALID
            }
        }
        Err(message) => {
            if args.json {
                outln!("{}", json!({"valid": false, "error": message}));
            }
            fail(format!("{display}: {message}"))
        }
    }
}

/// Verifies one seal or signature; prints the text report when `print` is set.
fn verify_bytes(
    display: &str,
    bytes: &[u8],
    data: Option<&[u8]>,
    options: &VerifyOptions,
    print: bool,
) -> Result<Outcome, String> {
    let decoded = eseal::decode(bytes).map_err(|e| e.to_string())?;
    Ok(match decoded {
        Decoded::Seal(seal) => {
            let report = eseal::verify_seal(&seal, options);
            if print {
                print_seal_report(display, &report);
            }
            Outcome {
                valid: report.valid,
                json: report.to_json(),
            }
        }
        Decoded::Signature(signature) => {
            let data = data.map_or(SignedData::Absent, SignedData::Bytes);
            let report = eseal::verify_signature(&signature, data, options);
            if print {
                print_signature_report(display, &report);
            }
            Outcome {
                valid: report.valid,
                json: report.to_json(),
            }
        }
    })
}

/// Tells whether a file is an OFD document: named .ofd, or a ZIP package by its first bytes. A
/// damaged or empty .ofd file is then reported as a bad OFD package, not as a bad seal.
pub fn is_ofd(path: &Path) -> bool {
    use std::io::Read;

    let named_ofd = path
        .extension()
        .is_some_and(|extension| extension.eq_ignore_ascii_case("ofd"));
    if named_ofd {
        return true;
    }
    let mut magic = [0u8; 4];
    std::fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut magic))
        .is_ok()
        && magic == *b"PK\x03\x04"
}

/// Verifies an OFD document, streaming its entries from the file.
fn verify_ofd_file(path: &Path, options: &VerifyOptions, as_json: bool) -> u8 {
    let display = path.display().to_string();
    match ofd_outcome(&display, path, options, !as_json) {
        Ok(outcome) => {
            if as_json {
                outln!(
                    "{}",
                    serde_json::to_string_pretty(&outcome.json).unwrap_or_default()
                );
            }
            if outcome.valid {
                EXIT_VALID
            } else {
                EXIT_INVALID
            }
        }
        Err(message) => {
            if as_json {
                outln!(
                    "{}",
                    json!({"kind": "ofd", "valid": false, "error": message})
                );
            }
            fail(format!("{display}: {message}"))
        }
    }
}

fn ofd_outcome(
    display: &str,
    path: &Path,
    options: &VerifyOptions,
    print: bool,
) -> Result<Outcome, String> {
    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let report = eseal::ofd::verify_ofd(
        std::io::BufReader::new(file),
        options,
        eseal::ofd::Limits::default(),
    )
    .map_err(|e| e.to_string())?;
    if print {
        print_ofd_report(display, &report);
    }
    Ok(Outcome {
        valid: report.valid,
        json: report.to_json(),
    })
}

fn verify_folder(root: &Path, options: &VerifyOptions, as_json: bool) -> u8 {
    let mut files = Vec::new();
    if let Err(e) = collect(root, &mut files, 0) {
        return fail(format!("{}: {e}", root.display()));
    }
    files.sort();
    let (mut valid, mut invalid, mut errors) = (0usize, 0usize, 0usize);
    let mut entries = Vec::new();
    for path in &files {
        let display = path.display().to_string();
        let result = if is_ofd(path) {
            ofd_outcome(&display, path, options, false)
        } else {
            read_file(path).and_then(|bytes| {
                // A SignedValue.dat next to a Signature.xml signs that file (OFD layout).
                let data = signed_data_beside(path);
                verify_bytes(&display, &bytes, data.as_deref(), options, false)
            })
        };
        match result {
            Ok(outcome) => {
                if outcome.valid {
                    valid += 1
                } else {
                    invalid += 1
                }
                if !as_json {
                    let summary = summary_line(&outcome.json);
                    outln!("{:<8} {display}  {summary}", verdict(outcome.valid));
                }
                let mut entry = outcome.json;
                entry["path"] = json!(display);
                entries.push(entry);
            }
            Err(message) => {
                errors += 1;
                if !as_json {
                    outln!("{:<8} {display}  {message}", t("ERROR", "错误"));
                }
                entries.push(json!({"path": display, "valid": false, "error": message}));
            }
        }
    }
    let all_valid = invalid == 0 && errors == 0 && valid > 0;
    if as_json {
        let object = json!({
            "kind": "folder",
            "valid": all_valid,
            "summary": {"valid": valid, "invalid": invalid, "errors": errors},
            "files": entries,
        });
        outln!(
            "{}",
            serde_json::to_string_pretty(&object).unwrap_or_default()
        );
    } else {
        if super::lang::is_chinese() {
            outln!("汇总：有效 {valid} 个，无效 {invalid} 个，无法读取 {errors} 个");
        } else {
            outln!("summary: {valid} valid, {invalid} invalid, {errors} unreadable");
        }
    }
    if files.is_empty() {
        return fail(t(
            "no seal or signature files found",
            "未找到印章或签章文件",
        ));
    }
    // Unreadable input takes precedence: the folder could not be checked completely.
    if errors > 0 {
        EXIT_USAGE
    } else if all_valid {
        EXIT_VALID
    } else {
        EXIT_INVALID
    }
}

/// Names the failed checks of a report, for the one-line folder listing.
fn summary_line(report: &Value) -> String {
    if report["kind"] == "ofd" {
        let signatures = report["signatures"].as_array().cloned().unwrap_or_default();
        let invalid = signatures.iter().filter(|s| s["valid"] != true).count();
        return format!(
            "{} {} {}, {} {}",
            t("OFD,", "OFD，"),
            signatures.len(),
            t("signatures", "个签章"),
            invalid,
            t("invalid", "个无效")
        );
    }
    let checks = report["checks"]
        .as_array()
        .cloned()
        .or_else(|| report["signatures"][0]["checks"].as_array().cloned())
        .unwrap_or_default();
    let failed: Vec<&str> = checks
        .iter()
        .filter(|c| c["status"] == "failed")
        .filter_map(|c| c["name"].as_str())
        .collect();
    let kind = match report["kind"].as_str() {
        Some("seal") => t("seal", "印章"),
        Some("signature") => t("signature", "签章数据"),
        _ => "",
    };
    let name = report["seal"]["name"].as_str().unwrap_or("");
    if failed.is_empty() {
        format!("{kind} {name:?}")
    } else {
        format!(
            "{kind} {name:?} {}{}",
            t("failed: ", "失败："),
            failed.join(", ")
        )
    }
}

fn signed_data_beside(path: &Path) -> Option<Vec<u8>> {
    let xml = path.parent()?.join("Signature.xml");
    std::fs::read(xml).ok()
}

/// Maximum folder depth searched, so that a link cycle cannot recurse forever.
const MAX_FOLDER_DEPTH: usize = 32;

fn collect(dir: &Path, files: &mut Vec<PathBuf>, depth: usize) -> std::io::Result<()> {
    if depth > MAX_FOLDER_DEPTH {
        return Ok(());
    }
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect(&path, files, depth + 1)?;
        } else if is_candidate(&path) {
            files.push(path);
        }
    }
    Ok(())
}

fn is_candidate(path: &Path) -> bool {
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    matches!(extension.as_str(), "esl" | "dat" | "ses" | "sig" | "ofd")
}
