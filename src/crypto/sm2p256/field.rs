//! Arithmetic in GF(p) for the SM2 prime p = 2^256 - 2^224 - 2^96 + 2^64 - 1.
//!
//! Elements are kept in Montgomery form a·R mod p with R = 2^256, as four little-endian 64-bit
//! limbs. The special form of p makes the Montgomery reduction cheap: p ≡ -1 mod 2^64, so the
//! per-limb factor -p^-1 mod 2^64 is 1, and m·(p + 1) / 2^64 = m·(2^192 - 2^160 - 2^32 + 1) is
//! built from shifts of m instead of multiplications.
//!
//! Invariant: the limbs are always fully reduced (below p). Equal elements therefore have equal
//! limbs, which makes `==` and [`FieldElement::is_zero`] exact.
//!
//! Every operation here runs in constant time (no branch or memory access depends on the
//! values), so signing may use all of them on secret data.

use subtle::{Choice, ConditionallySelectable};

use super::limb::{adc, subtract_if_not_below, to_be_bytes, widening_mul};
use super::limb::{add_mod, from_be_bytes, is_below, mul_wide, sbb, square_wide, sub_mod};

/// The prime p as little-endian limbs.
pub(super) const MODULUS: [u64; 4] = [
    0xffff_ffff_ffff_ffff,
    0xffff_ffff_0000_0000,
    0xffff_ffff_ffff_ffff,
    0xffff_fffe_ffff_ffff,
];

/// R^2 mod p, which turns a canonical value into Montgomery form with one multiplication.
const R_SQUARED: [u64; 4] = [
    0x0000_0002_0000_0003,
    0x0000_0002_ffff_ffff,
    0x0000_0001_0000_0001,
    0x0000_0004_0000_0002,
];

/// An element of GF(p) in Montgomery form, always below p.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct FieldElement([u64; 4]);

impl FieldElement {
    /// The element 0.
    pub(crate) const ZERO: Self = Self([0; 4]);

    /// The element 1, which is R mod p in Montgomery form.
    pub(crate) const ONE: Self = Self([
        0x0000_0000_0000_0001,
        0x0000_0000_ffff_ffff,
        0x0000_0000_0000_0000,
        0x0000_0001_0000_0000,
    ]);

    /// Reads a 32-byte big-endian integer. Returns `None` when it is not below p.
    pub(crate) fn from_bytes(bytes: &[u8; 32]) -> Option<Self> {
        Self::from_limbs(from_be_bytes(bytes))
    }

    /// Converts a value given as little-endian limbs into Montgomery form. Returns `None` when
    /// it is not below p.
    pub(crate) fn from_limbs(limbs: [u64; 4]) -> Option<Self> {
        is_below(&limbs, &MODULUS).then(|| Self::from_canonical(limbs))
    }

    /// Wraps limbs that are already in Montgomery form and below p, for constants.
    pub(crate) const fn from_montgomery(limbs: [u64; 4]) -> Self {
        Self(limbs)
    }

    /// Converts a value below p into Montgomery form.
    pub(crate) fn from_canonical(limbs: [u64; 4]) -> Self {
        Self(montgomery_multiply(&limbs, &R_SQUARED))
    }

    /// Writes the element as a 32-byte big-endian integer below p.
    pub(crate) fn to_bytes(self) -> [u8; 32] {
        to_be_bytes(&self.to_canonical())
    }

    /// Converts out of Montgomery form: returns the element's value as limbs below p.
    pub(crate) fn to_canonical(self) -> [u64; 4] {
        let l = self.0;
        montgomery_reduce([l[0], l[1], l[2], l[3], 0, 0, 0, 0])
    }

    /// Returns whether the element is 0.
    pub(crate) fn is_zero(&self) -> Choice {
        let l = self.0;
        let any = l[0] | l[1] | l[2] | l[3];
        // The top bit of any | -any is set exactly when any is nonzero.
        Choice::from((((any | any.wrapping_neg()) >> 63) ^ 1) as u8)
    }

    /// Returns `self + rhs`.
    #[inline(always)]
    pub(crate) fn add(&self, rhs: &Self) -> Self {
        Self(add_mod(&self.0, &rhs.0, &MODULUS))
    }

    /// Returns `self - rhs`.
    #[inline(always)]
    pub(crate) fn sub(&self, rhs: &Self) -> Self {
        Self(sub_mod(&self.0, &rhs.0, &MODULUS))
    }

    /// Returns `2 * self`.
    #[inline(always)]
    pub(crate) fn double(&self) -> Self {
        self.add(self)
    }

    /// Returns `-self`.
    #[inline(always)]
    pub(crate) fn neg(&self) -> Self {
        Self::ZERO.sub(self)
    }

    /// Returns `k * self` for a small public factor `k` (below 2^31), with one reduction step
    /// instead of a chain of additions.
    ///
    /// The product has a fifth limb `top < k`. Because 2^256 ≡ 2^224 + 2^96 - 2^64 + 1 (mod p),
    /// adding `top·(2^224 + 2^96 - 2^64 + 1)` to the low four limbs removes it. The sum is below
    /// 2^256 + k·2^225 < 2p, so one conditional subtraction finishes.
    #[inline(always)]
    pub(crate) fn mul_small(&self, k: u64) -> Self {
        debug_assert!(k < 1 << 31, "mul_small factor {k} too large");
        let a = self.0;
        let (l0, h0) = widening_mul(a[0], k);
        let (l1, h1) = widening_mul(a[1], k);
        let (l2, h2) = widening_mul(a[2], k);
        let (l3, h3) = widening_mul(a[3], k);
        let (p1, carry) = adc(l1, h0, false);
        let (p2, carry) = adc(l2, h1, carry);
        let (p3, carry) = adc(l3, h2, carry);
        let top = h3 + carry as u64;

        // top·(2^224 + 2^96 - 2^64 + 1) as limbs: top, top·(2^32 - 1), 0, top·2^32.
        let (r0, carry) = adc(l0, top, false);
        let (r1, carry) = adc(p1, (top << 32) - top, carry);
        let (r2, carry) = adc(p2, 0, carry);
        let (r3, carry) = adc(p3, top << 32, carry);
        Self(subtract_if_not_below([r0, r1, r2, r3], carry, &MODULUS))
    }

    /// Returns `self * rhs`.
    #[inline(always)]
    pub(crate) fn mul(&self, rhs: &Self) -> Self {
        Self(montgomery_multiply(&self.0, &rhs.0))
    }

    /// Returns `self^2`, with fewer limb products than [`Self::mul`].
    #[inline(always)]
    pub(crate) fn square(&self) -> Self {
        Self(montgomery_reduce(square_wide(&self.0)))
    }

    /// Returns `self^(2^count)`.
    fn square_times(&self, count: u32) -> Self {
        let mut result = *self;
        for _ in 0..count {
            result = result.square();
        }
        result
    }

    /// Returns `self^-1`, or 0 for 0, as `self^(p-2)` (Fermat).
    ///
    /// The exponent is fixed, so the sequence of squarings and multiplications is the same for
    /// every input. p - 2 in binary, from the top: 31 ones, a zero, 128 ones, 32 zeros, 32 ones,
    /// 30 ones, a zero and a one. The chain first builds `x_k = self^(2^k - 1)` for the runs.
    pub(crate) fn invert(&self) -> Self {
        let x1 = *self;
        let x2 = x1.square().mul(&x1);
        let x3 = x2.square().mul(&x1);
        let x6 = x3.square_times(3).mul(&x3);
        let x12 = x6.square_times(6).mul(&x6);
        let x24 = x12.square_times(12).mul(&x12);
        let x30 = x24.square_times(6).mul(&x6);
        let x31 = x30.square().mul(&x1);
        let x32 = x31.square().mul(&x1);

        // 31 ones, then one zero.
        let mut t = x31.square();
        // 128 ones.
        for _ in 0..4 {
            t = t.square_times(32).mul(&x32);
        }
        // 32 zeros, then 32 ones.
        t = t.square_times(64).mul(&x32);
        // 30 ones.
        t = t.square_times(30).mul(&x30);
        // A zero and a one.
        t.square_times(2).mul(&x1)
    }
}

impl ConditionallySelectable for FieldElement {
    fn conditional_select(a: &Self, b: &Self, choice: Choice) -> Self {
        Self([
            u64::conditional_select(&a.0[0], &b.0[0], choice),
            u64::conditional_select(&a.0[1], &b.0[1], choice),
            u64::conditional_select(&a.0[2], &b.0[2], choice),
            u64::conditional_select(&a.0[3], &b.0[3], choice),
        ])
    }
}

/// Returns `a * b / R mod p` for `a, b < p`.
#[inline(always)]
fn montgomery_multiply(a: &[u64; 4], b: &[u64; 4]) -> [u64; 4] {
    montgomery_reduce(mul_wide(a, b))
}

/// Returns `t / R mod p` for `t < p * R` (in particular for any product of two elements).
///
/// Each of the four rounds adds `m·p` with `m` the lowest limb, which clears that limb, and
/// then drops it. Because p = (p + 1) - 1 and the lowest limb equals m, this is the same as
/// dropping the limb and adding `m·(2^192 - 2^160 - 2^32 + 1)`: add m at limbs 0 and 3, then
/// subtract `m << 32` at limbs 0 and 2 and `m >> 32` at limbs 1 and 3. The low half shrinks to
/// at most p after the four rounds, the high half of `t` is below p, so their sum is below 2p
/// and one conditional subtraction finishes the reduction.
#[inline(always)]
fn montgomery_reduce(t: [u64; 8]) -> [u64; 4] {
    let (mut l0, mut l1, mut l2, mut l3) = (t[0], t[1], t[2], t[3]);
    let mut round = 0;
    while round < 4 {
        let m = l0;
        let shifted_low = m << 32;
        let shifted_high = m >> 32;
        // The window after the round, (l >> 64) + m·(2^192 - 2^160 - 2^32 + 1), is below 2^256,
        // so limb 3 may wrap in the middle of the computation but ends exact.
        let (a0, carry) = adc(l1, m, false);
        let (a1, carry) = adc(l2, 0, carry);
        let (a2, carry) = adc(l3, 0, carry);
        let a3 = m.wrapping_add(carry as u64);
        let borrow;
        (l0, borrow) = sbb(a0, shifted_low, false);
        let borrow_1;
        (l1, borrow_1) = sbb(a1, shifted_high, borrow);
        let borrow_2;
        (l2, borrow_2) = sbb(a2, shifted_low, borrow_1);
        l3 = a3.wrapping_sub(shifted_high).wrapping_sub(borrow_2 as u64);
        round += 1;
    }

    let (s0, carry) = adc(l0, t[4], false);
    let (s1, carry) = adc(l1, t[5], carry);
    let (s2, carry) = adc(l2, t[6], carry);
    let (s3, carry) = adc(l3, t[7], carry);
    subtract_if_not_below([s0, s1, s2, s3], carry, &MODULUS)
}

#[cfg(test)]
mod tests {
    use super::super::reference::{self, TestRng};
    use super::*;

    fn element(limbs: [u64; 4]) -> FieldElement {
        FieldElement::from_canonical(limbs)
    }

    /// Values that sit on limb and modulus boundaries: 0, 1, 2, p - 2, p - 1 and 2^k - 1 for
    /// several k, each reduced below p.
    fn boundary_values() -> Vec<[u64; 4]> {
        let p = MODULUS;
        let mut values = vec![
            [0, 0, 0, 0],
            [1, 0, 0, 0],
            [2, 0, 0, 0],
            [p[0] - 2, p[1], p[2], p[3]],
            [p[0] - 1, p[1], p[2], p[3]],
            [u64::MAX, 0, 0, 0],
            [u64::MAX, u64::MAX, 0, 0],
            [u64::MAX, u64::MAX, u64::MAX, 0],
            [0, 0, 0, 1 << 63],
            [0, 0xffff_ffff, 0, 0],
            [0, 0, 0, 0xffff_fffe_ffff_ffff],
        ];
        // 2^256 - 1 reduced mod p.
        values.push(reference::reduce(&[u64::MAX; 4], &p));
        values
    }

    fn test_values() -> Vec<[u64; 4]> {
        let mut rng = TestRng::new(0x0005_eedf_1e1d);
        let mut values = boundary_values();
        for _ in 0..100 {
            values.push(reference::reduce(&rng.limbs(), &MODULUS));
        }
        values
    }

    #[test]
    fn constants_match_reference() {
        let r = reference::r_mod(&MODULUS);
        assert_eq!(FieldElement::ONE.0, r);
        assert_eq!(FieldElement::ONE.to_canonical(), [1, 0, 0, 0]);
        assert_eq!(R_SQUARED, reference::mul_mod(&r, &r, &MODULUS));
    }

    #[test]
    fn canonical_round_trip() {
        for a in test_values() {
            assert_eq!(element(a).to_canonical(), a, "{a:x?}");
        }
    }

    #[test]
    fn add_sub_neg_match_reference() {
        let values = test_values();
        for a in &values {
            for b in values.iter().step_by(7) {
                let sum = element(*a).add(&element(*b)).to_canonical();
                assert_eq!(sum, reference::add_mod(a, b, &MODULUS), "{a:x?} + {b:x?}");
                let difference = element(*a).sub(&element(*b)).to_canonical();
                assert_eq!(
                    difference,
                    reference::sub_mod(a, b, &MODULUS),
                    "{a:x?} - {b:x?}"
                );
            }
            let negation = element(*a).neg().to_canonical();
            assert_eq!(
                negation,
                reference::sub_mod(&[0; 4], a, &MODULUS),
                "-{a:x?}"
            );
        }
    }

    #[test]
    fn mul_and_square_match_reference() {
        let values = test_values();
        for a in &values {
            for b in values.iter().step_by(5) {
                let product = element(*a).mul(&element(*b)).to_canonical();
                assert_eq!(
                    product,
                    reference::mul_mod(a, b, &MODULUS),
                    "{a:x?} * {b:x?}"
                );
            }
            let square = element(*a).square().to_canonical();
            assert_eq!(square, reference::mul_mod(a, a, &MODULUS), "{a:x?}^2");
        }
    }

    #[test]
    fn mul_small_matches_reference() {
        for a in test_values() {
            for k in [0u64, 1, 2, 3, 4, 8, 255, 65_535, (1 << 31) - 1] {
                let product = element(a).mul_small(k).to_canonical();
                let expected =
                    reference::mul_mod(&a, &reference::reduce(&[k, 0, 0, 0], &MODULUS), &MODULUS);
                assert_eq!(product, expected, "{k} * {a:x?}");
            }
        }
    }

    #[test]
    fn invert_matches_reference() {
        assert_eq!(FieldElement::ZERO.invert(), FieldElement::ZERO);
        for a in test_values().into_iter().take(16) {
            let inverse = element(a).invert();
            if a == [0; 4] {
                continue;
            }
            assert_eq!(
                inverse.mul(&element(a)),
                FieldElement::ONE,
                "{a:x?} * {a:x?}^-1"
            );
            assert_eq!(
                inverse.to_canonical(),
                reference::invert_mod(&a, &MODULUS),
                "{a:x?}^-1"
            );
        }
    }

    #[test]
    fn from_bytes_rejects_p_and_above() {
        let p_bytes = to_be_bytes(&MODULUS);
        assert!(FieldElement::from_bytes(&p_bytes).is_none());
        assert!(FieldElement::from_bytes(&[0xff; 32]).is_none());
        let mut below = p_bytes;
        below[31] -= 1;
        let p_minus_one = FieldElement::from_bytes(&below).unwrap();
        assert_eq!(p_minus_one.to_bytes(), below);
        assert_eq!(p_minus_one.add(&FieldElement::ONE), FieldElement::ZERO);
    }

    #[test]
    fn is_zero_only_for_zero() {
        assert!(bool::from(FieldElement::ZERO.is_zero()));
        for a in test_values().into_iter().skip(1) {
            assert!(!bool::from(element(a).is_zero()), "{a:x?}");
        }
    }
}
