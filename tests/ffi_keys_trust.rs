//! The C ABI functions for password-protected keys, signing with a time stamp callback, trust
//! from memory, and the result codes of CRLs and seal revocation lists, called from Rust as a
//! C program would call them. Time stamps are added to signatures made with a private key,
//! with an external signer callback and with a streaming signer.

mod common;

use std::ffi::{CStr, c_char, c_void};
use std::ptr;
use std::sync::Arc;

use eseal::cert::CertificateBuilder;
use eseal::ffi::*;
use eseal::report::CheckStatus;
use eseal::timestamp::TimeStampAuthority;
use eseal::trust::{TrustPolicy, TrustStore};
use eseal::{Certificate, PrivateKey, Signature, SignedData, VerifyOptions, verify_signature};

/// 2021-06-01T00:00:00Z, inside the validity of the vector seals and certificates.
const SIGNING_TIME: i64 = 1_622_505_600;

fn encrypted_key(name: &str) -> Vec<u8> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/vectors/encrypted-keys")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

// The boundary module that defines it is private, so the test declares it as C code does.
unsafe extern "C" {
    fn eseal_last_error_message() -> *const c_char;
}

fn last_error() -> String {
    // SAFETY: the function takes no arguments and returns a NUL-terminated string owned by
    // the library.
    unsafe { CStr::from_ptr(eseal_last_error_message()) }
        .to_string_lossy()
        .into_owned()
}

fn key_with_password(data: &[u8], password: &[u8]) -> Result<*mut eseal_private_key, eseal_result> {
    let mut key = ptr::null_mut();
    // SAFETY: the buffers live for the call and `key` is writable.
    let result = unsafe {
        eseal_private_key_from_bytes_with_password(
            data.as_ptr(),
            data.len(),
            password.as_ptr(),
            password.len(),
            &mut key,
        )
    };
    if result == eseal_result::Ok {
        Ok(key)
    } else {
        assert!(key.is_null(), "an output was written on failure");
        Err(result)
    }
}

fn open_pkcs12(
    data: &[u8],
    password: &[u8],
) -> Result<(*mut eseal_private_key, *mut eseal_certificate), eseal_result> {
    let (mut key, mut cert) = (ptr::null_mut(), ptr::null_mut());
    // SAFETY: the buffers live for the call and both outputs are writable.
    let result = unsafe {
        eseal_pkcs12_open(
            data.as_ptr(),
            data.len(),
            password.as_ptr(),
            password.len(),
            &mut key,
            &mut cert,
        )
    };
    if result == eseal_result::Ok {
        Ok((key, cert))
    } else {
        assert!(key.is_null(), "a key was output on failure");
        assert!(cert.is_null(), "a certificate was output on failure");
        Err(result)
    }
}

fn seal(name: &str) -> *mut eseal_seal {
    let der = common::read(&format!("seals/{name}"));
    let mut seal = ptr::null_mut();
    // SAFETY: the buffer lives for the call and `seal` is writable.
    let result = unsafe { eseal_seal_from_der(der.as_ptr(), der.len(), &mut seal) };
    assert_eq!(result, eseal_result::Ok, "{}", last_error());
    seal
}

fn certificate(bytes: &[u8]) -> *mut eseal_certificate {
    let mut cert = ptr::null_mut();
    // SAFETY: the buffer lives for the call and `cert` is writable.
    let result = unsafe { eseal_certificate_from_bytes(bytes.as_ptr(), bytes.len(), &mut cert) };
    assert_eq!(result, eseal_result::Ok, "{}", last_error());
    cert
}

fn certificate_der(cert: *const eseal_certificate) -> Vec<u8> {
    let (mut der, mut len) = (ptr::null(), 0usize);
    // SAFETY: `cert` is live and both outputs are writable.
    let result = unsafe { eseal_certificate_der(cert, &mut der, &mut len) };
    assert_eq!(result, eseal_result::Ok);
    // SAFETY: the library returned `len` bytes at `der`, owned by the live certificate.
    unsafe { std::slice::from_raw_parts(der, len) }.to_vec()
}

fn signature_der(signature: *const eseal_signature) -> Vec<u8> {
    let (mut der, mut len) = (ptr::null(), 0usize);
    // SAFETY: `signature` is live and both outputs are writable.
    let result = unsafe { eseal_signature_der(signature, &mut der, &mut len) };
    assert_eq!(result, eseal_result::Ok);
    // SAFETY: the library returned `len` bytes at `der`, owned by the live signature.
    unsafe { std::slice::from_raw_parts(der, len) }.to_vec()
}

/// Signs `data` with the key through `eseal_sign` and returns the report's validity of
/// `eseal_signature_verify`.
fn sign_and_verify(
    seal: *const eseal_seal,
    key: *const eseal_private_key,
    cert: *const eseal_certificate,
    data: &[u8],
) -> bool {
    let mut signature = ptr::null_mut();
    // SAFETY: live handles, a buffer that lives for the call and a writable output.
    let result = unsafe {
        eseal_sign(
            seal,
            key,
            cert,
            SIGNING_TIME,
            ptr::null(),
            data.as_ptr(),
            data.len(),
            &mut signature,
        )
    };
    assert_eq!(result, eseal_result::Ok, "{}", last_error());
    let mut report = ptr::null_mut();
    let mut valid = false;
    // SAFETY: live handles and writable outputs; everything made here is freed once.
    unsafe {
        assert_eq!(
            eseal_signature_verify(signature, data.as_ptr(), data.len(), &mut report),
            eseal_result::Ok
        );
        assert_eq!(eseal_report_valid(report, &mut valid), eseal_result::Ok);
        eseal_report_free(report);
        eseal_signature_free(signature);
    }
    valid
}

#[test]
fn pkcs12_key_and_certificate_sign() {
    let p12 = common::read("keys/USER.p12");
    let (key, cert) = open_pkcs12(&p12, b"777777").unwrap();
    assert!(!cert.is_null());
    let expected = Certificate::from_pem(&common::read("keys/USER.cert.pem")).unwrap();
    assert_eq!(certificate_der(cert), expected.as_der());
    let seal = seal("UserV4.esl");
    assert!(sign_and_verify(
        seal,
        key,
        cert,
        b"signed with a key from USER.p12"
    ));
    // SAFETY: each handle is freed once.
    unsafe {
        eseal_seal_free(seal);
        eseal_certificate_free(cert);
        eseal_private_key_free(key);
    }
}

#[test]
fn pkcs12_certificate_output_optional() {
    let p12 = common::read("keys/USER.p12");
    let mut key = ptr::null_mut();
    // SAFETY: the buffers live for the call; `cert_out` may be NULL.
    let result = unsafe {
        eseal_pkcs12_open(
            p12.as_ptr(),
            p12.len(),
            b"777777".as_ptr(),
            6,
            &mut key,
            ptr::null_mut(),
        )
    };
    assert_eq!(result, eseal_result::Ok);
    // SAFETY: freed once.
    unsafe { eseal_private_key_free(key) };
}

#[test]
fn pkcs12_wrong_password() {
    let p12 = common::read("keys/USER.p12");
    assert_eq!(
        open_pkcs12(&p12, b"123456").unwrap_err(),
        eseal_result::WrongPassword
    );
    let message = last_error();
    assert!(message.contains("wrong password"), "{message}");
    assert!(
        !message.contains("123456"),
        "the password leaked: {message}"
    );
    assert_eq!(
        key_with_password(&p12, b"").unwrap_err(),
        eseal_result::WrongPassword
    );
}

#[test]
fn pkcs12_truncated_is_key_invalid() {
    let p12 = common::read("keys/USER.p12");
    let truncated = &p12[..p12.len() / 2];
    assert_eq!(
        open_pkcs12(truncated, b"777777").unwrap_err(),
        eseal_result::KeyInvalid
    );
    assert_eq!(
        key_with_password(truncated, b"777777").unwrap_err(),
        eseal_result::KeyInvalid
    );
}

#[test]
fn pkcs12_null_arguments() {
    let p12 = common::read("keys/USER.p12");
    let mut key = ptr::null_mut();
    // SAFETY: NULL pointers with non-zero lengths are rejected before any read.
    unsafe {
        assert_eq!(
            eseal_pkcs12_open(ptr::null(), 10, ptr::null(), 0, &mut key, ptr::null_mut()),
            eseal_result::NullArgument
        );
        assert_eq!(
            eseal_pkcs12_open(
                p12.as_ptr(),
                p12.len(),
                ptr::null(),
                6,
                &mut key,
                ptr::null_mut()
            ),
            eseal_result::NullArgument
        );
        assert_eq!(
            eseal_pkcs12_open(
                p12.as_ptr(),
                p12.len(),
                b"777777".as_ptr(),
                6,
                ptr::null_mut(),
                ptr::null_mut()
            ),
            eseal_result::NullArgument
        );
    }
    assert!(key.is_null());
}

#[test]
fn encrypted_pkcs8_pem_and_der() {
    for (name, public) in [
        ("openssl-aes256-sha256.pem", "openssl-public.pem"),
        ("openssl-aes128-sha256.der", "openssl-public.pem"),
        ("gmssl-sm4-sm3.pem", "gmssl-public.pem"),
    ] {
        let expected = eseal::crypto::PublicKey::from_pem(&encrypted_key(public)).unwrap();
        let key = key_with_password(&encrypted_key(name), b"eseal-test")
            .unwrap_or_else(|code| panic!("{name}: {code:?} {}", last_error()));
        let mut signature = [0u8; 64];
        let digest = [7u8; 32];
        // SAFETY: `key` is live, 32 readable and 64 writable bytes.
        let result =
            unsafe { eseal_private_key_sign_digest(key, digest.as_ptr(), signature.as_mut_ptr()) };
        assert_eq!(result, eseal_result::Ok);
        let mut value = eseal::crypto::SignatureValue {
            r: [0; 32],
            s: [0; 32],
        };
        value.r.copy_from_slice(&signature[..32]);
        value.s.copy_from_slice(&signature[32..]);
        assert!(expected.verify_digest(&digest, &value), "{name}");
        // SAFETY: freed once.
        unsafe { eseal_private_key_free(key) };
    }
}

#[test]
fn encrypted_pkcs8_wrong_password() {
    let pem = encrypted_key("openssl-aes256-sha256.pem");
    assert_eq!(
        key_with_password(&pem, b"not-the-password").unwrap_err(),
        eseal_result::WrongPassword
    );
    assert!(!last_error().contains("not-the-password"));
    // The function without a password rejects the encrypted key as KEY_INVALID.
    let mut key = ptr::null_mut();
    // SAFETY: the buffer lives for the call.
    let result = unsafe { eseal_private_key_from_bytes(pem.as_ptr(), pem.len(), &mut key) };
    assert_eq!(result, eseal_result::KeyInvalid);
}

#[test]
fn encrypted_pkcs8_truncated() {
    let der = encrypted_key("openssl-aes128-sha256.der");
    assert_eq!(
        key_with_password(&der[..der.len() - 20], b"eseal-test").unwrap_err(),
        eseal_result::KeyInvalid
    );
}

#[test]
fn unencrypted_key_ignores_password() {
    let pem = common::read("keys/USER.key.pem");
    let key = key_with_password(&pem, b"unused").unwrap();
    // SAFETY: freed once.
    unsafe { eseal_private_key_free(key) };
}

/// A test time stamp authority under its own root, and what the callback should return.
struct Stamping {
    root: Certificate,
    cert: Certificate,
    key: PrivateKey,
    mode: Mode,
    calls: usize,
}

#[derive(Clone, Copy)]
enum Mode {
    Valid,
    OverOtherBytes,
    Garbage,
    Fails,
    TooLong,
}

impl Stamping {
    fn new(mode: Mode) -> Self {
        let t = common::time;
        let root_key = PrivateKey::generate().unwrap();
        let root =
            CertificateBuilder::new("CN=ABI TSA Root,C=CN", 1, t("2020-01-01"), t("2030-01-01"))
                .ca(true)
                .sign(root_key.public_key(), None, Some(&root_key))
                .unwrap();
        let key = PrivateKey::generate().unwrap();
        let cert = CertificateBuilder::new("CN=ABI TSA,C=CN", 2, t("2020-01-01"), t("2030-01-01"))
            .sign(key.public_key(), Some((&root, &root_key)), None)
            .unwrap();
        Self {
            root,
            cert,
            key,
            mode,
            calls: 0,
        }
    }
}

unsafe extern "C" fn stamp_callback(
    context: *mut c_void,
    data: *const u8,
    len: usize,
    token_out: *mut u8,
    token_capacity: usize,
    token_len_out: *mut usize,
) -> u32 {
    // SAFETY: the tests pass a live `Stamping` as the context.
    let stamping = unsafe { &mut *context.cast::<Stamping>() };
    stamping.calls += 1;
    // SAFETY: eseal passes `len` readable bytes.
    let value = unsafe { std::slice::from_raw_parts(data, len) };
    let authority = TimeStampAuthority::new(&stamping.cert, &stamping.key);
    let gen_time = common::time("2021-06-01T00:05:00Z");
    let token = match stamping.mode {
        Mode::Valid => authority.stamp(value, gen_time, 1).unwrap(),
        Mode::OverOtherBytes => authority.stamp(b"other bytes", gen_time, 2).unwrap(),
        Mode::Garbage => b"not a time stamp token".to_vec(),
        Mode::Fails => return 42,
        Mode::TooLong => {
            // SAFETY: eseal passes a writable length.
            unsafe { *token_len_out = token_capacity + 1 };
            return 0;
        }
    };
    assert!(token.len() <= token_capacity);
    // SAFETY: eseal passes `token_capacity` writable bytes and a writable length.
    unsafe {
        ptr::copy_nonoverlapping(token.as_ptr(), token_out, token.len());
        *token_len_out = token.len();
    }
    0
}

fn sign_with_time_stamp(
    seal_name: &str,
    stamping: &mut Stamping,
) -> Result<*mut eseal_signature, eseal_result> {
    let seal = seal(seal_name);
    let key = key_with_password(&common::read("keys/USER.key.pem"), b"").unwrap();
    let cert = certificate(&common::read("keys/USER.cert.pem"));
    let data = b"document";
    let mut signature = ptr::null_mut();
    // SAFETY: live handles, buffers that live for the call, a callback that keeps its
    // contract and a context that outlives the call.
    let result = unsafe {
        eseal_sign_with_time_stamp(
            seal,
            key,
            cert,
            SIGNING_TIME,
            ptr::null(),
            data.as_ptr(),
            data.len(),
            Some(stamp_callback),
            (stamping as *mut Stamping).cast(),
            &mut signature,
        )
    };
    // SAFETY: each handle is freed once.
    unsafe {
        eseal_seal_free(seal);
        eseal_private_key_free(key);
        eseal_certificate_free(cert);
    }
    if result == eseal_result::Ok {
        Ok(signature)
    } else {
        assert!(signature.is_null(), "a signature was output on failure");
        Err(result)
    }
}

fn options_with_roots(roots: &[&Certificate]) -> VerifyOptions {
    let mut store = TrustStore::new();
    store
        .add_pem_or_der(&common::read("keys/ROOT.cert.pem"))
        .unwrap();
    for root in roots {
        store.add_anchor((*root).clone());
    }
    VerifyOptions {
        trust: Some(Arc::new(TrustPolicy {
            store,
            ..TrustPolicy::default()
        })),
        ..VerifyOptions::default()
    }
}

#[test]
fn time_stamp_callback_token_verifies() {
    let mut stamping = Stamping::new(Mode::Valid);
    let signature = sign_with_time_stamp("UserV4.esl", &mut stamping).unwrap();
    assert_eq!(stamping.calls, 1);
    let decoded = Signature::from_der(&signature_der(signature)).unwrap();
    assert!(decoded.time_stamp.is_some());
    let report = verify_signature(
        &decoded,
        SignedData::Bytes(b"document"),
        &options_with_roots(&[&stamping.root]),
    );
    let check = report.check("signature.time_stamp").unwrap();
    assert_eq!(check.status, CheckStatus::Passed, "{}", check.message);
    assert_eq!(report.signing_time, common::time("2021-06-01T00:05:00Z"));
    assert!(report.valid, "{:#?}", report.checks);

    // Without the authority's root the token is not trusted.
    let untrusted = verify_signature(
        &decoded,
        SignedData::Bytes(b"document"),
        &options_with_roots(&[]),
    );
    assert_eq!(
        untrusted.check("signature.time_stamp").unwrap().status,
        CheckStatus::Failed
    );
    assert!(!untrusted.valid);
    // SAFETY: freed once.
    unsafe { eseal_signature_free(signature) };
}

#[test]
fn time_stamp_over_other_bytes_rejected() {
    let mut stamping = Stamping::new(Mode::OverOtherBytes);
    let result = sign_with_time_stamp("UserV4.esl", &mut stamping);
    assert_eq!(result.unwrap_err(), eseal_result::TimeStampInvalid);
    assert!(last_error().contains("messageImprint"), "{}", last_error());
}

#[test]
fn time_stamp_garbage_rejected() {
    let mut stamping = Stamping::new(Mode::Garbage);
    let result = sign_with_time_stamp("UserV4.esl", &mut stamping);
    assert_eq!(result.unwrap_err(), eseal_result::TimeStampInvalid);
}

#[test]
fn time_stamp_callback_failure() {
    let mut stamping = Stamping::new(Mode::Fails);
    let result = sign_with_time_stamp("UserV4.esl", &mut stamping);
    assert_eq!(result.unwrap_err(), eseal_result::TimeStampFailed);
    assert!(last_error().contains("returned 42"), "{}", last_error());
}

#[test]
fn time_stamp_length_over_capacity() {
    let mut stamping = Stamping::new(Mode::TooLong);
    let result = sign_with_time_stamp("UserV4.esl", &mut stamping);
    assert_eq!(result.unwrap_err(), eseal_result::TimeStampFailed);
    assert!(
        last_error().contains("65537-byte token"),
        "{}",
        last_error()
    );
}

#[test]
fn time_stamp_v1_seal_refused() {
    let mut stamping = Stamping::new(Mode::Valid);
    let result = sign_with_time_stamp("UserV1.esl", &mut stamping);
    assert_eq!(result.unwrap_err(), eseal_result::EncodeFailed);
}

/// Makes a streaming signer for `seal_name` that has been given "document" in two chunks.
fn streaming_signer(seal_name: &str) -> *mut eseal_signer {
    let seal = seal(seal_name);
    let cert = certificate(&common::read("keys/USER.cert.pem"));
    let mut signer = ptr::null_mut();
    // SAFETY: live handles and a writable output.
    let result = unsafe { eseal_signer_new(seal, cert, SIGNING_TIME, ptr::null(), &mut signer) };
    assert_eq!(result, eseal_result::Ok, "{}", last_error());
    for chunk in [&b"docu"[..], &b"ment"[..]] {
        // SAFETY: a live signer and a buffer that lives for the call.
        let result = unsafe { eseal_signer_update(signer, chunk.as_ptr(), chunk.len()) };
        assert_eq!(result, eseal_result::Ok, "{}", last_error());
    }
    // SAFETY: the signer copied the seal and certificate, so each handle is freed once here.
    unsafe {
        eseal_seal_free(seal);
        eseal_certificate_free(cert);
    }
    signer
}

/// Signs "document" with a streaming signer and the token from `stamping`, and checks that
/// nothing is output on failure.
fn sign_streaming_with_time_stamp(
    seal_name: &str,
    stamping: &mut Stamping,
) -> Result<*mut eseal_signature, eseal_result> {
    let signer = streaming_signer(seal_name);
    let key = key_with_password(&common::read("keys/USER.key.pem"), b"").unwrap();
    // SAFETY: a live signer, a callback that keeps its contract and a context that outlives
    // the finish call below.
    let result = unsafe {
        eseal_signer_set_time_stamp_callback(
            signer,
            Some(stamp_callback),
            (stamping as *mut Stamping).cast(),
        )
    };
    assert_eq!(result, eseal_result::Ok, "{}", last_error());
    let mut signature = ptr::null_mut();
    // SAFETY: live handles and a writable output.
    let result = unsafe { eseal_signer_finish(signer, key, &mut signature) };
    // SAFETY: each handle is freed once.
    unsafe {
        eseal_signer_free(signer);
        eseal_private_key_free(key);
    }
    if result == eseal_result::Ok {
        Ok(signature)
    } else {
        assert!(signature.is_null(), "a signature was output on failure");
        Err(result)
    }
}

#[test]
fn streaming_time_stamp_verifies() {
    let mut stamping = Stamping::new(Mode::Valid);
    let signature = sign_streaming_with_time_stamp("UserV4.esl", &mut stamping).unwrap();
    assert_eq!(stamping.calls, 1);
    let decoded = Signature::from_der(&signature_der(signature)).unwrap();
    assert!(decoded.time_stamp.is_some());
    let report = verify_signature(
        &decoded,
        SignedData::Bytes(b"document"),
        &options_with_roots(&[&stamping.root]),
    );
    let check = report.check("signature.time_stamp").unwrap();
    assert_eq!(check.status, CheckStatus::Passed, "{}", check.message);
    assert_eq!(report.signing_time, common::time("2021-06-01T00:05:00Z"));
    assert!(report.valid, "{:#?}", report.checks);

    // The signature covers the streamed bytes and nothing else.
    let other = verify_signature(
        &decoded,
        SignedData::Bytes(b"documen"),
        &options_with_roots(&[&stamping.root]),
    );
    assert!(!other.valid);

    // Without the authority's root the token is not trusted.
    let untrusted = verify_signature(
        &decoded,
        SignedData::Bytes(b"document"),
        &options_with_roots(&[]),
    );
    assert_eq!(
        untrusted.check("signature.time_stamp").unwrap().status,
        CheckStatus::Failed
    );
    assert!(!untrusted.valid);
    // SAFETY: freed once.
    unsafe { eseal_signature_free(signature) };
}

#[test]
fn streaming_time_stamp_failures() {
    let cases = [
        (Mode::Fails, eseal_result::TimeStampFailed, "returned 42"),
        (
            Mode::TooLong,
            eseal_result::TimeStampFailed,
            "65537-byte token",
        ),
        (
            Mode::OverOtherBytes,
            eseal_result::TimeStampInvalid,
            "messageImprint",
        ),
        (Mode::Garbage, eseal_result::TimeStampInvalid, "invalid"),
    ];
    for (mode, expected, message) in cases {
        let mut stamping = Stamping::new(mode);
        let result = sign_streaming_with_time_stamp("UserV4.esl", &mut stamping);
        assert_eq!(result.unwrap_err(), expected, "{message}");
        assert_eq!(stamping.calls, 1, "{message}");
        assert!(last_error().contains(message), "{}", last_error());
    }
}

#[test]
fn streaming_time_stamp_v1_seal() {
    let mut stamping = Stamping::new(Mode::Valid);
    let result = sign_streaming_with_time_stamp("UserV1.esl", &mut stamping);
    assert_eq!(result.unwrap_err(), eseal_result::EncodeFailed);
    assert!(last_error().contains("timeStamp"), "{}", last_error());
    assert_eq!(stamping.calls, 0, "the callback was called for a V1 seal");
}

#[test]
fn streaming_time_stamp_null_arguments() {
    let mut stamping = Stamping::new(Mode::Valid);
    let context: *mut c_void = (&mut stamping as *mut Stamping).cast();
    // SAFETY: NULL handles are rejected before any use.
    let result = unsafe {
        eseal_signer_set_time_stamp_callback(ptr::null_mut(), Some(stamp_callback), context)
    };
    assert_eq!(result, eseal_result::NullArgument);

    let signer = streaming_signer("UserV4.esl");
    // SAFETY: a live signer; a NULL callback is rejected.
    let result = unsafe { eseal_signer_set_time_stamp_callback(signer, None, context) };
    assert_eq!(result, eseal_result::NullArgument);

    // The rejected call set no callback, so the signature has no time stamp.
    let key = key_with_password(&common::read("keys/USER.key.pem"), b"").unwrap();
    let mut signature = ptr::null_mut();
    // SAFETY: live handles and a writable output.
    let result = unsafe { eseal_signer_finish(signer, key, &mut signature) };
    assert_eq!(result, eseal_result::Ok, "{}", last_error());
    let decoded = Signature::from_der(&signature_der(signature)).unwrap();
    assert!(decoded.time_stamp.is_none());
    assert_eq!(stamping.calls, 0);
    // SAFETY: each handle is freed once.
    unsafe {
        eseal_signature_free(signature);
        eseal_signer_free(signer);
        eseal_private_key_free(key);
    }
}

#[test]
fn streaming_time_stamp_after_finish() {
    let mut stamping = Stamping::new(Mode::Valid);
    let signer = streaming_signer("UserV4.esl");
    let key = key_with_password(&common::read("keys/USER.key.pem"), b"").unwrap();
    let mut signature = ptr::null_mut();
    // SAFETY: live handles and a writable output.
    let result = unsafe { eseal_signer_finish(signer, key, &mut signature) };
    assert_eq!(result, eseal_result::Ok, "{}", last_error());
    // SAFETY: a live signer that has finished, and a context that outlives the call.
    let result = unsafe {
        eseal_signer_set_time_stamp_callback(
            signer,
            Some(stamp_callback),
            (&mut stamping as *mut Stamping).cast(),
        )
    };
    assert_eq!(result, eseal_result::InvalidArgument);
    assert_eq!(stamping.calls, 0);
    // SAFETY: each handle is freed once.
    unsafe {
        eseal_signature_free(signature);
        eseal_signer_free(signer);
        eseal_private_key_free(key);
    }
}

/// An external signer (a USB key, say) backed by a software key, and what it should return.
struct Device {
    key: *mut eseal_private_key,
    mode: DeviceMode,
    calls: usize,
}

#[derive(Clone, Copy)]
enum DeviceMode {
    Signs,
    WrongSignature,
    Fails,
}

impl Device {
    fn new(mode: DeviceMode) -> Self {
        let key = key_with_password(&common::read("keys/USER.key.pem"), b"").unwrap();
        Self {
            key,
            mode,
            calls: 0,
        }
    }
}

impl Drop for Device {
    fn drop(&mut self) {
        // SAFETY: the key was made by `Device::new` and is freed once.
        unsafe { eseal_private_key_free(self.key) };
    }
}

unsafe extern "C" fn device_callback(
    context: *mut c_void,
    digest: *const u8,
    signature_out: *mut u8,
) -> u32 {
    // SAFETY: the tests pass a live `Device` as the context.
    let device = unsafe { &mut *context.cast::<Device>() };
    device.calls += 1;
    match device.mode {
        // SAFETY: eseal passes 32 readable bytes and 64 writable bytes.
        DeviceMode::Signs => unsafe {
            eseal_private_key_sign_digest(device.key, digest, signature_out) as u32
        },
        DeviceMode::WrongSignature => {
            // SAFETY: eseal passes 64 writable bytes.
            unsafe { ptr::write_bytes(signature_out, 0x42, 64) };
            0
        }
        DeviceMode::Fails => 7,
    }
}

/// Signs with `eseal_sign_with_callback_and_time_stamp`, the signature from `device` and the
/// token from `stamping`, and checks that nothing is output on failure.
fn sign_with_device_and_time_stamp(
    seal_name: &str,
    device: &mut Device,
    stamping: &mut Stamping,
) -> Result<*mut eseal_signature, eseal_result> {
    let seal = seal(seal_name);
    let cert = certificate(&common::read("keys/USER.cert.pem"));
    let data = b"document";
    let mut signature = ptr::null_mut();
    // SAFETY: live handles, buffers that live for the call, callbacks that keep their
    // contracts and contexts that outlive the call.
    let result = unsafe {
        eseal_sign_with_callback_and_time_stamp(
            seal,
            cert,
            SIGNING_TIME,
            c"/Doc_0/Signs/Sign_0/Signature.xml".as_ptr(),
            data.as_ptr(),
            data.len(),
            Some(device_callback),
            (device as *mut Device).cast(),
            Some(stamp_callback),
            (stamping as *mut Stamping).cast(),
            &mut signature,
        )
    };
    // SAFETY: each handle is freed once.
    unsafe {
        eseal_seal_free(seal);
        eseal_certificate_free(cert);
    }
    if result == eseal_result::Ok {
        Ok(signature)
    } else {
        assert!(signature.is_null(), "a signature was output on failure");
        Err(result)
    }
}

#[test]
fn device_time_stamp_verifies() {
    let mut device = Device::new(DeviceMode::Signs);
    let mut stamping = Stamping::new(Mode::Valid);
    let signature = sign_with_device_and_time_stamp("UserV4.esl", &mut device, &mut stamping)
        .unwrap_or_else(|code| panic!("{code:?}: {}", last_error()));
    assert_eq!(device.calls, 1);
    assert_eq!(stamping.calls, 1);

    let decoded = Signature::from_der(&signature_der(signature)).unwrap();
    assert!(decoded.time_stamp.is_some());
    assert_eq!(
        decoded.tbs.property_info,
        "/Doc_0/Signs/Sign_0/Signature.xml"
    );
    let report = verify_signature(
        &decoded,
        SignedData::Bytes(b"document"),
        &options_with_roots(&[&stamping.root]),
    );
    let signer_check = report.check("signature.signer_signature").unwrap();
    assert_eq!(signer_check.status, CheckStatus::Passed);
    let time_stamp_check = report.check("signature.time_stamp").unwrap();
    assert_eq!(
        time_stamp_check.status,
        CheckStatus::Passed,
        "{}",
        time_stamp_check.message
    );
    assert_eq!(report.signing_time, common::time("2021-06-01T00:05:00Z"));
    assert!(report.valid, "{:#?}", report.checks);

    // Other data does not verify.
    let other = verify_signature(
        &decoded,
        SignedData::Bytes(b"other document"),
        &options_with_roots(&[&stamping.root]),
    );
    assert!(!other.valid);
    // SAFETY: freed once.
    unsafe { eseal_signature_free(signature) };
}

#[test]
fn device_failures_skip_time_stamp() {
    let cases = [
        (DeviceMode::WrongSignature, eseal_result::SignatureInvalid),
        (DeviceMode::Fails, eseal_result::SignerFailed),
    ];
    for (mode, expected) in cases {
        let mut device = Device::new(mode);
        let mut stamping = Stamping::new(Mode::Valid);
        let result = sign_with_device_and_time_stamp("UserV4.esl", &mut device, &mut stamping);
        assert_eq!(result.unwrap_err(), expected, "{}", last_error());
        assert_eq!(device.calls, 1);
        assert_eq!(stamping.calls, 0, "the time stamp callback was called");
    }
}

#[test]
fn device_time_stamp_failures() {
    let cases = [
        (Mode::Fails, eseal_result::TimeStampFailed, "returned 42"),
        (
            Mode::TooLong,
            eseal_result::TimeStampFailed,
            "65537-byte token",
        ),
        (
            Mode::OverOtherBytes,
            eseal_result::TimeStampInvalid,
            "messageImprint",
        ),
        (Mode::Garbage, eseal_result::TimeStampInvalid, "invalid"),
    ];
    for (mode, expected, message) in cases {
        let mut device = Device::new(DeviceMode::Signs);
        let mut stamping = Stamping::new(mode);
        let result = sign_with_device_and_time_stamp("UserV4.esl", &mut device, &mut stamping);
        assert_eq!(result.unwrap_err(), expected, "{}", last_error());
        assert!(last_error().contains(message), "{}", last_error());
        assert_eq!(device.calls, 1);
        assert_eq!(stamping.calls, 1);
    }
}

#[test]
fn device_time_stamp_v1_seal() {
    let mut device = Device::new(DeviceMode::Signs);
    let mut stamping = Stamping::new(Mode::Valid);
    let result = sign_with_device_and_time_stamp("UserV1.esl", &mut device, &mut stamping);
    assert_eq!(result.unwrap_err(), eseal_result::EncodeFailed);
    assert!(last_error().contains("timeStamp"), "{}", last_error());
    assert_eq!(device.calls, 0, "the signer was called");
    assert_eq!(stamping.calls, 0, "the time stamp callback was called");
}

#[test]
fn device_time_stamp_null_arguments() {
    let seal = seal("UserV4.esl");
    let cert = certificate(&common::read("keys/USER.cert.pem"));
    let mut device = Device::new(DeviceMode::Signs);
    let mut stamping = Stamping::new(Mode::Valid);
    let device_context: *mut c_void = (&mut device as *mut Device).cast();
    let stamping_context: *mut c_void = (&mut stamping as *mut Stamping).cast();
    let data = b"document";

    type Callbacks = (eseal_sign_callback, eseal_time_stamp_callback);
    let cases: [(&str, *const eseal_seal, *const eseal_certificate, Callbacks); 4] = [
        ("sign_callback", seal, cert, (None, Some(stamp_callback))),
        (
            "time_stamp_callback",
            seal,
            cert,
            (Some(device_callback), None),
        ),
        (
            "seal",
            ptr::null(),
            cert,
            (Some(device_callback), Some(stamp_callback)),
        ),
        (
            "cert",
            seal,
            ptr::null(),
            (Some(device_callback), Some(stamp_callback)),
        ),
    ];
    for (name, seal, cert, (sign_callback, time_stamp_callback)) in cases {
        let mut signature = ptr::null_mut();
        // SAFETY: live handles or NULL, buffers that live for the call and live contexts.
        let result = unsafe {
            eseal_sign_with_callback_and_time_stamp(
                seal,
                cert,
                SIGNING_TIME,
                ptr::null(),
                data.as_ptr(),
                data.len(),
                sign_callback,
                device_context,
                time_stamp_callback,
                stamping_context,
                &mut signature,
            )
        };
        assert_eq!(result, eseal_result::NullArgument, "NULL {name}");
        assert!(signature.is_null(), "NULL {name}: a signature was output");
    }

    // SAFETY: live handles, live contexts and a NULL output.
    let result = unsafe {
        eseal_sign_with_callback_and_time_stamp(
            seal,
            cert,
            SIGNING_TIME,
            ptr::null(),
            data.as_ptr(),
            data.len(),
            Some(device_callback),
            device_context,
            Some(stamp_callback),
            stamping_context,
            ptr::null_mut(),
        )
    };
    assert_eq!(result, eseal_result::NullArgument, "NULL signature_out");
    assert_eq!(device.calls, 0);
    assert_eq!(stamping.calls, 0);

    // SAFETY: each handle is freed once.
    unsafe {
        eseal_seal_free(seal);
        eseal_certificate_free(cert);
    }
}

fn trust_with_root() -> *mut eseal_trust {
    let mut trust = ptr::null_mut();
    let root = common::read("keys/ROOT.cert.pem");
    let mut count = 0usize;
    // SAFETY: writable outputs and a buffer that lives for the call.
    unsafe {
        assert_eq!(eseal_trust_new(&mut trust), eseal_result::Ok);
        assert_eq!(
            eseal_trust_add_certificates_with_count(trust, root.as_ptr(), root.len(), &mut count),
            eseal_result::Ok
        );
    }
    assert_eq!(count, 1);
    trust
}

#[test]
fn trust_certificate_count() {
    let trust = trust_with_root();
    let both = [
        common::read("keys/USER.cert.pem"),
        common::read("keys/SealBuilder.cert.pem"),
    ]
    .concat();
    let mut count = 0usize;
    // SAFETY: a live policy, a buffer that lives for the call, a writable count.
    unsafe {
        assert_eq!(
            eseal_trust_add_certificates_with_count(trust, both.as_ptr(), both.len(), &mut count),
            eseal_result::Ok
        );
        assert_eq!(count, 2);
        let mut untouched = 99usize;
        assert_eq!(
            eseal_trust_add_certificates_with_count(trust, b"junk".as_ptr(), 4, &mut untouched),
            eseal_result::CertificateInvalid
        );
        assert_eq!(untouched, 99);
        eseal_trust_free(trust);
    }
}

#[test]
fn crl_and_revocation_list_codes() {
    let trust = trust_with_root();
    let junk = b"-----BEGIN X509 CRL-----\nAAAA\n-----END X509 CRL-----\n";
    let der_junk = [0x30u8, 0x03, 0x02, 0x01, 0x01];
    // SAFETY: a live policy and buffers that live for each call.
    unsafe {
        assert_eq!(
            eseal_trust_add_crl(trust, junk.as_ptr(), junk.len()),
            eseal_result::CrlInvalid
        );
        assert_eq!(
            eseal_trust_add_crl(trust, der_junk.as_ptr(), der_junk.len()),
            eseal_result::CrlInvalid
        );
        assert_eq!(
            eseal_trust_add_seal_revocation_list(trust, der_junk.as_ptr(), der_junk.len()),
            eseal_result::SealRevocationListInvalid
        );
        assert_eq!(
            eseal_trust_add_seal_revocation_list(trust, der_junk.as_ptr(), 2),
            eseal_result::SealRevocationListInvalid
        );
        eseal_trust_free(trust);
    }
}

#[test]
fn ofd_from_memory_with_trust() {
    let ofd = common::read("ofd/ofdrw-hello.ofd");
    let trust = trust_with_root();
    let (mut trusted, mut untrusted) = (ptr::null_mut(), ptr::null_mut());
    let (mut trusted_json, mut untrusted_json) = (ptr::null(), ptr::null());
    // SAFETY: a live policy, a buffer that lives for the calls, writable outputs.
    unsafe {
        assert_eq!(
            eseal_ofd_verify_with_trust(ofd.as_ptr(), ofd.len(), trust, &mut trusted),
            eseal_result::Ok
        );
        assert_eq!(
            eseal_ofd_verify_with_trust(ofd.as_ptr(), ofd.len(), ptr::null(), &mut untrusted),
            eseal_result::Ok
        );
        eseal_report_json(trusted, &mut trusted_json);
        eseal_report_json(untrusted, &mut untrusted_json);
        let trusted_text = CStr::from_ptr(trusted_json).to_string_lossy();
        let untrusted_text = CStr::from_ptr(untrusted_json).to_string_lossy();
        assert_eq!(
            check_status(&trusted_text, "signature.signer_certificate_chain"),
            "passed"
        );
        assert_eq!(
            check_status(&untrusted_text, "signature.signer_certificate_chain"),
            "not_checked"
        );
        let mut junk_report = ptr::null_mut();
        assert_eq!(
            eseal_ofd_verify_with_trust(b"PK".as_ptr(), 2, trust, &mut junk_report),
            eseal_result::OfdInvalid
        );
        assert!(junk_report.is_null());
        eseal_report_free(trusted);
        eseal_report_free(untrusted);
        eseal_trust_free(trust);
    }
}

#[test]
fn digest_verification_with_trust() {
    let folder = "signatures/ofdr-wtest-3c2f8c595f20";
    let der = common::read(&format!("{folder}/SignedValue.dat"));
    let xml = common::read(&format!("{folder}/Signature.xml"));
    let digest = eseal::crypto::sm3(&xml);
    let trust = trust_with_root();
    let (mut signature, mut report) = (ptr::null_mut(), ptr::null_mut());
    let mut valid = false;
    let mut json = ptr::null();
    // SAFETY: live handles, buffers that live for the calls, writable outputs.
    unsafe {
        assert_eq!(
            eseal_signature_from_der(der.as_ptr(), der.len(), &mut signature),
            eseal_result::Ok
        );
        assert_eq!(
            eseal_signature_verify_digest_with_trust(
                signature,
                digest.as_ptr(),
                trust,
                &mut report
            ),
            eseal_result::Ok
        );
        eseal_report_valid(report, &mut valid);
        eseal_report_json(report, &mut json);
        let text = CStr::from_ptr(json).to_string_lossy().into_owned();
        assert_eq!(
            check_status(&text, "signature.signer_certificate_chain"),
            "passed"
        );
        assert!(valid, "{text}");
        eseal_report_free(report);

        let wrong = [0u8; 32];
        assert_eq!(
            eseal_signature_verify_digest_with_trust(signature, wrong.as_ptr(), trust, &mut report),
            eseal_result::Ok
        );
        let mut wrong_valid = true;
        eseal_report_valid(report, &mut wrong_valid);
        assert!(!wrong_valid);
        eseal_report_free(report);
        eseal_signature_free(signature);
        eseal_trust_free(trust);
    }
}

/// Returns the status of the named check in a report's JSON, searched through every signature.
fn check_status(json: &str, name: &str) -> String {
    let value: serde_json::Value = serde_json::from_str(json).unwrap();
    let signatures = match value.get("signatures") {
        Some(list) => list.as_array().unwrap().clone(),
        None => vec![value.clone()],
    };
    for signature in signatures {
        for check in signature["checks"].as_array().unwrap() {
            if check["name"] == name {
                return check["status"].as_str().unwrap().to_owned();
            }
        }
    }
    panic!("no check {name} in {json}")
}

#[test]
fn new_result_messages() {
    for (code, expected) in [
        (303, "password"),
        (509, "time stamp callback failed"),
        (510, "time stamp token is invalid"),
        (600, "CRL is invalid"),
        (601, "seal revocation list is invalid"),
    ] {
        // SAFETY: eseal_result_message returns a static NUL-terminated string.
        let text = unsafe { CStr::from_ptr(eseal_result_message(code)) }.to_string_lossy();
        assert!(text.contains(expected), "{code}: {text}");
    }
}

/// The place of the seal in the OFD signing tests: page 1, 40 mm square.
const OFD_STAMP: eseal_stamp = eseal_stamp {
    page: 1,
    x: 100.0,
    y: 150.0,
    width: 40.0,
    height: 40.0,
    clipped: false,
    clip_x: 0.0,
    clip_y: 0.0,
    clip_width: 0.0,
    clip_height: 0.0,
};

/// Where an OFD signing test writes: `input` (a copy of ofdrw-hello.ofd) and `output` in a new
/// folder of its own, removed on drop.
struct OfdFiles {
    folder: std::path::PathBuf,
    input: std::ffi::CString,
    output: std::ffi::CString,
    output_path: std::path::PathBuf,
}

impl OfdFiles {
    fn new(name: &str) -> Self {
        let folder = std::env::temp_dir().join(format!("eseal-ffi-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&folder);
        std::fs::create_dir_all(&folder).unwrap();
        let input_path = folder.join("input.ofd");
        std::fs::write(&input_path, common::read("ofd/ofdrw-hello.ofd")).unwrap();
        let output_path = folder.join("signed.ofd");
        let c_path = |path: &std::path::Path| {
            std::ffi::CString::new(path.to_str().unwrap().to_owned()).unwrap()
        };
        Self {
            input: c_path(&input_path),
            output: c_path(&output_path),
            output_path,
            folder,
        }
    }

    /// Names of the files in the folder, sorted.
    fn names(&self) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(&self.folder)
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }
}

impl Drop for OfdFiles {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.folder);
    }
}

/// Signs ofdrw-hello.ofd in memory with `eseal_ofd_sign_with_time_stamp` and `callback`.
fn ofd_sign_with_time_stamp(
    seal_name: &str,
    stamping: &mut Stamping,
    callback: eseal_time_stamp_callback,
) -> Result<Vec<u8>, eseal_result> {
    let document = common::read("ofd/ofdrw-hello.ofd");
    let seal = seal(seal_name);
    let key = key_with_password(&common::read("keys/USER.key.pem"), b"").unwrap();
    let cert = certificate(&common::read("keys/USER.cert.pem"));

    let mut signed = ptr::null_mut();
    // SAFETY: live handles, buffers that live for the call, a callback that keeps its
    // contract and a context that outlives the call.
    let result = unsafe {
        eseal_ofd_sign_with_time_stamp(
            document.as_ptr(),
            document.len(),
            seal,
            key,
            cert,
            SIGNING_TIME,
            &OFD_STAMP,
            1,
            false,
            callback,
            (stamping as *mut Stamping).cast(),
            &mut signed,
        )
    };
    // SAFETY: each handle is freed once.
    unsafe {
        eseal_seal_free(seal);
        eseal_private_key_free(key);
        eseal_certificate_free(cert);
    }
    if result != eseal_result::Ok {
        assert!(signed.is_null(), "a buffer was output on failure");
        return Err(result);
    }

    let (mut data, mut len) = (ptr::null(), 0usize);
    // SAFETY: a live buffer, freed once after its bytes are copied.
    unsafe {
        assert_eq!(
            eseal_buffer_data(signed, &mut data, &mut len),
            eseal_result::Ok
        );
        let bytes = std::slice::from_raw_parts(data, len).to_vec();
        eseal_buffer_free(signed);
        Ok(bytes)
    }
}

/// Signs `files.input` into `files.output` with `eseal_ofd_sign_file_with_time_stamp`.
fn ofd_sign_file_with_time_stamp(
    files: &OfdFiles,
    seal_name: &str,
    stamping: &mut Stamping,
    callback: eseal_time_stamp_callback,
) -> eseal_result {
    let seal = seal(seal_name);
    let key = key_with_password(&common::read("keys/USER.key.pem"), b"").unwrap();
    let cert = certificate(&common::read("keys/USER.cert.pem"));
    // SAFETY: live handles, NUL-terminated paths, a callback that keeps its contract and a
    // context that outlives the call.
    let result = unsafe {
        eseal_ofd_sign_file_with_time_stamp(
            files.input.as_ptr(),
            files.output.as_ptr(),
            seal,
            key,
            cert,
            SIGNING_TIME,
            &OFD_STAMP,
            1,
            false,
            callback,
            (stamping as *mut Stamping).cast(),
        )
    };
    // SAFETY: each handle is freed once.
    unsafe {
        eseal_seal_free(seal);
        eseal_private_key_free(key);
        eseal_certificate_free(cert);
    }
    result
}

/// Verifies a signed copy of ofdrw-hello.ofd and returns the status of the time stamp check of
/// the signature that signing added, with and without the authority's root trusted.
fn ofd_new_time_stamp_status(
    signed: &[u8],
    stamping: &Stamping,
) -> (CheckStatus, Option<CheckStatus>) {
    use eseal::ofd::{Limits, verify_ofd};
    use std::io::Cursor;

    let original = verify_ofd(
        Cursor::new(common::read("ofd/ofdrw-hello.ofd")),
        &VerifyOptions::default(),
        Limits::default(),
    )
    .unwrap();
    let status = |options: &VerifyOptions| {
        let report = verify_ofd(Cursor::new(signed), options, Limits::default()).unwrap();
        assert_eq!(report.signatures.len(), original.signatures.len() + 1);
        let new = report
            .signatures
            .iter()
            .find(|entry| original.signatures.iter().all(|old| old.id != entry.id))
            .expect("the new signature is reported");
        let signature = new.signature.as_ref().expect("its SES_Signature is read");
        let status = signature.check("signature.time_stamp").map(|c| c.status);
        (status, signature.signing_time)
    };
    let (trusted, signing_time) = status(&options_with_roots(&[&stamping.root]));
    assert_eq!(
        signing_time,
        common::time("2021-06-01T00:05:00Z"),
        "with the authority trusted, the signing time is the token's genTime"
    );
    let trusted = trusted.expect("the time stamp is checked with the authority trusted");
    (trusted, status(&options_with_roots(&[])).0)
}

#[test]
fn ofd_time_stamp_verifies() {
    let mut stamping = Stamping::new(Mode::Valid);
    let signed = ofd_sign_with_time_stamp("UserV4.esl", &mut stamping, Some(stamp_callback))
        .expect("signing in memory succeeds");
    assert_eq!(stamping.calls, 1);
    let (trusted, untrusted) = ofd_new_time_stamp_status(&signed, &stamping);
    assert_eq!(trusted, CheckStatus::Passed);
    assert_ne!(untrusted, Some(CheckStatus::Passed));
}

#[test]
fn ofd_file_time_stamp_verifies() {
    let files = OfdFiles::new("ofd-file-time-stamp");
    let mut stamping = Stamping::new(Mode::Valid);
    let result =
        ofd_sign_file_with_time_stamp(&files, "UserV4.esl", &mut stamping, Some(stamp_callback));
    assert_eq!(result, eseal_result::Ok, "{}", last_error());
    assert_eq!(stamping.calls, 1);
    assert_eq!(files.names(), ["input.ofd", "signed.ofd"]);
    let signed = std::fs::read(&files.output_path).unwrap();
    let (trusted, _) = ofd_new_time_stamp_status(&signed, &stamping);
    assert_eq!(trusted, CheckStatus::Passed);
}

#[test]
fn ofd_time_stamp_failures() {
    let cases = [
        (Mode::Fails, eseal_result::TimeStampFailed),
        (Mode::TooLong, eseal_result::TimeStampFailed),
        (Mode::OverOtherBytes, eseal_result::TimeStampInvalid),
        (Mode::Garbage, eseal_result::TimeStampInvalid),
    ];
    for (mode, expected) in cases {
        let mut stamping = Stamping::new(mode);
        let result = ofd_sign_with_time_stamp("UserV4.esl", &mut stamping, Some(stamp_callback));
        assert_eq!(
            result.map(|signed| signed.len()),
            Err(expected),
            "in memory, {}",
            last_error()
        );
        assert_eq!(stamping.calls, 1);

        let files = OfdFiles::new("ofd-file-time-stamp-failure");
        let mut stamping = Stamping::new(mode);
        let result = ofd_sign_file_with_time_stamp(
            &files,
            "UserV4.esl",
            &mut stamping,
            Some(stamp_callback),
        );
        assert_eq!(result, expected, "to a file, {}", last_error());
        assert_eq!(
            files.names(),
            ["input.ofd"],
            "no output or temporary file remains"
        );

        // An existing output file is left as it was.
        std::fs::write(&files.output_path, b"earlier output").unwrap();
        let result = ofd_sign_file_with_time_stamp(
            &files,
            "UserV4.esl",
            &mut stamping,
            Some(stamp_callback),
        );
        assert_eq!(result, expected);
        assert_eq!(
            std::fs::read(&files.output_path).unwrap(),
            b"earlier output"
        );
        assert_eq!(files.names(), ["input.ofd", "signed.ofd"]);
    }
}

#[test]
fn ofd_time_stamp_v1_seal() {
    let mut stamping = Stamping::new(Mode::Valid);
    let result = ofd_sign_with_time_stamp("UserV1.esl", &mut stamping, Some(stamp_callback));
    assert_eq!(
        result.map(|signed| signed.len()),
        Err(eseal_result::EncodeFailed)
    );

    let files = OfdFiles::new("ofd-file-time-stamp-v1");
    let result =
        ofd_sign_file_with_time_stamp(&files, "UserV1.esl", &mut stamping, Some(stamp_callback));
    assert_eq!(result, eseal_result::EncodeFailed);
    assert_eq!(files.names(), ["input.ofd"]);
    assert_eq!(
        stamping.calls, 0,
        "the callback is not called for a V1 seal"
    );
}

#[test]
fn ofd_time_stamp_null_callback() {
    let mut stamping = Stamping::new(Mode::Valid);
    let result = ofd_sign_with_time_stamp("UserV4.esl", &mut stamping, None);
    assert_eq!(
        result.map(|signed| signed.len()),
        Err(eseal_result::NullArgument)
    );

    let files = OfdFiles::new("ofd-file-time-stamp-null");
    let result = ofd_sign_file_with_time_stamp(&files, "UserV4.esl", &mut stamping, None);
    assert_eq!(result, eseal_result::NullArgument);
    assert_eq!(files.names(), ["input.ofd"]);
}
