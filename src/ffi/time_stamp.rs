//! Signing with a time stamp from the caller's time stamp service.

use std::cell::RefCell;
use std::ffi::{c_char, c_void};

use super::boundary::{Failure, bytes, guard, handle, into_handle, out, time_arg, write};
use super::keys::{eseal_certificate, eseal_private_key};
use super::result::eseal_result;
use super::seal::eseal_seal;
use super::signature::{self, CallbackSigner, eseal_sign_callback, eseal_signature};
use crate::error::Error;
use crate::sign::{SignatureBuilder, TimeStamper};
use crate::signature::Signature;
use crate::timestamp::TimeStampToken;

/// Size in bytes of the buffer a time stamp callback writes its token to. A GB/T 20520 token
/// with the authority's certificate is a few kilobytes.
pub const ESEAL_MAX_TIME_STAMP_TOKEN_LEN: usize = 65_536;

/// A time stamp service. It gets the `len` bytes at `data`, the DER SM2 signature value of the
/// new signature, whose SM3 digest must be the token's messageImprint. It writes a DER
/// TimeStampToken (GB/T 20520) of at most `token_capacity` bytes to `token_out` and its length
/// to `token_len_out`, and returns `ESEAL_RESULT_OK` (0) on success or any other value on
/// failure. `context` is passed through unchanged. `token_capacity` is
/// `ESEAL_MAX_TIME_STAMP_TOKEN_LEN`.
pub type eseal_time_stamp_callback = Option<
    unsafe extern "C" fn(
        context: *mut c_void,
        data: *const u8,
        len: usize,
        token_out: *mut u8,
        token_capacity: usize,
        token_len_out: *mut usize,
    ) -> u32,
>;

pub(super) type TimeStampFunction =
    unsafe extern "C" fn(*mut c_void, *const u8, usize, *mut u8, usize, *mut usize) -> u32;

/// Calls the time stamp callback and checks its token, so that a failure gets a time stamp
/// code instead of the signing error that `SignatureBuilder` reports.
pub(super) struct CallbackStamper {
    callback: TimeStampFunction,
    context: *mut c_void,
    failure: RefCell<Option<Failure>>,
}

impl CallbackStamper {
    pub(super) fn new(callback: TimeStampFunction, context: *mut c_void) -> Self {
        Self {
            callback,
            context,
            failure: RefCell::new(None),
        }
    }

    /// Signs `data` with `builder` and a time stamp from this callback. A time stamp failure
    /// gets its own code in place of the signing error that `SignatureBuilder` reports.
    fn sign(&self, builder: SignatureBuilder<'_>, data: &[u8]) -> Result<Signature, Failure> {
        self.sign_with(|stamp| builder.time_stamp_with(stamp).sign(data))
    }

    /// Signs the SM3 `digest` of the data with `builder` and a time stamp from this callback,
    /// as `sign` does for the data itself. Streaming signers use it.
    pub(super) fn sign_digest(
        &self,
        builder: SignatureBuilder<'_>,
        digest: [u8; 32],
    ) -> Result<Signature, Failure> {
        self.sign_with(|stamp| builder.time_stamp_with(stamp).sign_digest(digest))
    }

    /// Runs `sign` with this callback as its time stamper. When the callback or its token
    /// failed, the failure it stored (`TimeStampFailed` or `TimeStampInvalid`) replaces the
    /// `Error::TimeStamp` that `sign` returns. OFD signing calls it directly.
    pub(super) fn sign_with<T>(
        &self,
        sign: impl FnOnce(&TimeStamper<'_>) -> crate::Result<T>,
    ) -> Result<T, Failure> {
        let stamp = |value: &[u8]| self.stamp(value);
        sign(&stamp).map_err(|error| self.failure.take().unwrap_or_else(|| error.into()))
    }

    fn stamp(&self, value: &[u8]) -> crate::Result<Vec<u8>> {
        self.call(value).map_err(|failure| {
            *self.failure.borrow_mut() = Some(failure);
            Error::TimeStamp("the time stamp callback failed".into())
        })
    }

    fn call(&self, value: &[u8]) -> Result<Vec<u8>, Failure> {
        let mut token = vec![0u8; ESEAL_MAX_TIME_STAMP_TOKEN_LEN];
        let mut written = 0usize;
        // SAFETY: the callers of eseal_sign_with_time_stamp,
        // eseal_sign_with_callback_and_time_stamp, eseal_signer_set_time_stamp_callback,
        // eseal_ofd_sign_with_time_stamp and eseal_ofd_sign_file_with_time_stamp promise a
        // callback that reads `len` bytes at `data`, writes at most `token_capacity` bytes at
        // `token_out` and writes one usize at `token_len_out`. All three buffers live for the
        // call.
        let code = unsafe {
            (self.callback)(
                self.context,
                value.as_ptr(),
                value.len(),
                token.as_mut_ptr(),
                token.len(),
                &mut written,
            )
        };
        if code != 0 {
            return Err(Failure::new(
                eseal_result::TimeStampFailed,
                format!("the time stamp callback returned {code}"),
            ));
        }
        if written > token.len() {
            return Err(Failure::new(
                eseal_result::TimeStampFailed,
                format!(
                    "the time stamp callback reported a {written}-byte token, more than the \
                     {ESEAL_MAX_TIME_STAMP_TOKEN_LEN} bytes of its buffer"
                ),
            ));
        }

        token.truncate(written);
        let invalid = |reason: String| {
            Failure::new(
                eseal_result::TimeStampInvalid,
                format!("the time stamp callback's token is invalid: {reason}"),
            )
        };
        let parsed = TimeStampToken::from_der(&token).map_err(|e| invalid(e.to_string()))?;
        parsed.verify(value, None).map_err(invalid)?;
        Ok(token)
    }
}

/// Signs `data` as `eseal_sign` does and adds a time stamp from `callback` to the signature
/// (SES_Signature.timeStamp). eseal checks that the token is a TimeStampToken whose
/// messageImprint is the SM3 digest of the signature value, signed with SM2 by an authority
/// whose certificate is in the token and valid at genTime. Whether that authority is trusted is
/// checked only when the signature is verified with a trust policy.
///
/// A callback failure gives `ESEAL_RESULT_TIME_STAMP_FAILED`, and a token that fails the checks
/// `ESEAL_RESULT_TIME_STAMP_INVALID`; nothing is output then. A V1 seal gives
/// `ESEAL_RESULT_ENCODE_FAILED`, because V1 signatures have no timeStamp field. The callback
/// is called once, on this thread, after all the signing checks have passed.
///
/// # Safety
///
/// As for `eseal_sign`. `callback` must be a valid function that may be called from this thread
/// with `context`. It reads `len` bytes at its `data` argument, writes at most
/// `token_capacity` bytes at `token_out` and writes one `size_t` at `token_len_out`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_sign_with_time_stamp(
    seal: *const eseal_seal,
    key: *const eseal_private_key,
    cert: *const eseal_certificate,
    unix_time: i64,
    property_info: *const c_char,
    data: *const u8,
    len: usize,
    callback: eseal_time_stamp_callback,
    context: *mut c_void,
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
        let property_info = unsafe { signature::property_info(property_info)? };
        let callback = callback.ok_or(eseal_result::NullArgument)?;
        let signature_out = out(signature_out)?;
        let stamper = CallbackStamper::new(callback, context);
        let mut builder =
            SignatureBuilder::new(&seal.seal, &key.key, &cert.cert).property_info(property_info);
        if let Some(time) = time_arg(unix_time)? {
            builder = builder.time(time);
        }
        let signature = stamper.sign(builder, data)?;
        // SAFETY: checked by `out`.
        unsafe { write(signature_out, into_handle(eseal_signature::new(signature))) };
        Ok(())
    })
}

/// Signs data whose 32-byte SM3 digest is given, as `eseal_sign_digest` does, and adds a time
/// stamp from `callback`, as `eseal_sign_with_time_stamp` does, with the same result codes.
///
/// # Safety
///
/// As for `eseal_sign_with_time_stamp`, with `digest` pointing to 32 readable bytes in place of
/// `data` and `len`.
#[allow(clippy::too_many_arguments)]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_sign_digest_with_time_stamp(
    seal: *const eseal_seal,
    key: *const eseal_private_key,
    cert: *const eseal_certificate,
    unix_time: i64,
    property_info: *const c_char,
    digest: *const u8,
    callback: eseal_time_stamp_callback,
    context: *mut c_void,
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
        let property_info = unsafe { signature::property_info(property_info)? };
        let callback = callback.ok_or(eseal_result::NullArgument)?;
        let signature_out = out(signature_out)?;
        let digest: [u8; 32] = digest
            .try_into()
            .map_err(|_| eseal_result::InvalidArgument)?;
        let stamper = CallbackStamper::new(callback, context);
        let mut builder =
            SignatureBuilder::new(&seal.seal, &key.key, &cert.cert).property_info(property_info);
        if let Some(time) = time_arg(unix_time)? {
            builder = builder.time(time);
        }
        let signature = stamper.sign_digest(builder, digest)?;
        // SAFETY: checked by `out`.
        unsafe { write(signature_out, into_handle(eseal_signature::new(signature))) };
        Ok(())
    })
}

/// Signs `data` with the SM2 signature from `sign_callback` (a USB key, an HSM or a seal
/// server), as `eseal_sign_with_callback` does, and adds a time stamp from
/// `time_stamp_callback` to the signature, as `eseal_sign_with_time_stamp` does.
///
/// After the signing checks pass, eseal calls `sign_callback` once and verifies its signature
/// against `cert`. A signature that does not verify gives `ESEAL_RESULT_SIGNATURE_INVALID`, and
/// a failure of `sign_callback` `ESEAL_RESULT_SIGNER_FAILED`. When the signature verifies,
/// eseal calls `time_stamp_callback` once, with the DER signature value. A failure of
/// `time_stamp_callback` gives `ESEAL_RESULT_TIME_STAMP_FAILED`, and a token that fails the
/// checks of `eseal_sign_with_time_stamp` `ESEAL_RESULT_TIME_STAMP_INVALID`. A V1 seal gives
/// `ESEAL_RESULT_ENCODE_FAILED` before either callback is called, because V1 signatures have no
/// timeStamp field. A NULL callback gives `ESEAL_RESULT_NULL_ARGUMENT`. Nothing is output on
/// failure.
///
/// # Safety
///
/// As for `eseal_sign`. `sign_callback` must be a valid function that may be called from this
/// thread with `sign_context`, reads 32 bytes at its `digest` argument and writes 64 bytes at
/// its `signature_out` argument. `time_stamp_callback` must be a valid function that may be
/// called from this thread with `time_stamp_context`, reads `len` bytes at its `data`
/// argument, writes at most `token_capacity` bytes at `token_out` and writes one `size_t` at
/// `token_len_out`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_sign_with_callback_and_time_stamp(
    seal: *const eseal_seal,
    cert: *const eseal_certificate,
    unix_time: i64,
    property_info: *const c_char,
    data: *const u8,
    len: usize,
    sign_callback: eseal_sign_callback,
    sign_context: *mut c_void,
    time_stamp_callback: eseal_time_stamp_callback,
    time_stamp_context: *mut c_void,
    signature_out: *mut *mut eseal_signature,
) -> eseal_result {
    guard(|| {
        // SAFETY: forwarded from this function's contract.
        let (seal, cert, data) = unsafe { (handle(seal)?, handle(cert)?, bytes(data, len)?) };
        // SAFETY: forwarded from this function's contract.
        let property_info = unsafe { signature::property_info(property_info)? };
        let sign_callback = sign_callback.ok_or(eseal_result::NullArgument)?;
        let time_stamp_callback = time_stamp_callback.ok_or(eseal_result::NullArgument)?;
        let signature_out = out(signature_out)?;
        let signer = CallbackSigner {
            callback: sign_callback,
            context: sign_context,
        };
        let stamper = CallbackStamper::new(time_stamp_callback, time_stamp_context);
        let mut builder = SignatureBuilder::with_signer(&seal.seal, &signer, &cert.cert)
            .property_info(property_info);
        if let Some(time) = time_arg(unix_time)? {
            builder = builder.time(time);
        }
        let signature = stamper.sign(builder, data)?;
        // SAFETY: checked by `out`.
        unsafe { write(signature_out, into_handle(eseal_signature::new(signature))) };
        Ok(())
    })
}
