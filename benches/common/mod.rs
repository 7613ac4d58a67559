//! Helpers shared by the benchmarks: the clock, the real-world vectors and fixed inputs.
#![allow(dead_code)]

use std::path::PathBuf;
use std::time::{Duration, Instant};

use criterion::Criterion;
use criterion::measurement::{Measurement, ValueFormatter, WallTime};

/// The clock the benchmarks read: wall-clock time, or with `ESEAL_BENCH_CLOCK=cpu` the CPU
/// time of the benchmark thread.
///
/// CPU time leaves out the time the thread waits while other processes run, so it gives the
/// per-core cost on a busy machine. It is read with `clock_gettime(CLOCK_THREAD_CPUTIME_ID)`.
pub struct Clock {
    cpu: bool,
    origin: Instant,
    wall: WallTime,
}

impl Clock {
    /// Selects the clock from `ESEAL_BENCH_CLOCK`: `cpu`, or `wall` (the default).
    pub fn from_env() -> Self {
        let cpu = match std::env::var("ESEAL_BENCH_CLOCK").as_deref() {
            Ok("cpu") => true,
            Ok("wall") | Err(_) => false,
            Ok(other) => panic!("ESEAL_BENCH_CLOCK must be cpu or wall, not {other:?}"),
        };
        if cpu {
            thread_cpu_time();
        }
        Self {
            cpu,
            origin: Instant::now(),
            wall: WallTime,
        }
    }

    fn now(&self) -> Duration {
        if self.cpu {
            thread_cpu_time()
        } else {
            self.origin.elapsed()
        }
    }
}

/// Reads the CPU time the calling thread has run for.
///
/// `clock_gettime` is used rather than `/proc/thread-self/schedstat`, whose count of a running
/// thread advances only at scheduler ticks and so reads zero for short samples.
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
        "clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed: {}; unset ESEAL_BENCH_CLOCK to measure wall time",
        std::io::Error::last_os_error()
    );
    Duration::new(time.tv_sec as u64, time.tv_nsec as u32)
}

impl Measurement for Clock {
    type Intermediate = Duration;
    type Value = Duration;

    fn start(&self) -> Duration {
        self.now()
    }

    fn end(&self, start: Duration) -> Duration {
        self.now().saturating_sub(start)
    }

    fn add(&self, v1: &Duration, v2: &Duration) -> Duration {
        *v1 + *v2
    }

    fn zero(&self) -> Duration {
        Duration::ZERO
    }

    fn to_f64(&self, value: &Duration) -> f64 {
        value.as_nanos() as f64
    }

    fn formatter(&self) -> &dyn ValueFormatter {
        self.wall.formatter()
    }
}

/// Returns criterion's default configuration with the clock that `ESEAL_BENCH_CLOCK` selects.
pub fn criterion() -> Criterion<Clock> {
    Criterion::default().with_measurement(Clock::from_env())
}

/// Returns the folder of real-world vectors: `ESEAL_VECTORS`, or `../shared/vectors` beside the
/// crate.
pub fn vectors() -> PathBuf {
    let dir = std::env::var_os("ESEAL_VECTORS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/vectors"));
    assert!(
        dir.join("seals").is_dir() && dir.join("keys").is_dir(),
        "vectors not found at {}; set ESEAL_VECTORS to the vectors folder",
        dir.display()
    );
    dir
}

/// Reads a file below the vectors folder.
pub fn read(relative: &str) -> Vec<u8> {
    let path = vectors().join(relative);
    std::fs::read(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

pub fn time(text: &str) -> eseal::Time {
    eseal::Time::parse(text).unwrap_or_else(|| panic!("invalid time {text}"))
}

/// Reads the private key and certificate of USER, the signer that UserV4.esl authorises.
pub fn user_key_and_cert() -> (eseal::PrivateKey, eseal::Certificate) {
    let key = eseal::PrivateKey::from_pem(&read("keys/USER.key.pem")).expect("USER.key.pem");
    let cert = eseal::Certificate::from_pem(&read("keys/USER.cert.pem")).expect("USER.cert.pem");
    (key, cert)
}

/// Returns `len` pseudo-random bytes (xorshift64 from a fixed seed), the same in every run.
pub fn document(len: usize) -> Vec<u8> {
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut out = Vec::with_capacity(len + 8);
    while out.len() < len {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        out.extend_from_slice(&state.to_le_bytes());
    }
    out.truncate(len);
    out
}
