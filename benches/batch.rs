//! Batch verification of 64 signatures on 1, 2 and 4 threads, to show how `BatchVerifier`
//! scales with the cores. All 64 carry UserV4.esl and cover different 4 KiB documents, as in
//! an archive sealed by one office.
//!
//! This benchmark always measures wall-clock time, even when `ESEAL_BENCH_CLOCK` is set, because
//! the CPU time of the measuring thread leaves out the worker threads.

mod common;

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use eseal::verify::{BatchItem, BatchVerifier};
use eseal::{Seal, SignatureBuilder, SignedData, VerifyOptions};

const SIGNATURES: usize = 64;
const DOCUMENT_BYTES: usize = 4 << 10;

fn batch(c: &mut Criterion) {
    let seal = Seal::from_der(&common::read("seals/UserV4.esl")).expect("seal");
    let (key, cert) = common::user_key_and_cert();
    let base = common::document(DOCUMENT_BYTES);
    let documents: Vec<Vec<u8>> = (0..SIGNATURES)
        .map(|i| {
            let mut document = base.clone();
            document[..8].copy_from_slice(&(i as u64).to_be_bytes());
            document
        })
        .collect();
    let signatures: Vec<Vec<u8>> = documents
        .iter()
        .map(|document| {
            SignatureBuilder::new(&seal, &key, &cert)
                .time(common::time("2021-06-01"))
                .sign(document)
                .expect("sign")
                .as_der()
                .to_vec()
        })
        .collect();
    let items: Vec<BatchItem> = signatures
        .iter()
        .zip(&documents)
        .map(|(der, document)| BatchItem {
            signature: der,
            data: SignedData::Bytes(document),
        })
        .collect();

    let mut group = c.benchmark_group("batch_verify");
    group.throughput(Throughput::Elements(SIGNATURES as u64));
    for threads in [1, 2, 4] {
        for cached in [false, true] {
            let verifier = BatchVerifier::new(VerifyOptions::default()).threads(threads);
            let verifier = if cached {
                verifier
            } else {
                verifier.without_cache()
            };
            let results = verifier.verify(&items);
            assert!(results.iter().all(|r| r.as_ref().is_ok_and(|r| r.valid)));
            let name = if cached { "seal_cached" } else { "uncached" };
            group.bench_with_input(
                BenchmarkId::new(name, format!("{threads}_threads")),
                &verifier,
                |b, verifier| b.iter(|| verifier.verify(black_box(&items))),
            );
        }
    }
    group.finish();
}

criterion_group!(benches, batch);
criterion_main!(benches);
