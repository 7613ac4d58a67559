//! Verification of many signatures on several threads.

use std::num::NonZeroUsize;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::cache::SealCache;
use super::{SignedData, VerifyOptions, prepare, verify_signature_inner};
use crate::error::Result;
use crate::report::SignatureReport;
use crate::signature::Signature;

/// How many signatures a thread verifies at a time. Their SM3 digests, three per signature
/// without a cache, run side by side in eight lanes.
const CHUNK: usize = 8;

/// One signature of a batch: its DER (an SES_Signature) and the data it protects.
#[derive(Debug, Clone, Copy)]
pub struct BatchItem<'a> {
    /// The DER of the SES_Signature.
    pub signature: &'a [u8],
    /// The signed data, its SM3 digest, or [`SignedData::Absent`].
    pub data: SignedData<'a>,
}

/// A verifier for batches of signatures, such as the documents of an archive: it spreads the
/// signatures over threads and shares one [`SealCache`] between them, so that each seal's
/// maker signature is checked once per batch. Each thread takes up to eight signatures at a
/// time and computes their SM3 digests side by side (eight lanes of AVX2 on x86-64).
///
/// Each report is the same as [`super::verify_signature`] gives for that signature alone.
///
/// ```no_run
/// use eseal::verify::{BatchItem, BatchVerifier};
/// use eseal::{SignedData, VerifyOptions};
///
/// # fn example(signatures: &[Vec<u8>], documents: &[Vec<u8>]) {
/// let items: Vec<BatchItem> = signatures
///     .iter()
///     .zip(documents)
///     .map(|(der, document)| BatchItem {
///         signature: der,
///         data: SignedData::Bytes(document),
///     })
///     .collect();
/// let verifier = BatchVerifier::new(VerifyOptions::default());
/// for (index, result) in verifier.verify(&items).iter().enumerate() {
///     match result {
///         Ok(report) => println!("{index}: valid = {}", report.valid),
///         Err(e) => println!("{index}: not an SES_Signature: {e}"),
///     }
/// }
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct BatchVerifier {
    options: VerifyOptions,
    threads: usize,
    cache: Option<Arc<SealCache>>,
}

impl BatchVerifier {
    /// Creates a verifier with `options`, one thread per available core and a new
    /// [`SealCache`] of default capacity.
    pub fn new(options: VerifyOptions) -> Self {
        let threads = std::thread::available_parallelism().map_or(1, NonZeroUsize::get);
        Self {
            options,
            threads,
            cache: Some(Arc::new(SealCache::default())),
        }
    }

    /// Sets the number of threads; 0 counts as 1. With 1, the batch runs on the calling thread.
    pub fn threads(mut self, threads: usize) -> Self {
        self.threads = threads.max(1);
        self
    }

    /// Uses `cache`, which may be shared with other verifiers, in place of the verifier's own.
    pub fn cache(mut self, cache: Arc<SealCache>) -> Self {
        self.cache = Some(cache);
        self
    }

    /// Checks every maker signature again, without a cache.
    pub fn without_cache(mut self) -> Self {
        self.cache = None;
        self
    }

    /// Returns the number of threads a batch uses at most.
    pub fn thread_count(&self) -> usize {
        self.threads
    }

    /// Verifies `items` and returns one result per item, in the same order: the report, or
    /// the error that kept the DER from being decoded as an SES_Signature.
    pub fn verify(&self, items: &[BatchItem<'_>]) -> Vec<Result<SignatureReport>> {
        let workers = self.threads.min(items.len());
        if workers <= 1 {
            return items
                .chunks(CHUNK)
                .flat_map(|chunk| self.verify_chunk(chunk))
                .collect();
        }

        // Each worker takes the next unclaimed chunk, so a slow signature (a large seal) does
        // not hold up a fixed share of the batch. Chunks are smaller than CHUNK when that
        // would leave a worker without one.
        let chunk = CHUNK.min(items.len().div_ceil(workers));
        let next = AtomicUsize::new(0);
        let mut results: Vec<Option<Result<SignatureReport>>> = Vec::new();
        results.resize_with(items.len(), || None);
        std::thread::scope(|scope| {
            let handles: Vec<_> = (0..workers)
                .map(|_| {
                    scope.spawn(|| {
                        let mut done = Vec::new();
                        loop {
                            let start = next.fetch_add(chunk, Ordering::Relaxed);
                            let Some(claimed) = items.get(start..(start + chunk).min(items.len()))
                            else {
                                break;
                            };
                            if claimed.is_empty() {
                                break;
                            }
                            done.push((start, self.verify_chunk(claimed)));
                        }
                        done
                    })
                })
                .collect();
            for handle in handles {
                // A panic in a worker is a bug; it reaches the caller as a panic, as it would
                // without threads.
                let done = handle
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
                for (start, reports) in done {
                    for (offset, result) in reports.into_iter().enumerate() {
                        results[start + offset] = Some(result);
                    }
                }
            }
        });
        results
            .into_iter()
            .map(|result| result.expect("every index below the length is claimed by a worker"))
            .collect()
    }

    /// Verifies a few signatures on this thread, their digests computed together.
    fn verify_chunk(&self, items: &[BatchItem<'_>]) -> Vec<Result<SignatureReport>> {
        let decoded: Vec<Result<Signature>> = items
            .iter()
            .map(|item| Signature::from_der(item.signature))
            .collect();
        let readable: Vec<(&Signature, SignedData<'_>)> = decoded
            .iter()
            .zip(items)
            .filter_map(|(signature, item)| Some((signature.as_ref().ok()?, item.data)))
            .collect();
        let cache = self.cache.as_deref();
        let mut prepared = prepare(&readable, &self.options.sm2_id, cache).into_iter();
        decoded
            .into_iter()
            .zip(items)
            .map(|(signature, item)| {
                let signature = signature?;
                Ok(verify_signature_inner(
                    &signature,
                    item.data,
                    &self.options,
                    cache,
                    prepared.next(),
                ))
            })
            .collect()
    }
}
