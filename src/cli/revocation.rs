//! `eseal revocation`: make and show seal revocation lists (印章注销列表).

use std::path::PathBuf;

use clap::{Args, Subcommand};

use eseal::trust::SealRevocationListBuilder;

use super::keys::load_key;
use super::lang::t;
use super::make::parse_time;
use super::{EXIT_VALID, fail, read_file};

/// Subcommands of `eseal revocation`.
#[derive(Debug, Subcommand)]
pub enum RevocationCommand {
    /// Sign a list of cancelled seals with the seal system's key.
    Create(CreateArgs),
    /// Print a list and check its signature.
    Show {
        /// The list (PEM or DER).
        file: PathBuf,
    },
}

/// Arguments of `eseal revocation create`.
#[derive(Debug, Args)]
pub struct CreateArgs {
    /// The seal system's SM2 private key: PKCS#8 or SEC1, encrypted PKCS#8, or PKCS#12.
    #[arg(long, value_name = "FILE")]
    key: PathBuf,
    /// A file whose first line is the key's password (otherwise ESEAL_KEY_PASSWORD or a prompt).
    #[arg(long, value_name = "FILE")]
    password_file: Option<PathBuf>,
    /// The seal system's certificate, embedded in the list. Taken from --key when that is a
    /// PKCS#12 file holding it.
    #[arg(long, value_name = "FILE")]
    cert: Option<PathBuf>,
    /// The seal system's name, written as issuerName.
    #[arg(long)]
    issuer_name: String,
    /// A cancelled seal as ESID@TIME, e.g. 11010000000001@2026-03-01T00:00:00+08:00; repeat.
    #[arg(long = "revoke", value_name = "ESID@TIME")]
    revoked: Vec<String>,
    /// When the next list is due.
    #[arg(long, value_name = "TIME")]
    next_update: Option<String>,
    /// Output file (PEM).
    #[arg(long, short, value_name = "FILE")]
    out: PathBuf,
}

pub fn run(command: &RevocationCommand) -> u8 {
    match command {
        RevocationCommand::Create(args) => create(args),
        RevocationCommand::Show { file } => show(file),
    }
}

fn create(args: &CreateArgs) -> u8 {
    let result = (|| -> Result<usize, String> {
        let loaded = load_key(&args.key, args.password_file.as_deref())?;
        let cert =
            super::make::key_certificate(args.cert.as_deref(), loaded.certificate, "--cert")?;
        let key = loaded.key;
        let mut builder = SealRevocationListBuilder::new(&args.issuer_name, &cert, &key);
        for entry in &args.revoked {
            let (es_id, time) = entry.split_once('@').ok_or_else(|| {
                format!(
                    "--revoke {entry:?}: {}",
                    t("expected ESID@TIME", "应为 ESID@时间")
                )
            })?;
            builder = builder.revoke(es_id, parse_time(time)?, None);
        }
        let next = args.next_update.as_deref().map(parse_time).transpose()?;
        let list = builder
            .sign(eseal::Time::now(), next)
            .map_err(|e| e.to_string())?;
        std::fs::write(&args.out, list.to_pem())
            .map_err(|e| format!("{}: {e}", args.out.display()))?;
        Ok(list.revoked.len())
    })();
    match result {
        Ok(count) => {
            outln!(
                "{} {} ({count} {})",
                t("seal revocation list written to", "印章注销列表已写入"),
                args.out.display(),
                t("seals", "个印章")
            );
            EXIT_VALID
        }
        Err(message) => fail(message),
    }
}

fn show(file: &std::path::Path) -> u8 {
    let bytes = match read_file(file) {
        Ok(bytes) => bytes,
        Err(message) => return fail(message),
    };
    let list = match eseal::trust::SealRevocationList::from_pem_or_der(&bytes) {
        Ok(list) => list,
        Err(e) => return fail(format!("{}: {e}", file.display())),
    };
    outln!(
        "{}: {} {}",
        file.display(),
        t("seal revocation list of", "印章注销列表，签发者"),
        list.issuer_name
    );
    outln!("  thisUpdate {}", list.this_update);
    if let Some(next) = list.next_update {
        outln!("  nextUpdate {next}");
    }
    match list.verify(None) {
        Ok(()) => outln!(
            "  {}",
            t(
                "signature valid (signer not checked against a trust store)",
                "签名有效（未对照信任库检查签发者）"
            )
        ),
        Err(e) => outln!("  {}{e}", t("signature INVALID: ", "签名无效：")),
    }
    for entry in &list.revoked {
        outln!(
            "  {} {} {}",
            entry.es_id,
            entry.revoked_at,
            entry.reason.as_deref().unwrap_or("")
        );
    }
    if list.verify(None).is_ok() {
        EXIT_VALID
    } else {
        super::EXIT_INVALID
    }
}
