//! Signing and full verification of a SES_Signature over a 4 KiB document, with the UserV4.esl
//! seal and the USER key at 2021-06-01, inside both certificates' validity.
//!
//! Full verification is what a verifier does per signature: decode the SES_Signature, verify
//! the seal maker's and the signer's SM2 signatures, find the signer in the certList, check the
//! validity periods and compare dataHash with the SM3 of the document. `4KiB_seal_cached` does
//! the same with a warm `SealCache`, which returns the maker's check and keeps the SM3 state
//! after the seal for the signer's.

mod common;

use std::hint::black_box;

use common::Clock;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use eseal::verify::SealCache;
use eseal::{
    Seal, Signature, SignatureBuilder, SignedData, VerifyOptions, verify_signature,
    verify_signature_cached,
};

const DOCUMENT_BYTES: usize = 4 << 10;
const SIGNING_TIME: &str = "2021-06-01";

fn create(c: &mut Criterion<Clock>) {
    let seal = Seal::from_der(&common::read("seals/UserV4.esl")).expect("seal");
    let (key, cert) = common::user_key_and_cert();
    let time = common::time(SIGNING_TIME);
    let document = common::document(DOCUMENT_BYTES);

    let mut group = c.benchmark_group("signature_create");
    group.throughput(Throughput::Elements(1));
    group.bench_function("4KiB", |b| {
        b.iter(|| {
            SignatureBuilder::new(&seal, &key, &cert)
                .time(time)
                .sign(black_box(&document))
                .expect("sign")
        })
    });
    group.finish();
}

fn verify(c: &mut Criterion<Clock>) {
    let seal = Seal::from_der(&common::read("seals/UserV4.esl")).expect("seal");
    let (key, cert) = common::user_key_and_cert();
    let document = common::document(DOCUMENT_BYTES);
    let der = SignatureBuilder::new(&seal, &key, &cert)
        .time(common::time(SIGNING_TIME))
        .sign(&document)
        .expect("sign")
        .as_der()
        .to_vec();
    let options = VerifyOptions::default();
    let signature = Signature::from_der(&der).expect("signature");
    assert!(verify_signature(&signature, SignedData::Bytes(&document), &options).valid);

    let mut group = c.benchmark_group("signature_verify");
    group.throughput(Throughput::Elements(1));
    group.bench_function("4KiB", |b| {
        b.iter(|| {
            let signature = Signature::from_der(black_box(&der)).expect("signature");
            verify_signature(
                &signature,
                SignedData::Bytes(black_box(&document)),
                &options,
            )
        })
    });
    // The same with the maker's check taken from a SealCache, as in a batch where every
    // signature carries the same seal. That leaves one SM2 verification and an SM3 pass over
    // only the part of TBS_Sign after the seal, with no SM3 pass over SES_SealInfo.
    let cache = SealCache::default();
    assert!(
        verify_signature_cached(&signature, SignedData::Bytes(&document), &options, &cache).valid
    );
    group.bench_function("4KiB_seal_cached", |b| {
        b.iter(|| {
            let signature = Signature::from_der(black_box(&der)).expect("signature");
            verify_signature_cached(
                &signature,
                SignedData::Bytes(black_box(&document)),
                &options,
                &cache,
            )
        })
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = common::criterion();
    targets = create, verify
}
criterion_main!(benches);
