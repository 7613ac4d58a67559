//! OFD documents: verification and signing, from memory or from files.

use std::ffi::c_char;
use std::io::Cursor;

use super::boundary::{
    Failure, bytes, free_handle, guard, handle, into_handle, out, text, time_arg, write,
};
use super::keys::{eseal_certificate, eseal_private_key};
use super::report::eseal_report;
use super::result::eseal_result;
use super::seal::eseal_seal;
use crate::ofd::{Limits, OfdSignOptions, StampPlacement, sign_ofd, verify_ofd};
use crate::verify::VerifyOptions;

/// A byte buffer made by the library, such as a signed OFD document. Immutable; may be shared
/// between threads.
pub struct eseal_buffer {
    data: Vec<u8>,
}

/// Where a seal appears on an OFD page, in millimetres. With `clipped`, only the part of the
/// seal inside the clip box (relative to the seal's box) is shown, as for one page of a riding
/// seal.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct eseal_stamp {
    /// Page number, counting from 1.
    pub page: u32,
    /// Left edge of the seal's box.
    pub x: f64,
    /// Top edge of the seal's box.
    pub y: f64,
    /// Width of the seal's box.
    pub width: f64,
    /// Height of the seal's box.
    pub height: f64,
    /// Whether the clip box below applies.
    pub clipped: bool,
    /// Left edge of the clip box, relative to the seal's box.
    pub clip_x: f64,
    /// Top edge of the clip box.
    pub clip_y: f64,
    /// Width of the clip box.
    pub clip_width: f64,
    /// Height of the clip box.
    pub clip_height: f64,
}

/// Gets the bytes of a buffer, owned by the buffer and valid until it is freed.
///
/// # Safety
///
/// `buffer` must be a live buffer; both outputs must be writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_buffer_data(
    buffer: *const eseal_buffer,
    data_out: *mut *const u8,
    len_out: *mut usize,
) -> eseal_result {
    guard(|| {
        // SAFETY: forwarded from this function's contract.
        let buffer = unsafe { handle(buffer)? };
        let (data_out, len_out) = (out(data_out)?, out(len_out)?);
        // SAFETY: checked by `out`.
        unsafe {
            write(data_out, buffer.data.as_ptr());
            write(len_out, buffer.data.len());
        }
        Ok(())
    })
}

/// Releases a buffer. NULL is ignored.
///
/// # Safety
///
/// `buffer` must be NULL or a buffer from this library that is not used afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_buffer_free(buffer: *mut eseal_buffer) {
    // SAFETY: forwarded from this function's contract.
    unsafe { free_handle(buffer) }
}

/// Verifies every signature of an OFD document held in memory. The report's JSON is what
/// `eseal verify DOC.ofd --json` prints; its check and finding lists hold every signature's
/// entries one after another (the JSON keeps them per signature).
///
/// # Safety
///
/// `data` must point to `len` readable bytes; `report_out` must be writable. On success it
/// holds a report to release with `eseal_report_free`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_ofd_verify(
    data: *const u8,
    len: usize,
    report_out: *mut *mut eseal_report,
) -> eseal_result {
    guard(|| {
        // SAFETY: forwarded from this function's contract.
        let data = unsafe { bytes(data, len)? };
        let report_out = out(report_out)?;
        let report = verify_ofd(
            Cursor::new(data),
            &VerifyOptions::default(),
            Limits::default(),
        )?;
        // SAFETY: checked by `out`.
        unsafe { write(report_out, into_handle(eseal_report::from_ofd(&report))) };
        Ok(())
    })
}

/// Verifies an OFD document read from a file, streaming its entries so that memory stays
/// bounded for large documents. Otherwise as `eseal_ofd_verify`.
///
/// # Safety
///
/// `path` must be a NUL-terminated UTF-8 path; `report_out` must be writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_ofd_verify_file(
    path: *const c_char,
    report_out: *mut *mut eseal_report,
) -> eseal_result {
    guard(|| {
        // SAFETY: forwarded from this function's contract.
        let path = unsafe { text(path)? };
        let report_out = out(report_out)?;
        let report = verify_path(path, &VerifyOptions::default())?;
        // SAFETY: checked by `out`.
        unsafe { write(report_out, into_handle(eseal_report::from_ofd(&report))) };
        Ok(())
    })
}

/// Most stamps accepted in one signature (a riding seal over a long document needs one per
/// page).
pub const ESEAL_MAX_STAMPS: usize = 10_000;
const MAX_STAMPS: usize = ESEAL_MAX_STAMPS;

/// Verifies the OFD file at `path`, streaming it.
pub(crate) fn verify_path(
    path: &str,
    options: &VerifyOptions,
) -> Result<crate::ofd::OfdReport, Failure> {
    if std::path::Path::new(path).is_dir() {
        return Err(crate::Error::Io(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!("{path} is a folder, not an OFD file"),
        ))
        .into());
    }
    let file = std::fs::File::open(path)
        .map_err(|e| crate::Error::Io(std::io::Error::new(e.kind(), format!("{path}: {e}"))))?;
    Ok(verify_ofd(
        std::io::BufReader::new(file),
        options,
        Limits::default(),
    )?)
}

/// Reads the stamp array and the signing options shared by the two signing functions.
///
/// # Safety
///
/// `stamps` must point to `stamp_count` readable `eseal_stamp` values.
unsafe fn sign_options(
    unix_time: i64,
    stamps: *const eseal_stamp,
    stamp_count: usize,
    protect_signature_list: bool,
) -> Result<OfdSignOptions, Failure> {
    if stamp_count == 0 || stamp_count > MAX_STAMPS {
        return Err(crate::Error::Encode {
            field: "StampAnnot",
            reason: format!("{stamp_count} stamps given; give 1 to {MAX_STAMPS}"),
        }
        .into());
    }
    if stamps.is_null() {
        return Err(eseal_result::NullArgument.into());
    }
    // SAFETY: non-NULL and `stamp_count` values long, as the caller promises.
    let stamps = unsafe { std::slice::from_raw_parts(stamps, stamp_count) };
    let placements = stamps
        .iter()
        .map(|s| StampPlacement {
            page: s.page as usize,
            boundary: [s.x, s.y, s.width, s.height],
            clip: s
                .clipped
                .then_some([s.clip_x, s.clip_y, s.clip_width, s.clip_height]),
        })
        .collect();
    Ok(OfdSignOptions {
        time: time_arg(unix_time)?,
        placements,
        protect_signature_list,
        ..OfdSignOptions::default()
    })
}

/// Adds a seal signature to an OFD document held in memory and returns the signed document.
/// `unix_time` is the signing time in seconds since 1970-01-01T00:00:00Z, or
/// `ESEAL_TIME_NOW`. With `protect_signature_list`, Signatures.xml is protected too, so any
/// later signature invalidates this one. Signing is refused as `eseal_sign` refuses it.
///
/// # Safety
///
/// `data` must point to `len` readable bytes; `seal`, `key` and `cert` must be live handles;
/// `stamps` must point to `stamp_count` (at least 1) stamps; `signed_out` must be writable. On
/// success it holds a buffer to release with `eseal_buffer_free`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_ofd_sign(
    data: *const u8,
    len: usize,
    seal: *const eseal_seal,
    key: *const eseal_private_key,
    cert: *const eseal_certificate,
    unix_time: i64,
    stamps: *const eseal_stamp,
    stamp_count: usize,
    protect_signature_list: bool,
    signed_out: *mut *mut eseal_buffer,
) -> eseal_result {
    guard(|| {
        // SAFETY: forwarded from this function's contract.
        let (data, seal, key, cert) = unsafe {
            (
                bytes(data, len)?,
                handle(seal)?,
                handle(key)?,
                handle(cert)?,
            )
        };
        // SAFETY: forwarded from this function's contract.
        let options =
            unsafe { sign_options(unix_time, stamps, stamp_count, protect_signature_list)? };
        let signed_out = out(signed_out)?;
        let mut output = Cursor::new(Vec::new());
        sign_ofd(
            Cursor::new(data),
            &mut output,
            &seal.seal,
            &key.key,
            &cert.cert,
            &options,
        )?;
        // SAFETY: checked by `out`.
        unsafe {
            write(
                signed_out,
                into_handle(eseal_buffer {
                    data: output.into_inner(),
                }),
            )
        };
        Ok(())
    })
}

/// Adds a seal signature to the OFD document at `input_path` and writes the signed document to
/// `output_path`, which must not be the input file under any name. The output is written to a
/// temporary file beside it and renamed into place only on success, so a failure leaves an
/// existing file at `output_path` untouched. Otherwise as `eseal_ofd_sign`.
///
/// # Safety
///
/// `input_path` and `output_path` must be NUL-terminated UTF-8 paths; the other arguments as
/// for `eseal_ofd_sign`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_ofd_sign_file(
    input_path: *const c_char,
    output_path: *const c_char,
    seal: *const eseal_seal,
    key: *const eseal_private_key,
    cert: *const eseal_certificate,
    unix_time: i64,
    stamps: *const eseal_stamp,
    stamp_count: usize,
    protect_signature_list: bool,
) -> eseal_result {
    guard(|| {
        // SAFETY: forwarded from this function's contract.
        let (input_path, output_path) = unsafe { (text(input_path)?, text(output_path)?) };
        // SAFETY: forwarded from this function's contract.
        let (seal, key, cert) = unsafe { (handle(seal)?, handle(key)?, handle(cert)?) };
        // SAFETY: forwarded from this function's contract.
        let options =
            unsafe { sign_options(unix_time, stamps, stamp_count, protect_signature_list)? };
        let input = std::fs::File::open(input_path).map_err(crate::Error::Io)?;
        crate::ofd::write_output_file(
            std::path::Path::new(input_path),
            std::path::Path::new(output_path),
            |writer| {
                sign_ofd(
                    std::io::BufReader::new(input),
                    writer,
                    &seal.seal,
                    &key.key,
                    &cert.cert,
                    &options,
                )
                .map(|_| ())
            },
        )?;
        Ok(())
    })
}
