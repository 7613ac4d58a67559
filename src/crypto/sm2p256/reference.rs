//! Plain modular arithmetic on 256-bit integers, written for clarity and not for speed, as the
//! reference the optimised field and scalar code is tested against. Reduction is bit-by-bit
//! long division, so it shares no code or idea with the Montgomery arithmetic under test.

/// Little-endian limbs of an integer of any length.
type Limbs = Vec<u64>;

fn compare(a: &[u64], b: &[u64]) -> std::cmp::Ordering {
    let length = a.len().max(b.len());
    for i in (0..length).rev() {
        let x = a.get(i).copied().unwrap_or(0);
        let y = b.get(i).copied().unwrap_or(0);
        if x != y {
            return x.cmp(&y);
        }
    }
    std::cmp::Ordering::Equal
}

/// Returns `a - b` for `a >= b`.
fn subtract(a: &[u64], b: &[u64]) -> Limbs {
    let mut result = Vec::with_capacity(a.len());
    let mut borrow = false;
    for (i, &x) in a.iter().enumerate() {
        let y = b.get(i).copied().unwrap_or(0);
        let (d, b1) = x.overflowing_sub(y);
        let (d, b2) = d.overflowing_sub(u64::from(borrow));
        result.push(d);
        borrow = b1 || b2;
    }
    assert!(!borrow, "subtract called with a < b");
    result
}

fn add(a: &[u64], b: &[u64]) -> Limbs {
    let length = a.len().max(b.len());
    let mut result = Vec::with_capacity(length + 1);
    let mut carry = 0u128;
    for i in 0..length {
        let sum = u128::from(a.get(i).copied().unwrap_or(0))
            + u128::from(b.get(i).copied().unwrap_or(0))
            + carry;
        result.push(sum as u64);
        carry = sum >> 64;
    }
    result.push(carry as u64);
    result
}

fn multiply(a: &[u64], b: &[u64]) -> Limbs {
    let mut result = vec![0u64; a.len() + b.len()];
    for (i, &x) in a.iter().enumerate() {
        let mut carry = 0u128;
        for (j, &y) in b.iter().enumerate() {
            let t = u128::from(result[i + j]) + u128::from(x) * u128::from(y) + carry;
            result[i + j] = t as u64;
            carry = t >> 64;
        }
        result[i + b.len()] = carry as u64;
    }
    result
}

/// Returns `a mod m` by shifting in one bit of `a` at a time, from the top.
fn remainder(a: &[u64], m: &[u64; 4]) -> [u64; 4] {
    let mut r: Limbs = vec![0; 5];
    for i in (0..a.len() * 64).rev() {
        let bit = (a[i / 64] >> (i % 64)) & 1;
        let mut shifted = vec![0u64; 5];
        for j in 0..5 {
            shifted[j] = (r[j] << 1) | if j > 0 { r[j - 1] >> 63 } else { bit };
        }
        r = shifted;
        if compare(&r, m) != std::cmp::Ordering::Less {
            r = subtract(&r, m);
        }
    }
    [r[0], r[1], r[2], r[3]]
}

/// Returns `a mod m`.
pub(super) fn reduce(a: &[u64; 4], m: &[u64; 4]) -> [u64; 4] {
    remainder(a, m)
}

/// Returns `2^256 mod m`.
pub(super) fn r_mod(m: &[u64; 4]) -> [u64; 4] {
    remainder(&[0, 0, 0, 0, 1], m)
}

/// Returns `a + b mod m`.
pub(super) fn add_mod(a: &[u64; 4], b: &[u64; 4], m: &[u64; 4]) -> [u64; 4] {
    remainder(&add(a, b), m)
}

/// Returns `a - b mod m` for `a, b < m`.
pub(super) fn sub_mod(a: &[u64; 4], b: &[u64; 4], m: &[u64; 4]) -> [u64; 4] {
    let sum = add(a, m);
    remainder(&subtract(&sum, b), m)
}

/// Returns `a * b mod m`.
pub(super) fn mul_mod(a: &[u64; 4], b: &[u64; 4], m: &[u64; 4]) -> [u64; 4] {
    remainder(&multiply(a, b), m)
}

/// Returns `a^(m-2) mod m`, the inverse of `a` when m is prime, by square-and-multiply.
pub(super) fn invert_mod(a: &[u64; 4], m: &[u64; 4]) -> [u64; 4] {
    let exponent = subtract(m, &[2]);
    let mut result = [1, 0, 0, 0];
    for i in (0..256).rev() {
        result = mul_mod(&result, &result, m);
        if (exponent[i / 64] >> (i % 64)) & 1 == 1 {
            result = mul_mod(&result, a, m);
        }
    }
    result
}

/// A small deterministic generator (SplitMix64), so that a failing test fails the same way on
/// every run.
pub(super) struct TestRng(u64);

impl TestRng {
    pub(super) fn new(seed: u64) -> Self {
        Self(seed)
    }

    pub(super) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    pub(super) fn limbs(&mut self) -> [u64; 4] {
        [
            self.next_u64(),
            self.next_u64(),
            self.next_u64(),
            self.next_u64(),
        ]
    }

    pub(super) fn bytes(&mut self) -> [u8; 32] {
        let mut bytes = [0u8; 32];
        for chunk in bytes.chunks_exact_mut(8) {
            chunk.copy_from_slice(&self.next_u64().to_le_bytes());
        }
        bytes
    }
}
