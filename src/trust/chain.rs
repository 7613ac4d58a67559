//! Building and checking a certificate path to a trusted root (RFC 5280 path validation, with
//! SM2-with-SM3 signatures).
//!
//! Each link is checked: the issuer's subject equals the child's issuer (byte for byte as
//! stored), the child's signature verifies with the issuer's key, the issuer is valid at the
//! time checked and is a CA (basicConstraints cA), and an intermediate issuer with a keyUsage
//! extension allows keyCertSign. A root is trusted as given: its own keyUsage is not checked,
//! because roots in use (such as the OFD R&W test root) omit keyCertSign.

use super::TrustStore;
use crate::cert::Certificate;
use crate::time::Time;

/// Longest path tried, counting the leaf and the root.
const MAX_PATH: usize = 8;

/// Why no path to a trusted root could be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ChainError {
    /// No certificate in the store issued this one.
    #[error("no trusted issuer found for {subject} (issuer {issuer})")]
    NoIssuer {
        /// The certificate's subject.
        subject: String,
        /// The issuer it names.
        issuer: String,
    },
    /// The signature does not verify with the issuer's key.
    #[error("the signature of {subject} does not verify with the key of {issuer}")]
    BadSignature {
        /// The certificate's subject.
        subject: String,
        /// The issuer tried.
        issuer: String,
    },
    /// The issuer is outside its validity at the time checked.
    #[error("the issuer {issuer} is not valid at {time}")]
    IssuerNotValid {
        /// The issuer.
        issuer: String,
        /// The time checked.
        time: String,
    },
    /// The issuer is not marked as a CA.
    #[error("the issuer {issuer} is not a CA (basicConstraints cA is not set)")]
    IssuerNotCa {
        /// The issuer.
        issuer: String,
    },
    /// The intermediate issuer's keyUsage does not allow signing certificates.
    #[error("the issuer {issuer} has a keyUsage without keyCertSign")]
    IssuerKeyUsage {
        /// The issuer.
        issuer: String,
    },
    /// The path would be longer than the limit.
    #[error("the certificate path is longer than {0} certificates")]
    TooLong(usize),
}

impl ChainError {
    /// Errors about a specific link say more than "no issuer found".
    fn rank(&self) -> u8 {
        match self {
            Self::NoIssuer { .. } => 0,
            Self::TooLong(_) => 1,
            _ => 2,
        }
    }
}

/// Builds a path from `leaf` to a root of `store` whose every link holds at `at`. Returns the
/// path, leaf first and root last.
pub fn validate_chain(
    leaf: &Certificate,
    at: Time,
    store: &TrustStore,
) -> Result<Vec<Certificate>, ChainError> {
    let mut path = vec![leaf.clone()];
    extend(&mut path, at, store)?;
    Ok(path)
}

fn is_anchor(store: &TrustStore, cert: &Certificate) -> bool {
    store.anchors().iter().any(|a| a.as_der() == cert.as_der())
}

fn extend(path: &mut Vec<Certificate>, at: Time, store: &TrustStore) -> Result<(), ChainError> {
    let Some(current) = path.last().cloned() else {
        return Err(ChainError::TooLong(0));
    };
    if is_anchor(store, &current) {
        return Ok(());
    }
    if path.len() >= MAX_PATH {
        return Err(ChainError::TooLong(MAX_PATH));
    }
    let mut best = ChainError::NoIssuer {
        subject: current.subject(),
        issuer: current.issuer(),
    };
    let candidates = store
        .anchors()
        .iter()
        .map(|c| (c, true))
        .chain(store.intermediates().iter().map(|c| (c, false)));
    for (issuer, anchor) in candidates {
        if issuer.subject_der() != current.issuer_der()
            || path.iter().any(|p| p.as_der() == issuer.as_der())
        {
            continue;
        }
        let outcome = check_link(&current, issuer, anchor, at).and_then(|()| {
            path.push(issuer.clone());
            let rest = extend(path, at, store);
            if rest.is_err() {
                path.pop();
            }
            rest
        });
        match outcome {
            Ok(()) => return Ok(()),
            Err(error) if error.rank() >= best.rank() => best = error,
            Err(_) => {}
        }
    }
    Err(best)
}

fn check_link(
    child: &Certificate,
    issuer: &Certificate,
    anchor: bool,
    at: Time,
) -> Result<(), ChainError> {
    if !child.is_signed_by(issuer) {
        return Err(ChainError::BadSignature {
            subject: child.subject(),
            issuer: issuer.subject(),
        });
    }
    if !issuer.is_valid_at(at) {
        return Err(ChainError::IssuerNotValid {
            issuer: issuer.subject(),
            time: at.to_string(),
        });
    }
    if !issuer.is_ca() {
        return Err(ChainError::IssuerNotCa {
            issuer: issuer.subject(),
        });
    }
    if !anchor {
        if let Ok(Some(usage)) = issuer.key_usage() {
            if !usage.key_cert_sign() {
                return Err(ChainError::IssuerKeyUsage {
                    issuer: issuer.subject(),
                });
            }
        }
    }
    Ok(())
}
