//! OFD documents: verification and signing, from memory or from files.

use std::ffi::{c_char, c_void};
use std::io::{Cursor, Read, Seek, Write};

use super::boundary::{
    Failure, bytes, free_handle, guard, handle, into_handle, out, text, time_arg, write,
};
use super::keys::{eseal_certificate, eseal_private_key};
use super::report::eseal_report;
use super::result::eseal_result;
use super::seal::eseal_seal;
use super::time_stamp::{CallbackStamper, eseal_time_stamp_callback};
use crate::ofd::{
    Limits, OfdSignOptions, StampPlacement, sign_ofd, sign_ofd_with_time_stamp, verify_ofd,
};
use crate::sign::TimeStamper;
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
        let signing = OfdSigning {
            seal,
            key,
            cert,
            unix_time,
            stamps,
            stamp_count,
            protect_signature_list,
        };
        // SAFETY: forwarded from this function's contract.
        unsafe { sign_in_memory(data, len, &signing, None, signed_out) }
    })
}

/// Signs an OFD document held in memory as `eseal_ofd_sign` does and adds a time stamp from
/// `callback` to the new signature (SES_Signature.timeStamp), checked as
/// `eseal_sign_with_time_stamp` checks it. The callback gets the DER signature value of the
/// new signature.
///
/// A callback failure gives `ESEAL_RESULT_TIME_STAMP_FAILED`, a token that fails the checks
/// `ESEAL_RESULT_TIME_STAMP_INVALID`, a V1 seal `ESEAL_RESULT_ENCODE_FAILED` (V1 signatures
/// have no timeStamp field) and a NULL callback `ESEAL_RESULT_NULL_ARGUMENT`. Nothing is output
/// on failure. The callback is called at most once, on this thread.
///
/// # Safety
///
/// As for `eseal_ofd_sign`. `callback` must be a valid function that may be called from this
/// thread with `context`. It reads `len` bytes at its `data` argument, writes at most
/// `token_capacity` bytes at `token_out` and writes one `size_t` at `token_len_out`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_ofd_sign_with_time_stamp(
    data: *const u8,
    len: usize,
    seal: *const eseal_seal,
    key: *const eseal_private_key,
    cert: *const eseal_certificate,
    unix_time: i64,
    stamps: *const eseal_stamp,
    stamp_count: usize,
    protect_signature_list: bool,
    callback: eseal_time_stamp_callback,
    context: *mut c_void,
    signed_out: *mut *mut eseal_buffer,
) -> eseal_result {
    guard(|| {
        let callback = callback.ok_or(eseal_result::NullArgument)?;
        let stamper = CallbackStamper::new(callback, context);
        let signing = OfdSigning {
            seal,
            key,
            cert,
            unix_time,
            stamps,
            stamp_count,
            protect_signature_list,
        };
        // SAFETY: forwarded from this function's contract.
        unsafe { sign_in_memory(data, len, &signing, Some(&stamper), signed_out) }
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
        let signing = OfdSigning {
            seal,
            key,
            cert,
            unix_time,
            stamps,
            stamp_count,
            protect_signature_list,
        };
        // SAFETY: forwarded from this function's contract.
        unsafe { sign_file(input_path, output_path, &signing, None) }
    })
}

/// Signs the OFD document at `input_path` into `output_path` as `eseal_ofd_sign_file` does and
/// adds a time stamp from `callback` as `eseal_ofd_sign_with_time_stamp` does, with the same
/// result codes. On failure nothing is written: an existing file at `output_path` is left
/// untouched and no temporary file remains.
///
/// # Safety
///
/// As for `eseal_ofd_sign_file`, and `callback` as for `eseal_ofd_sign_with_time_stamp`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_ofd_sign_file_with_time_stamp(
    input_path: *const c_char,
    output_path: *const c_char,
    seal: *const eseal_seal,
    key: *const eseal_private_key,
    cert: *const eseal_certificate,
    unix_time: i64,
    stamps: *const eseal_stamp,
    stamp_count: usize,
    protect_signature_list: bool,
    callback: eseal_time_stamp_callback,
    context: *mut c_void,
) -> eseal_result {
    guard(|| {
        let callback = callback.ok_or(eseal_result::NullArgument)?;
        let stamper = CallbackStamper::new(callback, context);
        let signing = OfdSigning {
            seal,
            key,
            cert,
            unix_time,
            stamps,
            stamp_count,
            protect_signature_list,
        };
        // SAFETY: forwarded from this function's contract.
        unsafe { sign_file(input_path, output_path, &signing, Some(&stamper)) }
    })
}

/// The arguments that the four OFD signing functions share, as the caller passed them.
struct OfdSigning {
    seal: *const eseal_seal,
    key: *const eseal_private_key,
    cert: *const eseal_certificate,
    unix_time: i64,
    stamps: *const eseal_stamp,
    stamp_count: usize,
    protect_signature_list: bool,
}

/// The checked handles and options of an `OfdSigning`, borrowed for the call.
struct CheckedSigning<'a> {
    seal: &'a eseal_seal,
    key: &'a eseal_private_key,
    cert: &'a eseal_certificate,
    options: OfdSignOptions,
}

impl OfdSigning {
    /// Checks the handles and reads the stamps.
    ///
    /// # Safety
    ///
    /// The handles must be NULL or live, and `stamps` must point to `stamp_count` readable
    /// stamps.
    unsafe fn check(&self) -> Result<CheckedSigning<'_>, Failure> {
        // SAFETY: forwarded from this function's contract.
        let (seal, key, cert) =
            unsafe { (handle(self.seal)?, handle(self.key)?, handle(self.cert)?) };
        // SAFETY: forwarded from this function's contract.
        let options = unsafe {
            sign_options(
                self.unix_time,
                self.stamps,
                self.stamp_count,
                self.protect_signature_list,
            )?
        };
        Ok(CheckedSigning {
            seal,
            key,
            cert,
            options,
        })
    }
}

impl CheckedSigning<'_> {
    /// Signs `input` into `output`, with a time stamp when `stamp` is given.
    fn sign<R: Read + Seek, W: Write + Seek>(
        &self,
        input: R,
        output: W,
        stamp: Option<&TimeStamper<'_>>,
    ) -> crate::Result<()> {
        let (seal, key, cert) = (&self.seal.seal, &self.key.key, &self.cert.cert);
        match stamp {
            Some(stamp) => {
                sign_ofd_with_time_stamp(input, output, seal, key, cert, &self.options, stamp)
            }
            None => sign_ofd(input, output, seal, key, cert, &self.options),
        }
        .map(|_| ())
    }
}

/// Runs `sign` with the callback of `stamper` as its time stamper, or with none, so that a
/// time stamp failure gets the code `CallbackStamper` stored.
fn run_signing(
    stamper: Option<&CallbackStamper>,
    sign: impl FnOnce(Option<&TimeStamper<'_>>) -> crate::Result<()>,
) -> Result<(), Failure> {
    match stamper {
        Some(stamper) => stamper.sign_with(|stamp| sign(Some(stamp))),
        None => Ok(sign(None)?),
    }
}

/// Signs an OFD document held in memory for `eseal_ofd_sign` and
/// `eseal_ofd_sign_with_time_stamp`, with a time stamp when `stamper` is given.
///
/// # Safety
///
/// As for `eseal_ofd_sign`.
unsafe fn sign_in_memory(
    data: *const u8,
    len: usize,
    signing: &OfdSigning,
    stamper: Option<&CallbackStamper>,
    signed_out: *mut *mut eseal_buffer,
) -> Result<(), Failure> {
    // SAFETY: forwarded from this function's contract.
    let (data, signer) = unsafe { (bytes(data, len)?, signing.check()?) };
    let signed_out = out(signed_out)?;
    let mut output = Cursor::new(Vec::new());
    run_signing(stamper, |stamp| {
        signer.sign(Cursor::new(data), &mut output, stamp)
    })?;
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
}

/// Signs an OFD file for `eseal_ofd_sign_file` and `eseal_ofd_sign_file_with_time_stamp`, with
/// a time stamp when `stamper` is given.
///
/// # Safety
///
/// As for `eseal_ofd_sign_file`.
unsafe fn sign_file(
    input_path: *const c_char,
    output_path: *const c_char,
    signing: &OfdSigning,
    stamper: Option<&CallbackStamper>,
) -> Result<(), Failure> {
    // SAFETY: forwarded from this function's contract.
    let (input_path, output_path) = unsafe { (text(input_path)?, text(output_path)?) };
    // SAFETY: forwarded from this function's contract.
    let signer = unsafe { signing.check()? };
    let input = std::fs::File::open(input_path).map_err(crate::Error::Io)?;
    run_signing(stamper, |stamp| {
        crate::ofd::write_output_file(
            std::path::Path::new(input_path),
            std::path::Path::new(output_path),
            |writer| signer.sign(std::io::BufReader::new(input), writer, stamp),
        )
    })
}
