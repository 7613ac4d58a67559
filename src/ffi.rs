//! The C ABI.
//!
//! Every exported function returns an [`eseal_result`] (0 is success) unless it cannot fail,
//! writes its outputs only on success, checks every pointer for NULL, and turns a panic into
//! [`eseal_result::ESEAL_RESULT_PANIC`] instead of unwinding into C. Opaque handles are released
//! by their `_free` function, which accepts NULL.
//!
//! Threads: key, certificate, seal, signature, report and buffer handles are immutable once made, so
//! one handle may be read from several threads at once. A seal builder or a streaming signer is
//! changed by its functions and must be used by one thread at a time.
//!
//! All `unsafe` code of the crate lives in this module.
#![allow(unsafe_code)]
#![allow(non_camel_case_types)]

mod boundary;
mod keys;
mod ofd;
mod report;
mod result;
mod seal;
mod signature;
mod time_stamp;
mod trust;
mod verifier;

pub use keys::*;
pub use ofd::*;
pub use report::*;
pub use result::*;
pub use seal::*;
pub use signature::*;
pub use time_stamp::*;
pub use trust::*;
pub use verifier::*;
