//! SM2 signing and verification with the USER key of the vectors and the default ID, over a
//! 32-byte message. `sign` and `verify` include Z and `e = SM3(Z || M)`, while the `_digest`
//! variants start from `e` and so measure the elliptic-curve work alone.
//! `verify_digest_with_table` verifies with the key's `PublicKeyTable`, and
//! `public_key_table_build` builds that table.

mod common;

use std::hint::black_box;

use common::Clock;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use eseal::crypto::{DEFAULT_SM2_ID, PublicKeyTable, message_digest};

fn sm2(c: &mut Criterion<Clock>) {
    let (key, _) = common::user_key_and_cert();
    let public = key.public_key().clone();
    let message = common::document(32);
    let signature = key.sign(DEFAULT_SM2_ID, &message).expect("sign");
    assert!(public.verify(DEFAULT_SM2_ID, &message, &signature));
    let e = message_digest(&public, DEFAULT_SM2_ID, &message).expect("digest");

    let mut group = c.benchmark_group("sm2");
    group.throughput(Throughput::Elements(1));
    group.bench_function("sign", |b| {
        b.iter(|| key.sign(black_box(DEFAULT_SM2_ID), black_box(&message)))
    });
    group.bench_function("verify", |b| {
        b.iter(|| {
            public.verify(
                black_box(DEFAULT_SM2_ID),
                black_box(&message),
                black_box(&signature),
            )
        })
    });
    group.bench_function("sign_digest", |b| b.iter(|| key.sign_digest(black_box(&e))));
    group.bench_function("verify_digest", |b| {
        b.iter(|| public.verify_digest(black_box(&e), black_box(&signature)))
    });
    let table = PublicKeyTable::new(&public);
    assert!(table.verify_digest(&e, &signature));
    group.bench_function("verify_digest_with_table", |b| {
        b.iter(|| table.verify_digest(black_box(&e), black_box(&signature)))
    });
    group.bench_function("public_key_table_build", |b| {
        b.iter(|| PublicKeyTable::new(black_box(&public)))
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = common::criterion();
    targets = sm2
}
criterion_main!(benches);
