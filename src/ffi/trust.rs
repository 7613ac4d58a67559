//! Trust policies for verification: roots, CRLs, seal revocation lists and an online
//! revocation callback.

use std::ffi::{c_char, c_void};
use std::io::Cursor;
use std::sync::Arc;

use super::boundary::{
    Failure, bytes, free_handle, guard, handle, handle_mut, into_handle, out, text, time_arg, write,
};
use super::report::eseal_report;
use super::result::eseal_result;
use super::seal::eseal_seal;
use super::signature::eseal_signature;
use crate::cert::Certificate;
use crate::ofd::{Limits, verify_ofd};
use crate::time::Time;
use crate::trust::{Crl, RevocationChecker, RevocationStatus, SealRevocationList, TrustPolicy};
use crate::verify::{SignedData, VerifyOptions, verify_seal, verify_signature};

/// A trust policy being assembled: certificates, CRLs and seal revocation lists. Change it from
/// one thread; once complete, it may be used by several threads verifying at once.
pub struct eseal_trust {
    policy: TrustPolicy,
}

/// The result of an online revocation callback.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum eseal_revocation_status {
    /// Not revoked at the time asked.
    Good = 0,
    /// Revoked; the callback writes the revocation time.
    Revoked = 1,
    /// No answer.
    Unknown = 2,
}

/// An online revocation check: given a certificate and its issuer (DER) and a time, returns
/// `ESEAL_REVOCATION_STATUS_*` as a number, and for a revoked certificate writes the
/// revocation time (seconds since 1970-01-01T00:00:00Z) to `revoked_at_out`; REVOKED with no
/// time written (or a negative one) counts as revoked since 1970. It is asked only
/// about certificates that no given CRL covers, and may be called from any thread that
/// verifies with the policy.
pub type eseal_revocation_callback = Option<
    unsafe extern "C" fn(
        context: *mut c_void,
        cert_der: *const u8,
        cert_len: usize,
        issuer_der: *const u8,
        issuer_len: usize,
        unix_time: i64,
        revoked_at_out: *mut i64,
    ) -> u32,
>;

struct CallbackChecker {
    callback:
        unsafe extern "C" fn(*mut c_void, *const u8, usize, *const u8, usize, i64, *mut i64) -> u32,
    context: *mut c_void,
}

// SAFETY: `eseal_trust_set_revocation_callback` requires a callback and context that may be
// used from any thread, which is all that Send and Sync promise here.
unsafe impl Send for CallbackChecker {}
// SAFETY: as above.
unsafe impl Sync for CallbackChecker {}

impl RevocationChecker for CallbackChecker {
    fn check(&self, cert: &Certificate, issuer: &Certificate, at: Time) -> RevocationStatus {
        let mut revoked_at = -1i64;
        let seconds = i64::try_from(at.unix_seconds()).unwrap_or(i64::MAX);
        // SAFETY: the buffers live for the call, and the caller of
        // eseal_trust_set_revocation_callback promised a callback that reads them within the
        // given lengths and writes one i64 at `revoked_at_out`.
        let status = unsafe {
            (self.callback)(
                self.context,
                cert.as_der().as_ptr(),
                cert.as_der().len(),
                issuer.as_der().as_ptr(),
                issuer.as_der().len(),
                seconds,
                &mut revoked_at,
            )
        };
        match status {
            0 => RevocationStatus::Good,
            1 if revoked_at >= 0 => RevocationStatus::Revoked {
                at: Time::from_unix_seconds(revoked_at as u64),
            },
            // A revocation without a valid time is taken as revoked since the beginning.
            1 => RevocationStatus::Revoked {
                at: Time::from_unix_seconds(0),
            },
            _ => RevocationStatus::Unknown,
        }
    }
}

/// Makes an empty trust policy.
///
/// # Safety
///
/// `trust_out` must be writable; on success it holds a policy to release with
/// `eseal_trust_free`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_trust_new(trust_out: *mut *mut eseal_trust) -> eseal_result {
    guard(|| {
        let trust_out = out(trust_out)?;
        // SAFETY: checked by `out`.
        unsafe {
            write(
                trust_out,
                into_handle(eseal_trust {
                    policy: TrustPolicy::default(),
                }),
            )
        };
        Ok(())
    })
}

/// Adds certificates (one DER certificate or PEM text with one or more): self-issued ones
/// become trusted roots, the others intermediates.
///
/// # Safety
///
/// `trust` must be a live policy used by no other thread; `data` must point to `len` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_trust_add_certificates(
    trust: *mut eseal_trust,
    data: *const u8,
    len: usize,
) -> eseal_result {
    guard(|| {
        // SAFETY: forwarded from this function's contract.
        let (trust, data) = unsafe { (handle_mut(trust)?, bytes(data, len)?) };
        trust.policy.store.add_pem_or_der(data)?;
        Ok(())
    })
}

/// Adds certificates as `eseal_trust_add_certificates` does and writes how many were added to
/// `count_out`. Nothing is added when the call fails.
///
/// # Safety
///
/// `trust` must be a live policy used by no other thread; `data` must point to `len` bytes;
/// `count_out` must be writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_trust_add_certificates_with_count(
    trust: *mut eseal_trust,
    data: *const u8,
    len: usize,
    count_out: *mut usize,
) -> eseal_result {
    guard(|| {
        // SAFETY: forwarded from this function's contract.
        let (trust, data) = unsafe { (handle_mut(trust)?, bytes(data, len)?) };
        let count_out = out(count_out)?;
        let count = trust.policy.store.add_pem_or_der(data)?;
        // SAFETY: checked by `out`.
        unsafe { write(count_out, count) };
        Ok(())
    })
}

/// Adds a CRL (PEM or DER). It is used only when its signature verifies with its issuer, which
/// is checked during verification, so a CRL with a bad signature is added here. Bytes that are
/// not a well-formed CRL give `ESEAL_RESULT_CRL_INVALID`.
///
/// # Safety
///
/// `trust` must be a live policy used by no other thread; `data` must point to `len` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_trust_add_crl(
    trust: *mut eseal_trust,
    data: *const u8,
    len: usize,
) -> eseal_result {
    guard(|| {
        // SAFETY: forwarded from this function's contract.
        let (trust, data) = unsafe { (handle_mut(trust)?, bytes(data, len)?) };
        let crl = Crl::from_pem_or_der(data)
            .map_err(|error| Failure::with_code(eseal_result::CrlInvalid, &error))?;
        trust.policy.crls.push(crl);
        Ok(())
    })
}

/// Adds a seal revocation list (PEM or DER). A list whose signature or signer does not verify
/// makes the `seal.revocation` check fail during verification. Bytes that are not a
/// well-formed list give `ESEAL_RESULT_SEAL_REVOCATION_LIST_INVALID`.
///
/// # Safety
///
/// `trust` must be a live policy used by no other thread; `data` must point to `len` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_trust_add_seal_revocation_list(
    trust: *mut eseal_trust,
    data: *const u8,
    len: usize,
) -> eseal_result {
    guard(|| {
        // SAFETY: forwarded from this function's contract.
        let (trust, data) = unsafe { (handle_mut(trust)?, bytes(data, len)?) };
        let list = SealRevocationList::from_pem_or_der(data)
            .map_err(|error| Failure::with_code(eseal_result::SealRevocationListInvalid, &error))?;
        trust.policy.seal_revocations.push(list);
        Ok(())
    })
}

/// Sets the online revocation callback (replacing an earlier one); NULL removes it.
///
/// # Safety
///
/// `trust` must be a live policy used by no other thread. `callback` and `context` must stay
/// usable, from any thread, for as long as the policy is used.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_trust_set_revocation_callback(
    trust: *mut eseal_trust,
    callback: eseal_revocation_callback,
    context: *mut c_void,
) -> eseal_result {
    guard(|| {
        // SAFETY: forwarded from this function's contract.
        let trust = unsafe { handle_mut(trust)? };
        trust.policy.checker = callback.map(|callback| {
            Arc::new(CallbackChecker { callback, context }) as Arc<dyn RevocationChecker>
        });
        Ok(())
    })
}

/// Releases a policy. NULL is ignored.
///
/// # Safety
///
/// `trust` must be NULL or a policy from this library that is not used afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_trust_free(trust: *mut eseal_trust) {
    // SAFETY: forwarded from this function's contract.
    unsafe { free_handle(trust) }
}

pub(super) fn options(trust: Option<&eseal_trust>, at: Option<Time>) -> VerifyOptions {
    VerifyOptions {
        at,
        trust: trust.map(|t| Arc::new(t.policy.clone())),
        ..VerifyOptions::default()
    }
}

/// Verifies a signature as `eseal_signature_verify` does, with a trust policy (NULL for none),
/// so that chains, key usage and revocation are checked.
///
/// # Safety
///
/// As for `eseal_signature_verify`; `trust` must be NULL or a live policy.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_signature_verify_with_trust(
    signature: *const eseal_signature,
    data: *const u8,
    len: usize,
    trust: *const eseal_trust,
    report_out: *mut *mut eseal_report,
) -> eseal_result {
    guard(|| {
        // SAFETY: forwarded from this function's contract.
        let signature = unsafe { handle(signature)? };
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
        let report = verify_signature(signature.inner(), data, &options(trust, None));
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
/// `eseal_signature_verify_digest` does, with a trust policy (NULL for none).
///
/// # Safety
///
/// As for `eseal_signature_verify_digest`; `trust` must be NULL or a live policy.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_signature_verify_digest_with_trust(
    signature: *const eseal_signature,
    digest: *const u8,
    trust: *const eseal_trust,
    report_out: *mut *mut eseal_report,
) -> eseal_result {
    guard(|| {
        // SAFETY: forwarded from this function's contract.
        let (signature, digest) = unsafe { (handle(signature)?, bytes(digest, 32)?) };
        // SAFETY: NULL is allowed; otherwise a live policy as the caller promises.
        let trust = unsafe { trust.as_ref() };
        let report_out = out(report_out)?;
        let digest: [u8; 32] = digest
            .try_into()
            .map_err(|_| eseal_result::InvalidArgument)?;
        let report = verify_signature(
            signature.inner(),
            SignedData::Digest(digest),
            &options(trust, None),
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

/// Verifies a seal at `unix_time` (or `ESEAL_TIME_NOW`) with a trust policy (NULL for none).
///
/// # Safety
///
/// As for `eseal_seal_verify`; `trust` must be NULL or a live policy.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_seal_verify_with_trust(
    seal: *const eseal_seal,
    unix_time: i64,
    trust: *const eseal_trust,
    report_out: *mut *mut eseal_report,
) -> eseal_result {
    guard(|| {
        // SAFETY: forwarded from this function's contract.
        let seal = unsafe { handle(seal)? };
        // SAFETY: NULL is allowed; otherwise a live policy as the caller promises.
        let trust = unsafe { trust.as_ref() };
        let report_out = out(report_out)?;
        let report = verify_seal(&seal.seal, &options(trust, time_arg(unix_time)?));
        // SAFETY: checked by `out`.
        unsafe { write(report_out, into_handle(eseal_report::from_seal(&report))) };
        Ok(())
    })
}

/// Verifies an OFD document held in memory as `eseal_ofd_verify` does, with a trust policy
/// (NULL for none).
///
/// # Safety
///
/// As for `eseal_ofd_verify`; `trust` must be NULL or a live policy.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_ofd_verify_with_trust(
    data: *const u8,
    len: usize,
    trust: *const eseal_trust,
    report_out: *mut *mut eseal_report,
) -> eseal_result {
    guard(|| {
        // SAFETY: forwarded from this function's contract.
        let data = unsafe { bytes(data, len)? };
        // SAFETY: NULL is allowed; otherwise a live policy as the caller promises.
        let trust = unsafe { trust.as_ref() };
        let report_out = out(report_out)?;
        let report = verify_ofd(Cursor::new(data), &options(trust, None), Limits::default())?;
        // SAFETY: checked by `out`.
        unsafe { write(report_out, into_handle(eseal_report::from_ofd(&report))) };
        Ok(())
    })
}

/// Verifies an OFD file as `eseal_ofd_verify_file` does, with a trust policy (NULL for none).
///
/// # Safety
///
/// As for `eseal_ofd_verify_file`; `trust` must be NULL or a live policy.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_ofd_verify_file_with_trust(
    path: *const c_char,
    trust: *const eseal_trust,
    report_out: *mut *mut eseal_report,
) -> eseal_result {
    guard(|| {
        // SAFETY: forwarded from this function's contract.
        let path = unsafe { text(path)? };
        // SAFETY: NULL is allowed; otherwise a live policy as the caller promises.
        let trust = unsafe { trust.as_ref() };
        let report_out = out(report_out)?;
        let report = super::ofd::verify_path(path, &options(trust, None))?;
        // SAFETY: checked by `out`.
        unsafe { write(report_out, into_handle(eseal_report::from_ofd(&report))) };
        Ok(())
    })
}
