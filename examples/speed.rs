//! Prints eseal's SM2 signing and verification rates and its SM3 throughput, each measured for
//! a fixed wall-clock time, in the format that benches/compare/run.sh reads:
//!
//! ```text
//! sm2_sign <ops/s> ops/s cpu <ops/s> ops/s
//! sm2_verify <ops/s> ops/s cpu <ops/s> ops/s
//! sm3_1MiB <MB/s> MB/s cpu <MB/s> MB/s        (MB = 10^6 bytes)
//! ```
//!
//! The first rate divides by the wall-clock time, the second by the thread's CPU time, which
//! leaves out time spent waiting while other processes run. As in the C programs, the CPU time
//! is read with `clock_gettime(CLOCK_THREAD_CPUTIME_ID)`.
//!
//! One SM2 operation is `PrivateKey::sign` or `PublicKey::verify` of a 32-byte message with
//! the default ID, so it includes Z and `e = SM3(Z || M)`. One SM3 operation is `sm3` over
//! 1 MiB. The C programs in benches/compare/ measure OpenSSL and GmSSL the same way.
//!
//! With `--rustcrypto`, the same three operations run on the RustCrypto `sm2` and `sm3` crates
//! that eseal depends on (`SigningKey::sign` and `VerifyingKey::verify` with the same ID, and
//! `Sm3::digest`), so the comparison harness can show them beside eseal.
//!
//! Usage: `cargo run --release --example speed -- [--rustcrypto] KEY.pem [SECONDS]` (default
//! 2 seconds).

use std::hint::black_box;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use eseal::PrivateKey;
use eseal::crypto::{DEFAULT_SM2_ID, sm3};

const MESSAGE_BYTES: usize = 32;
const SM3_INPUT_BYTES: usize = 1 << 20;

/// Operations per wall-clock second and per CPU second of one measurement.
struct Rates {
    wall: f64,
    cpu: f64,
}

/// Reads the CPU time the calling thread has run for (`CLOCK_THREAD_CPUTIME_ID`).
#[allow(unsafe_code)]
fn thread_cpu_time() -> Duration {
    let mut time = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `time` is a valid, writable timespec for the duration of the call.
    let result = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut time) };
    assert_eq!(
        result,
        0,
        "clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed: {}",
        std::io::Error::last_os_error()
    );
    Duration::new(time.tv_sec as u64, time.tv_nsec as u32)
}

/// Runs `operation` for a tenth of `duration` as a warm-up, then for `duration` of wall-clock
/// time, and returns the operations per wall-clock second and per CPU second.
fn measure(duration: Duration, mut operation: impl FnMut()) -> Rates {
    let start = Instant::now();
    while start.elapsed() < duration / 10 {
        operation();
    }

    let cpu_start = thread_cpu_time();
    let start = Instant::now();
    let mut count = 0u64;
    loop {
        operation();
        count += 1;
        let elapsed = start.elapsed();
        if elapsed >= duration {
            let cpu_elapsed = thread_cpu_time() - cpu_start;
            return Rates {
                wall: count as f64 / elapsed.as_secs_f64(),
                cpu: count as f64 / cpu_elapsed.as_secs_f64(),
            };
        }
    }
}

fn print_rates(name: &str, rates: &Rates, scale: f64, unit: &str) {
    println!(
        "{name} {:.1} {unit} cpu {:.1} {unit}",
        rates.wall * scale,
        rates.cpu * scale
    );
}

fn main() -> ExitCode {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let rustcrypto = args.first().is_some_and(|arg| arg == "--rustcrypto");
    if rustcrypto {
        args.remove(0);
    }
    if args.is_empty() || args.len() > 2 {
        eprintln!("usage: speed [--rustcrypto] KEY.pem [SECONDS]");
        return ExitCode::from(2);
    }
    let seconds = match args.get(1).map(|text| text.parse::<f64>()) {
        None => 2.0,
        Some(Ok(value)) if value > 0.0 && value.is_finite() => value,
        Some(_) => {
            eprintln!("speed: SECONDS must be a positive number, not {}", args[1]);
            return ExitCode::from(2);
        }
    };
    let duration = Duration::from_secs_f64(seconds);

    let pem = match std::fs::read(&args[0]) {
        Ok(pem) => pem,
        Err(e) => {
            eprintln!("speed: cannot read {}: {e}", args[0]);
            return ExitCode::from(2);
        }
    };

    // The same inputs as the C programs: bytes 0..31, and 1 MiB of (i * 31 + 7) mod 256.
    let message: Vec<u8> = (0..MESSAGE_BYTES).map(|i| i as u8).collect();
    let sm3_input: Vec<u8> = (0..SM3_INPUT_BYTES)
        .map(|i| (i.wrapping_mul(31) + 7) as u8)
        .collect();
    let rates = if rustcrypto {
        measure_rustcrypto(&args[0], &pem, &message, &sm3_input, duration)
    } else {
        measure_eseal(&args[0], &pem, &message, &sm3_input, duration)
    };
    let Some([sign_rate, verify_rate, sm3_rate]) = rates else {
        return ExitCode::from(2);
    };

    if rustcrypto {
        println!("# RustCrypto sm2 0.14 and sm3 0.5 crates");
    } else {
        println!("# eseal {}", env!("CARGO_PKG_VERSION"));
    }
    print_rates("sm2_sign", &sign_rate, 1.0, "ops/s");
    print_rates("sm2_verify", &verify_rate, 1.0, "ops/s");
    print_rates("sm3_1MiB", &sm3_rate, SM3_INPUT_BYTES as f64 / 1e6, "MB/s");
    ExitCode::SUCCESS
}

/// Measures eseal's signing, verification and SM3. Returns `None` after printing why the key
/// cannot be used.
fn measure_eseal(
    path: &str,
    pem: &[u8],
    message: &[u8],
    sm3_input: &[u8],
    duration: Duration,
) -> Option<[Rates; 3]> {
    let key = match PrivateKey::from_pem(pem) {
        Ok(key) => key,
        Err(e) => {
            eprintln!("speed: {path}: {e}");
            return None;
        }
    };
    let public = key.public_key();
    let signature = key.sign(DEFAULT_SM2_ID, message).expect("signing failed");
    assert!(public.verify(DEFAULT_SM2_ID, message, &signature));

    let sign_rate = measure(duration, || {
        black_box(
            key.sign(DEFAULT_SM2_ID, black_box(message))
                .expect("signing failed"),
        );
    });
    let verify_rate = measure(duration, || {
        assert!(public.verify(DEFAULT_SM2_ID, black_box(message), &signature));
    });
    let sm3_rate = measure(duration, || {
        black_box(sm3(black_box(sm3_input)));
    });
    Some([sign_rate, verify_rate, sm3_rate])
}

/// Measures the same operations with the RustCrypto `sm2` and `sm3` crates.
fn measure_rustcrypto(
    path: &str,
    pem: &[u8],
    message: &[u8],
    sm3_input: &[u8],
    duration: Duration,
) -> Option<[Rates; 3]> {
    use sm2::dsa::signature::{Signer, Verifier};
    use sm2::pkcs8::DecodePrivateKey;
    use sm3::Digest;

    let id = std::str::from_utf8(DEFAULT_SM2_ID).expect("the default ID is ASCII");
    let secret = match std::str::from_utf8(pem)
        .ok()
        .and_then(|text| sm2::SecretKey::from_pkcs8_pem(text).ok())
    {
        Some(secret) => secret,
        None => {
            eprintln!("speed: {path}: not an unencrypted PKCS#8 SM2 key in PEM");
            return None;
        }
    };
    let signing_key = sm2::dsa::SigningKey::new(id, &secret).expect("a valid SM2 key");
    let verifying_key =
        sm2::dsa::VerifyingKey::new(id, secret.public_key()).expect("a valid SM2 key");
    let signature: sm2::dsa::Signature = signing_key.sign(message);
    assert!(verifying_key.verify(message, &signature).is_ok());

    let sign_rate = measure(duration, || {
        let signature: sm2::dsa::Signature = signing_key.sign(black_box(message));
        black_box(signature);
    });
    let verify_rate = measure(duration, || {
        assert!(verifying_key.verify(black_box(message), &signature).is_ok());
    });
    let sm3_rate = measure(duration, || {
        black_box(sm3::Sm3::digest(black_box(sm3_input)));
    });
    Some([sign_rate, verify_rate, sm3_rate])
}
