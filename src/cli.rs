//! Command-line parsing and dispatch.

/// Prints a line to standard output, like `println!`, but without panicking when the reader
/// has gone (for example `eseal verify DIR | head`): output then stops and the command finishes.
macro_rules! outln {
    () => {
        $crate::cli::write_out(format_args!(""))
    };
    ($($arg:tt)*) => {
        $crate::cli::write_out(format_args!($($arg)*))
    };
}

mod demo;
mod inspect;
mod keys;
mod lang;
mod make;
mod output;
mod revocation;
mod time_stamp;
mod verify;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use lang::t;

/// Exit status when everything verified is valid.
pub const EXIT_VALID: u8 = 0;
/// Exit status when something verified is invalid.
pub const EXIT_INVALID: u8 = 1;
/// Exit status on a usage error or unreadable input.
pub const EXIT_USAGE: u8 = 2;

/// Chinese secure electronic seals (GB/T 38540-2020, GM/T 0031-2014): inspect, verify, make and sign.
#[derive(Debug, Parser)]
#[command(name = "eseal", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Print a seal (.esl) or a signature (SignedValue.dat): header, dates, certificates, picture, findings.
    Inspect {
        /// The DER file to read.
        file: PathBuf,
        /// Write the seal picture to this file.
        #[arg(long, value_name = "OUT")]
        picture: Option<PathBuf>,
    },
    /// Verify a seal, a signature, or every seal and signature under a folder.
    Verify(verify::VerifyArgs),
    /// Make seals.
    Seal {
        #[command(subcommand)]
        command: SealCommand,
    },
    /// Sign data with a seal, writing a DER SES_Signature.
    Sign(make::SignArgs),
    /// Make or show seal revocation lists (cancelled seals).
    Revocation {
        #[command(subcommand)]
        command: revocation::RevocationCommand,
    },
    /// Run a throw-away demonstration: CA, maker, signer, seal, signature, verification, tampering.
    Demo {
        /// Keep the files in this folder (a temporary folder otherwise, removed afterwards).
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
enum SealCommand {
    /// Make and sign a seal with the maker's key and certificate.
    Create(make::SealCreateArgs),
}

/// Parses the command line, runs it and returns the exit status.
pub fn run() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            let _ = error.print();
            return ExitCode::from(if error.use_stderr() {
                EXIT_USAGE
            } else {
                EXIT_VALID
            });
        }
    };
    let status = match cli.command {
        Command::Inspect { file, picture } => inspect::run(&file, picture.as_deref()),
        Command::Verify(args) => verify::run(&args),
        Command::Seal {
            command: SealCommand::Create(args),
        } => make::create_seal(&args),
        Command::Sign(args) => make::sign(&args),
        Command::Demo { dir } => demo::run(dir.as_deref()),
        Command::Revocation { command } => revocation::run(&command),
    };
    ExitCode::from(status)
}

static STDOUT_CLOSED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Writes one line for [`outln!`]; after a write error, later lines are dropped.
pub fn write_out(line: std::fmt::Arguments<'_>) {
    use std::io::Write;
    use std::sync::atomic::Ordering;

    if STDOUT_CLOSED.load(Ordering::Relaxed) {
        return;
    }
    if writeln!(std::io::stdout().lock(), "{line}").is_err() {
        STDOUT_CLOSED.store(true, Ordering::Relaxed);
    }
}

/// Prints an error and returns [`EXIT_USAGE`].
pub fn fail(message: impl std::fmt::Display) -> u8 {
    eprintln!("eseal: {message}");
    EXIT_USAGE
}

/// Reads a file, or returns the message to print.
pub fn read_file(path: &Path) -> Result<Vec<u8>, String> {
    std::fs::read(path).map_err(|e| {
        format!(
            "{}: {} {e}",
            path.display(),
            t("cannot read file:", "无法读取文件：")
        )
    })
}
