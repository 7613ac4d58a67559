//! Reading the private key of `seal create` and `sign`: unencrypted PKCS#8 or SEC1, encrypted
//! PKCS#8, or PKCS#12, with the password from `--password-file`, the environment or a prompt.

use std::io::IsTerminal;
use std::path::Path;

use zeroize::Zeroizing;

use eseal::keystore::{KeyFormat, Pkcs12};
use eseal::{Certificate, PrivateKey};

use super::lang::t;
use super::read_file;

/// The environment variable that contains the key's password.
pub const PASSWORD_ENV: &str = "ESEAL_KEY_PASSWORD";

/// Number of prompts for the password before a wrong one is final.
const PROMPT_ATTEMPTS: usize = 3;

/// A private key and, when it came from a PKCS#12 file, the key's certificate.
pub struct LoadedKey {
    pub key: PrivateKey,
    pub certificate: Option<Certificate>,
}

/// The password's source, in order of precedence.
enum PasswordSource<'a> {
    File(&'a Path),
    Environment,
    Prompt,
    Missing,
}

impl PasswordSource<'_> {
    fn describe(&self) -> String {
        match self {
            Self::File(path) => format!(
                "{} {}",
                t(
                    "the password came from --password-file",
                    "口令来自 --password-file"
                ),
                path.display()
            ),
            Self::Environment => format!(
                "{} {PASSWORD_ENV}",
                t("the password came from", "口令来自环境变量")
            ),
            Self::Prompt | Self::Missing => String::new(),
        }
    }
}

/// Reads the private key at `path`, asking for a password only when the file is encrypted.
pub fn load_key(path: &Path, password_file: Option<&Path>) -> Result<LoadedKey, String> {
    let bytes = Zeroizing::new(read_file(path)?);
    let format = KeyFormat::detect(&bytes);
    if !format.needs_password() {
        let key =
            PrivateKey::from_pem_or_der(&bytes).map_err(|e| format!("{}: {e}", path.display()))?;
        return Ok(LoadedKey {
            key,
            certificate: None,
        });
    }

    let source = if let Some(file) = password_file {
        PasswordSource::File(file)
    } else if std::env::var_os(PASSWORD_ENV).is_some() {
        PasswordSource::Environment
    } else if std::io::stdin().is_terminal() {
        PasswordSource::Prompt
    } else {
        PasswordSource::Missing
    };
    let result = match &source {
        PasswordSource::File(file) => open(format, &bytes, &read_password_file(file)?),
        PasswordSource::Environment => open(format, &bytes, environment_password()?.as_bytes()),
        PasswordSource::Prompt => open_with_prompt(format, &bytes, path),
        PasswordSource::Missing => {
            return Err(format!(
                "{}: {}",
                path.display(),
                t(
                    "the key file is encrypted; give --password-file FILE or set ESEAL_KEY_PASSWORD",
                    "密钥文件已加密；请用 --password-file 文件 给出口令，或设置环境变量 ESEAL_KEY_PASSWORD"
                )
            ));
        }
    };
    result.map_err(|error| match (&error, source.describe()) {
        (eseal::Error::WrongPassword(reason), origin) if !origin.is_empty() => format!(
            "{}: {} {}",
            path.display(),
            wrong_password(reason),
            t(&format!("({origin})"), &format!("（{origin}）"))
        ),
        (eseal::Error::WrongPassword(reason), _) => {
            format!("{}: {}", path.display(), wrong_password(reason))
        }
        _ => format!("{}: {error}", path.display()),
    })
}

/// Says that a password is wrong, with the check that failed, in the tool's language.
fn wrong_password(reason: &str) -> String {
    if !super::lang::is_chinese() {
        return format!("wrong password: {reason}");
    }
    let reason = match reason {
        "the PKCS#12 MAC does not verify" => "PKCS#12 的 MAC 校验不通过",
        "decryption gave invalid padding" => "解密后的填充无效",
        "the decrypted data is not a PKCS#8 private key" => "解密结果不是 PKCS#8 私钥",
        other => other,
    };
    format!("口令错误：{reason}")
}

/// Opens an encrypted PKCS#8 key or a PKCS#12 file with `password`.
fn open(format: KeyFormat, bytes: &[u8], password: &[u8]) -> eseal::Result<LoadedKey> {
    if format == KeyFormat::Pkcs12 {
        let Pkcs12 {
            private_key,
            certificate,
            ..
        } = Pkcs12::from_der(bytes, password)?;
        Ok(LoadedKey {
            key: private_key,
            certificate,
        })
    } else {
        let key = PrivateKey::from_pem_or_der_with_password(bytes, Some(password))?;
        Ok(LoadedKey {
            key,
            certificate: None,
        })
    }
}

/// Asks on the terminal without echo, again after a wrong password.
fn open_with_prompt(format: KeyFormat, bytes: &[u8], path: &Path) -> eseal::Result<LoadedKey> {
    let prompt = if super::lang::is_chinese() {
        format!("{} 的口令：", path.display())
    } else {
        format!("Password for {}: ", path.display())
    };
    let mut attempt = 1;
    loop {
        let password = Zeroizing::new(rpassword::prompt_password(&prompt)?);
        match open(format, bytes, password.as_bytes()) {
            Err(eseal::Error::WrongPassword(reason)) if attempt < PROMPT_ATTEMPTS => {
                eprintln!(
                    "eseal: {}; {}",
                    wrong_password(reason),
                    t("try again", "请重试")
                );
                attempt += 1;
            }
            result => return result,
        }
    }
}

/// Reads the first line of the password file, without its line ending, as OpenSSL's `file:`
/// password source does.
fn read_password_file(path: &Path) -> Result<Zeroizing<Vec<u8>>, String> {
    let mut contents = Zeroizing::new(read_file(path)?);
    let end = contents
        .iter()
        .position(|&byte| byte == b'\n' || byte == b'\r')
        .unwrap_or(contents.len());
    contents[end..].fill(0);
    contents.truncate(end);
    Ok(contents)
}

fn environment_password() -> Result<Zeroizing<String>, String> {
    // NOTE: the process environment keeps its own copy of the password; removing the variable
    // would need `unsafe` (std::env::remove_var), which the crate forbids.
    std::env::var(PASSWORD_ENV)
        .map(Zeroizing::new)
        .map_err(|_| {
            format!(
                "{PASSWORD_ENV}: {}",
                t("the password is not valid UTF-8", "口令不是有效的 UTF-8")
            )
        })
}
