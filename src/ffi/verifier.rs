//! Verifiers that keep what verifications repeat from one call to the next.

use super::boundary::{bytes, free_handle, guard, handle, into_handle, out, write};
use super::report::eseal_report;
use super::result::eseal_result;
use super::signature::eseal_signature;
use super::trust::{eseal_trust, options};
use crate::verify::{SealCache, SignedData, verify_signature_cached};

/// A verifier for many signatures, one call at a time, such as a service that checks each
/// document it receives. Between calls it keeps the maker check of each seal, the certificates
/// it has read and the SM3 state after a seal for each signer. It also keeps tables of the keys
/// that come back, built at a key's eighth verification. All of these have fixed bounds. With
/// the seals of one seal system, a verification is then several times faster than with
/// `eseal_signature_verify`; the reports are the same.
///
/// Nothing it keeps depends on a trust policy, so each call takes its own (or none). Threads
/// may verify with one verifier at once.
pub struct eseal_verifier {
    cache: SealCache,
}

/// Makes a verifier with an empty cache.
///
/// # Safety
///
/// `verifier_out` must be writable. On success it holds a verifier to release with
/// `eseal_verifier_free`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_verifier_new(
    verifier_out: *mut *mut eseal_verifier,
) -> eseal_result {
    guard(|| {
        let verifier_out = out(verifier_out)?;
        let verifier = eseal_verifier {
            cache: SealCache::default(),
        };
        // SAFETY: checked by `out`.
        unsafe { write(verifier_out, into_handle(verifier)) };
        Ok(())
    })
}

/// Verifies a signature against the original data, as `eseal_signature_verify_with_trust`
/// does, using and filling the verifier's cache. `data` NULL (with `len` 0) means no data;
/// `trust` NULL means no trust policy.
///
/// # Safety
///
/// `verifier` and `signature` must be live; `data` NULL or `len` readable bytes; `trust` NULL
/// or a live policy; `report_out` writable. On success it holds a report to release with
/// `eseal_report_free`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_verifier_verify(
    verifier: *const eseal_verifier,
    signature: *const eseal_signature,
    data: *const u8,
    len: usize,
    trust: *const eseal_trust,
    report_out: *mut *mut eseal_report,
) -> eseal_result {
    guard(|| {
        // SAFETY: forwarded from this function's contract.
        let (verifier, signature) = unsafe { (handle(verifier)?, handle(signature)?) };
        // SAFETY: NULL is allowed; otherwise a live policy as the caller promises.
        let trust = unsafe { trust.as_ref() };
        let absent = data.is_null();
        // SAFETY: forwarded from this function's contract.
        let data = unsafe { bytes(data, len)? };
        let report_out = out(report_out)?;
        let data = if absent {
            SignedData::Absent
        } else {
            SignedData::Bytes(data)
        };
        let report = verify_signature_cached(
            signature.inner(),
            data,
            &options(trust, None),
            &verifier.cache,
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

/// Verifies a signature against the 32-byte SM3 digest of the original data, as
/// `eseal_signature_verify_digest_with_trust` does, using and filling the verifier's cache.
///
/// # Safety
///
/// `verifier` and `signature` must be live; `digest` must point to 32 readable bytes; `trust`
/// NULL or a live policy; `report_out` writable. On success it holds a report to release with
/// `eseal_report_free`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_verifier_verify_digest(
    verifier: *const eseal_verifier,
    signature: *const eseal_signature,
    digest: *const u8,
    trust: *const eseal_trust,
    report_out: *mut *mut eseal_report,
) -> eseal_result {
    guard(|| {
        // SAFETY: forwarded from this function's contract.
        let (verifier, signature, digest) =
            unsafe { (handle(verifier)?, handle(signature)?, bytes(digest, 32)?) };
        // SAFETY: NULL is allowed; otherwise a live policy as the caller promises.
        let trust = unsafe { trust.as_ref() };
        let report_out = out(report_out)?;
        let digest: [u8; 32] = digest
            .try_into()
            .map_err(|_| eseal_result::InvalidArgument)?;
        let report = verify_signature_cached(
            signature.inner(),
            SignedData::Digest(digest),
            &options(trust, None),
            &verifier.cache,
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

/// Releases a verifier and its cache. NULL is ignored.
///
/// # Safety
///
/// `verifier` must be NULL or a verifier from this library that no thread uses any more.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_verifier_free(verifier: *mut eseal_verifier) {
    // SAFETY: forwarded from this function's contract.
    unsafe { free_handle(verifier) }
}
