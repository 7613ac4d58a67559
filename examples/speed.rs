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
//! When the key is USER.key.pem in the vectors' `keys/` folder, eseal also measures full
//! GB/T 38540 signature verification over 4 KiB documents, per signature:
//!
//! ```text
//! full_verify_alone <ops/s> ...            verify_signature of one signature, UserV4.esl
//! full_verify_distinct_seals <ops/s> ...   BatchVerifier on 1 thread, 64 signatures with 64
//!                                          seals of one maker, a new verifier per batch
//! full_verify_same_seal <ops/s> ...        BatchVerifier on 1 thread, 64 signatures with
//!                                          UserV4.esl, one verifier for every batch
//! ```
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
    if !rustcrypto {
        let vectors = std::path::Path::new(&args[0])
            .parent()
            .and_then(std::path::Path::parent);
        if let Some(vectors) = vectors.filter(|dir| dir.join("seals/UserV4.esl").is_file()) {
            match measure_full_verification(vectors, duration) {
                Ok(rates) => {
                    for (name, rates) in rates {
                        print_rates(name, &rates, 1.0, "ops/s");
                    }
                }
                Err(e) => {
                    eprintln!("speed: full verification: {e}");
                    return ExitCode::from(2);
                }
            }
        }
    }
    ExitCode::SUCCESS
}

/// Measures full signature verification with the vectors' UserV4.esl, USER and SealBuilder
/// keys at 2021-06-01, inside every validity period. Rates are per signature.
fn measure_full_verification(
    vectors: &std::path::Path,
    duration: Duration,
) -> eseal::Result<Vec<(&'static str, Rates)>> {
    use eseal::verify::{BatchItem, BatchVerifier};
    use eseal::{
        Certificate, Seal, SealBuilder, Signature, SignatureBuilder, SignedData, Time,
        VerifyOptions, verify_signature,
    };

    const SIGNATURES: usize = 64;
    let read = |name: &str| {
        let path = vectors.join(name);
        std::fs::read(&path)
            .map_err(|e| std::io::Error::new(e.kind(), format!("{}: {e}", path.display())))
    };
    let time = |text: &str| Time::parse(text).expect("a valid time");
    let user_seal = Seal::from_der(&read("seals/UserV4.esl")?)?;
    let key = PrivateKey::from_pem(&read("keys/USER.key.pem")?)?;
    let cert = Certificate::from_pem(&read("keys/USER.cert.pem")?)?;
    let maker_key = PrivateKey::from_pem(&read("keys/SealBuilder.key.pem")?)?;
    let maker_cert = Certificate::from_pem(&read("keys/SealBuilder.cert.pem")?)?;
    let picture = &user_seal.info.picture;

    let mut same_seal = Vec::new();
    let mut distinct_seals = Vec::new();
    let mut documents = Vec::new();
    for i in 0..SIGNATURES {
        let mut document = vec![0x5a; 4096];
        document[..8].copy_from_slice(&(i as u64).to_be_bytes());
        let signature = SignatureBuilder::new(&user_seal, &key, &cert)
            .time(time("2021-06-01"))
            .sign(&document)?;
        same_seal.push(signature.as_der().to_vec());
        let seal = SealBuilder::new(format!("SPEED-{i:04}"), "速度测试章")
            .validity(time("2021-01-01"), time("2022-01-01"))
            .create_date(time("2021-01-01"))
            .picture(picture.data.clone(), picture.width, picture.height)?
            .signer_certificate(&cert)
            .sign(&maker_key, &maker_cert)?;
        let signature = SignatureBuilder::new(&seal, &key, &cert)
            .time(time("2021-06-01"))
            .sign(&document)?;
        distinct_seals.push(signature.as_der().to_vec());
        documents.push(document);
    }
    let same_items = batch_items(&same_seal, &documents);
    let distinct_items = batch_items(&distinct_seals, &documents);
    let options = VerifyOptions::default();
    let all_valid = |verifier: &BatchVerifier, items: &[BatchItem<'_>]| {
        verifier
            .verify(items)
            .iter()
            .all(|result| result.as_ref().is_ok_and(|report| report.valid))
    };
    let fresh = || BatchVerifier::new(options.clone()).threads(1);
    assert!(
        all_valid(&fresh(), &same_items),
        "a signature did not verify"
    );
    assert!(
        all_valid(&fresh(), &distinct_items),
        "a signature did not verify"
    );
    let alone = Signature::from_der(&same_seal[0])?;
    let per_signature = |rates: Rates| Rates {
        wall: rates.wall * SIGNATURES as f64,
        cpu: rates.cpu * SIGNATURES as f64,
    };

    let alone_rate = measure(duration, || {
        let report = verify_signature(&alone, SignedData::Bytes(&documents[0]), &options);
        assert!(report.valid);
    });
    let distinct_rate = measure(duration, || {
        assert!(all_valid(&fresh(), black_box(&distinct_items)));
    });
    let warm = fresh();
    let same_rate = measure(duration, || {
        assert!(all_valid(&warm, black_box(&same_items)));
    });
    Ok(vec![
        ("full_verify_alone", alone_rate),
        ("full_verify_distinct_seals", per_signature(distinct_rate)),
        ("full_verify_same_seal", per_signature(same_rate)),
    ])
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

/// Pairs each signature with its document.
fn batch_items<'a>(
    signatures: &'a [Vec<u8>],
    documents: &'a [Vec<u8>],
) -> Vec<eseal::verify::BatchItem<'a>> {
    signatures
        .iter()
        .zip(documents)
        .map(|(der, document)| eseal::verify::BatchItem {
            signature: der,
            data: eseal::SignedData::Bytes(document),
        })
        .collect()
}
