//! `eseal demo`: a whole seal life cycle with a throw-away PKI.

use std::path::{Path, PathBuf};

use eseal::cert::CertificateBuilder;
use eseal::report::CheckStatus;
use eseal::{
    Certificate, PrivateKey, SealBuilder, SignatureBuilder, SignedData, Time, VerifyOptions,
};

use super::lang::t;
use super::output::{print_checks, verdict};
use super::{EXIT_INVALID, EXIT_VALID, fail};

const DAY: u64 = 24 * 3600;

/// The seal picture: a red ring with a star, as SVG.
const PICTURE: &str = r##"<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="40mm" height="40mm" viewBox="0 0 400 400">
  <circle cx="200" cy="200" r="185" fill="none" stroke="#d00" stroke-width="14"/>
  <polygon fill="#d00" points="200,120 219,177 279,177 231,212 249,269 200,234 151,269 169,212 121,177 181,177"/>
  <text x="200" y="330" font-size="34" text-anchor="middle" fill="#d00">成绩专用章</text>
</svg>
"##;

const DOCUMENT: &str = "Example University transcript\nStudent: Zhang San, 2023001\nAdvanced Mathematics 92\nLinear Algebra 88\n";

pub fn run(dir: Option<&Path>) -> u8 {
    let (folder, temporary) = match dir {
        Some(dir) => (dir.to_path_buf(), false),
        None => (
            std::env::temp_dir().join(format!("eseal-demo-{}", std::process::id())),
            true,
        ),
    };
    if let Err(e) = std::fs::create_dir_all(&folder) {
        return fail(format!("{}: {e}", folder.display()));
    }
    let result = demo(&folder, !temporary);
    if temporary {
        let _ = std::fs::remove_dir_all(&folder);
    }
    match result {
        Ok(true) => EXIT_VALID,
        Ok(false) => EXIT_INVALID,
        Err(message) => fail(message),
    }
}

fn step(en: &str, zh: &str) {
    outln!("==> {}", t(en, zh));
}

fn demo(folder: &Path, keep_files: bool) -> Result<bool, String> {
    let now = Time::now();
    let start = Time::from_unix_seconds(now.unix_seconds() - DAY);
    let end = Time::from_unix_seconds(now.unix_seconds() + 365 * DAY);
    let save = |name: &str, bytes: &[u8]| -> Result<PathBuf, String> {
        let path = folder.join(name);
        std::fs::write(&path, bytes).map_err(|e| format!("{}: {e}", path.display()))?;
        Ok(path)
    };
    let error = |e: eseal::Error| e.to_string();

    step(
        "Creating a throw-away CA, a seal maker and a signer (SM2 keys, X.509 certificates)",
        "创建临时 CA、制章者和签章者（SM2 密钥与 X.509 证书）",
    );
    let ca_key = PrivateKey::generate().map_err(error)?;
    let ca = CertificateBuilder::new("CN=eseal demo CA,O=Example University,C=CN", 1, start, end)
        .ca(true)
        .sign(ca_key.public_key(), None, Some(&ca_key))
        .map_err(error)?;
    let maker_key = PrivateKey::generate().map_err(error)?;
    let maker = issue(
        "CN=Seal maker,O=Example University,C=CN",
        2,
        &maker_key,
        &ca,
        &ca_key,
        start,
        end,
    )?;
    let signer_key = PrivateKey::generate().map_err(error)?;
    let signer = issue(
        "CN=Registrar,OU=Academic Affairs,O=Example University,C=CN",
        3,
        &signer_key,
        &ca,
        &ca_key,
        start,
        end,
    )?;
    save("ca.cert.pem", pem(&ca).as_bytes())?;
    save("maker.cert.pem", pem(&maker).as_bytes())?;
    save(
        "maker.key.pem",
        maker_key.to_pkcs8_pem().map_err(error)?.as_bytes(),
    )?;
    save("signer.cert.pem", pem(&signer).as_bytes())?;
    save(
        "signer.key.pem",
        signer_key.to_pkcs8_pem().map_err(error)?.as_bytes(),
    )?;
    outln!(
        "    CA     {}\n    {} {}\n    {} {}",
        ca.subject(),
        t("maker ", "制章者"),
        maker.subject(),
        t("signer", "签章者"),
        signer.subject()
    );

    step(
        "Making a GB/T 38540 (V4) seal with an SVG picture, authorising the signer",
        "制作 GB/T 38540（V4）印章，SVG 图片，授权签章者",
    );
    let seal = SealBuilder::new("11010000000001", "示例大学教务处成绩专用章")
        .vendor_id("eseal-demo")
        .seal_type(3)
        .validity(start, end)
        .picture(PICTURE.as_bytes().to_vec(), 40, 40)
        .map_err(error)?
        .signer_certificate(&signer)
        .sign(&maker_key, &maker)
        .map_err(error)?;
    let seal_path = save("seal.esl", seal.as_der())?;
    outln!(
        "    {} ({} {})",
        seal_path.display(),
        seal.as_der().len(),
        t("bytes", "字节")
    );

    step("Signing a sample transcript", "对示例成绩单签章");
    let document_path = save("transcript.txt", DOCUMENT.as_bytes())?;
    let signature = SignatureBuilder::new(&seal, &signer_key, &signer)
        .property_info("transcript.txt")
        .sign(DOCUMENT.as_bytes())
        .map_err(error)?;
    let signature_path = save("transcript.sig", signature.as_der())?;
    outln!(
        "    {} -> {} ({} {})",
        document_path.display(),
        signature_path.display(),
        signature.as_der().len(),
        t("bytes", "字节")
    );

    step(
        "Verifying the signature against the transcript",
        "用成绩单原文验证签章",
    );
    let options = VerifyOptions::default();
    let report =
        eseal::verify_signature(&signature, SignedData::Bytes(DOCUMENT.as_bytes()), &options);
    outln!("    {}{}", t("result: ", "结果："), verdict(report.valid));
    print_checks(&report.checks, "    ");

    step(
        "Verifying a tampered copy (one grade changed)",
        "验证被篡改的副本（改动一门成绩）",
    );
    let tampered = DOCUMENT.replace("88", "98");
    save("transcript-tampered.txt", tampered.as_bytes())?;
    let tampered_report =
        eseal::verify_signature(&signature, SignedData::Bytes(tampered.as_bytes()), &options);
    let hash_check = tampered_report
        .check("signature.data_hash")
        .map(|c| c.status);
    outln!(
        "    {}{}{}signature.data_hash {}{}",
        t("result: ", "结果："),
        verdict(tampered_report.valid),
        t(" (", "（"),
        if hash_check == Some(CheckStatus::Failed) {
            t("failed", "失败")
        } else {
            t("passed", "通过")
        },
        t(")", "）")
    );

    step(
        "Verifying a signature with one flipped bit in TBS_Sign",
        "验证 TBS_Sign 中翻转一位的签章数据",
    );
    let mut flipped = signature.as_der().to_vec();
    let position = flipped.len() / 2;
    flipped[position] ^= 0x01;
    let flipped_valid = match eseal::decode(&flipped) {
        Ok(eseal::Decoded::Signature(bad)) => {
            let bad_report =
                eseal::verify_signature(&bad, SignedData::Bytes(DOCUMENT.as_bytes()), &options);
            let failed: Vec<&str> = bad_report
                .checks
                .iter()
                .filter(|c| c.status == CheckStatus::Failed)
                .map(|c| c.name)
                .collect();
            outln!(
                "    {}{}{}{}{}",
                t("result: ", "结果："),
                verdict(bad_report.valid),
                t(" (failed: ", "（失败："),
                failed.join(", "),
                t(")", "）")
            );
            bad_report.valid
        }
        Ok(eseal::Decoded::Seal(_)) => true,
        Err(e) => {
            outln!("    {}{e}", t("rejected while parsing: ", "解析时拒绝："));
            false
        }
    };

    let behaved = report.valid && !tampered_report.valid && !flipped_valid;
    outln!();
    outln!(
        "{}{}",
        t("Demo summary: ", "演示汇总："),
        if behaved {
            t(
                "the genuine transcript verifies; the tampered copies are rejected.",
                "原件验证有效；篡改的副本均被拒绝。",
            )
        } else {
            t("unexpected result, see above.", "结果异常，见上文。")
        }
    );
    if keep_files {
        outln!("{}{}", t("Files: ", "文件："), folder.display());
    }
    Ok(behaved)
}

fn issue(
    subject: &str,
    serial: u64,
    key: &PrivateKey,
    ca: &Certificate,
    ca_key: &PrivateKey,
    start: Time,
    end: Time,
) -> Result<Certificate, String> {
    CertificateBuilder::new(subject, serial, start, end)
        .sign(key.public_key(), Some((ca, ca_key)), None)
        .map_err(|e| e.to_string())
}

fn pem(cert: &Certificate) -> String {
    der::pem::encode_string("CERTIFICATE", der::pem::LineEnding::LF, cert.as_der())
        .unwrap_or_default()
}
