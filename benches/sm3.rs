//! SM3 throughput: one-shot digests of 64 B, 4 KiB and 1 MiB, and a 100 MiB stream fed to
//! `Sm3Hasher` in 64 KiB pieces, the chunk size `SignatureBuilder::sign_reader` uses. The last
//! group hashes eight independent 4 KiB documents one after another and side by side with
//! `sm3_many`.

mod common;

use std::hint::black_box;

use common::Clock;
use criterion::{
    BenchmarkId, Criterion, SamplingMode, Throughput, criterion_group, criterion_main,
};
use eseal::crypto::{Sm3Hasher, sm3, sm3_many};

const STREAM_BYTES: usize = 100 << 20;
const CHUNK_BYTES: usize = 64 << 10;

fn one_shot(c: &mut Criterion<Clock>) {
    let mut group = c.benchmark_group("sm3");
    for (label, len) in [("64B", 64), ("4KiB", 4 << 10), ("1MiB", 1 << 20)] {
        let data = common::document(len);
        group.throughput(Throughput::Bytes(len as u64));
        group.bench_with_input(BenchmarkId::from_parameter(label), &data, |b, data| {
            b.iter(|| sm3(black_box(data)))
        });
    }
    group.finish();
}

fn stream(c: &mut Criterion<Clock>) {
    // A real 100 MiB buffer rather than one chunk fed again and again, so the digest reads
    // from memory as it would for a large document, not from cache.
    let data = common::document(STREAM_BYTES);
    let mut group = c.benchmark_group("sm3_stream");
    group.throughput(Throughput::Bytes(STREAM_BYTES as u64));
    group.sampling_mode(SamplingMode::Flat);
    group.sample_size(10);
    group.bench_function("100MiB_in_64KiB_chunks", |b| {
        b.iter(|| {
            let mut hasher = Sm3Hasher::new();
            for chunk in black_box(&data).chunks(CHUNK_BYTES) {
                hasher.update(chunk);
            }
            hasher.finalize()
        })
    });
    group.finish();
}

fn many(c: &mut Criterion<Clock>) {
    const DOCUMENTS: usize = 8;
    const DOCUMENT_BYTES: usize = 4 << 10;
    let documents: Vec<Vec<u8>> = (0..DOCUMENTS)
        .map(|i| {
            let mut document = common::document(DOCUMENT_BYTES);
            document[0] = i as u8;
            document
        })
        .collect();
    let documents: Vec<&[u8]> = documents.iter().map(Vec::as_slice).collect();
    let mut group = c.benchmark_group("sm3_8_documents");
    group.throughput(Throughput::Bytes((DOCUMENTS * DOCUMENT_BYTES) as u64));
    group.bench_function("4KiB_one_by_one", |b| {
        b.iter(|| {
            black_box(&documents)
                .iter()
                .map(|document| sm3(document))
                .collect::<Vec<_>>()
        })
    });
    group.bench_function("4KiB_sm3_many", |b| {
        b.iter(|| sm3_many(black_box(&documents)))
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = common::criterion();
    targets = one_shot, stream, many
}
criterion_main!(benches);
