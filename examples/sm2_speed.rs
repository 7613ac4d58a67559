//! Prints how many SM2 signatures per second eseal makes and verifies on this machine.
//!
//! Run with `cargo run --release --example sm2_speed`. Each operation runs for about two
//! seconds over one fixed key and digest. The numbers are rough, so repeat the run and compare
//! them only with runs on the same machine. docs/sm2-performance.md records past results.

use std::hint::black_box;
use std::time::{Duration, Instant};

use eseal::PrivateKey;

const RUN_TIME: Duration = Duration::from_secs(2);

fn main() {
    let key = PrivateKey::from_scalar_bytes(&[0x5a; 32]).expect("0x5a5a…5a is below n");
    let digest = [0xa5u8; 32];
    let signature = key
        .sign_digest(&digest)
        .expect("signing with a valid key succeeds");
    assert!(key.public_key().verify_digest(&digest, &signature));

    let sign_rate = operations_per_second(|| {
        black_box(key.sign_digest(black_box(&digest)).is_ok());
    });
    println!("sign:   {sign_rate:>9.0} ops/s");

    let verify_rate = operations_per_second(|| {
        black_box(
            key.public_key()
                .verify_digest(black_box(&digest), black_box(&signature)),
        );
    });
    println!("verify: {verify_rate:>9.0} ops/s");
}

/// Runs `operation` repeatedly for [`RUN_TIME`] and returns the number of runs per second.
fn operations_per_second(mut operation: impl FnMut()) -> f64 {
    // One warm-up call builds any lazily computed tables outside the timed loop.
    operation();
    let start = Instant::now();
    let mut count = 0u64;
    while start.elapsed() < RUN_TIME {
        for _ in 0..64 {
            operation();
        }
        count += 64;
    }
    count as f64 / start.elapsed().as_secs_f64()
}
