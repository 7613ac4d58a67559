//! The checks every exported function runs at the boundary: panics, NULL pointers, slices,
//! strings and times.

use std::cell::RefCell;
use std::ffi::{CStr, CString, c_char};
use std::panic::{AssertUnwindSafe, catch_unwind};

use super::result::eseal_result;
use crate::error::Error;
use crate::time::Time;

/// A failed call: its result code and the detailed message for `eseal_last_error_message`.
pub(crate) struct Failure {
    code: eseal_result,
    message: String,
}

impl Failure {
    pub(crate) fn new(code: eseal_result, message: String) -> Self {
        Self { code, message }
    }

    /// Makes a failure with `code` in place of the error's own code, keeping the error's
    /// message, for calls that know more about what failed than the error's kind shows.
    pub(crate) fn with_code(code: eseal_result, error: &Error) -> Self {
        Self {
            code,
            message: error.to_string(),
        }
    }
}

impl From<eseal_result> for Failure {
    fn from(code: eseal_result) -> Self {
        let message = static_message(code);
        Self { code, message }
    }
}

impl From<Error> for Failure {
    fn from(error: Error) -> Self {
        Self {
            code: eseal_result::from(&error),
            message: error.to_string(),
        }
    }
}

impl From<crate::ofd::OfdError> for Failure {
    fn from(error: crate::ofd::OfdError) -> Self {
        Error::from(error).into()
    }
}

/// The static message of a code, as an owned string.
fn static_message(code: eseal_result) -> String {
    // SAFETY: eseal_result_message returns a static NUL-terminated string for every input.
    unsafe { CStr::from_ptr(super::result::eseal_result_message(code as u32)) }
        .to_string_lossy()
        .into_owned()
}

thread_local! {
    /// The message of the last failed call on this thread.
    static LAST_ERROR: RefCell<CString> = RefCell::new(CString::default());
}

fn remember(message: &str) {
    let text = CString::new(message.replace('\0', "")).unwrap_or_default();
    LAST_ERROR.with(|last| *last.borrow_mut() = text);
}

/// Runs an exported function's body, turning an error into its code and a panic into
/// [`eseal_result::Panic`]. The detailed message of a failure is kept for
/// `eseal_last_error_message`.
pub(crate) fn guard(body: impl FnOnce() -> Result<(), Failure>) -> eseal_result {
    match catch_unwind(AssertUnwindSafe(body)) {
        Ok(Ok(())) => eseal_result::Ok,
        Ok(Err(failure)) => {
            remember(&failure.message);
            failure.code
        }
        Err(_) => {
            remember("internal error (panic) in eseal; the call had no effect");
            eseal_result::Panic
        }
    }
}

/// Returns the detailed English message of the last call on this thread that failed, for
/// example the structure, field and byte offset of a parse error. The string is owned by the
/// library and valid until the next failing call on the same thread; it is empty when no call
/// has failed. Successful calls leave it unchanged.
#[unsafe(no_mangle)]
pub extern "C" fn eseal_last_error_message() -> *const c_char {
    LAST_ERROR.with(|last| last.borrow().as_ptr())
}

/// Borrows a handle, rejecting NULL.
///
/// # Safety
///
/// `ptr` must be NULL or a live handle of type `T` made by this library.
pub(crate) unsafe fn handle<'a, T>(ptr: *const T) -> Result<&'a T, eseal_result> {
    // SAFETY: the caller promises `ptr` is NULL or a live handle; NULL is rejected here.
    unsafe { ptr.as_ref() }.ok_or(eseal_result::NullArgument)
}

/// Borrows a handle mutably, rejecting NULL.
///
/// # Safety
///
/// `ptr` must be NULL or a live handle of type `T` that no other thread uses during the call.
pub(crate) unsafe fn handle_mut<'a, T>(ptr: *mut T) -> Result<&'a mut T, eseal_result> {
    // SAFETY: as for `handle`, and the caller promises exclusive use during the call.
    unsafe { ptr.as_mut() }.ok_or(eseal_result::NullArgument)
}

/// Borrows `len` bytes at `ptr`. NULL is accepted only with `len` 0.
///
/// # Safety
///
/// Unless NULL, `ptr` must point to `len` readable bytes that stay unchanged during the call.
pub(crate) unsafe fn bytes<'a>(ptr: *const u8, len: usize) -> Result<&'a [u8], eseal_result> {
    if ptr.is_null() {
        return if len == 0 {
            Ok(&[])
        } else {
            Err(eseal_result::NullArgument)
        };
    }
    if len > isize::MAX as usize {
        return Err(eseal_result::InvalidArgument);
    }
    // SAFETY: non-NULL, and the caller promises `len` readable bytes.
    Ok(unsafe { std::slice::from_raw_parts(ptr, len) })
}

/// Borrows a NUL-terminated UTF-8 string.
///
/// # Safety
///
/// Unless NULL, `ptr` must point to a NUL-terminated string that stays unchanged during the call.
pub(crate) unsafe fn text<'a>(ptr: *const c_char) -> Result<&'a str, eseal_result> {
    if ptr.is_null() {
        return Err(eseal_result::NullArgument);
    }
    // SAFETY: non-NULL and NUL-terminated as the caller promises.
    let c_str = unsafe { CStr::from_ptr(ptr) };
    c_str.to_str().map_err(|_| eseal_result::InvalidArgument)
}

/// Checks that an output pointer is not NULL; the value is written later, on success only.
pub(crate) fn out<T>(ptr: *mut T) -> Result<*mut T, eseal_result> {
    if ptr.is_null() {
        Err(eseal_result::NullArgument)
    } else {
        Ok(ptr)
    }
}

/// Writes an output checked by [`out`].
///
/// # Safety
///
/// `ptr` must come from [`out`] and point to writable memory for a `T`.
pub(crate) unsafe fn write<T>(ptr: *mut T, value: T) {
    // SAFETY: non-NULL (checked by `out`) and writable as the caller promises. The previous
    // contents are not dropped because they may be uninitialised.
    unsafe { ptr.write(value) }
}

/// Moves a value to the heap and returns the handle given to C.
pub(crate) fn into_handle<T>(value: T) -> *mut T {
    Box::into_raw(Box::new(value))
}

/// Releases a handle made by [`into_handle`]; NULL is ignored.
///
/// # Safety
///
/// `ptr` must be NULL or a handle of type `T` from this library that is not used afterwards.
pub(crate) unsafe fn free_handle<T>(ptr: *mut T) {
    if !ptr.is_null() {
        // SAFETY: made by `Box::into_raw` in `into_handle`, released once as the caller promises.
        drop(unsafe { Box::from_raw(ptr) });
    }
}

/// The value C callers pass for "the current time".
pub const ESEAL_TIME_NOW: i64 = -1;

/// Reads a time argument: seconds since 1970-01-01T00:00:00Z, or [`ESEAL_TIME_NOW`].
pub(crate) fn time_arg(unix_seconds: i64) -> Result<Option<Time>, eseal_result> {
    match unix_seconds {
        ESEAL_TIME_NOW => Ok(None),
        seconds if seconds >= 0 => Ok(Some(Time::from_unix_seconds(seconds as u64))),
        _ => Err(eseal_result::InvalidArgument),
    }
}

/// Panics inside the boundary guard, so that bindings can test that a panic becomes
/// `ESEAL_RESULT_PANIC` and the process goes on. Test use only.
#[unsafe(no_mangle)]
pub extern "C" fn eseal_debug_panic() -> eseal_result {
    guard(|| panic!("panic requested by eseal_debug_panic"))
}
