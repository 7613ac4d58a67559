//! Carry-propagating operations on 64-bit limbs, shared by the field and scalar arithmetic.
//!
//! Each helper widens to `u128`, so the compiler emits `adc`/`sbb`/`mul` without branches.
//! Carries and borrows are always 0 or 1.

/// Returns `a + b + carry` as (low limb, carry out).
#[inline(always)]
pub(super) const fn adc(a: u64, b: u64, carry: u64) -> (u64, u64) {
    let sum = a as u128 + b as u128 + carry as u128;
    (sum as u64, (sum >> 64) as u64)
}

/// Returns `a - b - borrow` as (low limb, borrow out).
#[inline(always)]
pub(super) const fn sbb(a: u64, b: u64, borrow: u64) -> (u64, u64) {
    let difference = (a as u128).wrapping_sub(b as u128 + borrow as u128);
    (difference as u64, (difference >> 127) as u64)
}

/// Returns `acc + a * b + carry` as (low limb, high limb). The result never overflows 128 bits.
#[inline(always)]
pub(super) const fn mac(acc: u64, a: u64, b: u64, carry: u64) -> (u64, u64) {
    let sum = acc as u128 + (a as u128) * (b as u128) + carry as u128;
    (sum as u64, (sum >> 64) as u64)
}

/// Returns `a - m` when `a >= m`, else `a`, where `a` is the 257-bit value `carry || limbs`.
/// Runs in constant time: the choice is made with a mask built from the final borrow.
#[inline(always)]
pub(super) const fn subtract_if_not_below(limbs: [u64; 4], carry: u64, m: &[u64; 4]) -> [u64; 4] {
    let (d0, borrow) = sbb(limbs[0], m[0], 0);
    let (d1, borrow) = sbb(limbs[1], m[1], borrow);
    let (d2, borrow) = sbb(limbs[2], m[2], borrow);
    let (d3, borrow) = sbb(limbs[3], m[3], borrow);
    let (_, borrow) = sbb(carry, 0, borrow);
    // borrow = 1 means a < m, so keep a.
    let keep = 0u64.wrapping_sub(borrow);
    [
        (limbs[0] & keep) | (d0 & !keep),
        (limbs[1] & keep) | (d1 & !keep),
        (limbs[2] & keep) | (d2 & !keep),
        (limbs[3] & keep) | (d3 & !keep),
    ]
}

/// Returns `a + b mod m` for `a, b < m`, in constant time.
#[inline(always)]
pub(super) const fn add_mod(a: &[u64; 4], b: &[u64; 4], m: &[u64; 4]) -> [u64; 4] {
    let (s0, carry) = adc(a[0], b[0], 0);
    let (s1, carry) = adc(a[1], b[1], carry);
    let (s2, carry) = adc(a[2], b[2], carry);
    let (s3, carry) = adc(a[3], b[3], carry);
    subtract_if_not_below([s0, s1, s2, s3], carry, m)
}

/// Returns `a - b mod m` for `a, b < m`, in constant time.
#[inline(always)]
pub(super) const fn sub_mod(a: &[u64; 4], b: &[u64; 4], m: &[u64; 4]) -> [u64; 4] {
    let (d0, borrow) = sbb(a[0], b[0], 0);
    let (d1, borrow) = sbb(a[1], b[1], borrow);
    let (d2, borrow) = sbb(a[2], b[2], borrow);
    let (d3, borrow) = sbb(a[3], b[3], borrow);
    // On a borrow the difference wrapped around 2^256, and adding m brings it into [0, m).
    let mask = 0u64.wrapping_sub(borrow);
    let (r0, carry) = adc(d0, m[0] & mask, 0);
    let (r1, carry) = adc(d1, m[1] & mask, carry);
    let (r2, carry) = adc(d2, m[2] & mask, carry);
    let (r3, _) = adc(d3, m[3] & mask, carry);
    [r0, r1, r2, r3]
}

/// Returns the full 512-bit product `a * b` as eight little-endian limbs.
#[inline(always)]
pub(super) const fn mul_wide(a: &[u64; 4], b: &[u64; 4]) -> [u64; 8] {
    let mut t = [0u64; 8];
    let mut i = 0;
    while i < 4 {
        let mut carry = 0;
        let mut j = 0;
        while j < 4 {
            (t[i + j], carry) = mac(t[i + j], a[i], b[j], carry);
            j += 1;
        }
        t[i + 4] = carry;
        i += 1;
    }
    t
}

/// Returns the 512-bit square `a * a`, computing each cross product once and doubling it.
#[inline(always)]
pub(super) const fn square_wide(a: &[u64; 4]) -> [u64; 8] {
    // Cross products a[i] * a[j] for i < j.
    let (t1, carry) = mac(0, a[0], a[1], 0);
    let (t2, carry) = mac(0, a[0], a[2], carry);
    let (t3, t4) = mac(0, a[0], a[3], carry);
    let (t3, carry) = mac(t3, a[1], a[2], 0);
    let (t4, t5) = mac(t4, a[1], a[3], carry);
    let (t5, t6) = mac(t5, a[2], a[3], 0);

    // Double them. The sum of the cross products is below 2^448, so twice it fits in t1..t7.
    let t7 = t6 >> 63;
    let t6 = (t6 << 1) | (t5 >> 63);
    let t5 = (t5 << 1) | (t4 >> 63);
    let t4 = (t4 << 1) | (t3 >> 63);
    let t3 = (t3 << 1) | (t2 >> 63);
    let t2 = (t2 << 1) | (t1 >> 63);
    let t1 = t1 << 1;

    // Add the squares a[i]^2 on the diagonal.
    let (t0, high) = mac(0, a[0], a[0], 0);
    let (t1, carry) = adc(t1, high, 0);
    let (low, high) = mac(0, a[1], a[1], 0);
    let (t2, carry) = adc(t2, low, carry);
    let (t3, carry) = adc(t3, high, carry);
    let (low, high) = mac(0, a[2], a[2], 0);
    let (t4, carry) = adc(t4, low, carry);
    let (t5, carry) = adc(t5, high, carry);
    let (low, high) = mac(0, a[3], a[3], 0);
    let (t6, carry) = adc(t6, low, carry);
    let (t7, _) = adc(t7, high, carry);
    [t0, t1, t2, t3, t4, t5, t6, t7]
}

/// Reads 32 big-endian bytes as four little-endian limbs.
pub(super) const fn from_be_bytes(bytes: &[u8; 32]) -> [u64; 4] {
    let mut limbs = [0u64; 4];
    let mut i = 0;
    while i < 4 {
        let mut limb = 0u64;
        let mut j = 0;
        while j < 8 {
            limb = (limb << 8) | bytes[(3 - i) * 8 + j] as u64;
            j += 1;
        }
        limbs[i] = limb;
        i += 1;
    }
    limbs
}

/// Writes four little-endian limbs as 32 big-endian bytes.
pub(super) fn to_be_bytes(limbs: &[u64; 4]) -> [u8; 32] {
    let mut bytes = [0u8; 32];
    for (chunk, limb) in bytes.chunks_exact_mut(8).zip(limbs.iter().rev()) {
        chunk.copy_from_slice(&limb.to_be_bytes());
    }
    bytes
}

/// Returns whether `a < m`, in constant time.
#[inline(always)]
pub(super) const fn is_below(a: &[u64; 4], m: &[u64; 4]) -> bool {
    let (_, borrow) = sbb(a[0], m[0], 0);
    let (_, borrow) = sbb(a[1], m[1], borrow);
    let (_, borrow) = sbb(a[2], m[2], borrow);
    let (_, borrow) = sbb(a[3], m[3], borrow);
    borrow == 1
}
