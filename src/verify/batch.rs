//! Verification of many signatures on several threads.

use std::num::NonZeroUsize;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::cache::SealCache;
use super::{SignedData, VerifyOptions, verify_signature_inner};
use crate::error::Result;
use crate::report::SignatureReport;
use crate::signature::Signature;

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
/// maker signature is checked once per batch.
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
            return items.iter().map(|item| self.verify_one(item)).collect();
        }

        // Each worker takes the next unclaimed index, so a slow signature (a large seal) does
        // not hold up a fixed share of the batch.
        let next = AtomicUsize::new(0);
        let mut results: Vec<Option<Result<SignatureReport>>> = Vec::new();
        results.resize_with(items.len(), || None);
        std::thread::scope(|scope| {
            let handles: Vec<_> = (0..workers)
                .map(|_| {
                    scope.spawn(|| {
                        let mut done = Vec::new();
                        loop {
                            let index = next.fetch_add(1, Ordering::Relaxed);
                            let Some(item) = items.get(index) else {
                                break;
                            };
                            done.push((index, self.verify_one(item)));
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
                for (index, result) in done {
                    results[index] = Some(result);
                }
            }
        });
        results
            .into_iter()
            .map(|result| result.expect("every index below the length is claimed by a worker"))
            .collect()
    }

    fn verify_one(&self, item: &BatchItem<'_>) -> Result<SignatureReport> {
        let signature = Signature::from_der(item.signature)?;
        Ok(verify_signature_inner(
            &signature,
            item.data,
            &self.options,
            self.cache.as_deref(),
        ))
    }
}
