//! Seal decoding (`Seal::from_der`) and verification (`verify_seal`) of two real seals, each at
//! a fixed time inside its validity and its maker certificate's.

mod common;

use std::hint::black_box;

use common::Clock;
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use eseal::{Seal, VerifyOptions, verify_seal};

/// The seals and a time at which each one verifies as valid.
const SEALS: [(&str, &str); 2] = [("UserV4", "2021-06-01"), ("koal-v4", "2025-06-01")];

fn parse(c: &mut Criterion<Clock>) {
    let mut group = c.benchmark_group("seal_parse");
    group.throughput(Throughput::Elements(1));
    for (name, _) in SEALS {
        let der = common::read(&format!("seals/{name}.esl"));
        group.bench_with_input(BenchmarkId::from_parameter(name), &der, |b, der| {
            b.iter(|| Seal::from_der(black_box(der)).expect("seal"))
        });
    }
    group.finish();
}

fn verify(c: &mut Criterion<Clock>) {
    let mut group = c.benchmark_group("seal_verify");
    group.throughput(Throughput::Elements(1));
    for (name, at) in SEALS {
        let seal = Seal::from_der(&common::read(&format!("seals/{name}.esl"))).expect("seal");
        let options = VerifyOptions {
            at: Some(common::time(at)),
            ..VerifyOptions::default()
        };
        assert!(
            verify_seal(&seal, &options).valid,
            "{name} is not valid at {at}"
        );
        group.bench_with_input(BenchmarkId::from_parameter(name), &seal, |b, seal| {
            b.iter(|| verify_seal(black_box(seal), &options))
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = common::criterion();
    targets = parse, verify
}
criterion_main!(benches);
