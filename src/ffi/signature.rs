//! Signatures: decoding, verification and signing (bytes, a digest, or streamed chunks).

use std::ffi::{CString, c_char};

use super::boundary::{
    bytes, free_handle, guard, handle, handle_mut, into_handle, out, text, time_arg, write,
};
use super::keys::{eseal_certificate, eseal_private_key};
use super::report::eseal_report;
use super::result::eseal_result;
use super::seal::eseal_seal;
use super::time_stamp::{CallbackStamper, eseal_time_stamp_callback};
use crate::cert::Certificate;
use crate::crypto::Sm3Hasher;
use crate::seal::Seal;
use crate::sign::SignatureBuilder;
use crate::signature::Signature;
use crate::time::Time;
use crate::verify::{SignedData, VerifyOptions, verify_signature};

/// A decoded signature (SES_Signature). Immutable; may be shared between threads.
pub struct eseal_signature {
    signature: Signature,
    property_info: CString,
}

impl eseal_signature {
    pub(crate) fn inner(&self) -> &Signature {
        &self.signature
    }

    pub(crate) fn new(signature: Signature) -> Self {
        let property_info =
            CString::new(signature.tbs.property_info.replace('\0', "")).unwrap_or_default();
        Self {
            signature,
            property_info,
        }
    }
}

/// A signature over data given in chunks. Used by one thread at a time.
pub struct eseal_signer {
    seal: Seal,
    cert: Certificate,
    time: Option<Time>,
    property_info: String,
    hasher: Option<Sm3Hasher>,
    time_stamper: Option<CallbackStamper>,
}

/// Decodes a signature from DER, tolerating what real producers write.
///
/// # Safety
///
/// `der` must point to `len` readable bytes; `signature_out` must be writable. On success it
/// holds a signature to release with `eseal_signature_free`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_signature_from_der(
    der: *const u8,
    len: usize,
    signature_out: *mut *mut eseal_signature,
) -> eseal_result {
    guard(|| {
        // SAFETY: forwarded from this function's contract.
        let der = unsafe { bytes(der, len)? };
        let signature_out = out(signature_out)?;
        let signature = Signature::from_der(der)?;
        // SAFETY: checked by `out`.
        unsafe { write(signature_out, into_handle(eseal_signature::new(signature))) };
        Ok(())
    })
}

/// Gets the signature's stored DER bytes, owned by the signature and valid until it is freed.
///
/// # Safety
///
/// `signature` must be a live signature; both outputs must be writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_signature_der(
    signature: *const eseal_signature,
    der_out: *mut *const u8,
    len_out: *mut usize,
) -> eseal_result {
    guard(|| {
        // SAFETY: forwarded from this function's contract.
        let signature = unsafe { handle(signature)? };
        let (der_out, len_out) = (out(der_out)?, out(len_out)?);
        let der = signature.signature.as_der();
        // SAFETY: checked by `out`.
        unsafe {
            write(der_out, der.as_ptr());
            write(len_out, der.len());
        }
        Ok(())
    })
}

/// Gets a signature's version (1, 4 or 5), its signing time (TBS_Sign.timeInfo, in seconds
/// since 1970-01-01T00:00:00Z) and its propertyInfo (a NUL-terminated string owned by the
/// signature, valid until it is freed). Any output may be NULL to skip it.
///
/// # Safety
///
/// `signature` must be a live signature; non-NULL outputs must be writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_signature_info(
    signature: *const eseal_signature,
    version_out: *mut u32,
    unix_time_out: *mut i64,
    property_info_out: *mut *const c_char,
) -> eseal_result {
    guard(|| {
        // SAFETY: forwarded from this function's contract.
        let signature = unsafe { handle(signature)? };
        let time =
            i64::try_from(signature.signature.tbs.time_info.unix_seconds()).unwrap_or(i64::MAX);
        // SAFETY: each output is written only when non-NULL, as documented.
        unsafe {
            if !version_out.is_null() {
                write(version_out, u32::from(signature.signature.version.number()));
            }
            if !unix_time_out.is_null() {
                write(unix_time_out, time);
            }
            if !property_info_out.is_null() {
                write(property_info_out, signature.property_info.as_ptr());
            }
        }
        Ok(())
    })
}

/// Computes the SM3 digest of `len` bytes into the 32 bytes at `digest_out`, for callers that
/// hash data themselves before `eseal_sign_digest` or `eseal_signature_verify_digest`.
///
/// # Safety
///
/// `data` must point to `len` readable bytes; `digest_out` to 32 writable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_sm3(
    data: *const u8,
    len: usize,
    digest_out: *mut u8,
) -> eseal_result {
    guard(|| {
        // SAFETY: forwarded from this function's contract.
        let data = unsafe { bytes(data, len)? };
        let digest_out = out(digest_out)?;
        let digest = crate::crypto::sm3(data);
        // SAFETY: `digest_out` has 32 writable bytes that do not overlap `digest`.
        unsafe { std::ptr::copy_nonoverlapping(digest.as_ptr(), digest_out, 32) };
        Ok(())
    })
}

/// Verifies a signature against the original data. `data` NULL (with `len` 0) means no data:
/// the dataHash check is then reported as not checked. A non-NULL `data` with `len` 0 is empty
/// data.
///
/// # Safety
///
/// `signature` must be a live signature; `data` NULL or `len` readable bytes; `report_out`
/// writable. On success it holds a report to release with `eseal_report_free`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_signature_verify(
    signature: *const eseal_signature,
    data: *const u8,
    len: usize,
    report_out: *mut *mut eseal_report,
) -> eseal_result {
    guard(|| {
        // SAFETY: forwarded from this function's contract.
        let signature = unsafe { handle(signature)? };
        let absent = data.is_null();
        // SAFETY: forwarded from this function's contract.
        let data = unsafe { bytes(data, len)? };
        let report_out = out(report_out)?;
        let data = if absent {
            SignedData::Absent
        } else {
            SignedData::Bytes(data)
        };
        let report = verify_signature(&signature.signature, data, &VerifyOptions::default());
        // SAFETY: checked by `out`.
        unsafe {
            write(
                report_out,
                into_handle(eseal_report::from_signature(&report)),
            )
        };
        Ok(())
    })
}

/// Verifies a signature against the 32-byte SM3 digest of the original data.
///
/// # Safety
///
/// `signature` must be a live signature; `digest` must point to 32 readable bytes;
/// `report_out` writable. On success it holds a report to release with `eseal_report_free`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_signature_verify_digest(
    signature: *const eseal_signature,
    digest: *const u8,
    report_out: *mut *mut eseal_report,
) -> eseal_result {
    guard(|| {
        // SAFETY: forwarded from this function's contract.
        let (signature, digest) = unsafe { (handle(signature)?, bytes(digest, 32)?) };
        let report_out = out(report_out)?;
        let digest: [u8; 32] = digest
            .try_into()
            .map_err(|_| eseal_result::InvalidArgument)?;
        let report = verify_signature(
            &signature.signature,
            SignedData::Digest(digest),
            &VerifyOptions::default(),
        );
        // SAFETY: checked by `out`.
        unsafe {
            write(
                report_out,
                into_handle(eseal_report::from_signature(&report)),
            )
        };
        Ok(())
    })
}

/// Releases a signature. NULL is ignored.
///
/// # Safety
///
/// `signature` must be NULL or a signature from this library that is not used afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_signature_free(signature: *mut eseal_signature) {
    // SAFETY: forwarded from this function's contract.
    unsafe { free_handle(signature) }
}

/// Reads the optional propertyInfo argument: NULL is an empty string.
///
/// # Safety
///
/// `ptr` must be NULL or a NUL-terminated string.
pub(crate) unsafe fn property_info(ptr: *const c_char) -> Result<String, eseal_result> {
    if ptr.is_null() {
        Ok(String::new())
    } else {
        // SAFETY: forwarded from this function's contract.
        unsafe { text(ptr) }.map(str::to_owned)
    }
}

fn sign_digest(
    seal: &Seal,
    key: &eseal_private_key,
    cert: &Certificate,
    time: Option<Time>,
    property_info: String,
    digest: [u8; 32],
) -> Result<Signature, eseal_result> {
    let builder = digest_builder(seal, key, cert, time, property_info);
    Ok(builder.sign_digest(digest)?)
}

fn digest_builder<'a>(
    seal: &'a Seal,
    key: &'a eseal_private_key,
    cert: &'a Certificate,
    time: Option<Time>,
    property_info: String,
) -> SignatureBuilder<'a> {
    let builder = SignatureBuilder::new(seal, &key.key, cert).property_info(property_info);
    match time {
        Some(time) => builder.time(time),
        None => builder,
    }
}

/// Signs `data` with a seal, the signer's key and certificate, at `unix_time` (seconds since
/// 1970-01-01T00:00:00Z, or `ESEAL_TIME_NOW`). `property_info` may be NULL (empty) and must be
/// ASCII (IA5String), or the call fails with `ESEAL_RESULT_ENCODE_FAILED`. Signing is
/// refused (`ESEAL_RESULT_SEAL_*`, `ESEAL_RESULT_SIGNER_*`, `ESEAL_RESULT_KEY_CERTIFICATE_MISMATCH`)
/// when a verifier would reject the result.
///
/// # Safety
///
/// `seal`, `key` and `cert` must be live handles; `data` must point to `len` readable bytes
/// (NULL with 0 for empty data); `property_info` NULL or a NUL-terminated string;
/// `signature_out` writable. On success it holds a signature to release with
/// `eseal_signature_free`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_sign(
    seal: *const eseal_seal,
    key: *const eseal_private_key,
    cert: *const eseal_certificate,
    unix_time: i64,
    property_info: *const c_char,
    data: *const u8,
    len: usize,
    signature_out: *mut *mut eseal_signature,
) -> eseal_result {
    guard(|| {
        // SAFETY: forwarded from this function's contract.
        let (seal, key, cert, data) = unsafe {
            (
                handle(seal)?,
                handle(key)?,
                handle(cert)?,
                bytes(data, len)?,
            )
        };
        // SAFETY: forwarded from this function's contract.
        let property_info = unsafe { self::property_info(property_info)? };
        let signature_out = out(signature_out)?;
        let digest = crate::crypto::sm3(data);
        let signature = sign_digest(
            &seal.seal,
            key,
            &cert.cert,
            time_arg(unix_time)?,
            property_info,
            digest,
        )?;
        // SAFETY: checked by `out`.
        unsafe { write(signature_out, into_handle(eseal_signature::new(signature))) };
        Ok(())
    })
}

/// Signs data whose 32-byte SM3 digest is given, as [`eseal_sign`] does.
///
/// # Safety
///
/// As for [`eseal_sign`], with `digest` pointing to 32 readable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_sign_digest(
    seal: *const eseal_seal,
    key: *const eseal_private_key,
    cert: *const eseal_certificate,
    unix_time: i64,
    property_info: *const c_char,
    digest: *const u8,
    signature_out: *mut *mut eseal_signature,
) -> eseal_result {
    guard(|| {
        // SAFETY: forwarded from this function's contract.
        let (seal, key, cert, digest) = unsafe {
            (
                handle(seal)?,
                handle(key)?,
                handle(cert)?,
                bytes(digest, 32)?,
            )
        };
        // SAFETY: forwarded from this function's contract.
        let property_info = unsafe { self::property_info(property_info)? };
        let signature_out = out(signature_out)?;
        let digest: [u8; 32] = digest
            .try_into()
            .map_err(|_| eseal_result::InvalidArgument)?;
        let signature = sign_digest(
            &seal.seal,
            key,
            &cert.cert,
            time_arg(unix_time)?,
            property_info,
            digest,
        )?;
        // SAFETY: checked by `out`.
        unsafe { write(signature_out, into_handle(eseal_signature::new(signature))) };
        Ok(())
    })
}

/// Starts a signature over data given in chunks with `eseal_signer_update`. The seal and
/// certificate are copied; the key is given to `eseal_signer_finish`.
///
/// # Safety
///
/// `seal` and `cert` must be live handles; `property_info` NULL or a NUL-terminated string;
/// `signer_out` writable. On success it holds a signer to release with `eseal_signer_free`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_signer_new(
    seal: *const eseal_seal,
    cert: *const eseal_certificate,
    unix_time: i64,
    property_info: *const c_char,
    signer_out: *mut *mut eseal_signer,
) -> eseal_result {
    guard(|| {
        // SAFETY: forwarded from this function's contract.
        let (seal, cert) = unsafe { (handle(seal)?, handle(cert)?) };
        // SAFETY: forwarded from this function's contract.
        let property_info = unsafe { self::property_info(property_info)? };
        let signer_out = out(signer_out)?;
        let signer = eseal_signer {
            seal: seal.seal.clone(),
            cert: cert.cert.clone(),
            time: time_arg(unix_time)?,
            property_info,
            hasher: Some(Sm3Hasher::new()),
            time_stamper: None,
        };
        // SAFETY: checked by `out`.
        unsafe { write(signer_out, into_handle(signer)) };
        Ok(())
    })
}

/// Adds a chunk of the data to sign. Fails with `ESEAL_RESULT_INVALID_ARGUMENT` after
/// `eseal_signer_finish`.
///
/// # Safety
///
/// `signer` must be a live signer used by no other thread; `data` must point to `len` readable
/// bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_signer_update(
    signer: *mut eseal_signer,
    data: *const u8,
    len: usize,
) -> eseal_result {
    guard(|| {
        // SAFETY: forwarded from this function's contract.
        let (signer, data) = unsafe { (handle_mut(signer)?, bytes(data, len)?) };
        let hasher = signer
            .hasher
            .as_mut()
            .ok_or(eseal_result::InvalidArgument)?;
        hasher.update(data);
        Ok(())
    })
}

/// Makes `eseal_signer_finish` add a time stamp from `callback` to the signature
/// (SES_Signature.timeStamp). At finish, after the signing checks pass and before the key
/// signs, a V1 seal gives `ESEAL_RESULT_ENCODE_FAILED`, because V1 signatures have no timeStamp
/// field. After the key signs, eseal calls `callback` once, on the thread that calls
/// `eseal_signer_finish`, with the DER signature value, and checks the token as
/// `eseal_sign_with_time_stamp` does. A callback failure or a length over `token_capacity`
/// gives `ESEAL_RESULT_TIME_STAMP_FAILED`, and a token that is not a TimeStampToken over the
/// signature value `ESEAL_RESULT_TIME_STAMP_INVALID`. Nothing is output then.
///
/// A second call replaces the callback. A NULL `signer` or `callback` gives
/// `ESEAL_RESULT_NULL_ARGUMENT`, and a call after `eseal_signer_finish`
/// `ESEAL_RESULT_INVALID_ARGUMENT`.
///
/// # Safety
///
/// `signer` must be a live signer used by no other thread. `callback` must be a valid
/// function that may be called with `context` from the thread that calls
/// `eseal_signer_finish`, and `context` must stay valid until then. The callback reads `len`
/// bytes at its `data` argument, writes at most `token_capacity` bytes at `token_out` and
/// writes one `size_t` at `token_len_out`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_signer_set_time_stamp_callback(
    signer: *mut eseal_signer,
    callback: eseal_time_stamp_callback,
    context: *mut std::ffi::c_void,
) -> eseal_result {
    guard(|| {
        // SAFETY: forwarded from this function's contract.
        let signer = unsafe { handle_mut(signer)? };
        let callback = callback.ok_or(eseal_result::NullArgument)?;
        if signer.hasher.is_none() {
            return Err(eseal_result::InvalidArgument.into());
        }
        signer.time_stamper = Some(CallbackStamper::new(callback, context));
        Ok(())
    })
}

/// Signs everything added, with the signer's key. A signer finishes once, successfully or not;
/// release it with `eseal_signer_free` afterwards. With a callback from
/// `eseal_signer_set_time_stamp_callback`, the signature gets a time stamp as in
/// `eseal_sign_with_time_stamp`, with the same checks and result codes.
///
/// # Safety
///
/// `signer` must be a live signer used by no other thread; `key` a live key; `signature_out`
/// writable. On success it holds a signature to release with `eseal_signature_free`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_signer_finish(
    signer: *mut eseal_signer,
    key: *const eseal_private_key,
    signature_out: *mut *mut eseal_signature,
) -> eseal_result {
    guard(|| {
        // SAFETY: forwarded from this function's contract.
        let (signer, key) = unsafe { (handle_mut(signer)?, handle(key)?) };
        let signature_out = out(signature_out)?;
        let hasher = signer.hasher.take().ok_or(eseal_result::InvalidArgument)?;
        let property_info = std::mem::take(&mut signer.property_info);
        let builder = digest_builder(&signer.seal, key, &signer.cert, signer.time, property_info);
        let signature = match signer.time_stamper.take() {
            Some(stamper) => stamper.sign_digest(builder, hasher.finalize())?,
            None => builder.sign_digest(hasher.finalize())?,
        };
        // SAFETY: checked by `out`.
        unsafe { write(signature_out, into_handle(eseal_signature::new(signature))) };
        Ok(())
    })
}

/// Releases a signer. NULL is ignored.
///
/// # Safety
///
/// `signer` must be NULL or a signer from this library that is not used afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_signer_free(signer: *mut eseal_signer) {
    // SAFETY: forwarded from this function's contract.
    unsafe { free_handle(signer) }
}

/// An external SM2 signer: signs the 32-byte `digest` (e = SM3(Z || M), already computed by
/// eseal with the certificate's public key) and writes r || s, 64 bytes big-endian, to
/// `signature_out`. It returns `ESEAL_RESULT_OK` (0) on success and any other value on failure.
/// `context` is passed through unchanged. eseal verifies the returned signature against the
/// certificate before using it.
pub type eseal_sign_callback = Option<
    unsafe extern "C" fn(
        context: *mut std::ffi::c_void,
        digest: *const u8,
        signature_out: *mut u8,
    ) -> u32,
>;

/// Calls an `eseal_sign_callback` for `SignatureBuilder::with_signer`.
pub(super) struct CallbackSigner {
    pub(super) callback: unsafe extern "C" fn(*mut std::ffi::c_void, *const u8, *mut u8) -> u32,
    pub(super) context: *mut std::ffi::c_void,
}

impl crate::crypto::Signer for CallbackSigner {
    fn public_key(&self) -> Option<crate::crypto::PublicKey> {
        None
    }

    fn sign_digest(&self, e: &[u8; 32]) -> crate::Result<crate::crypto::SignatureValue> {
        let mut raw = [0u8; 64];
        // SAFETY: the callers of eseal_sign_with_callback and
        // eseal_sign_with_callback_and_time_stamp promise a callback that reads 32 bytes at
        // `digest` and writes 64 bytes at `signature_out`. Both buffers live here.
        let code = unsafe { (self.callback)(self.context, e.as_ptr(), raw.as_mut_ptr()) };
        if code != 0 {
            return Err(crate::Error::Signer(format!(
                "the callback returned {code}"
            )));
        }
        let mut value = crate::crypto::SignatureValue {
            r: [0; 32],
            s: [0; 32],
        };
        value.r.copy_from_slice(&raw[..32]);
        value.s.copy_from_slice(&raw[32..]);
        Ok(value)
    }
}

/// Signs `data` with a seal and the signer's certificate, taking the SM2 signature from
/// `callback` (a USB key, an HSM or a seal server). A signature from the callback that does
/// not verify against `cert` gives `ESEAL_RESULT_SIGNATURE_INVALID`, and a callback failure
/// `ESEAL_RESULT_SIGNER_FAILED`; nothing is output then. Otherwise as `eseal_sign`.
///
/// # Safety
///
/// As for `eseal_sign`; `callback` must be a valid function that reads 32 bytes at its
/// `digest` argument and writes 64 bytes at its `signature_out` argument, and that may be
/// called from this thread with `context`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_sign_with_callback(
    seal: *const eseal_seal,
    cert: *const eseal_certificate,
    unix_time: i64,
    property_info: *const c_char,
    data: *const u8,
    len: usize,
    callback: eseal_sign_callback,
    context: *mut std::ffi::c_void,
    signature_out: *mut *mut eseal_signature,
) -> eseal_result {
    guard(|| {
        // SAFETY: forwarded from this function's contract.
        let (seal, cert, data) = unsafe { (handle(seal)?, handle(cert)?, bytes(data, len)?) };
        // SAFETY: forwarded from this function's contract.
        let property_info = unsafe { self::property_info(property_info)? };
        let callback = callback.ok_or(eseal_result::NullArgument)?;
        let signature_out = out(signature_out)?;
        let signer = CallbackSigner { callback, context };
        let mut builder = SignatureBuilder::with_signer(&seal.seal, &signer, &cert.cert)
            .property_info(property_info);
        if let Some(time) = time_arg(unix_time)? {
            builder = builder.time(time);
        }
        let signature = builder.sign(data)?;
        // SAFETY: checked by `out`.
        unsafe { write(signature_out, into_handle(eseal_signature::new(signature))) };
        Ok(())
    })
}

/// Signs a 32-byte prehashed value e = SM3(Z || M) with a private key and writes r || s
/// (64 bytes) to `signature_out`: the software counterpart of an external signer, for tests
/// and fallbacks.
///
/// # Safety
///
/// `key` must be a live key; `digest` must point to 32 readable bytes and `signature_out` to
/// 64 writable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_private_key_sign_digest(
    key: *const eseal_private_key,
    digest: *const u8,
    signature_out: *mut u8,
) -> eseal_result {
    guard(|| {
        // SAFETY: forwarded from this function's contract.
        let (key, digest) = unsafe { (handle(key)?, bytes(digest, 32)?) };
        let signature_out = out(signature_out)?;
        let digest: [u8; 32] = digest
            .try_into()
            .map_err(|_| eseal_result::InvalidArgument)?;
        let raw = key.key.sign_digest(&digest)?.to_raw();
        // SAFETY: `signature_out` has 64 writable bytes that do not overlap `raw`.
        unsafe { std::ptr::copy_nonoverlapping(raw.as_ptr(), signature_out, 64) };
        Ok(())
    })
}
