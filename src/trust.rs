//! Trust: certificate chains to trusted roots, revocation by CRL, cancelled seals, and online
//! checks supplied by the application.
//!
//! A [`TrustPolicy`] given in [`crate::verify::VerifyOptions`] turns the report's chain, key
//! usage and revocation checks from "not checked" into passed or failed.

mod chain;
mod crl;
mod seal_revocation;

use std::fmt;
use std::path::Path;
use std::sync::Arc;

pub use chain::{ChainError, validate_chain};
pub use crl::{Crl, CrlBuilder};
pub use seal_revocation::{RevokedSeal, SealRevocationList, SealRevocationListBuilder};

use crate::cert::Certificate;
use crate::crypto::CertificateSignatureId;
use crate::error::{Error, Result};
use crate::finding::{Finding, FindingCode};
use crate::time::Time;

/// Trusted roots (anchors) and the intermediate certificates available for building paths.
#[derive(Debug, Clone, Default)]
pub struct TrustStore {
    anchors: Vec<Certificate>,
    intermediates: Vec<Certificate>,
}

impl TrustStore {
    /// An empty store, which trusts nothing.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a trusted root.
    pub fn add_anchor(&mut self, cert: Certificate) {
        self.anchors.push(cert);
    }

    /// Adds an intermediate CA certificate, trusted only through a path to a root.
    pub fn add_intermediate(&mut self, cert: Certificate) {
        self.intermediates.push(cert);
    }

    /// Adds every certificate in `bytes` (one DER certificate, or one or more PEM ones): a
    /// self-issued certificate (subject equal to issuer) becomes a root, any other an
    /// intermediate.
    pub fn add_pem_or_der(&mut self, bytes: &[u8]) -> Result<usize> {
        let certs = read_certificates(bytes)?;
        let count = certs.len();
        for cert in certs {
            if cert.subject_der() == cert.issuer_der() {
                self.add_anchor(cert);
            } else {
                self.add_intermediate(cert);
            }
        }
        Ok(count)
    }

    /// Reads a file, or every `.pem`, `.crt`, `.cer` and `.der` file in a folder (not
    /// recursively), as [`TrustStore::add_pem_or_der`] does.
    pub fn add_path(&mut self, path: &Path) -> Result<usize> {
        if path.is_dir() {
            let mut total = 0;
            let mut entries: Vec<_> =
                std::fs::read_dir(path)?.collect::<std::io::Result<Vec<_>>>()?;
            entries.sort_by_key(|e| e.path());
            for entry in entries {
                let file = entry.path();
                let extension = file
                    .extension()
                    .and_then(|e| e.to_str())
                    .unwrap_or("")
                    .to_ascii_lowercase();
                if file.is_file() && matches!(extension.as_str(), "pem" | "crt" | "cer" | "der") {
                    total += self
                        .add_pem_or_der(&std::fs::read(&file)?)
                        .map_err(|e| match e {
                            Error::Certificate(message) => {
                                Error::Certificate(format!("{}: {message}", file.display()))
                            }
                            other => other,
                        })?;
                }
            }
            Ok(total)
        } else {
            self.add_pem_or_der(&std::fs::read(path)?)
        }
    }

    /// The trusted roots.
    pub fn anchors(&self) -> &[Certificate] {
        &self.anchors
    }

    /// The intermediate certificates.
    pub fn intermediates(&self) -> &[Certificate] {
        &self.intermediates
    }
}

/// Reads one DER certificate or a sequence of PEM certificates.
pub(crate) fn read_certificates(bytes: &[u8]) -> Result<Vec<Certificate>> {
    if bytes.first() == Some(&0x30) {
        return Ok(vec![Certificate::from_der(bytes)?]);
    }
    let text = std::str::from_utf8(bytes).map_err(|_| {
        Error::Certificate(format!(
            "neither DER (which starts with 0x30, not 0x{:02x}) nor PEM text",
            bytes.first().copied().unwrap_or(0)
        ))
    })?;
    let mut certs = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("-----BEGIN CERTIFICATE-----") {
        let end_marker = "-----END CERTIFICATE-----";
        let end = rest[start..]
            .find(end_marker)
            .ok_or_else(|| Error::Certificate("a PEM certificate has no END line".into()))?
            + start
            + end_marker.len();
        certs.push(Certificate::from_pem(&rest.as_bytes()[start..end])?);
        rest = &rest[end..];
    }
    if certs.is_empty() {
        return Err(Error::Certificate(
            "no CERTIFICATE found in the PEM text".into(),
        ));
    }
    Ok(certs)
}

/// The result of an online revocation check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RevocationStatus {
    /// The certificate was not revoked at the time asked.
    Good,
    /// The certificate was revoked at the given time, at or before the time asked.
    Revoked {
        /// When it was revoked.
        at: Time,
    },
    /// The checker has no result (unknown certificate, service unreachable).
    Unknown,
}

/// An online revocation check (OCSP, a seal server) that the application implements.
pub trait RevocationChecker: Send + Sync {
    /// Tells whether `cert`, issued by `issuer`, was revoked at `at`.
    fn check(&self, cert: &Certificate, issuer: &Certificate, at: Time) -> RevocationStatus;
}

/// What verification trusts: roots, CRLs, seal revocation lists and an optional online checker.
#[derive(Clone, Default)]
pub struct TrustPolicy {
    /// Roots and intermediates.
    pub store: TrustStore,
    /// CRLs, each checked against its issuer's signature before use.
    pub crls: Vec<Crl>,
    /// Lists of cancelled seals (注销), each checked against its signer before use.
    pub seal_revocations: Vec<SealRevocationList>,
    /// An application's online check, asked for certificates no CRL covers.
    pub checker: Option<Arc<dyn RevocationChecker>>,
}

impl fmt::Debug for TrustPolicy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TrustPolicy")
            .field("anchors", &self.store.anchors.len())
            .field("intermediates", &self.store.intermediates.len())
            .field("crls", &self.crls.len())
            .field("seal_revocations", &self.seal_revocations.len())
            .field("checker", &self.checker.is_some())
            .finish()
    }
}

/// The revocation state of one certificate of a path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum CertRevocation {
    /// A verified CRL of its issuer, or the online checker, reports it not revoked.
    Good(String),
    /// It was revoked at or before the time checked.
    Revoked(String),
    /// Nothing covers it.
    Unknown(String),
}

/// Checks one certificate against the policy's CRLs, then its online checker. A CRL signed with
/// an empty SM2 ID adds a finding to `findings`.
pub(crate) fn revocation_of(
    policy: &TrustPolicy,
    cert: &Certificate,
    issuer: &Certificate,
    at: Time,
    findings: &mut Vec<Finding>,
) -> CertRevocation {
    let serial = cert.serial_hex();
    let mut covered = false;
    // CRLs of this issuer that were given but not used, to say why in place of "no CRL".
    let mut unused = Vec::new();
    for crl in &policy.crls {
        if crl.issuer_der() != issuer.subject_der() {
            continue;
        }
        let Some(id) = crl.signature_id(issuer) else {
            unused.push("its SM2 signature does not verify with the issuer's key".to_owned());
            continue;
        };
        if crl.this_update() > at {
            unused.push(format!(
                "it was issued at {}, after {at}",
                crl.this_update()
            ));
            continue;
        }
        let finding = Finding::new(
            FindingCode::Sm2EmptyUserId,
            format!("CRL of {}", issuer.subject()),
            None,
        );
        // The maker's and the signer's paths often share a CRL; it is reported once.
        if id == CertificateSignatureId::Empty && !findings.contains(&finding) {
            findings.push(finding);
        }
        covered = true;
        if let Some(revoked_at) = crl.revocation_of(cert)
            && revoked_at <= at
        {
            return CertRevocation::Revoked(format!(
                "serial {serial} revoked at {revoked_at} by a CRL of {}",
                issuer.subject()
            ));
        }
    }
    if covered {
        return CertRevocation::Good(format!(
            "serial {serial} is not on the CRL of {}",
            issuer.subject()
        ));
    }
    match policy.checker.as_ref().map(|c| c.check(cert, issuer, at)) {
        Some(RevocationStatus::Good) => CertRevocation::Good(format!(
            "serial {serial}: the online check reports it not revoked"
        )),
        Some(RevocationStatus::Revoked { at: when }) if when <= at => CertRevocation::Revoked(
            format!("serial {serial}: the online check reports it revoked at {when}"),
        ),
        Some(RevocationStatus::Revoked { .. }) => {
            CertRevocation::Good(format!("serial {serial}: revoked only after {at}"))
        }
        Some(RevocationStatus::Unknown) => {
            CertRevocation::Unknown(format!("serial {serial}: the online check has no answer"))
        }
        None if !unused.is_empty() => CertRevocation::Unknown(format!(
            "serial {serial}: the CRL of {} cannot be used: {}",
            issuer.subject(),
            unused.join("; ")
        )),
        None => CertRevocation::Unknown(format!(
            "serial {serial}: no CRL of {} was given",
            issuer.subject()
        )),
    }
}
