//! Private keys and certificates.

use std::ffi::{CString, c_char};

use super::boundary::{bytes, free_handle, guard, handle, into_handle, out, write};
use super::result::eseal_result;
use crate::cert::Certificate;
use crate::crypto::PrivateKey;
use crate::keystore::{KeyFormat, Pkcs12};

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

/// Reads an SM2 private key that may be password-protected: encrypted PKCS#8 (PEM
/// `ENCRYPTED PRIVATE KEY` or DER EncryptedPrivateKeyInfo), a PKCS#12 file (DER or BER), or an
/// unencrypted key as `eseal_private_key_from_bytes` reads it, for which the password is not
/// used. The password is taken byte for byte, without a terminating NUL. PKCS#12 key
/// derivation needs it as UTF-8. To get the certificate stored in a PKCS#12 file too, use
/// `eseal_pkcs12_open`.
///
/// A wrong password gives `ESEAL_RESULT_WRONG_PASSWORD`. A malformed or truncated file, an
/// unsupported algorithm or a file over a size limit gives `ESEAL_RESULT_KEY_INVALID`. Neither
/// message contains the password.
///
/// # Safety
///
/// `data` must point to `len` readable bytes and `password` to `password_len` readable bytes
/// (NULL with 0 for the empty password); `key_out` must be writable. On success `*key_out`
/// holds a key to release with `eseal_private_key_free`. eseal keeps no copy of the password.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_private_key_from_bytes_with_password(
    data: *const u8,
    len: usize,
    password: *const u8,
    password_len: usize,
    key_out: *mut *mut eseal_private_key,
) -> eseal_result {
    guard(|| {
        // SAFETY: forwarded from this function's contract.
        let (data, password) = unsafe { (bytes(data, len)?, bytes(password, password_len)?) };
        let key_out = out(key_out)?;
        let key = match KeyFormat::detect(data) {
            KeyFormat::Pkcs12 => Pkcs12::from_der(data, password)?.private_key,
            _ => PrivateKey::from_pem_or_der_with_password(data, Some(password))?,
        };
        // SAFETY: checked by `out`.
        unsafe { write(key_out, into_handle(eseal_private_key { key })) };
        Ok(())
    })
}

/// Opens a PKCS#12 file (.p12 or .pfx, DER or BER) with its password and returns its SM2
/// private key and, when the file contains it, the key's certificate, so that a signer can be
/// made from the file alone. The password is taken byte for byte, without a terminating NUL,
/// and must be UTF-8 because PKCS#12 key derivation uses it as a BMPString. Other
/// certificates in the file (usually the issuers) are not returned.
///
/// A wrong password gives `ESEAL_RESULT_WRONG_PASSWORD`. A malformed or truncated file, a file
/// without exactly one private key, or an unsupported algorithm gives
/// `ESEAL_RESULT_KEY_INVALID`.
///
/// # Safety
///
/// `data` must point to `len` readable bytes and `password` to `password_len` readable bytes
/// (NULL with 0 for the empty password). `key_out` must be writable. `cert_out` may be NULL to
/// skip the certificate, and is otherwise writable. On success `*key_out` holds a key to
/// release with `eseal_private_key_free`, and `*cert_out` a certificate to release with
/// `eseal_certificate_free`, or NULL when the file has no certificate for the key. eseal keeps
/// no copy of the password.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_pkcs12_open(
    data: *const u8,
    len: usize,
    password: *const u8,
    password_len: usize,
    key_out: *mut *mut eseal_private_key,
    cert_out: *mut *mut eseal_certificate,
) -> eseal_result {
    guard(|| {
        // SAFETY: forwarded from this function's contract.
        let (data, password) = unsafe { (bytes(data, len)?, bytes(password, password_len)?) };
        let key_out = out(key_out)?;
        let Pkcs12 {
            private_key,
            certificate,
            ..
        } = Pkcs12::from_der(data, password)?;
        // SAFETY: checked by `out`; `cert_out` is written only when non-NULL, as documented.
        unsafe {
            write(key_out, into_handle(eseal_private_key { key: private_key }));
            if !cert_out.is_null() {
                let cert = certificate.map_or(std::ptr::null_mut(), |cert| {
                    into_handle(eseal_certificate::new(cert))
                });
                write(cert_out, cert);
            }
        }
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

/// Gets the certificate's stored DER bytes, owned by the certificate and valid until it is
/// freed.
///
/// # Safety
///
/// `cert` must be a live certificate; both outputs must be writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_certificate_der(
    cert: *const eseal_certificate,
    der_out: *mut *const u8,
    len_out: *mut usize,
) -> eseal_result {
    guard(|| {
        // SAFETY: forwarded from this function's contract.
        let cert = unsafe { handle(cert)? };
        let (der_out, len_out) = (out(der_out)?, out(len_out)?);
        let der = cert.cert.as_der();
        // SAFETY: checked by `out`.
        unsafe {
            write(der_out, der.as_ptr());
            write(len_out, der.len());
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
