//! A cache of maker-signature results, for verifying many signatures made with the same seal.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::Mutex;

use crate::finding::Finding;
use crate::report::Check;
use crate::seal::Seal;

/// The number of seals a [`SealCache::default`] remembers.
pub const DEFAULT_SEAL_CACHE_CAPACITY: usize = 256;

/// Results of the maker's SM2 signature check, kept per seal so that a batch of signatures
/// made with one seal checks that signature once.
///
/// The maker's signature covers SES_SealInfo, which takes an SM3 pass over the whole seal
/// picture and an SM2 verification. Within a batch, the same seal usually appears in every
/// signature. The cache stores the outcome under the seal's exact DER bytes, the SM2 user ID
/// and the seal's position in the enclosing structure, which the findings mention. It returns
/// the outcome only for a seal whose bytes are equal byte for byte. Every other check (validity
/// at the signing time, certList, chains, revocation) runs again for each signature.
///
/// Share one cache between threads with `Arc`. When `capacity` seals are cached, the cache is
/// emptied before the next one is added, which bounds the memory to about `capacity` seals.
#[derive(Debug)]
pub struct SealCache {
    entries: Mutex<HashMap<Key, Outcome>>,
    capacity: usize,
}

/// The inputs the maker's check depends on. `Hash` reads only the maker's signature value and
/// the lengths, which differ between seals and are cheap to hash, and `Eq` compares all bytes.
#[derive(Debug, PartialEq, Eq)]
struct Key {
    der: Vec<u8>,
    signed_value: Vec<u8>,
    signed_value_offset: usize,
    sm2_id: Vec<u8>,
}

impl Hash for Key {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.der.len().hash(state);
        self.signed_value.hash(state);
        self.signed_value_offset.hash(state);
        self.sm2_id.hash(state);
    }
}

#[derive(Debug, Clone)]
struct Outcome {
    check: Check,
    findings: Vec<Finding>,
}

impl Default for SealCache {
    fn default() -> Self {
        Self::new(DEFAULT_SEAL_CACHE_CAPACITY)
    }
}

impl SealCache {
    /// Creates an empty cache that remembers up to `capacity` seals (at least one).
    pub fn new(capacity: usize) -> Self {
        Self {
            entries: Mutex::new(HashMap::new()),
            capacity: capacity.max(1),
        }
    }

    /// Returns the number of seals cached.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// Returns whether no seal is cached.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Returns the maker check of `seal`, from the cache or from `compute`, and appends the
    /// findings the check produced to `findings`.
    pub(crate) fn maker_check(
        &self,
        seal: &Seal,
        sm2_id: &[u8],
        findings: &mut Vec<Finding>,
        compute: impl FnOnce(&mut Vec<Finding>) -> Check,
    ) -> Check {
        let key = Key {
            der: seal.as_der().to_vec(),
            signed_value: seal.signed_value.clone(),
            signed_value_offset: seal.signed_value_offset(),
            sm2_id: sm2_id.to_vec(),
        };
        if let Some(outcome) = self.lock().get(&key) {
            findings.extend_from_slice(&outcome.findings);
            return outcome.check.clone();
        }

        // Computed without the lock, so that threads verifying different seals do not wait
        // for each other. Two threads may compute the same seal once each; both store equal
        // outcomes.
        let mut new_findings = Vec::new();
        let check = compute(&mut new_findings);
        findings.extend_from_slice(&new_findings);
        let mut entries = self.lock();
        if entries.len() >= self.capacity {
            entries.clear();
        }
        entries.insert(
            key,
            Outcome {
                check: check.clone(),
                findings: new_findings,
            },
        );
        check
    }

    /// Locks the map. A panic in another thread while it held the lock leaves the map in a
    /// consistent state (each insert is a single call), so a poisoned lock is used as it is.
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Key, Outcome>> {
        self.entries
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}
