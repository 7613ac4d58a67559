//! `eseal sign --time-stamp-command`: a time stamp from a program of the user's choice.

use std::io::{Read, Write};
use std::process::{Command, Stdio};

use super::lang::t;

/// The largest token read from the command, the same bound as the C ABI's time stamp buffer.
/// A GB/T 20520 token with the authority's certificate is a few kilobytes.
const MAX_TOKEN_LEN: usize = 64 * 1024;

/// Runs `command` with `sh -c`, writes `value` (the DER SM2 signature value) to its standard
/// input and returns what it writes to standard output, which should be a DER TimeStampToken.
/// Its standard error goes to eseal's, so the user sees why a service failed. The builder
/// checks the token afterwards.
pub fn run(command: &str, value: &[u8]) -> eseal::Result<Vec<u8>> {
    let failed = |reason: String| {
        eseal::Error::TimeStamp(format!(
            "{} {command:?}: {reason}",
            t("time stamp command", "时间戳命令")
        ))
    };
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(command)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| failed(format!("{} {e}", t("cannot be started:", "无法启动："))))?;

    // The value is under 100 bytes, far below a pipe's buffer, so writing it all before
    // reading cannot block. A command that does not read its input closes the pipe, which is
    // not an error here: the token check catches a token over other bytes.
    if let Some(mut stdin) = child.stdin.take() {
        let _ = stdin.write_all(value);
    }
    let mut token = Vec::new();
    let read = match child.stdout.take() {
        Some(stdout) => stdout
            .take(MAX_TOKEN_LEN as u64 + 1)
            .read_to_end(&mut token),
        None => Ok(0),
    };
    if token.len() > MAX_TOKEN_LEN {
        let _ = child.kill();
        let _ = child.wait();
        return Err(failed(format!(
            "{} {MAX_TOKEN_LEN} {}",
            t("wrote more than", "输出超过"),
            t("bytes", "字节")
        )));
    }
    let status = child.wait().map_err(|e| failed(e.to_string()))?;
    read.map_err(|e| failed(e.to_string()))?;
    if !status.success() {
        return Err(failed(match status.code() {
            Some(code) => format!("{} {code}", t("exited with code", "退出码为")),
            None => t("was ended by a signal", "被信号终止").to_owned(),
        }));
    }
    if token.is_empty() {
        return Err(failed(
            t(
                "wrote nothing to standard output",
                "未向标准输出写入任何内容",
            )
            .to_owned(),
        ));
    }
    Ok(token)
}
