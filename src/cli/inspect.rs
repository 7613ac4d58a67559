//! `eseal inspect`: print what a seal or signature contains.

use std::path::Path;

use eseal::seal::{CertList, Seal};
use eseal::{Certificate, Decoded};

use super::lang::t;
use super::output::print_findings;
use super::{EXIT_VALID, fail, read_file};

pub fn run(path: &Path, picture_out: Option<&Path>) -> u8 {
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
            println!(
                "{}: {} ({} {})",
                path.display(),
                t("seal (SESeal)", "印章（SESeal）"),
                bytes.len(),
                t("bytes", "字节")
            );
            print_seal(seal, "  ");
            print_findings(seal.findings(), "  ");
            seal
        }
        Decoded::Signature(signature) => {
            println!(
                "{}: {} ({} {})",
                path.display(),
                t("signature (SES_Signature)", "签章数据（SES_Signature）"),
                bytes.len(),
                t("bytes", "字节")
            );
            let tbs = &signature.tbs;
            println!(
                "  {} {:?} (TBS_Sign.version {})",
                t("version", "版本"),
                signature.version,
                tbs.version
            );
            println!("  timeInfo {}", tbs.time_info);
            println!("  dataHash {}", hex(&tbs.data_hash));
            println!("  propertyInfo {:?}", tbs.property_info);
            println!("  signatureAlgID {}", signature.signature_algorithm);
            print_certificate(
                t("signer certificate", "签章者证书"),
                &signature.signer_cert,
                "  ",
            );
            if let Some(token) = &signature.time_stamp {
                println!("  timeStamp {} {}", token.len(), t("bytes", "字节"));
            }
            if let Some(ext_datas) = &tbs.ext_datas {
                print_ext_datas(ext_datas, "  ");
            }
            println!("  {}", t("seal (eseal):", "印章（eseal）："));
            print_seal(signature.seal(), "    ");
            print_findings(signature.findings(), "  ");
            signature.seal()
        }
    };
    if let Some(out) = picture_out {
        if let Err(e) = std::fs::write(out, &seal.info.picture.data) {
            return fail(format!("{}: {e}", out.display()));
        }
        println!(
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
    println!(
        "{indent}{} {:?} (SES_Header.version {})",
        t("version", "版本"),
        seal.version,
        info.header.version
    );
    println!("{indent}ID {:?}, Vid {:?}", info.header.id, info.header.vid);
    println!("{indent}esID {:?}", info.es_id);
    println!(
        "{indent}{} {}, {} {:?}",
        t("type", "类型"),
        property.seal_type,
        t("name", "名称"),
        property.name
    );
    println!("{indent}createDate {}", property.create_date);
    println!("{indent}validStart {}", property.valid_start);
    println!("{indent}validEnd   {}", property.valid_end);
    println!("{indent}signAlgID {}", seal.signature_algorithm);
    print_certificate(
        t("maker certificate", "制章者证书"),
        &seal.maker_cert,
        indent,
    );
    match &property.cert_list {
        CertList::Certs(certs) => {
            println!(
                "{indent}certList ({} {}, certListType {:?})",
                certs.len(),
                t("certificates", "个证书"),
                property.cert_list_type
            );
            for (i, cert) in certs.iter().enumerate() {
                print_certificate(&format!("  [{i}]"), cert, indent);
            }
        }
        CertList::Digests(digests) => {
            println!(
                "{indent}certList ({} {}, certListType {:?})",
                digests.len(),
                t("digests", "个摘要"),
                property.cert_list_type
            );
            for (i, digest) in digests.iter().enumerate() {
                println!(
                    "{indent}  [{i}] {} {}",
                    digest.algorithm,
                    hex(&digest.value)
                );
            }
        }
    }
    let picture = &info.picture;
    println!(
        "{indent}{} {:?}, {} {}, {} x {} mm",
        t("picture", "图片"),
        picture.picture_type,
        picture.data.len(),
        t("bytes", "字节"),
        picture.width,
        picture.height
    );
    if let Some(ext_datas) = &info.ext_datas {
        print_ext_datas(ext_datas, indent);
    }
    if let Some(token) = &seal.time_stamp {
        println!("{indent}timeStamp {} {}", token.len(), t("bytes", "字节"));
    }
}

fn print_certificate(label: &str, der: &[u8], indent: &str) {
    match Certificate::from_der(der) {
        Ok(cert) => {
            println!("{indent}{label}:");
            println!("{indent}    subject {}", cert.subject());
            println!("{indent}    issuer  {}", cert.issuer());
            println!("{indent}    serial  {}", cert.serial_hex());
            println!(
                "{indent}    {} {} .. {}",
                t("validity", "有效期"),
                cert.not_before(),
                cert.not_after()
            );
        }
        Err(e) => println!(
            "{indent}{label}: {} ({} {})",
            e,
            der.len(),
            t("bytes", "字节")
        ),
    }
}

fn print_ext_datas(ext_datas: &[eseal::seal::ExtData], indent: &str) {
    println!("{indent}extDatas ({}):", ext_datas.len());
    for ext in ext_datas {
        let shown = match std::str::from_utf8(&ext.value) {
            Ok(text) if !text.chars().any(char::is_control) => format!("{text:?}"),
            _ => {
                hex(&ext.value[..ext.value.len().min(32)])
                    + if ext.value.len() > 32 { "…" } else { "" }
            }
        };
        println!("{indent}  {} critical={} {shown}", ext.id, ext.critical);
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
