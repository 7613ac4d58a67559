//! Batch verification of 64 signatures on 1, 2 and 4 threads, to show how `BatchVerifier`
//! scales with the cores. All 64 carry UserV4.esl and cover different 4 KiB documents, as in
//! an archive sealed by one office.
//!
//! `distinct_seals` verifies 64 signatures that each carry a seal of their own, made by one
//! maker with UserV4.esl's picture and signed by one signer, as in an archive of documents
//! from many offices of one seal system. Each iteration starts with a new verifier and an empty
//! cache, so no seal's maker check is reused. The cache then only adds the two keys' tables,
//! built during the iteration.
//!
//! This benchmark always measures wall-clock time, even when `ESEAL_BENCH_CLOCK` is set, because
//! the CPU time of the measuring thread leaves out the worker threads.

mod common;

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use eseal::verify::{BatchItem, BatchVerifier};
use eseal::{
    Certificate, PrivateKey, Seal, SealBuilder, SignatureBuilder, SignedData, VerifyOptions,
};

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

fn distinct_seals(c: &mut Criterion) {
    let user_seal = Seal::from_der(&common::read("seals/UserV4.esl")).expect("seal");
    let picture = &user_seal.info.picture;
    let maker_key =
        PrivateKey::from_pem(&common::read("keys/SealBuilder.key.pem")).expect("maker key");
    let maker_cert =
        Certificate::from_pem(&common::read("keys/SealBuilder.cert.pem")).expect("maker cert");
    let (key, cert) = common::user_key_and_cert();
    let base = common::document(DOCUMENT_BYTES);
    let mut signatures = Vec::new();
    let mut documents = Vec::new();
    for i in 0..SIGNATURES {
        let seal = SealBuilder::new(format!("BENCH-{i:04}"), "批量验证测试章")
            .validity(common::time("2021-01-01"), common::time("2022-01-01"))
            .create_date(common::time("2021-01-01"))
            .picture(picture.data.clone(), picture.width, picture.height)
            .expect("picture")
            .signer_certificate(&cert)
            .sign(&maker_key, &maker_cert)
            .expect("seal");
        let mut document = base.clone();
        document[..8].copy_from_slice(&(i as u64).to_be_bytes());
        let signature = SignatureBuilder::new(&seal, &key, &cert)
            .time(common::time("2021-06-01"))
            .sign(&document)
            .expect("sign");
        signatures.push(signature.as_der().to_vec());
        documents.push(document);
    }
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
    for threads in [1, 2] {
        let results = BatchVerifier::new(VerifyOptions::default())
            .threads(threads)
            .verify(&items);
        assert!(results.iter().all(|r| r.as_ref().is_ok_and(|r| r.valid)));
        group.bench_with_input(
            BenchmarkId::new("distinct_seals", format!("{threads}_threads")),
            &threads,
            |b, &threads| {
                b.iter(|| {
                    BatchVerifier::new(VerifyOptions::default())
                        .threads(threads)
                        .verify(black_box(&items))
                })
            },
        );
    }
    group.finish();
}

criterion_group!(benches, batch, distinct_seals);
criterion_main!(benches);
