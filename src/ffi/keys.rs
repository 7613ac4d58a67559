//! Private keys and certificates.

use std::ffi::{CString, c_char};

use super::boundary::{bytes, free_handle, guard, handle, into_handle, out, write};
use super::result::eseal_result;
use crate::cert::Certificate;
use crate::crypto::PrivateKey;

/// An SM2 private key. The key is zeroized when freed. May be shared between threads.
pub struct eseal_private_key {
    pub(crate) key: PrivateKey,
}

/// An X.509 certificate. May be shared between threads.
pub struct eseal_certificate {
    pub(crate) cert: Certificate,
    subject: CString,
    issuer: CString,
    serial: CString,
}

/// Reads an SM2 private key: PKCS#8 or SEC1, PEM or DER.
///
/// # Safety
///
/// `data` must point to `len` readable bytes; `key_out` must be writable. On success
/// `*key_out` holds a key to release with `eseal_private_key_free`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_private_key_from_bytes(
    data: *const u8,
    len: usize,
    key_out: *mut *mut eseal_private_key,
) -> eseal_result {
    guard(|| {
        // SAFETY: forwarded from this function's contract.
        let data = unsafe { bytes(data, len)? };
        let key_out = out(key_out)?;
        let key = PrivateKey::from_pem_or_der(data)?;
        // SAFETY: checked by `out`.
        unsafe { write(key_out, into_handle(eseal_private_key { key })) };
        Ok(())
    })
}

/// Generates a new SM2 private key.
///
/// # Safety
///
/// `key_out` must be writable; on success it holds a key to release with
/// `eseal_private_key_free`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_private_key_generate(
    key_out: *mut *mut eseal_private_key,
) -> eseal_result {
    guard(|| {
        let key_out = out(key_out)?;
        let key = PrivateKey::generate()?;
        // SAFETY: checked by `out`.
        unsafe { write(key_out, into_handle(eseal_private_key { key })) };
        Ok(())
    })
}

/// Releases a private key, zeroizing it. NULL is ignored.
///
/// # Safety
///
/// `key` must be NULL or a key from this library that is not used afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_private_key_free(key: *mut eseal_private_key) {
    // SAFETY: forwarded from this function's contract.
    unsafe { free_handle(key) }
}

impl eseal_certificate {
    pub(crate) fn new(cert: Certificate) -> Self {
        let text = |s: String| CString::new(s.replace('\0', "")).unwrap_or_default();
        Self {
            subject: text(cert.subject()),
            issuer: text(cert.issuer()),
            serial: text(cert.serial_hex()),
            cert,
        }
    }
}

/// Reads an X.509 certificate, PEM or DER.
///
/// # Safety
///
/// `data` must point to `len` readable bytes; `cert_out` must be writable. On success
/// `*cert_out` holds a certificate to release with `eseal_certificate_free`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_certificate_from_bytes(
    data: *const u8,
    len: usize,
    cert_out: *mut *mut eseal_certificate,
) -> eseal_result {
    guard(|| {
        // SAFETY: forwarded from this function's contract.
        let data = unsafe { bytes(data, len)? };
        let cert_out = out(cert_out)?;
        let cert = Certificate::from_pem_or_der(data)?;
        // SAFETY: checked by `out`.
        unsafe { write(cert_out, into_handle(eseal_certificate::new(cert))) };
        Ok(())
    })
}

/// Gets the subject, issuer and serial number (hexadecimal) of a certificate as NUL-terminated
/// strings owned by the certificate, valid until it is freed. Any output may be NULL to skip it.
///
/// # Safety
///
/// `cert` must be a live certificate; non-NULL outputs must be writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_certificate_names(
    cert: *const eseal_certificate,
    subject_out: *mut *const c_char,
    issuer_out: *mut *const c_char,
    serial_out: *mut *const c_char,
) -> eseal_result {
    guard(|| {
        // SAFETY: forwarded from this function's contract.
        let cert = unsafe { handle(cert)? };
        for (ptr, value) in [
            (subject_out, &cert.subject),
            (issuer_out, &cert.issuer),
            (serial_out, &cert.serial),
        ] {
            if !ptr.is_null() {
                // SAFETY: non-NULL and writable as the caller promises.
                unsafe { write(ptr, value.as_ptr()) };
            }
        }
        Ok(())
    })
}

/// Gets the validity period of a certificate in seconds since 1970-01-01T00:00:00Z.
///
/// # Safety
///
/// `cert` must be a live certificate; both outputs must be writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_certificate_validity(
    cert: *const eseal_certificate,
    not_before_out: *mut i64,
    not_after_out: *mut i64,
) -> eseal_result {
    guard(|| {
        // SAFETY: forwarded from this function's contract.
        let cert = unsafe { handle(cert)? };
        let not_before_out = out(not_before_out)?;
        let not_after_out = out(not_after_out)?;
        let seconds = |t: crate::time::Time| i64::try_from(t.unix_seconds()).unwrap_or(i64::MAX);
        // SAFETY: checked by `out`.
        unsafe {
            write(not_before_out, seconds(cert.cert.not_before()));
            write(not_after_out, seconds(cert.cert.not_after()));
        }
        Ok(())
    })
}

/// Releases a certificate. NULL is ignored.
///
/// # Safety
///
/// `cert` must be NULL or a certificate from this library that is not used afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_certificate_free(cert: *mut eseal_certificate) {
    // SAFETY: forwarded from this function's contract.
    unsafe { free_handle(cert) }
}
