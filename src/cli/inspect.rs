//! `eseal inspect`: print what a seal or signature contains.

use std::path::Path;

use eseal::seal::{CertList, Seal};
use eseal::{Certificate, Decoded};

use super::lang::t;
use super::output::print_findings;
use super::{EXIT_VALID, fail, read_file};

pub fn run(path: &Path, picture_out: Option<&Path>) -> u8 {
    if super::verify::is_ofd(path) {
        return inspect_ofd(path, picture_out);
    }
    let bytes = match read_file(path) {
        Ok(bytes) => bytes,
        Err(message) => return fail(message),
    };
    let decoded = match eseal::decode(&bytes) {
        Ok(decoded) => decoded,
        Err(e) => return fail(format!("{}: {e}", path.display())),
    };
    let seal = match &decoded {
        Decoded::Seal(seal) => {
            outln!(
                "{}: {}",
                path.display(),
                t("seal (SESeal, {} bytes)", "印章（SESeal，{} 字节）")
                    .replace("{}", &bytes.len().to_string())
            );
            print_seal(seal, "  ");
            print_findings(seal.findings(), "  ");
            seal
        }
        Decoded::Signature(signature) => {
            outln!(
                "{}: {}",
                path.display(),
                t(
                    "signature (SES_Signature, {} bytes)",
                    "签章数据（SES_Signature，{} 字节）"
                )
                .replace("{}", &bytes.len().to_string())
            );
            let tbs = &signature.tbs;
            outln!(
                "  {} {:?} (TBS_Sign.version {})",
                t("version", "版本"),
                signature.version,
                tbs.version
            );
            outln!("  timeInfo {}", tbs.time_info);
            outln!("  dataHash {}", hex(&tbs.data_hash));
            outln!("  propertyInfo {}", quoted(&tbs.property_info));
            outln!("  signatureAlgID {}", signature.signature_algorithm);
            print_certificate(
                t("signer certificate", "签章者证书"),
                &signature.signer_cert,
                "  ",
            );
            if let Some(token) = &signature.time_stamp {
                outln!("  timeStamp {} {}", token.len(), t("bytes", "字节"));
            }
            if let Some(ext_datas) = &tbs.ext_datas {
                print_ext_datas(ext_datas, "  ");
            }
            outln!("  {}", t("seal (eseal):", "印章（eseal）："));
            print_seal(signature.seal(), "    ");
            print_findings(signature.findings(), "  ");
            signature.seal()
        }
    };
    if let Some(out) = picture_out {
        if let Err(e) = std::fs::write(out, &seal.info.picture.data) {
            return fail(format!("{}: {e}", out.display()));
        }
        outln!(
            "{} {}",
            t("picture written to", "印章图片已写入"),
            out.display()
        );
    }
    EXIT_VALID
}

fn print_seal(seal: &Seal, indent: &str) {
    let info = &seal.info;
    let property = &info.property;
    outln!(
        "{indent}{} {:?} (SES_Header.version {})",
        t("version", "版本"),
        seal.version,
        info.header.version
    );
    outln!(
        "{indent}ID {}, Vid {}",
        quoted(&info.header.id),
        quoted(&info.header.vid)
    );
    outln!("{indent}esID {}", quoted(&info.es_id));
    outln!(
        "{indent}{} {}, {} {}",
        t("type", "类型"),
        property.seal_type,
        t("name", "名称"),
        quoted(&property.name)
    );
    outln!("{indent}createDate {}", property.create_date);
    outln!("{indent}validStart {}", property.valid_start);
    outln!("{indent}validEnd   {}", property.valid_end);
    outln!("{indent}signAlgID {}", seal.signature_algorithm);
    print_certificate(
        t("maker certificate", "制章者证书"),
        &seal.maker_cert,
        indent,
    );

    let list_type = match property.cert_list_type {
        Some(value) => format!("certListType {value}"),
        None => t("V1, no certListType", "V1，无 certListType").to_owned(),
    };
    match &property.cert_list {
        CertList::Certs(certs) => {
            let count = counted(certs.len(), "certificate", "certificates", "个证书");
            outln!("{indent}certList ({count}, {list_type})");
            for (i, cert) in certs.iter().enumerate() {
                print_certificate(&format!("  [{i}]"), cert, indent);
            }
        }
        CertList::Digests(digests) => {
            let count = counted(digests.len(), "digest", "digests", "个摘要");
            outln!("{indent}certList ({count}, {list_type})");
            for (i, digest) in digests.iter().enumerate() {
                outln!(
                    "{indent}  [{i}] {} {}",
                    quoted(&digest.algorithm),
                    hex(&digest.value)
                );
            }
        }
    }

    let picture = &info.picture;
    outln!(
        "{indent}{} {}, {}, {} x {} mm",
        t("picture", "图片"),
        quoted(&picture.picture_type),
        counted(picture.data.len(), "byte", "bytes", "字节"),
        picture.width,
        picture.height
    );
    if let Some(ext_datas) = &info.ext_datas {
        print_ext_datas(ext_datas, indent);
    }
    if let Some(token) = &seal.time_stamp {
        outln!(
            "{indent}timeStamp {}",
            counted(token.len(), "byte", "bytes", "字节")
        );
    }
}

/// Formats a count with its noun: "1 certificate", "2 certificates", "2 个证书".
fn counted(count: usize, one: &str, many: &str, zh: &str) -> String {
    if super::lang::is_chinese() {
        format!("{count} {zh}")
    } else if count == 1 {
        format!("{count} {one}")
    } else {
        format!("{count} {many}")
    }
}

/// Quotes a text value, escaping only control characters, so that Chinese, Mongolian and other
/// scripts stay readable.
fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            c if c.is_control() => out.push_str(&c.escape_default().to_string()),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn print_certificate(label: &str, der: &[u8], indent: &str) {
    match Certificate::from_der(der) {
        Ok(cert) => {
            outln!("{indent}{label}:");
            outln!("{indent}    subject {}", cert.subject());
            outln!("{indent}    issuer  {}", cert.issuer());
            outln!("{indent}    serial  {}", cert.serial_hex());
            outln!(
                "{indent}    {} {} .. {}",
                t("validity", "有效期"),
                cert.not_before(),
                cert.not_after()
            );
        }
        Err(e) => outln!(
            "{indent}{label}: {} ({} {})",
            e,
            der.len(),
            t("bytes", "字节")
        ),
    }
}

fn print_ext_datas(ext_datas: &[eseal::seal::ExtData], indent: &str) {
    outln!("{indent}extDatas ({}):", ext_datas.len());
    for ext in ext_datas {
        let shown = match std::str::from_utf8(&ext.value) {
            Ok(text) if !text.chars().any(char::is_control) => quoted(text),
            _ => {
                hex(&ext.value[..ext.value.len().min(32)])
                    + if ext.value.len() > 32 { "…" } else { "" }
            }
        };
        outln!("{indent}  {} critical={} {shown}", ext.id, ext.critical);
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Lists the signatures of an OFD document: where each is, who made it and with which seal.
fn inspect_ofd(path: &Path, picture_out: Option<&Path>) -> u8 {
    if picture_out.is_some() {
        return fail(t(
            "--picture applies to a seal or signature file; extract Seal.esl or SignedValue.dat from the OFD first",
            "--picture 只用于印章或签章数据文件；请先从 OFD 中取出 Seal.esl 或 SignedValue.dat",
        ));
    }
    let file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(e) => return fail(format!("{}: {e}", path.display())),
    };
    let options = eseal::VerifyOptions::default();
    let report = match eseal::ofd::verify_ofd(
        std::io::BufReader::new(file),
        &options,
        eseal::ofd::Limits::default(),
    ) {
        Ok(report) => report,
        Err(e) => return fail(format!("{}: {e}", path.display())),
    };
    outln!(
        "{}: {}",
        path.display(),
        t(
            if report.signatures.len() == 1 {
                "OFD document, {} signature"
            } else {
                "OFD document, {} signatures"
            },
            "OFD 文档，{} 个签章"
        )
        .replace("{}", &report.signatures.len().to_string())
    );
    for signature in &report.signatures {
        super::output::print_ofd_signature(signature);
        print_findings(&signature.findings, "    ");
    }
    EXIT_VALID
}
