//! A cache of what verifications repeat: maker-signature results per seal, SM3 states, read
//! certificates and tables of public keys.

use std::collections::HashMap;
use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::sync::{Arc, Mutex};

use crate::cert::Certificate;
use crate::crypto::{PublicKey, PublicKeyTable, SignatureValue, Sm3Hasher, z_value};
use crate::error::Result;
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
/// The cache also keeps, per signer key and seal, the SM3 state after Z and the first part of
/// TBS_Sign, up to the end of the seal. The signer's signature covers all of TBS_Sign, whose
/// largest part is the seal. With the state, a signature's digest hashes only the bytes after
/// the seal. The state is used only when Z and every byte of that first part are equal to the
/// ones it was computed from, so the digest is the one a full SM3 pass over the stored bytes
/// gives.
///
/// Last, the cache counts the SM2 verifications per public key, and at a key's eighth it
/// builds the key's table of precomputed multiples ([`PublicKeyTable`]), which makes each later
/// verification with that key about three times as fast. A seal system has few makers and
/// signers, so in a batch of documents with different seals most keys come back. The tables
/// are public data; a verification with a table gives the same result as without.
///
/// It also keeps the maker's and signers' certificates as read, under their exact DER bytes,
/// since reading an X.509 certificate costs about as much as an SM3 pass over 2 KB.
///
/// Share one cache between threads with `Arc`. When `capacity` seals are cached, the cache is
/// emptied before the next one is added, which bounds the memory to about `capacity` seals.
/// The SM3 states, the certificates and the key counts are bounded in the same way, and the
/// key tables, 88 KiB each, to 16 (1.4 MiB).
pub struct SealCache {
    entries: Mutex<Outcomes>,
    prefixes: Mutex<Prefixes>,
    keys: Mutex<KeyTables>,
    certificates: Mutex<Certificates>,
    capacity: usize,
}

/// Certificates as read, in buckets by a hash of their DER, and how many there are.
#[derive(Default)]
struct Certificates {
    buckets: HashMap<u64, Vec<Arc<Certificate>>>,
    count: usize,
}

/// The number of key tables a cache keeps at most: 1.4 MiB of tables.
const KEY_TABLE_CAPACITY: usize = 16;

/// The verification at which a key's table is built. Building costs about ten verifications,
/// so a key used only a few times never pays for it, and a key used often pays for it quickly.
const KEY_TABLE_AFTER: u32 = 8;

/// The state of each public key, by its coordinates, and the number of tables.
#[derive(Default)]
struct KeyTables {
    keys: HashMap<[u8; 64], KeyUse>,
    tables: usize,
}

enum KeyUse {
    /// Verified this many times without a table.
    Counted(u32),
    /// A thread is building the table; meanwhile the others verify without it.
    Building,
    Table(PublicKeyTable),
}

/// The maker outcomes, in buckets by [`Key::fingerprint`], and how many there are.
#[derive(Default)]
struct Outcomes {
    buckets: HashMap<u64, Vec<(Key, Outcome)>>,
    count: usize,
}

/// The SM3 states, in buckets by [`prefix_fingerprint`], and how many there are.
#[derive(Default)]
struct Prefixes {
    buckets: HashMap<u64, Vec<PrefixState>>,
    count: usize,
}

impl std::fmt::Debug for SealCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SealCache")
            .field("seals", &self.len())
            .field("capacity", &self.capacity)
            .finish_non_exhaustive()
    }
}

/// The SM3 state after `Z || prefix`, with the inputs it was computed from.
struct PrefixState {
    z: [u8; 32],
    prefix: Vec<u8>,
    state: Sm3Hasher,
}

/// The inputs the maker's check depends on.
#[derive(Debug, PartialEq, Eq)]
struct Key {
    der: Vec<u8>,
    signed_value: Vec<u8>,
    signed_value_offset: usize,
    sm2_id: Vec<u8>,
}

impl Key {
    /// Hashes the maker's signature value and the lengths, which differ between seals and are
    /// cheap to hash. Entries with the same fingerprint are compared byte for byte.
    fn fingerprint(seal: &Seal, sm2_id: &[u8]) -> u64 {
        let mut hasher = DefaultHasher::new();
        seal.as_der().len().hash(&mut hasher);
        seal.signed_value.hash(&mut hasher);
        seal.signed_value_offset().hash(&mut hasher);
        sm2_id.hash(&mut hasher);
        hasher.finish()
    }

    /// Compares this key with `seal` and `sm2_id` without copying them.
    fn matches(&self, seal: &Seal, sm2_id: &[u8]) -> bool {
        self.der == seal.as_der()
            && self.signed_value == seal.signed_value
            && self.signed_value_offset == seal.signed_value_offset()
            && self.sm2_id == sm2_id
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
            entries: Mutex::new(Outcomes::default()),
            prefixes: Mutex::new(Prefixes::default()),
            keys: Mutex::new(KeyTables::default()),
            certificates: Mutex::new(Certificates::default()),
            capacity: capacity.max(1),
        }
    }

    /// Returns the number of seals cached.
    pub fn len(&self) -> usize {
        self.lock().count
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
        let fingerprint = Key::fingerprint(seal, sm2_id);
        if let Some(outcome) = self.lookup(fingerprint, seal, sm2_id) {
            findings.extend_from_slice(&outcome.findings);
            return outcome.check;
        }

        // Computed without the lock, so that threads verifying different seals do not wait
        // for each other. Two threads may compute the same seal once each; both store equal
        // outcomes.
        let mut new_findings = Vec::new();
        let check = compute(&mut new_findings);
        findings.extend_from_slice(&new_findings);
        let key = Key {
            der: seal.as_der().to_vec(),
            signed_value: seal.signed_value.clone(),
            signed_value_offset: seal.signed_value_offset(),
            sm2_id: sm2_id.to_vec(),
        };
        let outcome = Outcome {
            check: check.clone(),
            findings: new_findings,
        };
        let mut entries = self.lock();
        let bucket = entries.buckets.entry(fingerprint).or_default();
        match bucket.iter_mut().find(|(known, _)| *known == key) {
            // Another thread stored the same seal meanwhile.
            Some(entry) => entry.1 = outcome,
            None => {
                if entries.count >= self.capacity {
                    entries.buckets.clear();
                    entries.count = 0;
                }
                entries
                    .buckets
                    .entry(fingerprint)
                    .or_default()
                    .push((key, outcome));
                entries.count += 1;
            }
        }
        check
    }

    /// Returns whether the cache has the maker check of `seal` with `sm2_id`.
    pub(crate) fn knows_seal(&self, seal: &Seal, sm2_id: &[u8]) -> bool {
        let fingerprint = Key::fingerprint(seal, sm2_id);
        self.lock()
            .buckets
            .get(&fingerprint)
            .is_some_and(|bucket| bucket.iter().any(|(key, _)| key.matches(seal, sm2_id)))
    }

    fn lookup(&self, fingerprint: u64, seal: &Seal, sm2_id: &[u8]) -> Option<Outcome> {
        self.lock().buckets.get(&fingerprint).and_then(|bucket| {
            bucket
                .iter()
                .find(|(key, _)| key.matches(seal, sm2_id))
                .map(|(_, outcome)| outcome.clone())
        })
    }

    /// Returns `e = SM3(Z || message)` for the signer's `key` and `id`, where the first
    /// `prefix_len` bytes of `message` are the part up to the end of the seal. The SM3 state
    /// after `Z || message[..prefix_len]` comes from the cache when an entry has the same Z
    /// and the same bytes. Otherwise it is computed and stored. Returns `None` when the ID is
    /// longer than 8191 bytes.
    pub(crate) fn signed_digest(
        &self,
        key: &PublicKey,
        id: &[u8],
        message: &[u8],
        prefix_len: usize,
    ) -> Option<[u8; 32]> {
        let z = z_value(key, id)?;
        let Some((prefix, rest)) = message.split_at_checked(prefix_len) else {
            let mut hasher = Sm3Hasher::new();
            hasher.update(&z);
            hasher.update(message);
            return Some(hasher.finalize());
        };
        let fingerprint = prefix_fingerprint(&z, prefix);

        let cached = recover(self.prefixes.lock())
            .buckets
            .get(&fingerprint)
            .and_then(|bucket| {
                bucket
                    .iter()
                    .find(|entry| entry.z == z && entry.prefix == prefix)
                    .map(|entry| entry.state.clone())
            });
        let mut hasher = match cached {
            Some(state) => state,
            None => {
                let mut hasher = Sm3Hasher::new();
                hasher.update(&z);
                hasher.update(prefix);
                self.store_prefix(fingerprint, z, prefix, &hasher);
                hasher
            }
        };
        hasher.update(rest);
        Some(hasher.finalize())
    }

    fn store_prefix(&self, fingerprint: u64, z: [u8; 32], prefix: &[u8], state: &Sm3Hasher) {
        let mut prefixes = recover(self.prefixes.lock());
        // Another thread may have stored the same state meanwhile.
        let known = prefixes.buckets.get(&fingerprint).is_some_and(|bucket| {
            bucket
                .iter()
                .any(|entry| entry.z == z && entry.prefix == prefix)
        });
        if known {
            return;
        }
        if prefixes.count >= self.capacity {
            prefixes.buckets.clear();
            prefixes.count = 0;
        }
        prefixes
            .buckets
            .entry(fingerprint)
            .or_default()
            .push(PrefixState {
                z,
                prefix: prefix.to_vec(),
                state: state.clone(),
            });
        prefixes.count += 1;
    }

    /// Verifies `signature` over `e` with `key`, with the key's table when the cache has one,
    /// building the table at the key's [`KEY_TABLE_AFTER`]th verification.
    pub(crate) fn verify_digest(
        &self,
        key: &PublicKey,
        e: &[u8; 32],
        signature: &SignatureValue,
    ) -> bool {
        let (x, y) = key.coordinates();
        let mut id = [0u8; 64];
        id[..32].copy_from_slice(&x);
        id[32..].copy_from_slice(&y);

        let build = {
            let mut keys = recover(self.keys.lock());
            if !keys.keys.contains_key(&id) && keys.keys.len() >= self.capacity {
                // Emptied like the other maps; the tables go with their keys.
                *keys = KeyTables::default();
            }
            let entry = keys.keys.entry(id).or_insert(KeyUse::Counted(0));
            let build = match entry {
                KeyUse::Table(table) => {
                    let table = table.clone();
                    drop(keys);
                    return table.verify_digest(e, signature);
                }
                KeyUse::Building => false,
                KeyUse::Counted(count) => {
                    *count += 1;
                    *count >= KEY_TABLE_AFTER
                }
            };
            if build {
                *entry = KeyUse::Building;
                if keys.tables >= KEY_TABLE_CAPACITY {
                    keys.keys
                        .retain(|_, state| !matches!(state, KeyUse::Table(_)));
                    keys.tables = 0;
                }
            }
            build
        };
        if !build {
            return key.verify_digest(e, signature);
        }

        // Built without the lock, so that other keys' verifications go on meanwhile.
        let table = PublicKeyTable::new(key);
        let valid = table.verify_digest(e, signature);
        let mut keys = recover(self.keys.lock());
        if let Some(entry) = keys.keys.get_mut(&id) {
            *entry = KeyUse::Table(table);
            keys.tables += 1;
        }
        valid
    }

    /// Reads the certificate `der`, or returns the one read from the same bytes before. Reading
    /// an X.509 certificate takes about 6 µs, and each signature has two. Certificates that
    /// cannot be read are not kept, so their error is the one `Certificate::from_der` gives.
    pub(crate) fn certificate(&self, der: &[u8]) -> Result<Arc<Certificate>> {
        let mut hasher = DefaultHasher::new();
        der.hash(&mut hasher);
        let fingerprint = hasher.finish();
        let known = recover(self.certificates.lock())
            .buckets
            .get(&fingerprint)
            .and_then(|bucket| bucket.iter().find(|cert| cert.as_der() == der).cloned());
        if let Some(cert) = known {
            return Ok(cert);
        }
        let cert = Arc::new(Certificate::from_der(der)?);
        let mut certificates = recover(self.certificates.lock());
        if certificates.count >= self.capacity {
            *certificates = Certificates::default();
        }
        let bucket = certificates.buckets.entry(fingerprint).or_default();
        if !bucket.iter().any(|known| known.as_der() == der) {
            bucket.push(Arc::clone(&cert));
            certificates.count += 1;
        }
        Ok(cert)
    }

    /// Returns the number of key tables the cache holds.
    pub fn key_tables(&self) -> usize {
        recover(self.keys.lock()).tables
    }

    /// Locks the map of maker outcomes.
    fn lock(&self) -> std::sync::MutexGuard<'_, Outcomes> {
        recover(self.entries.lock())
    }
}

/// Takes a guard from a poisoned lock as well: every change to the maps is a single call that
/// leaves them consistent.
fn recover<T>(result: std::sync::LockResult<T>) -> T {
    result.unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Hashes Z, the prefix's length and its last 64 bytes, which contain the end of the maker's
/// signature value and so differ between seals. Entries with the same fingerprint are
/// distinguished by comparing all bytes.
fn prefix_fingerprint(z: &[u8; 32], prefix: &[u8]) -> u64 {
    let mut hasher = DefaultHasher::new();
    z.hash(&mut hasher);
    prefix.len().hash(&mut hasher);
    prefix[prefix.len().saturating_sub(64)..].hash(&mut hasher);
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::{DEFAULT_SM2_ID, PrivateKey, message_digest};

    /// Returns a message of `len` bytes whose byte `i` depends on `i` and `seed`.
    fn message(len: usize, seed: u8) -> Vec<u8> {
        (0..len)
            .map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed))
            .collect()
    }

    fn prefix_count(cache: &SealCache) -> usize {
        recover(cache.prefixes.lock()).count
    }

    #[test]
    fn cached_state_gives_the_full_digest() {
        let key = PrivateKey::generate().unwrap();
        let public = key.public_key();
        let cache = SealCache::new(4);
        // Prefix lengths on and off the 64-byte block boundary, and the whole message.
        for prefix_len in [0, 1, 63, 64, 65, 1000, 4096] {
            let mut first = message(4096, 1);
            let expected = message_digest(public, DEFAULT_SM2_ID, &first).unwrap();
            let computed = cache.signed_digest(public, DEFAULT_SM2_ID, &first, prefix_len);
            assert_eq!(computed, Some(expected), "prefix {prefix_len}, cold");
            // Same prefix, different rest: the second digest comes from the stored state.
            let len = first.len();
            first[len - 1] ^= 0x80;
            let expected = message_digest(public, DEFAULT_SM2_ID, &first).unwrap();
            let computed = cache.signed_digest(public, DEFAULT_SM2_ID, &first, prefix_len);
            assert_eq!(computed, Some(expected), "prefix {prefix_len}, warm");
        }
    }

    #[test]
    fn other_prefix_or_key_misses_cache() {
        let key = PrivateKey::generate().unwrap();
        let other = PrivateKey::generate().unwrap();
        let cache = SealCache::new(16);
        let original = message(3000, 7);
        cache.signed_digest(key.public_key(), DEFAULT_SM2_ID, &original, 2000);
        assert_eq!(prefix_count(&cache), 1);

        // The same length and the same last 64 bytes of the prefix, so the same fingerprint,
        // but the first byte differs.
        let mut changed = original.clone();
        changed[0] ^= 1;
        assert_eq!(
            prefix_fingerprint(&[0; 32], &changed[..2000]),
            prefix_fingerprint(&[0; 32], &original[..2000])
        );
        let expected = message_digest(key.public_key(), DEFAULT_SM2_ID, &changed).unwrap();
        assert_eq!(
            cache.signed_digest(key.public_key(), DEFAULT_SM2_ID, &changed, 2000),
            Some(expected)
        );
        assert_eq!(prefix_count(&cache), 2);

        // Another key or another ID gives another Z.
        for (public, id) in [
            (other.public_key(), DEFAULT_SM2_ID),
            (key.public_key(), b"another id".as_slice()),
        ] {
            let expected = message_digest(public, id, &original).unwrap();
            assert_eq!(
                cache.signed_digest(public, id, &original, 2000),
                Some(expected)
            );
        }
        assert_eq!(prefix_count(&cache), 4);
    }

    #[test]
    fn prefix_longer_than_the_message_hashes_it_all() {
        let key = PrivateKey::generate().unwrap();
        let cache = SealCache::new(4);
        let data = message(100, 3);
        let expected = message_digest(key.public_key(), DEFAULT_SM2_ID, &data).unwrap();
        assert_eq!(
            cache.signed_digest(key.public_key(), DEFAULT_SM2_ID, &data, 101),
            Some(expected)
        );
        assert_eq!(prefix_count(&cache), 0);
        let long_id = vec![b'a'; 8192];
        assert_eq!(
            cache.signed_digest(key.public_key(), &long_id, &data, 50),
            None
        );
    }

    #[test]
    fn full_prefix_store_is_emptied_not_grown() {
        let key = PrivateKey::generate().unwrap();
        let cache = SealCache::new(2);
        for seed in 0..5u8 {
            let data = message(500, seed);
            let expected = message_digest(key.public_key(), DEFAULT_SM2_ID, &data).unwrap();
            assert_eq!(
                cache.signed_digest(key.public_key(), DEFAULT_SM2_ID, &data, 300),
                Some(expected)
            );
            assert!(prefix_count(&cache) <= 2);
        }
        assert_eq!(prefix_count(&cache), 1);
    }

    #[test]
    fn key_table_built_at_eighth_use() {
        let key = PrivateKey::generate().unwrap();
        let other = PrivateKey::generate().unwrap();
        let public = key.public_key();
        let cache = SealCache::new(4);
        for round in 1..=20u32 {
            let e = [round as u8; 32];
            let signature = key.sign_digest(&e).unwrap();
            assert!(cache.verify_digest(public, &e, &signature), "round {round}");
            let mut wrong_e = e;
            wrong_e[31] ^= 1;
            assert!(
                !cache.verify_digest(public, &wrong_e, &signature),
                "round {round}"
            );
            let by_other = other.sign_digest(&e).unwrap();
            assert!(!cache.verify_digest(public, &e, &by_other), "round {round}");
            // Three verifications per round: the table exists from the third round on.
            assert_eq!(
                cache.key_tables(),
                usize::from(3 * round >= KEY_TABLE_AFTER),
                "round {round}"
            );
        }
        // The other key was never used as the verifying key.
        assert_eq!(recover(cache.keys.lock()).keys.len(), 1);
    }

    #[test]
    fn key_tables_within_capacity() {
        let cache = SealCache::new(1000);
        let e = [9u8; 32];
        for index in 0..KEY_TABLE_CAPACITY + 3 {
            let key = PrivateKey::generate().unwrap();
            let signature = key.sign_digest(&e).unwrap();
            for _ in 0..KEY_TABLE_AFTER {
                assert!(
                    cache.verify_digest(key.public_key(), &e, &signature),
                    "key {index}"
                );
            }
            assert!(cache.key_tables() <= KEY_TABLE_CAPACITY, "key {index}");
        }
        assert_eq!(cache.key_tables(), 3);
    }

    #[test]
    fn certificates_read_once_bad_not_kept() {
        let key = PrivateKey::generate().unwrap();
        let cert = crate::cert::CertificateBuilder::new(
            "CN=cache test",
            1,
            crate::time::Time::parse("2025-01-01").unwrap(),
            crate::time::Time::parse("2030-01-01").unwrap(),
        )
        .sign(key.public_key(), None, Some(&key))
        .unwrap();
        let der = cert.as_der().to_vec();
        let cache = SealCache::new(2);
        let first = cache.certificate(&der).unwrap();
        let second = cache.certificate(&der).unwrap();
        assert!(Arc::ptr_eq(&first, &second));
        assert_eq!(first.as_der(), der.as_slice());

        let mut broken = der.clone();
        broken.truncate(der.len() - 1);
        assert!(cache.certificate(&broken).is_err());
        assert!(cache.certificate(&broken).is_err());
        assert_eq!(recover(cache.certificates.lock()).count, 1);

        // A changed byte is another certificate (here one whose signature no longer verifies,
        // which reading does not check).
        let mut other = der.clone();
        let last = other.len() - 1;
        other[last] ^= 1;
        let read = cache.certificate(&other).unwrap();
        assert!(!Arc::ptr_eq(&read, &first));
        assert_eq!(read.as_der(), other.as_slice());
        assert_eq!(recover(cache.certificates.lock()).count, 2);
    }
}
