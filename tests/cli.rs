//! The `eseal` command as a user runs it: exit statuses, JSON shape, languages and files.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn eseal(args: &[&str]) -> Output {
    eseal_with_lang(args, "C.UTF-8")
}

fn eseal_with_lang(args: &[&str], lang: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_eseal"))
        .args(args)
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", lang)
        .output()
        .expect("run eseal")
}

fn vector(relative: &str) -> String {
    common::vectors().join(relative).display().to_string()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn json(output: &Output) -> Value {
    serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", stdout(output)))
}

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn verify_valid_seal_exits_zero() {
    let output = eseal(&["verify", &vector("seals/UserV4.esl"), "--at", "2021-06-01"]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    assert!(stdout(&output).contains("VALID"));
}

#[test]
fn verify_invalid_seal_exits_one() {
    let output = eseal(&[
        "verify",
        &vector("seals/hebeigede-v4.esl"),
        "--at",
        "2021-01-01",
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stdout(&output).contains("[FAILED] seal.maker_signature"));
}

#[test]
fn seal_json_has_documented_fields() {
    let output = eseal(&[
        "verify",
        &vector("seals/koal-v4.esl"),
        "--at",
        "2024-06-01",
        "--json",
    ]);
    assert_eq!(output.status.code(), Some(0));
    let report = json(&output);
    assert_eq!(report["kind"], "seal");
    assert_eq!(report["valid"], true);
    let seal = &report["seal"];
    assert_eq!(seal["version"], 4);
    assert_eq!(seal["vendor_id"], "koal");
    assert_eq!(seal["es_id"], "4BE82F99E883422BA674E442CE584579");
    assert_eq!(seal["type"], 4);
    assert_eq!(seal["maker_signature_valid"], true);
    let findings = report["findings"].as_array().unwrap();
    assert!(findings.iter().any(
        |f| f["code"] == "signature-raw-r-s" && f["message"].as_str().unwrap().contains("r||s")
    ));
}

#[test]
fn signature_json_has_documented_fields() {
    let folder = "signatures/dianju-c9ca0b828683";
    let with_data = eseal(&[
        "verify",
        &vector(&format!("{folder}/SignedValue.dat")),
        "--data",
        &vector(&format!("{folder}/Signature.xml")),
        "--json",
    ]);
    assert_eq!(with_data.status.code(), Some(0));
    let report = json(&with_data);
    assert_eq!(report["kind"], "signature");
    assert_eq!(report["valid"], true);
    assert_eq!(report["seal"]["es_id"], "Vh4poIblza3ThaUpk6vC8b");
    let entry = &report["signatures"][0];
    assert_eq!(entry["valid"], true);
    assert_eq!(entry["signature_valid"], true);
    assert_eq!(entry["data_hash_valid"], true);
    assert_eq!(entry["signer_in_cert_list"], true);
    assert_eq!(entry["seal"]["maker_signature_valid"], true);
    assert!(
        entry["checks"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["name"] == "signature.data_hash" && c["status"] == "passed")
    );
    assert!(
        entry["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["code"] == "integer-negative")
    );

    let without_data = json(&eseal(&[
        "verify",
        &vector(&format!("{folder}/SignedValue.dat")),
        "--json",
    ]));
    assert!(without_data["signatures"][0]["data_hash_valid"].is_null());
}

#[test]
fn options_for_the_other_kind_are_rejected() {
    let seal_with_data = eseal(&[
        "verify",
        &vector("seals/UserV4.esl"),
        "--data",
        &vector("seals/UserV1.esl"),
    ]);
    assert_eq!(seal_with_data.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&seal_with_data.stderr).contains("--data applies to signatures")
    );
    let signature_with_at = eseal(&[
        "verify",
        &vector("signatures/koal-0949ab5880fe/SignedValue.dat"),
        "--at",
        "2024-01-01",
    ]);
    assert_eq!(signature_with_at.status.code(), Some(2));
}

#[test]
fn output_to_closed_pipe_does_not_panic() {
    use std::process::Stdio;

    let mut child = Command::new(env!("CARGO_BIN_EXE_eseal"))
        .args(["verify", &common::vectors().display().to_string()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Close the reading end at once, as `| head -0` would.
    drop(child.stdout.take());
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(!String::from_utf8_lossy(&output.stderr).contains("panicked"));
}

#[test]
fn wrong_data_exits_one() {
    let output = eseal(&[
        "verify",
        &vector("signatures/koal-0949ab5880fe/SignedValue.dat"),
        "--data",
        &vector("signatures/koal-561ad032f380/Signature.xml"),
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stdout(&output).contains("[FAILED] signature.data_hash"));
}

#[test]
fn verify_folder_lists_every_file() {
    let output = eseal(&["verify", &common::vectors().display().to_string()]);
    // Some vectors are invalid on purpose.
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    assert_eq!(
        text.lines()
            .filter(|l| l.starts_with("VALID") || l.starts_with("INVALID"))
            .count(),
        24
    );
    assert!(
        text.contains("summary: 12 valid, 12 invalid, 0 unreadable"),
        "{text}"
    );

    let valid_only = eseal(&["verify", &vector("signatures/koal-0949ab5880fe")]);
    assert_eq!(valid_only.status.code(), Some(0), "{}", stdout(&valid_only));
}

#[test]
fn unreadable_and_malformed_input_exit_two() {
    let missing = eseal(&["verify", "/nonexistent/file.esl"]);
    assert_eq!(missing.status.code(), Some(2));
    let dir = scratch("cli-garbage");
    let garbage = dir.join("garbage.esl");
    std::fs::write(&garbage, b"\x30\x03\x02\x01").unwrap();
    let output = eseal(&["verify", garbage.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("byte offset"));
    assert_eq!(eseal(&["verify"]).status.code(), Some(2));

    // A folder with one valid signature and one unreadable file.
    let mixed = scratch("cli-mixed");
    std::fs::copy(
        vector("signatures/koal-0949ab5880fe/SignedValue.dat"),
        mixed.join("good.dat"),
    )
    .unwrap();
    std::fs::write(mixed.join("bad.esl"), b"not DER").unwrap();
    let output = eseal(&["verify", mixed.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stdout(&output).contains("summary: 1 valid, 0 invalid, 1 unreadable"));
    assert_eq!(
        eseal(&["verify", &vector("seals/UserV4.esl"), "--at", "someday"])
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn inspect_prints_fields_and_writes_picture() {
    let dir = scratch("cli-inspect");
    let picture = dir.join("picture.png");
    let output = eseal(&[
        "inspect",
        &vector("seals/UserV4.esl"),
        "--picture",
        picture.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(0));
    let text = stdout(&output);
    for expected in [
        "V4",
        "OFDR&WTest",
        "51f044b76510434e9bc67a1185c2fba5",
        "OFD R&W 测试用印章",
        "2020-04-22T02:09:00Z",
        "CN=Test Certificate",
        "\"PNG\"",
        "40 x 40 mm",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in\n{text}");
    }
    let written = std::fs::read(&picture).unwrap();
    assert!(written.starts_with(b"\x89PNG"));
    let seal = eseal::Seal::from_der(&common::read("seals/UserV4.esl")).unwrap();
    assert_eq!(written, seal.info.picture.data);

    let signature = eseal(&[
        "inspect",
        &vector("signatures/suwell-sdk-ba0963d2b707/SignedValue.dat"),
    ]);
    let text = stdout(&signature);
    assert!(text.contains("ICBCReceipt00001"), "{text}");
    assert!(text.contains("time-without-z"));
}

#[test]
fn chinese_locale_gives_chinese_output() {
    let output = eseal_with_lang(
        &["verify", &vector("seals/UserV4.esl"), "--at", "2021-06-01"],
        "zh_CN.UTF-8",
    );
    let text = stdout(&output);
    assert!(text.contains("有效"), "{text}");
    assert!(text.contains("[通过] seal.maker_signature"), "{text}");
}

#[test]
fn create_seal_and_sign_with_vector_keys() {
    let dir = scratch("cli-make");
    let keys = common::vectors().join("keys");
    let key = |name: &str| keys.join(name).display().to_string();
    let seal = dir.join("made.esl");
    let picture = dir.join("picture.png");
    assert_eq!(
        eseal(&[
            "inspect",
            &vector("seals/UserV4.esl"),
            "--picture",
            picture.to_str().unwrap()
        ])
        .status
        .code(),
        Some(0)
    );
    let created = eseal(&[
        "seal",
        "create",
        "--maker-key",
        &key("SealBuilder.key.pem"),
        "--maker-cert",
        &key("SealBuilder.cert.pem"),
        "--signer-cert",
        &key("USER.cert.pem"),
        "--es-id",
        "CLI-0001",
        "--name",
        "命令行测试章",
        "--picture",
        picture.to_str().unwrap(),
        "--valid-from",
        "2021-01-01",
        "--valid-to",
        "2022-01-01",
        "--out",
        seal.to_str().unwrap(),
    ]);
    assert_eq!(
        created.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&created.stderr)
    );
    // The vector maker certificate expired in 2022, which the tool points out.
    assert!(
        String::from_utf8_lossy(&created.stderr)
            .contains("warning: the maker's certificate is not valid at"),
        "{}",
        String::from_utf8_lossy(&created.stderr)
    );

    let data = dir.join("document.txt");
    std::fs::write(&data, "signed by the command line\n").unwrap();
    let signature = dir.join("document.sig");
    let sign = |time: &str| {
        eseal(&[
            "sign",
            "--seal",
            seal.to_str().unwrap(),
            "--key",
            &key("USER.key.pem"),
            "--cert",
            &key("USER.cert.pem"),
            "--data",
            data.to_str().unwrap(),
            "--time",
            time,
            "--out",
            signature.to_str().unwrap(),
        ])
    };
    let signed = sign("2021-06-01T08:00:00+08:00");
    assert_eq!(
        signed.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&signed.stderr)
    );
    let verified = eseal(&[
        "verify",
        signature.to_str().unwrap(),
        "--data",
        data.to_str().unwrap(),
        "--json",
    ]);
    assert_eq!(verified.status.code(), Some(0), "{}", stdout(&verified));
    assert_eq!(
        json(&verified)["signatures"][0]["signing_time"],
        "2021-06-01T00:00:00Z"
    );

    // Outside the seal's validity, signing is refused with the reason.
    let refused = sign("2023-01-01");
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("outside the seal's validity"));
}

#[test]
fn demo_runs_in_both_languages() {
    let english = eseal(&["demo"]);
    assert_eq!(english.status.code(), Some(0), "{}", stdout(&english));
    assert!(stdout(&english).contains("the genuine transcript verifies"));
    let dir = scratch("cli-demo");
    let chinese = eseal_with_lang(&["demo", "--dir", dir.to_str().unwrap()], "zh_CN.UTF-8");
    assert_eq!(chinese.status.code(), Some(0));
    assert!(stdout(&chinese).contains("演示汇总"));
    assert!(dir.join("seal.esl").is_file());
    let reverified = eseal(&[
        "verify",
        dir.join("transcript.sig").to_str().unwrap(),
        "--data",
        dir.join("transcript.txt").to_str().unwrap(),
    ]);
    assert_eq!(reverified.status.code(), Some(0));
    let tampered = eseal(&[
        "verify",
        dir.join("transcript.sig").to_str().unwrap(),
        "--data",
        dir.join("transcript-tampered.txt").to_str().unwrap(),
    ]);
    assert_eq!(tampered.status.code(), Some(1));
}

#[test]
fn verify_ofd_document() {
    let valid = eseal(&["verify", &vector("ofd/koal-three-signatures.ofd")]);
    assert_eq!(valid.status.code(), Some(0), "{}", stdout(&valid));
    let tampered = eseal(&["verify", &vector("ofd/koal-tampered-content.ofd"), "--json"]);
    assert_eq!(tampered.status.code(), Some(1));
    let report = json(&tampered);
    assert_eq!(report["kind"], "ofd");
    assert_eq!(report["signatures"][0]["valid"], false);
    assert_eq!(
        report["signatures"][0]["failed_references"][0],
        "/Doc_0/Pages/Page_0/Content.xml"
    );
    let with_data = eseal(&[
        "verify",
        &vector("ofd/koal-three-signatures.ofd"),
        "--data",
        &vector("seals/UserV4.esl"),
    ]);
    assert_eq!(with_data.status.code(), Some(2));
    let inspected = eseal(&[
        "inspect",
        &vector("ofd/ofdrw-riding-seal-two-signatures.ofd"),
    ]);
    assert_eq!(inspected.status.code(), Some(0));
    assert!(
        stdout(&inspected).contains("Clip=\"0 0 8 40\""),
        "{}",
        stdout(&inspected)
    );
}

#[test]
fn sign_ofd_document_with_vector_keys() {
    let dir = scratch("cli-ofd-sign");
    let keys = common::vectors().join("keys");
    let key = |name: &str| keys.join(name).display().to_string();
    let out = dir.join("signed.ofd");
    let base = [
        "sign".to_owned(),
        vector("ofd/ofdrw-hello.ofd"),
        "--seal".into(),
        vector("seals/UserV4.esl"),
        "--key".into(),
        key("USER.key.pem"),
        "--cert".into(),
        key("USER.cert.pem"),
        "--time".into(),
        "2021-06-01".into(),
        "--out".into(),
        out.display().to_string(),
    ];
    let run = |extra: &[&str]| {
        let mut args: Vec<&str> = base.iter().map(String::as_str).collect();
        args.extend_from_slice(extra);
        eseal(&args)
    };
    let signed = run(&["--page", "1", "--at", "100,150"]);
    assert_eq!(
        signed.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&signed.stderr)
    );
    let report = json(&eseal(&["verify", out.to_str().unwrap(), "--json"]));
    let signatures = report["signatures"].as_array().unwrap();
    assert_eq!(signatures.len(), 2);
    assert_eq!(signatures[1]["valid"], true);
    assert_eq!(
        signatures[1]["stamp_annots"][0]["boundary"],
        "100 150 40 40"
    );

    std::fs::remove_file(&out).unwrap();
    let missing_page = run(&["--page", "7", "--at", "100,150"]);
    assert_eq!(missing_page.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing_page.stderr).contains("page 7 does not exist"));
    assert!(!out.exists(), "a refused signature leaves no output file");
    let bad_position = run(&["--page", "1", "--at", "left"]);
    assert_eq!(bad_position.status.code(), Some(2));
}

/// Returns the path of the test time stamp authority (examples/time_stamp_authority.rs), which
/// `cargo test` builds beside the `eseal` binary.
fn time_stamp_authority() -> PathBuf {
    let program = Path::new(env!("CARGO_BIN_EXE_eseal"))
        .parent()
        .unwrap()
        .join("examples/time_stamp_authority");
    assert!(
        program.is_file(),
        "{} is missing; cargo test builds it",
        program.display()
    );
    program
}

#[test]
fn sign_with_time_stamp_command() {
    let dir = scratch("cli-time-stamp");
    let authority = time_stamp_authority();
    let tsa_dir = dir.join("tsa");
    let init = Command::new(&authority)
        .arg("init")
        .arg(&tsa_dir)
        .output()
        .unwrap();
    assert!(init.status.success(), "{init:?}");
    let data = dir.join("document.txt");
    std::fs::write(&data, "成绩单 transcript").unwrap();
    let stamp = format!(
        "'{}' stamp '{}' 2021-06-01T00:05:00Z",
        authority.display(),
        tsa_dir.display()
    );
    let sign = |command: &str, seal: &str, out: &Path| {
        eseal(&[
            "sign",
            "--seal",
            &vector(seal),
            "--key",
            &vector("keys/USER.key.pem"),
            "--cert",
            &vector("keys/USER.cert.pem"),
            "--data",
            data.to_str().unwrap(),
            "--time",
            "2021-06-01",
            "--time-stamp-command",
            command,
            "--out",
            out.to_str().unwrap(),
        ])
    };

    let signed = dir.join("stamped.sig");
    let output = sign(&stamp, "seals/UserV4.esl", &signed);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let signature = eseal::Signature::from_der(&std::fs::read(&signed).unwrap()).unwrap();
    let token = signature.time_stamp.as_deref().expect("a timeStamp field");
    let token = eseal::timestamp::TimeStampToken::from_der(token).unwrap();
    assert_eq!(token.gen_time, common::time("2021-06-01T00:05:00Z"));
    assert!(token.verify(&signature.signature, None).is_ok());
    let verified = eseal(&[
        "verify",
        signed.to_str().unwrap(),
        "--data",
        data.to_str().unwrap(),
        "--json",
    ]);
    assert_eq!(verified.status.code(), Some(0), "{}", stdout(&verified));

    // Each failure exits 2, names the problem and writes no file.
    let failures = [
        (
            format!("{stamp}; exit 3"),
            "seals/UserV4.esl",
            "exited with code 3",
        ),
        ("exit 0".to_owned(), "seals/UserV4.esl", "wrote nothing"),
        (
            "echo not a token".to_owned(),
            "seals/UserV4.esl",
            "cannot be read",
        ),
        (
            format!("echo other bytes | {stamp}"),
            "seals/UserV4.esl",
            "messageImprint",
        ),
        (
            format!("head -c 70000 /dev/zero; {stamp}"),
            "seals/UserV4.esl",
            "65536",
        ),
        (
            "/nonexistent/time-stamp-service".to_owned(),
            "seals/UserV4.esl",
            "exited with code 127",
        ),
        (stamp.clone(), "seals/UserV1.esl", "timeStamp"),
    ];
    for (i, (command, seal, expected)) in failures.iter().enumerate() {
        let out = dir.join(format!("failed-{i}.sig"));
        let output = sign(command, seal, &out);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{command}: {stderr}");
        assert!(stderr.contains(expected), "{command}: {stderr}");
        assert!(!out.exists(), "{command}: {} was written", out.display());
    }

    // OFD signing takes the same option; a failing service writes no document.
    let sign_ofd = |command: &str, out: &Path| {
        eseal(&[
            "sign",
            &vector("ofd/ofdrw-hello.ofd"),
            "--seal",
            &vector("seals/UserV4.esl"),
            "--key",
            &vector("keys/USER.key.pem"),
            "--cert",
            &vector("keys/USER.cert.pem"),
            "--page",
            "1",
            "--at",
            "100,150",
            "--time",
            "2021-06-01",
            "--time-stamp-command",
            command,
            "--out",
            out.to_str().unwrap(),
        ])
    };
    let stamped_ofd = dir.join("stamped.ofd");
    let output = sign_ofd(&stamp, &stamped_ofd);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let trusted = eseal(&[
        "verify",
        stamped_ofd.to_str().unwrap(),
        "--trust",
        tsa_dir.join("root.der").to_str().unwrap(),
        "--json",
    ]);
    let report = json(&trusted);
    let signatures = report["signatures"].as_array().unwrap();
    let stamped =
        signatures
            .iter()
            .find(|entry| {
                entry["checks"].as_array().unwrap().iter().any(|check| {
                    check["name"] == "signature.time_stamp" && check["status"] == "passed"
                })
            })
            .unwrap_or_else(|| panic!("no signature with a passed time stamp: {report}"));
    assert_eq!(stamped["signing_time"], "2021-06-01T00:05:00Z", "{stamped}");

    let failed_ofd = dir.join("failed.ofd");
    let output = sign_ofd(&format!("{stamp}; exit 3"), &failed_ofd);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("exited with code 3"), "{stderr}");
    assert!(!failed_ofd.exists());
}

/// Returns the status of the check `name` of the first signature in a `--json` report.
fn check_status(report: &Value, name: &str) -> String {
    report["signatures"][0]["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|check| check["name"] == name)
        .unwrap_or_else(|| panic!("no check {name} in {report}"))["status"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[test]
fn verify_with_trust_crl_and_revoked_seals() {
    let dir = scratch("cli-trust");
    let keys = common::vectors().join("keys");
    let key_path = |name: &str| keys.join(name).display().to_string();
    let data = dir.join("document.txt");
    std::fs::write(&data, "document").unwrap();
    let signed = dir.join("signed.sig");
    let output = eseal(&[
        "sign",
        "--seal",
        &vector("seals/UserV4.esl"),
        "--key",
        &key_path("USER.key.pem"),
        "--cert",
        &key_path("USER.cert.pem"),
        "--data",
        data.to_str().unwrap(),
        "--time",
        "2021-06-01",
        "--out",
        signed.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let verify = |extra: &[&str]| {
        let mut args = vec![
            "verify",
            signed.to_str().unwrap(),
            "--data",
            data.to_str().unwrap(),
            "--json",
        ];
        args.extend_from_slice(extra);
        eseal(&args)
    };
    let root = key_path("ROOT.cert.pem");

    // Without --trust the chains are not checked; with ROOT they pass.
    let untrusted = verify(&[]);
    assert_eq!(untrusted.status.code(), Some(0));
    let report = json(&untrusted);
    assert_eq!(
        check_status(&report, "signature.signer_certificate_chain"),
        "not_checked"
    );
    let trusted = verify(&["--trust", &root]);
    assert_eq!(trusted.status.code(), Some(0), "{}", stdout(&trusted));
    let report = json(&trusted);
    for name in [
        "seal.maker_certificate_chain",
        "signature.signer_certificate_chain",
        "signature.signer_certificate_key_usage",
    ] {
        assert_eq!(check_status(&report, name), "passed", "{name}");
    }

    // Another root (the test time stamp authority's): the chains fail and the exit status is 1.
    // A certificate that is not self-issued is not a root, which is a usage error.
    let tsa_dir = dir.join("tsa");
    let init = Command::new(time_stamp_authority())
        .arg("init")
        .arg(&tsa_dir)
        .output()
        .unwrap();
    assert!(init.status.success(), "{init:?}");
    let other_root = tsa_dir.join("root.der").display().to_string();
    let wrong_root = verify(&["--trust", &other_root]);
    assert_eq!(wrong_root.status.code(), Some(1), "{}", stdout(&wrong_root));
    assert_eq!(
        check_status(&json(&wrong_root), "signature.signer_certificate_chain"),
        "failed"
    );

    // A CRL from ROOT that revoked USER before the signing time.
    let root_cert = eseal::Certificate::from_pem(&std::fs::read(&root).unwrap()).unwrap();
    let root_key =
        eseal::PrivateKey::from_pem(&std::fs::read(key_path("ROOT.key.pem")).unwrap()).unwrap();
    let user_cert =
        eseal::Certificate::from_pem(&std::fs::read(key_path("USER.cert.pem")).unwrap()).unwrap();
    let crl = eseal::trust::CrlBuilder::new(&root_cert, &root_key)
        .revoke(&user_cert, common::time("2021-03-01"))
        .sign(common::time("2021-04-01"), None)
        .unwrap();
    let crl_path = dir.join("root.crl");
    std::fs::write(&crl_path, crl.as_der()).unwrap();
    let revoked = verify(&["--trust", &root, "--crl", crl_path.to_str().unwrap()]);
    assert_eq!(revoked.status.code(), Some(1), "{}", stdout(&revoked));
    assert_eq!(
        check_status(&json(&revoked), "signature.signer_certificate_revocation"),
        "failed"
    );

    // A seal revocation list that cancelled UserV4.esl before the signing time.
    let list = dir.join("cancelled.pem");
    let created = eseal(&[
        "revocation",
        "create",
        "--key",
        &key_path("SealBuilder.key.pem"),
        "--cert",
        &key_path("SealBuilder.cert.pem"),
        "--issuer-name",
        "统一印章系统",
        "--revoke",
        "51f044b76510434e9bc67a1185c2fba5@2021-05-01",
        "--out",
        list.to_str().unwrap(),
    ]);
    assert_eq!(created.status.code(), Some(0), "{created:?}");
    let cancelled = verify(&["--trust", &root, "--revoked", list.to_str().unwrap()]);
    assert_eq!(cancelled.status.code(), Some(1), "{}", stdout(&cancelled));
    assert_eq!(check_status(&json(&cancelled), "seal.revocation"), "failed");

    // Usage errors exit 2.
    let missing_trust = verify(&["--crl", crl_path.to_str().unwrap()]);
    assert_eq!(missing_trust.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing_trust.stderr).contains("--trust"));
    let missing_dir = verify(&["--trust", "/nonexistent/roots"]);
    assert_eq!(missing_dir.status.code(), Some(2));
    let not_a_root = verify(&["--trust", &key_path("sign_cert.pem")]);
    assert_eq!(not_a_root.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&not_a_root.stderr).contains("no root certificate"));
}

#[test]
fn signing_refusal_in_chinese() {
    let dir = scratch("cli-refusal-zh");
    let data = dir.join("document.txt");
    std::fs::write(&data, "document").unwrap();
    let out = dir.join("refused.sig");
    let refused = eseal_with_lang(
        &[
            "sign",
            "--seal",
            &vector("seals/UserV4.esl"),
            "--key",
            &vector("keys/USER.key.pem"),
            "--cert",
            &vector("keys/USER.cert.pem"),
            "--data",
            data.to_str().unwrap(),
            "--time",
            "2025-01-01",
            "--out",
            out.to_str().unwrap(),
        ],
        "zh_CN.UTF-8",
    );
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert_eq!(refused.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("拒绝签章"), "{stderr}");
    assert!(stderr.contains("不在印章有效期"), "{stderr}");
    assert!(!stderr.contains("outside"), "{stderr}");
    assert!(!out.exists());
}

#[test]
fn damaged_ofd_file_is_named_as_ofd() {
    let dir = scratch("cli-damaged-ofd");
    let empty = dir.join("empty.ofd");
    std::fs::write(&empty, b"").unwrap();
    let text = dir.join("text.OFD");
    std::fs::write(&text, b"hello").unwrap();
    for path in [&empty, &text] {
        let output = eseal(&["verify", path.to_str().unwrap()]);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains("not an OFD package"), "{stderr}");
    }
}
