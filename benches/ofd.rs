//! Verification of every signature in a real OFD package read from memory:
//! koal-three-signatures.ofd (150 KB, three valid signatures).

mod common;

use std::hint::black_box;
use std::io::Cursor;

use common::Clock;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use eseal::VerifyOptions;
use eseal::ofd::{Limits, verify_ofd};

fn verify(c: &mut Criterion<Clock>) {
    let package = common::read("ofd/koal-three-signatures.ofd");
    let options = VerifyOptions::default();
    let report = verify_ofd(Cursor::new(&package), &options, Limits::default()).expect("ofd");
    assert!(report.valid);
    assert_eq!(report.signatures.len(), 3);

    let mut group = c.benchmark_group("ofd_verify");
    group.throughput(Throughput::Elements(1));
    group.bench_function("koal-three-signatures", |b| {
        b.iter(|| {
            verify_ofd(
                Cursor::new(black_box(package.as_slice())),
                &options,
                Limits::default(),
            )
            .expect("ofd")
        })
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = common::criterion();
    targets = verify
}
criterion_main!(benches);
