//! Carry-propagating operations on 64-bit limbs, shared by the field and scalar arithmetic.
//!
//! On x86-64, carries and borrows go through `_addcarry_u64` and `_subborrow_u64`, which LLVM
//! keeps in the carry flag from one `adc`/`sbb` to the next. Elsewhere they are built from
//! `overflowing_add`/`overflowing_sub`. With those on x86-64 as well, a field multiplication
//! took about 7% more instructions and an addition about 30% more (rustc 1.95, counted with
//! valgrind), because LLVM moved many carries through `setb` and a register.

/// Returns `a + b + carry` as (low limb, carry out).
#[cfg(target_arch = "x86_64")]
#[inline(always)]
pub(super) fn adc(a: u64, b: u64, carry: bool) -> (u64, bool) {
    let mut sum = 0;
    let carry_out = core::arch::x86_64::_addcarry_u64(u8::from(carry), a, b, &mut sum);
    (sum, carry_out != 0)
}

/// Returns `a + b + carry` as (low limb, carry out).
#[cfg(not(target_arch = "x86_64"))]
#[inline(always)]
pub(super) fn adc(a: u64, b: u64, carry: bool) -> (u64, bool) {
    let (sum, overflow_1) = a.overflowing_add(b);
    let (sum, overflow_2) = sum.overflowing_add(carry as u64);
    (sum, overflow_1 | overflow_2)
}

/// Returns `a - b - borrow` as (low limb, borrow out).
#[cfg(target_arch = "x86_64")]
#[inline(always)]
pub(super) fn sbb(a: u64, b: u64, borrow: bool) -> (u64, bool) {
    let mut difference = 0;
    let borrow_out = core::arch::x86_64::_subborrow_u64(u8::from(borrow), a, b, &mut difference);
    (difference, borrow_out != 0)
}

/// Returns `a - b - borrow` as (low limb, borrow out).
#[cfg(not(target_arch = "x86_64"))]
#[inline(always)]
pub(super) fn sbb(a: u64, b: u64, borrow: bool) -> (u64, bool) {
    let (difference, underflow_1) = a.overflowing_sub(b);
    let (difference, underflow_2) = difference.overflowing_sub(borrow as u64);
    (difference, underflow_1 | underflow_2)
}

/// Returns the 128-bit product `a * b` as (low limb, high limb).
#[inline(always)]
pub(super) const fn widening_mul(a: u64, b: u64) -> (u64, u64) {
    let product = (a as u128) * (b as u128);
    (product as u64, (product >> 64) as u64)
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
pub(super) fn subtract_if_not_below(limbs: [u64; 4], carry: bool, m: &[u64; 4]) -> [u64; 4] {
    let (d0, borrow) = sbb(limbs[0], m[0], false);
    let (d1, borrow) = sbb(limbs[1], m[1], borrow);
    let (d2, borrow) = sbb(limbs[2], m[2], borrow);
    let (d3, borrow) = sbb(limbs[3], m[3], borrow);
    let (_, borrow) = sbb(carry as u64, 0, borrow);
    // A final borrow means a < m, so keep a.
    let keep = 0u64.wrapping_sub(borrow as u64);
    [
        (limbs[0] & keep) | (d0 & !keep),
        (limbs[1] & keep) | (d1 & !keep),
        (limbs[2] & keep) | (d2 & !keep),
        (limbs[3] & keep) | (d3 & !keep),
    ]
}

/// Returns `a + b mod m` for `a, b < m`, in constant time.
#[inline(always)]
pub(super) fn add_mod(a: &[u64; 4], b: &[u64; 4], m: &[u64; 4]) -> [u64; 4] {
    let (s0, carry) = adc(a[0], b[0], false);
    let (s1, carry) = adc(a[1], b[1], carry);
    let (s2, carry) = adc(a[2], b[2], carry);
    let (s3, carry) = adc(a[3], b[3], carry);
    subtract_if_not_below([s0, s1, s2, s3], carry, m)
}

/// Returns `a - b mod m` for `a, b < m`, in constant time.
#[inline(always)]
pub(super) fn sub_mod(a: &[u64; 4], b: &[u64; 4], m: &[u64; 4]) -> [u64; 4] {
    let (d0, borrow) = sbb(a[0], b[0], false);
    let (d1, borrow) = sbb(a[1], b[1], borrow);
    let (d2, borrow) = sbb(a[2], b[2], borrow);
    let (d3, borrow) = sbb(a[3], b[3], borrow);
    // On a borrow the difference wrapped around 2^256, and adding m brings it into [0, m).
    let mask = 0u64.wrapping_sub(borrow as u64);
    let (r0, carry) = adc(d0, m[0] & mask, false);
    let (r1, carry) = adc(d1, m[1] & mask, carry);
    let (r2, carry) = adc(d2, m[2] & mask, carry);
    let (r3, _) = adc(d3, m[3] & mask, carry);
    [r0, r1, r2, r3]
}

/// Returns the full 512-bit product `a * b` as eight little-endian limbs.
///
/// Row i forms `a[i] * b` as five limbs with one carry chain and adds it at limb i with a
/// second chain, which keeps both chains short.
#[inline(always)]
pub(super) fn mul_wide(a: &[u64; 4], b: &[u64; 4]) -> [u64; 8] {
    let mut t = [0u64; 8];
    let mut i = 0;
    while i < 4 {
        let (l0, h0) = widening_mul(a[i], b[0]);
        let (l1, h1) = widening_mul(a[i], b[1]);
        let (l2, h2) = widening_mul(a[i], b[2]);
        let (l3, h3) = widening_mul(a[i], b[3]);
        let (r1, carry) = adc(h0, l1, false);
        let (r2, carry) = adc(h1, l2, carry);
        let (r3, carry) = adc(h2, l3, carry);
        // a[i] * b < 2^320, so the top limb takes the carry without overflowing.
        let r4 = h3 + carry as u64;

        let carry;
        (t[i], carry) = adc(t[i], l0, false);
        let carry_1;
        (t[i + 1], carry_1) = adc(t[i + 1], r1, carry);
        let carry_2;
        (t[i + 2], carry_2) = adc(t[i + 2], r2, carry_1);
        let carry_3;
        (t[i + 3], carry_3) = adc(t[i + 3], r3, carry_2);
        // Limb i + 4 is still zero here, and the partial product is below 2^(64 (i + 5)).
        t[i + 4] = r4 + carry_3 as u64;
        i += 1;
    }
    t
}

/// Returns the 512-bit square `a * a`, computing each cross product once and doubling it.
#[inline(always)]
pub(super) fn square_wide(a: &[u64; 4]) -> [u64; 8] {
    // Cross products a[i] * a[j] for i < j, summed into t1..t6.
    let (t1, h01) = widening_mul(a[0], a[1]);
    let (l02, h02) = widening_mul(a[0], a[2]);
    let (l03, h03) = widening_mul(a[0], a[3]);
    let (t2, carry) = adc(h01, l02, false);
    let (t3, carry) = adc(h02, l03, carry);
    let t4 = h03 + carry as u64;

    let (l12, h12) = widening_mul(a[1], a[2]);
    let (l13, h13) = widening_mul(a[1], a[3]);
    let (row3, carry) = adc(h12, l13, false);
    let row4 = h13 + carry as u64;
    let (t3, carry) = adc(t3, l12, false);
    let (t4, carry) = adc(t4, row3, carry);
    let t5 = row4 + carry as u64;

    let (l23, h23) = widening_mul(a[2], a[3]);
    let (t5, carry) = adc(t5, l23, false);
    let t6 = h23 + carry as u64;

    // Double them. The sum of the cross products is below 2^448, so twice it fits in t1..t7.
    let t7 = t6 >> 63;
    let t6 = (t6 << 1) | (t5 >> 63);
    let t5 = (t5 << 1) | (t4 >> 63);
    let t4 = (t4 << 1) | (t3 >> 63);
    let t3 = (t3 << 1) | (t2 >> 63);
    let t2 = (t2 << 1) | (t1 >> 63);
    let t1 = t1 << 1;

    // Add the squares a[i]^2 on the diagonal.
    let (t0, high_0) = widening_mul(a[0], a[0]);
    let (low_1, high_1) = widening_mul(a[1], a[1]);
    let (low_2, high_2) = widening_mul(a[2], a[2]);
    let (low_3, high_3) = widening_mul(a[3], a[3]);
    let (t1, carry) = adc(t1, high_0, false);
    let (t2, carry) = adc(t2, low_1, carry);
    let (t3, carry) = adc(t3, high_1, carry);
    let (t4, carry) = adc(t4, low_2, carry);
    let (t5, carry) = adc(t5, high_2, carry);
    let (t6, carry) = adc(t6, low_3, carry);
    let (t7, _) = adc(t7, high_3, carry);
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
pub(super) fn is_below(a: &[u64; 4], m: &[u64; 4]) -> bool {
    let (_, borrow) = sbb(a[0], m[0], false);
    let (_, borrow) = sbb(a[1], m[1], borrow);
    let (_, borrow) = sbb(a[2], m[2], borrow);
    let (_, borrow) = sbb(a[3], m[3], borrow);
    borrow
}
