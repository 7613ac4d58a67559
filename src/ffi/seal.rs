//! Seals and the seal builder.

use std::ffi::{CString, c_char};

use super::boundary::{
    Failure, bytes, free_handle, guard, handle, handle_mut, into_handle, out, text, time_arg, write,
};
use super::keys::{eseal_certificate, eseal_private_key};
use super::report::eseal_report;
use super::result::eseal_result;
use crate::seal::{Seal, SealBuilder, Version};
use crate::verify::{VerifyOptions, verify_seal};

/// A decoded seal (SESeal). Immutable; may be shared between threads.
pub struct eseal_seal {
    pub(crate) seal: Seal,
    es_id: CString,
    name: CString,
}

impl eseal_seal {
    pub(crate) fn new(seal: Seal) -> Self {
        let c_string = |s: &str| CString::new(s.replace('\0', "")).unwrap_or_default();
        Self {
            es_id: c_string(&seal.info.es_id),
            name: c_string(&seal.info.property.name),
            seal,
        }
    }
}

/// A seal being built. Used by one thread at a time.
pub struct eseal_seal_builder {
    builder: Option<SealBuilder>,
}

/// Decodes a seal from DER, tolerating what real producers write.
///
/// # Safety
///
/// `der` must point to `len` readable bytes; `seal_out` must be writable. On success it holds a
/// seal to release with `eseal_seal_free`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_seal_from_der(
    der: *const u8,
    len: usize,
    seal_out: *mut *mut eseal_seal,
) -> eseal_result {
    guard(|| {
        // SAFETY: forwarded from this function's contract.
        let der = unsafe { bytes(der, len)? };
        let seal_out = out(seal_out)?;
        let seal = Seal::from_der(der)?;
        // SAFETY: checked by `out`.
        unsafe { write(seal_out, into_handle(eseal_seal::new(seal))) };
        Ok(())
    })
}

/// Gets the seal's stored DER bytes, owned by the seal and valid until it is freed.
///
/// # Safety
///
/// `seal` must be a live seal; both outputs must be writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_seal_der(
    seal: *const eseal_seal,
    der_out: *mut *const u8,
    len_out: *mut usize,
) -> eseal_result {
    guard(|| {
        // SAFETY: forwarded from this function's contract.
        let seal = unsafe { handle(seal)? };
        let (der_out, len_out) = (out(der_out)?, out(len_out)?);
        let der = seal.seal.as_der();
        // SAFETY: checked by `out`.
        unsafe {
            write(der_out, der.as_ptr());
            write(len_out, der.len());
        }
        Ok(())
    })
}

/// Gets the seal's version (1, 4 or 5), esID and name. Strings are owned by the seal and valid
/// until it is freed. Any output may be NULL to skip it.
///
/// # Safety
///
/// `seal` must be a live seal; non-NULL outputs must be writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_seal_info(
    seal: *const eseal_seal,
    version_out: *mut u32,
    es_id_out: *mut *const c_char,
    name_out: *mut *const c_char,
) -> eseal_result {
    guard(|| {
        // SAFETY: forwarded from this function's contract.
        let seal = unsafe { handle(seal)? };
        // SAFETY: each output is written only when non-NULL, as documented.
        unsafe {
            if !version_out.is_null() {
                write(version_out, u32::from(seal.seal.version.number()));
            }
            if !es_id_out.is_null() {
                write(es_id_out, seal.es_id.as_ptr());
            }
            if !name_out.is_null() {
                write(name_out, seal.name.as_ptr());
            }
        }
        Ok(())
    })
}

/// Verifies a seal on its own at `unix_time` (seconds since 1970-01-01T00:00:00Z, or
/// `ESEAL_TIME_NOW`), with the default SM2 ID.
///
/// # Safety
///
/// `seal` must be a live seal; `report_out` must be writable. On success it holds a report to
/// release with `eseal_report_free`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_seal_verify(
    seal: *const eseal_seal,
    unix_time: i64,
    report_out: *mut *mut eseal_report,
) -> eseal_result {
    guard(|| {
        // SAFETY: forwarded from this function's contract.
        let seal = unsafe { handle(seal)? };
        let report_out = out(report_out)?;
        let options = VerifyOptions {
            at: time_arg(unix_time)?,
            ..VerifyOptions::default()
        };
        let report = verify_seal(&seal.seal, &options);
        // SAFETY: checked by `out`.
        unsafe { write(report_out, into_handle(eseal_report::from_seal(&report))) };
        Ok(())
    })
}

/// Releases a seal. NULL is ignored.
///
/// # Safety
///
/// `seal` must be NULL or a seal from this library that is not used afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_seal_free(seal: *mut eseal_seal) {
    // SAFETY: forwarded from this function's contract.
    unsafe { free_handle(seal) }
}

/// Starts a V4 seal with its code (esID) and name, NUL-terminated UTF-8.
///
/// # Safety
///
/// `es_id` and `name` must be NUL-terminated strings; `builder_out` must be writable. On
/// success it holds a builder to release with `eseal_seal_builder_free`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_seal_builder_new(
    es_id: *const c_char,
    name: *const c_char,
    builder_out: *mut *mut eseal_seal_builder,
) -> eseal_result {
    guard(|| {
        // SAFETY: forwarded from this function's contract.
        let (es_id, name) = unsafe { (text(es_id)?, text(name)?) };
        let builder_out = out(builder_out)?;
        let builder = eseal_seal_builder {
            builder: Some(SealBuilder::new(es_id, name)),
        };
        // SAFETY: checked by `out`.
        unsafe { write(builder_out, into_handle(builder)) };
        Ok(())
    })
}

/// Applies one change to a builder. A builder whose change failed keeps its earlier state.
fn update(
    builder: &mut eseal_seal_builder,
    change: impl FnOnce(SealBuilder) -> Result<SealBuilder, Failure>,
) -> Result<(), Failure> {
    let current = builder
        .builder
        .clone()
        .ok_or(eseal_result::InvalidArgument)?;
    builder.builder = Some(change(current)?);
    Ok(())
}

/// Sets the version: 1 (GM/T 0031-2014), 4 (GB/T 38540-2020, the default) or 5.
///
/// # Safety
///
/// `builder` must be a live builder used by no other thread during the call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_seal_builder_set_version(
    builder: *mut eseal_seal_builder,
    version: u32,
) -> eseal_result {
    guard(|| {
        // SAFETY: forwarded from this function's contract.
        let builder = unsafe { handle_mut(builder)? };
        let version = match version {
            1 => Version::V1,
            4 => Version::V4,
            5 => Version::V5,
            _ => return Err(eseal_result::InvalidArgument.into()),
        };
        update(builder, |b| Ok(b.version(version)))
    })
}

/// Sets SES_Header.Vid (NUL-terminated ASCII) and SES_ESPropertyInfo.type.
///
/// # Safety
///
/// `builder` must be a live builder used by no other thread; `vendor_id` a NUL-terminated string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_seal_builder_set_vendor_and_type(
    builder: *mut eseal_seal_builder,
    vendor_id: *const c_char,
    seal_type: i64,
) -> eseal_result {
    guard(|| {
        // SAFETY: forwarded from this function's contract.
        let (builder, vendor_id) = unsafe { (handle_mut(builder)?, text(vendor_id)?) };
        update(builder, |b| Ok(b.vendor_id(vendor_id).seal_type(seal_type)))
    })
}

/// Sets validStart and validEnd in seconds since 1970-01-01T00:00:00Z.
///
/// # Safety
///
/// `builder` must be a live builder used by no other thread during the call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_seal_builder_set_validity(
    builder: *mut eseal_seal_builder,
    valid_start: i64,
    valid_end: i64,
) -> eseal_result {
    guard(|| {
        // SAFETY: forwarded from this function's contract.
        let builder = unsafe { handle_mut(builder)? };
        let start = time_arg(valid_start)?.ok_or(eseal_result::InvalidArgument)?;
        let end = time_arg(valid_end)?.ok_or(eseal_result::InvalidArgument)?;
        update(builder, |b| Ok(b.validity(start, end)))
    })
}

/// Sets the picture; its type is detected from its bytes (PNG, JPEG, GIF, BMP, SVG or OFD).
/// Width and height are in millimetres, 1 to 1000; the picture is at most
/// `ESEAL_MAX_PICTURE_BYTES` bytes.
///
/// # Safety
///
/// `builder` must be a live builder used by no other thread; `data` must point to `len`
/// readable bytes, which are copied.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_seal_builder_set_picture(
    builder: *mut eseal_seal_builder,
    data: *const u8,
    len: usize,
    width_mm: i64,
    height_mm: i64,
) -> eseal_result {
    guard(|| {
        // SAFETY: forwarded from this function's contract.
        let (builder, data) = unsafe { (handle_mut(builder)?, bytes(data, len)?) };
        update(builder, |b| {
            b.picture(data.to_vec(), width_mm, height_mm)
                .map_err(Failure::from)
        })
    })
}

/// Authorises a signer: by whole certificate (`by_digest` false, certListType 1) or by SM3
/// digest (`by_digest` true, certListType 2). A seal lists one kind, so mixing them makes
/// `eseal_seal_builder_sign` fail with `ESEAL_RESULT_ENCODE_FAILED`.
///
/// # Safety
///
/// `builder` must be a live builder used by no other thread; `cert` a live certificate.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_seal_builder_add_signer(
    builder: *mut eseal_seal_builder,
    cert: *const eseal_certificate,
    by_digest: bool,
) -> eseal_result {
    guard(|| {
        // SAFETY: forwarded from this function's contract.
        let (builder, cert) = unsafe { (handle_mut(builder)?, handle(cert)?) };
        update(builder, |b| {
            Ok(if by_digest {
                b.signer_certificate_digest(&cert.cert)
            } else {
                b.signer_certificate(&cert.cert)
            })
        })
    })
}

/// Signs the seal with the maker's key and certificate. The builder stays usable.
///
/// # Safety
///
/// `builder` must be a live builder used by no other thread; `maker_key` and `maker_cert` live
/// handles; `seal_out` writable. On success it holds a seal to release with `eseal_seal_free`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_seal_builder_sign(
    builder: *mut eseal_seal_builder,
    maker_key: *const eseal_private_key,
    maker_cert: *const eseal_certificate,
    seal_out: *mut *mut eseal_seal,
) -> eseal_result {
    guard(|| {
        // SAFETY: forwarded from this function's contract.
        let (builder, key, cert) = unsafe {
            (
                handle_mut(builder)?,
                handle(maker_key)?,
                handle(maker_cert)?,
            )
        };
        let seal_out = out(seal_out)?;
        let current = builder
            .builder
            .clone()
            .ok_or(eseal_result::InvalidArgument)?;
        let seal = current.sign(&key.key, &cert.cert)?;
        // SAFETY: checked by `out`.
        unsafe { write(seal_out, into_handle(eseal_seal::new(seal))) };
        Ok(())
    })
}

/// Releases a builder. NULL is ignored.
///
/// # Safety
///
/// `builder` must be NULL or a builder from this library that is not used afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_seal_builder_free(builder: *mut eseal_seal_builder) {
    // SAFETY: forwarded from this function's contract.
    unsafe { free_handle(builder) }
}
