//! The `eseal` command with password-protected keys: encrypted PKCS#8 and PKCS#12, with the
//! password from `--password-file`, `ESEAL_KEY_PASSWORD` or a terminal prompt.

mod common;

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

/// Runs eseal with no standard input, an English locale and no password in the environment
/// unless `password` is given.
fn eseal(args: &[&str], password: Option<&str>) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_eseal"));
    command
        .args(args)
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", "C.UTF-8")
        .env_remove("ESEAL_KEY_PASSWORD")
        .stdin(Stdio::null());
    if let Some(password) = password {
        command.env("ESEAL_KEY_PASSWORD", password);
    }
    command.output().expect("run eseal")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn assert_success(output: &Output) {
    assert_eq!(
        output.status.code(),
        Some(0),
        "stdout: {}\nstderr: {}",
        stdout(output),
        stderr(output)
    );
}

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn shared_key(name: &str) -> String {
    common::vectors()
        .join("keys")
        .join(name)
        .display()
        .to_string()
}

fn committed(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/vectors/encrypted-keys")
        .join(name)
        .display()
        .to_string()
}

fn text(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// Writes the seal picture, the data to sign and the password files into `dir`.
fn prepare(dir: &Path) {
    let picture = dir.join("picture.png");
    let inspected = eseal(
        &[
            "inspect",
            &common::vectors()
                .join("seals/UserV4.esl")
                .display()
                .to_string(),
            "--picture",
            text(&picture),
        ],
        None,
    );
    assert_success(&inspected);
    std::fs::write(dir.join("document.txt"), "signed with a protected key\n").unwrap();
    std::fs::write(dir.join("legacy-password.txt"), "777777\n").unwrap();
    std::fs::write(
        dir.join("openssl-password.txt"),
        "eseal-test\r\nignored line\n",
    )
    .unwrap();
    std::fs::write(dir.join("wrong-password.txt"), "wrong\n").unwrap();
}

/// `seal create` with the ofdrw seal maker's PKCS#12 file, authorising the ofdrw USER.
fn create_legacy_seal(dir: &Path, extra: &[&str], password: Option<&str>) -> Output {
    let mut args = vec!["seal", "create", "--signer-cert"];
    let signer_cert = shared_key("USER.cert.pem");
    let maker_key = shared_key("SealBuilder.p12");
    let picture = dir.join("picture.png");
    let out = dir.join("legacy.esl");
    args.push(&signer_cert);
    args.extend_from_slice(&["--maker-key", &maker_key]);
    args.extend_from_slice(&[
        "--es-id",
        "KEYS-0001",
        "--name",
        "口令保护测试章",
        "--picture",
        text(&picture),
        "--valid-from",
        "2021-01-01",
        "--valid-to",
        "2022-01-01",
        "--out",
        text(&out),
    ]);
    args.extend_from_slice(extra);
    eseal(&args, password)
}

/// `sign --data` with the seal in `dir`, at a time inside the seal's validity.
fn sign(dir: &Path, seal: &str, time: &str, extra: &[&str], password: Option<&str>) -> Output {
    let seal = dir.join(seal);
    let data = dir.join("document.txt");
    let out = dir.join("document.sig");
    let _ = std::fs::remove_file(&out);
    let mut args = vec![
        "sign",
        "--seal",
        text(&seal),
        "--data",
        text(&data),
        "--time",
        time,
        "--out",
        text(&out),
    ];
    args.extend_from_slice(extra);
    eseal(&args, password)
}

fn verify_signature(dir: &Path) -> Value {
    let output = eseal(
        &[
            "verify",
            text(&dir.join("document.sig")),
            "--data",
            text(&dir.join("document.txt")),
            "--json",
        ],
        None,
    );
    assert_success(&output);
    serde_json::from_slice(&output.stdout).unwrap()
}

#[test]
fn p12_keys_sign_without_cert_options() {
    let dir = scratch("cli-keys-p12");
    prepare(&dir);
    let password_file = dir.join("legacy-password.txt");
    assert_success(&create_legacy_seal(
        &dir,
        &["--password-file", text(&password_file)],
        None,
    ));

    let user_p12 = shared_key("USER.p12");
    let signed = sign(
        &dir,
        "legacy.esl",
        "2021-06-01T08:00:00+08:00",
        &["--key", &user_p12],
        Some("777777"),
    );
    assert_success(&signed);
    let report = verify_signature(&dir);
    assert_eq!(report["valid"], true);
    assert_eq!(report["signatures"][0]["signer_in_cert_list"], true);
}

#[test]
fn encrypted_pkcs8_and_openssl3_p12_sign() {
    let dir = scratch("cli-keys-openssl");
    prepare(&dir);
    let picture = dir.join("picture.png");
    let seal = dir.join("openssl.esl");
    let password_file = dir.join("openssl-password.txt");
    // The maker is the CA, with an encrypted PKCS#8 key; the signer's key is a PKCS#12 file.
    let created = eseal(
        &[
            "seal",
            "create",
            "--maker-key",
            &committed("openssl3-ca-aes256-sha256.pem"),
            "--maker-cert",
            &committed("openssl3-ca.cert.pem"),
            "--password-file",
            text(&password_file),
            "--signer-cert",
            &committed("openssl3-signer.cert.pem"),
            "--es-id",
            "KEYS-0002",
            "--name",
            "OpenSSL 测试章",
            "--picture",
            text(&picture),
            "--valid-from",
            "2027-01-01",
            "--valid-to",
            "2030-01-01",
            "--out",
            text(&seal),
        ],
        None,
    );
    assert_success(&created);

    let p12 = committed("openssl3-default.p12");
    let signed = sign(
        &dir,
        "openssl.esl",
        "2027-06-01",
        &["--key", &p12],
        Some("eseal-test"),
    );
    assert_success(&signed);
    assert_eq!(verify_signature(&dir)["valid"], true);

    // An explicit --cert is used instead of the certificate in the file.
    let signer_cert = committed("openssl3-signer.cert.pem");
    let signed = sign(
        &dir,
        "openssl.esl",
        "2027-06-01",
        &["--key", &p12, "--cert", &signer_cert],
        Some("eseal-test"),
    );
    assert_success(&signed);
    assert_eq!(verify_signature(&dir)["valid"], true);

    // The CA's certificate is in the seal's certList only as the maker, not as a signer.
    let ca_cert = committed("openssl3-ca.cert.pem");
    let refused = sign(
        &dir,
        "openssl.esl",
        "2027-06-01",
        &["--key", &p12, "--cert", &ca_cert],
        Some("eseal-test"),
    );
    assert_eq!(refused.status.code(), Some(2), "{}", stderr(&refused));
}

#[test]
fn gmssl_sm4_key_signs_nothing_without_its_certificate() {
    let dir = scratch("cli-keys-gmssl");
    prepare(&dir);
    assert_success(&create_legacy_seal(&dir, &[], Some("777777")));
    // The GmSSL key decrypts, but it does not belong to the USER certificate.
    let user_cert = shared_key("USER.cert.pem");
    let gmssl_key = committed("gmssl-sm4-sm3.pem");
    let refused = sign(
        &dir,
        "legacy.esl",
        "2021-06-01",
        &["--key", &gmssl_key, "--cert", &user_cert],
        Some("eseal-test"),
    );
    assert_eq!(refused.status.code(), Some(2));
    assert!(
        stderr(&refused).contains("does not match the signer's certificate"),
        "{}",
        stderr(&refused)
    );
}

#[test]
fn missing_password_without_terminal() {
    let dir = scratch("cli-keys-missing");
    prepare(&dir);
    let created = create_legacy_seal(&dir, &[], None);
    assert_eq!(created.status.code(), Some(2));
    let message = stderr(&created);
    assert!(message.contains("SealBuilder.p12"), "{message}");
    assert!(message.contains("--password-file"), "{message}");
    assert!(message.contains("ESEAL_KEY_PASSWORD"), "{message}");
    assert!(!dir.join("legacy.esl").exists());
}

#[test]
fn wrong_password_names_its_source() {
    let dir = scratch("cli-keys-wrong");
    prepare(&dir);
    let from_environment = create_legacy_seal(&dir, &[], Some("777778"));
    assert_eq!(from_environment.status.code(), Some(2));
    let message = stderr(&from_environment);
    assert!(message.contains("wrong password"), "{message}");
    assert!(message.contains("ESEAL_KEY_PASSWORD"), "{message}");
    assert!(!message.contains("777778"), "{message}");

    let wrong_file = dir.join("wrong-password.txt");
    let from_file = create_legacy_seal(&dir, &["--password-file", text(&wrong_file)], None);
    assert_eq!(from_file.status.code(), Some(2));
    let message = stderr(&from_file);
    assert!(message.contains("wrong password"), "{message}");
    assert!(message.contains("wrong-password.txt"), "{message}");

    assert_success(&create_legacy_seal(&dir, &[], Some("777777")));
    let gmssl_key = committed("gmssl-sm4-sm3.pem");
    let user_cert = shared_key("USER.cert.pem");
    let encrypted = sign(
        &dir,
        "legacy.esl",
        "2021-06-01",
        &["--key", &gmssl_key, "--cert", &user_cert],
        Some("eseal-tesT"),
    );
    assert_eq!(encrypted.status.code(), Some(2));
    assert!(
        stderr(&encrypted).contains("wrong password"),
        "{}",
        stderr(&encrypted)
    );
}

#[test]
fn password_file_takes_precedence_over_environment() {
    let dir = scratch("cli-keys-precedence");
    prepare(&dir);
    let password_file = dir.join("legacy-password.txt");
    let created = create_legacy_seal(
        &dir,
        &["--password-file", text(&password_file)],
        Some("wrong"),
    );
    assert_success(&created);
}

#[test]
fn missing_password_file_is_an_error() {
    let dir = scratch("cli-keys-no-file");
    prepare(&dir);
    let missing = dir.join("no-such-file.txt");
    let created = create_legacy_seal(&dir, &["--password-file", text(&missing)], None);
    assert_eq!(created.status.code(), Some(2));
    assert!(
        stderr(&created).contains("no-such-file.txt"),
        "{}",
        stderr(&created)
    );
}

#[test]
fn password_is_not_a_command_line_option() {
    let dir = scratch("cli-keys-option");
    prepare(&dir);
    let rejected = create_legacy_seal(&dir, &["--password", "777777"], None);
    assert_eq!(rejected.status.code(), Some(2));
    assert!(
        stderr(&rejected).contains("--password"),
        "{}",
        stderr(&rejected)
    );
}

#[test]
fn plain_key_still_needs_cert() {
    let dir = scratch("cli-keys-plain");
    prepare(&dir);
    assert_success(&create_legacy_seal(&dir, &[], Some("777777")));
    let user_key = shared_key("USER.key.pem");
    let refused = sign(
        &dir,
        "legacy.esl",
        "2021-06-01",
        &["--key", &user_key],
        None,
    );
    assert_eq!(refused.status.code(), Some(2));
    assert!(
        stderr(&refused).contains("--cert FILE is required"),
        "{}",
        stderr(&refused)
    );
}

#[test]
fn unsupported_key_encryption_names_oid() {
    let dir = scratch("cli-keys-scrypt");
    prepare(&dir);
    assert_success(&create_legacy_seal(&dir, &[], Some("777777")));
    let scrypt_key = committed("openssl-scrypt.pem");
    let user_cert = shared_key("USER.cert.pem");
    let refused = sign(
        &dir,
        "legacy.esl",
        "2021-06-01",
        &["--key", &scrypt_key, "--cert", &user_cert],
        Some("eseal-test"),
    );
    assert_eq!(refused.status.code(), Some(2));
    assert!(
        stderr(&refused).contains("scrypt (1.3.6.1.4.1.11591.4.11)"),
        "{}",
        stderr(&refused)
    );
}

#[test]
fn ofd_signing_with_p12() {
    let dir = scratch("cli-keys-ofd");
    let out = dir.join("signed.ofd");
    let password_file = dir.join("password.txt");
    std::fs::write(&password_file, "777777").unwrap();
    let signed = eseal(
        &[
            "sign",
            &common::vectors()
                .join("ofd/ofdrw-hello.ofd")
                .display()
                .to_string(),
            "--seal",
            &common::vectors()
                .join("seals/UserV4.esl")
                .display()
                .to_string(),
            "--key",
            &shared_key("USER.p12"),
            "--password-file",
            text(&password_file),
            "--time",
            "2021-06-01",
            "--page",
            "1",
            "--at",
            "100,150",
            "--out",
            text(&out),
        ],
        None,
    );
    assert_success(&signed);
    // The document's own signature was made after its seal expired and stays invalid, so
    // only the new signature is checked.
    let verified = eseal(&["verify", text(&out), "--json"], None);
    let report: Value = serde_json::from_slice(&verified.stdout).unwrap();
    assert_eq!(report["signatures"][1]["valid"], true, "{report}");
}

/// Runs `command` on a pseudo-terminal with `script` (util-linux), types `password` once the
/// prompt appears, and returns everything the terminal showed.
fn run_on_terminal(command: &str, password: &str) -> String {
    let mut child = Command::new("script")
        .args(["-qec", command, "/dev/null"])
        .env_remove("ESEAL_KEY_PASSWORD")
        .env("LANG", "C.UTF-8")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the script command (util-linux) runs the tool on a terminal");
    let mut terminal = child.stdout.take().unwrap();
    let (sender, receiver) = std::sync::mpsc::channel::<Vec<u8>>();
    let reader = std::thread::spawn(move || {
        let mut buffer = [0u8; 4096];
        while let Ok(count @ 1..) = terminal.read(&mut buffer) {
            if sender.send(buffer[..count].to_vec()).is_err() {
                break;
            }
        }
    });

    let mut shown = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(20);
    while !String::from_utf8_lossy(&shown).contains("Password for") {
        let remaining = deadline.saturating_duration_since(Instant::now());
        match receiver.recv_timeout(remaining) {
            Ok(chunk) => shown.extend_from_slice(&chunk),
            Err(_) => panic!("no password prompt: {}", String::from_utf8_lossy(&shown)),
        }
    }
    // The prompt is printed just before echo is switched off; give the tool time for that.
    std::thread::sleep(Duration::from_millis(500));
    let mut input = child.stdin.take().unwrap();
    input.write_all(format!("{password}\n").as_bytes()).unwrap();
    input.flush().unwrap();

    let status = child.wait().unwrap();
    drop(input);
    reader.join().unwrap();
    shown.extend(receiver.try_iter().flatten());
    let shown = String::from_utf8_lossy(&shown).into_owned();
    assert!(status.success(), "{shown}");
    shown
}

#[test]
fn terminal_prompt_does_not_echo() {
    let dir = scratch("cli-keys-prompt");
    prepare(&dir);
    assert_success(&create_legacy_seal(&dir, &[], Some("777777")));
    let command = format!(
        "'{}' sign --seal '{}' --key '{}' --data '{}' --time 2021-06-01 --out '{}'",
        env!("CARGO_BIN_EXE_eseal"),
        text(&dir.join("legacy.esl")),
        shared_key("USER.p12"),
        text(&dir.join("document.txt")),
        text(&dir.join("document.sig")),
    );
    let shown = run_on_terminal(&command, "777777");
    assert!(shown.contains("Password for"), "{shown}");
    assert!(shown.contains("signature written to"), "{shown}");
    assert!(
        !shown.contains("777777"),
        "the password was echoed: {shown}"
    );
    assert_eq!(verify_signature(&dir)["valid"], true);
}

#[test]
fn revocation_list_from_p12_without_cert() {
    let dir = scratch("cli-keys-revocation");
    let list = dir.join("cancelled.pem");
    let created = eseal(
        &[
            "revocation",
            "create",
            "--key",
            &shared_key("ROOT.p12"),
            "--issuer-name",
            "统一印章系统",
            "--revoke",
            "11010000000001@2026-03-01",
            "--out",
            text(&list),
        ],
        Some("123456"),
    );
    assert_success(&created);
    let shown = eseal(&["revocation", "show", text(&list)], None);
    assert_success(&shown);
    assert!(
        stdout(&shown).contains("11010000000001"),
        "{}",
        stdout(&shown)
    );
    let parsed =
        eseal::trust::SealRevocationList::from_pem_or_der(&std::fs::read(&list).unwrap()).unwrap();
    let signer = parsed.signer_certificate().unwrap();
    assert!(
        signer.subject().contains("ROOT Certificate"),
        "{}",
        signer.subject()
    );

    // A PEM key without a certificate still needs --cert.
    let without_cert = eseal(
        &[
            "revocation",
            "create",
            "--key",
            &shared_key("ROOT.key.pem"),
            "--issuer-name",
            "统一印章系统",
            "--out",
            text(&dir.join("other.pem")),
        ],
        None,
    );
    assert_eq!(without_cert.status.code(), Some(2));
    assert!(
        stderr(&without_cert).contains("--cert FILE is required"),
        "{}",
        stderr(&without_cert)
    );
}

#[test]
fn wrong_password_in_chinese() {
    let dir = scratch("cli-keys-wrong-zh");
    let data = dir.join("doc.txt");
    std::fs::write(&data, b"data").unwrap();
    let seal = common::vectors().join("seals/UserV4.esl");
    let output = Command::new(env!("CARGO_BIN_EXE_eseal"))
        .args([
            "sign",
            "--seal",
            text(&seal),
            "--key",
            &shared_key("USER.p12"),
            "--data",
            text(&data),
            "--out",
            text(&dir.join("sig.dat")),
        ])
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", "zh_CN.UTF-8")
        .env("ESEAL_KEY_PASSWORD", "not the password")
        .stdin(Stdio::null())
        .output()
        .expect("run eseal");
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    assert!(
        message.contains("口令错误：PKCS#12 的 MAC 校验不通过"),
        "{message}"
    );
    assert!(
        message.contains("（口令来自环境变量 ESEAL_KEY_PASSWORD）"),
        "{message}"
    );
    assert!(!message.contains("wrong password"), "{message}");
    assert!(!dir.join("sig.dat").exists());
}
