//! `eseal seal create` (制章) and `eseal sign` (签章).

use std::path::{Path, PathBuf};

use clap::Args;

use eseal::{Certificate, Seal, SealBuilder, SignatureBuilder, Time, Version};

use super::keys::load_key;
use super::lang::t;
use super::{EXIT_VALID, fail, read_file};

/// Arguments of `eseal seal create`.
#[derive(Debug, Args)]
pub struct SealCreateArgs {
    /// The maker's SM2 private key: PKCS#8 or SEC1 (PEM or DER), encrypted PKCS#8, or a
    /// PKCS#12 file (.p12/.pfx).
    #[arg(long, value_name = "FILE")]
    maker_key: PathBuf,
    /// The maker's certificate (PEM or DER); taken from --maker-key when that is a PKCS#12
    /// file holding it.
    #[arg(long, value_name = "FILE")]
    maker_cert: Option<PathBuf>,
    /// Read the password of an encrypted --maker-key from the first line of FILE. Without
    /// it, the password comes from ESEAL_KEY_PASSWORD or, on a terminal, from a prompt.
    #[arg(long, value_name = "FILE")]
    password_file: Option<PathBuf>,
    /// A certificate of a person allowed to sign with the seal; repeat for several.
    #[arg(long = "signer-cert", value_name = "FILE", required = true)]
    signer_certs: Vec<PathBuf>,
    /// List the signers by SM3 digest (certListType 2) instead of whole certificates.
    #[arg(long)]
    digests: bool,
    /// The seal code, esID.
    #[arg(long)]
    es_id: String,
    /// The seal name.
    #[arg(long)]
    name: String,
    /// The seal type: 1 unit seal, 2 personal seal, or a business-defined number.
    #[arg(long = "type", default_value_t = 1)]
    seal_type: i64,
    /// The vendor identifier written to SES_Header.Vid.
    #[arg(long, default_value = "eseal")]
    vendor_id: String,
    /// The seal picture (PNG, JPEG, GIF, BMP, SVG or OFD); its type is detected from its bytes.
    #[arg(long, value_name = "FILE")]
    picture: PathBuf,
    /// Picture width in millimetres.
    #[arg(long, default_value_t = 40)]
    width: i64,
    /// Picture height in millimetres.
    #[arg(long, default_value_t = 40)]
    height: i64,
    /// Start of validity; now by default. Accepts 2025-01-01, 2025-01-01T08:00:00+08:00 or
    /// 20250101000000Z; a time without a zone is UTC.
    #[arg(long, value_name = "TIME")]
    valid_from: Option<String>,
    /// End of validity, in the same formats (2027-12-31 means 2027-12-31T00:00:00Z).
    #[arg(long, value_name = "TIME")]
    valid_to: String,
    /// Write a GM/T 0031-2014 (V1) seal instead of GB/T 38540-2020 (V4).
    #[arg(long)]
    v1: bool,
    /// Output file for the DER seal.
    #[arg(long, short, value_name = "FILE")]
    out: PathBuf,
}

/// Arguments of `eseal sign`.
#[derive(Debug, Args)]
pub struct SignArgs {
    /// An OFD document to sign (with --page and --at); leave out to sign --data instead.
    #[arg(value_name = "DOC.ofd")]
    document: Option<PathBuf>,
    /// The seal to sign with (.esl).
    #[arg(long, value_name = "FILE")]
    seal: PathBuf,
    /// The signer's SM2 private key: PKCS#8 or SEC1 (PEM or DER), encrypted PKCS#8, or a
    /// PKCS#12 file (.p12/.pfx).
    #[arg(long, value_name = "FILE")]
    key: PathBuf,
    /// The signer's certificate (PEM or DER); it must be in the seal's certList. Taken from
    /// --key when that is a PKCS#12 file holding it.
    #[arg(long, value_name = "FILE")]
    cert: Option<PathBuf>,
    /// Read the password of an encrypted --key from the first line of FILE. Without it, the
    /// password comes from ESEAL_KEY_PASSWORD or, on a terminal, from a prompt.
    #[arg(long, value_name = "FILE")]
    password_file: Option<PathBuf>,
    /// The data to sign, read as a stream (when no OFD document is given).
    #[arg(long, value_name = "FILE")]
    data: Option<PathBuf>,
    /// OFD: the page to stamp, counting from 1.
    #[arg(long, value_name = "N")]
    page: Option<usize>,
    /// OFD: the stamp's top-left corner on the page, in millimetres (for a riding seal, only Y
    /// is used).
    #[arg(long = "at", value_name = "X,Y")]
    position: Option<String>,
    /// OFD: the stamp's size in millimetres; the seal picture's size by default.
    #[arg(long, value_name = "W,H")]
    size: Option<String>,
    /// OFD: a riding seal (骑缝章) split across these pages at their right edge, e.g. 1-5.
    #[arg(long, value_name = "FIRST-LAST")]
    riding: Option<String>,
    /// OFD: page width in millimetres for a riding seal.
    #[arg(long, default_value_t = 210.0)]
    page_width: f64,
    /// OFD: also protect Signatures.xml, so that any later signature invalidates this one.
    #[arg(long)]
    protect_signatures: bool,
    /// The signing time; now by default. Accepts 2025-06-01T08:00:00+08:00, 2025-06-01 or
    /// 20250601000000Z; a time without a zone is UTC.
    #[arg(long, value_name = "TIME")]
    time: Option<String>,
    /// The propertyInfo text (for OFD, the path of Signature.xml).
    #[arg(long, default_value = "")]
    property_info: String,
    /// Add a GB/T 20520 time stamp from a time stamp service. eseal runs CMD with
    /// `sh -c` and writes the DER signature value to its standard input. CMD writes a DER
    /// TimeStampToken over that value to its standard output, which eseal checks before it
    /// writes the signature.
    #[arg(long, value_name = "CMD")]
    time_stamp_command: Option<String>,
    /// Output file: the DER SES_Signature, or the signed OFD (DOC.signed.ofd by default).
    #[arg(long, short, value_name = "FILE")]
    out: Option<PathBuf>,
}

pub fn create_seal(args: &SealCreateArgs) -> u8 {
    match try_create_seal(args) {
        Ok(seal) => {
            outln!(
                "{} {} ({:?}, esID {:?}, {} {})",
                t("seal written to", "印章已写入"),
                args.out.display(),
                seal.version,
                seal.info.es_id,
                seal.as_der().len(),
                t("bytes", "字节")
            );
            EXIT_VALID
        }
        Err(message) => fail(message),
    }
}

fn try_create_seal(args: &SealCreateArgs) -> Result<Seal, String> {
    let maker = load_key(&args.maker_key, args.password_file.as_deref())?;
    let maker_cert = key_certificate(
        args.maker_cert.as_deref(),
        maker.certificate,
        "--maker-cert",
    )?;
    let valid_from = match &args.valid_from {
        Some(text) => parse_time(text)?,
        None => Time::now(),
    };
    let valid_to = parse_time(&args.valid_to)?;
    let picture = read_file(&args.picture)?;
    let mut builder = SealBuilder::new(&args.es_id, &args.name)
        .seal_type(args.seal_type)
        .vendor_id(&args.vendor_id)
        .validity(valid_from, valid_to)
        .picture(picture, args.width, args.height)
        .map_err(|e| format!("{}: {e}", args.picture.display()))?;
    if args.v1 {
        builder = builder.version(Version::V1);
    }
    for path in &args.signer_certs {
        let cert = load_cert(path)?;
        builder = if args.digests {
            builder.signer_certificate_digest(&cert)
        } else {
            builder.signer_certificate(&cert)
        };
    }
    let seal = builder
        .sign(&maker.key, &maker_cert)
        .map_err(|e| e.to_string())?;
    // Verification checks the maker's certificate at the time checked, so a seal made with a
    // certificate that is not valid now will not verify now. It is still written, for tests
    // that check at an earlier time with --at.
    let now = Time::now();
    if !maker_cert.is_valid_at(now) {
        eprintln!(
            "eseal: {} {now}; {}",
            t(
                "warning: the maker's certificate is not valid at",
                "警告：制章者证书在此时刻无效："
            ),
            t(
                "the seal verifies only at times inside the certificate's validity (--at)",
                "印章只在证书有效期内的时刻（--at）验证通过"
            )
        );
    }
    write(&args.out, seal.as_der())?;
    Ok(seal)
}

pub fn sign(args: &SignArgs) -> u8 {
    if let Some(document) = &args.document {
        return sign_ofd_document(args, document);
    }
    let (Some(data_path), Some(out)) = (&args.data, &args.out) else {
        return fail(t(
            "give --data FILE and --out FILE, or an OFD document with --page and --at",
            "请给出 --data 文件和 --out 文件，或给出 OFD 文档及 --page 和 --at",
        ));
    };
    let result = (|| -> Result<usize, String> {
        let seal_bytes = read_file(&args.seal)?;
        let seal = match eseal::decode(&seal_bytes) {
            Ok(eseal::Decoded::Seal(seal)) => seal,
            Ok(eseal::Decoded::Signature(_)) => {
                return Err(format!(
                    "{}: {}",
                    args.seal.display(),
                    t(
                        "this is a signature (SES_Signature), not a seal; give the .esl seal file",
                        "这是签章数据（SES_Signature），不是印章；请给出 .esl 印章文件"
                    )
                ));
            }
            Err(e) => return Err(format!("{}: {e}", args.seal.display())),
        };
        let signer = load_key(&args.key, args.password_file.as_deref())?;
        let cert = key_certificate(args.cert.as_deref(), signer.certificate, "--cert")?;
        let key = signer.key;
        let mut builder =
            SignatureBuilder::new(&seal, &key, &cert).property_info(&args.property_info);
        if let Some(text) = &args.time {
            builder = builder.time(parse_time(text)?);
        }
        let stamper = args
            .time_stamp_command
            .as_deref()
            .map(|command| move |value: &[u8]| super::time_stamp::run(command, value));
        if let Some(stamper) = &stamper {
            builder = builder.time_stamp_with(stamper);
        }
        let data =
            std::fs::File::open(data_path).map_err(|e| format!("{}: {e}", data_path.display()))?;
        let signature =
            builder
                .sign_reader(std::io::BufReader::new(data))
                .map_err(|e| match e {
                    eseal::Error::Io(io) => format!("{}: {io}", data_path.display()),
                    eseal::Error::SigningRefused(reason) => {
                        let reason = if super::lang::is_chinese() {
                            reason.message_zh()
                        } else {
                            reason.to_string()
                        };
                        let hint = if args.time.is_none() {
                            t(
                                "; use --time to sign at another time",
                                "；可用 --time 指定签章时间",
                            )
                        } else {
                            ""
                        };
                        format!("{} {reason}{hint}", t("signing refused:", "拒绝签章："))
                    }
                    other => other.to_string(),
                })?;
        write(out, signature.as_der())?;
        Ok(signature.as_der().len())
    })();
    match result {
        Ok(size) => {
            outln!(
                "{} {} ({size} {})",
                t("signature written to", "签章数据已写入"),
                out.display(),
                t("bytes", "字节")
            );
            EXIT_VALID
        }
        Err(message) => fail(message),
    }
}

/// Reads "A,B" as two millimetre values.
fn pair(text: &str, option: &str) -> Result<(f64, f64), String> {
    let parsed = text
        .split_once(',')
        .and_then(|(a, b)| Some((a.trim().parse::<f64>().ok()?, b.trim().parse::<f64>().ok()?)))
        .filter(|(a, b)| a.is_finite() && b.is_finite() && *a >= 0.0 && *b >= 0.0);
    parsed.ok_or_else(|| {
        format!(
            "{option} {text:?}: {}",
            t(
                "expected two non-negative numbers in millimetres, such as 100,150",
                "应为两个非负的毫米数，例如 100,150"
            )
        )
    })
}

fn sign_ofd_document(args: &SignArgs, document: &Path) -> u8 {
    use eseal::ofd::{OfdSignOptions, StampPlacement};

    let result = (|| -> Result<(PathBuf, eseal::ofd::OfdSignOutcome), String> {
        if args.data.is_some() {
            return Err(t(
                "--data does not apply to an OFD document",
                "--data 不适用于 OFD 文档",
            )
            .to_owned());
        }
        let seal_bytes = read_file(&args.seal)?;
        let seal =
            Seal::from_der(&seal_bytes).map_err(|e| format!("{}: {e}", args.seal.display()))?;
        let signer = load_key(&args.key, args.password_file.as_deref())?;
        let cert = key_certificate(args.cert.as_deref(), signer.certificate, "--cert")?;
        let key = signer.key;
        let position = args.position.as_deref().ok_or_else(|| {
            t(
                "--at X,Y is required to place the seal",
                "需要用 --at X,Y 指定印章位置",
            )
            .to_owned()
        })?;
        let (x, y) = pair(position, "--at")?;
        let picture = &seal.info.picture;
        let (width, height) = match &args.size {
            Some(size) => pair(size, "--size")?,
            None => (picture.width as f64, picture.height as f64),
        };
        let placements = match &args.riding {
            Some(range) => {
                let (first, last) = range
                    .split_once('-')
                    .and_then(|(a, b)| {
                        Some((
                            a.trim().parse::<usize>().ok()?,
                            b.trim().parse::<usize>().ok()?,
                        ))
                    })
                    .filter(|(a, b)| *a >= 1 && a < b)
                    .ok_or_else(|| {
                        format!(
                            "--riding {range:?}: {}",
                            t(
                                "expected two pages FIRST-LAST with FIRST at least 1 and below LAST, such as 1-5",
                                "应为起止页 FIRST-LAST，FIRST 不小于 1 且小于 LAST，例如 1-5"
                            )
                        )
                    })?;
                StampPlacement::riding(first..=last, args.page_width, y, width, height)
            }
            None => {
                let page = args.page.ok_or_else(|| {
                    t("--page N is required", "需要用 --page N 指定页码").to_owned()
                })?;
                vec![StampPlacement::new(page, x, y, width, height)]
            }
        };
        let options = OfdSignOptions {
            time: args.time.as_deref().map(parse_time).transpose()?,
            placements,
            protect_signature_list: args.protect_signatures,
            ..OfdSignOptions::default()
        };
        let out = args
            .out
            .clone()
            .unwrap_or_else(|| document.with_extension("signed.ofd"));
        let input =
            std::fs::File::open(document).map_err(|e| format!("{}: {e}", document.display()))?;
        let mut outcome = None;
        eseal::ofd::write_output_file(document, &out, |writer| {
            let input = std::io::BufReader::new(input);
            outcome = Some(match args.time_stamp_command.as_deref() {
                Some(command) => {
                    let stamper = |value: &[u8]| super::time_stamp::run(command, value);
                    eseal::ofd::sign_ofd_with_time_stamp(
                        input, writer, &seal, &key, &cert, &options, &stamper,
                    )?
                }
                None => eseal::ofd::sign_ofd(input, writer, &seal, &key, &cert, &options)?,
            });
            Ok(())
        })
        .map_err(|e| match e {
            eseal::Error::Io(io) => format!("{}: {io}", out.display()),
            other => other.to_string(),
        })?;
        let outcome =
            outcome.ok_or_else(|| t("signing produced no result", "签章未产生结果").to_owned())?;
        Ok((out, outcome))
    })();
    match result {
        Ok((out, outcome)) => {
            let references = if outcome.references == 1 {
                "Reference"
            } else {
                "References"
            };
            outln!(
                "{} {} ({} {}, {} {}, {} {})",
                t("signed document written to", "已签章文档写入"),
                out.display(),
                t("signature", "签章"),
                outcome.id,
                t("at", "位于"),
                outcome.signature_path,
                outcome.references,
                t(references, "个 Reference")
            );
            EXIT_VALID
        }
        Err(message) => fail(message),
    }
}

/// Loads the certificate named by `option`, or else returns the one that came with the key.
pub(super) fn key_certificate(
    path: Option<&Path>,
    from_key: Option<Certificate>,
    option: &str,
) -> Result<Certificate, String> {
    match (path, from_key) {
        (Some(path), _) => load_cert(path),
        (None, Some(certificate)) => Ok(certificate),
        (None, None) => Err(format!(
            "{option} FILE {}",
            t(
                "is required unless the key is a PKCS#12 file that holds its certificate",
                "为必需参数，除非密钥是含有其证书的 PKCS#12 文件"
            )
        )),
    }
}

pub fn load_cert(path: &Path) -> Result<Certificate, String> {
    let bytes = read_file(path)?;
    Certificate::from_pem_or_der(&bytes).map_err(|e| format!("{}: {e}", path.display()))
}

pub fn parse_time(text: &str) -> Result<Time, String> {
    Time::parse(text).ok_or_else(|| {
        format!(
            "{} {text:?}; {}",
            t("invalid time", "时间无效"),
            t(
                "use 2025-06-01, 2025-06-01T08:00:00+08:00 or 20250601000000Z",
                "请使用 2025-06-01、2025-06-01T08:00:00+08:00 或 20250601000000Z"
            )
        )
    })
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), String> {
    std::fs::write(path, bytes).map_err(|e| format!("{}: {e}", path.display()))
}
