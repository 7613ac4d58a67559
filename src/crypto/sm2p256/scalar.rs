//! Arithmetic modulo the SM2 group order
//! n = FFFFFFFE FFFFFFFF FFFFFFFF FFFFFFFF 7203DF6B 21C6052B 53BBF409 39D54123.
//!
//! Scalars are stored as their canonical value (below n) in four little-endian limbs, because
//! the point multiplications read their bits directly. Multiplication goes through Montgomery
//! form: `a·b·R^-1` followed by a multiplication by `R^2`, which costs two Montgomery products.
//! Signing needs only a handful of scalar products, so the simpler interface is worth it.
//!
//! Every operation runs in constant time. The signer branches only on the result of
//! [`Scalar::is_zero`], to retry with a fresh nonce.

use zeroize::Zeroize;

use super::limb::{adc, subtract_if_not_below};
use super::limb::{add_mod, from_be_bytes, is_below, mac, mul_wide, sub_mod, to_be_bytes};

/// The group order n as little-endian limbs.
pub(super) const ORDER: [u64; 4] = [
    0x53bb_f409_39d5_4123,
    0x7203_df6b_21c6_052b,
    0xffff_ffff_ffff_ffff,
    0xffff_fffe_ffff_ffff,
];

/// -n^-1 mod 2^64, the per-limb factor of the Montgomery reduction.
const ORDER_NEGATIVE_INVERSE: u64 = 0x327f_9e88_7235_0975;

/// R^2 mod n with R = 2^256.
const R_SQUARED: [u64; 4] = [
    0x9011_92af_7c11_4f20,
    0x3464_504a_de6f_a2fa,
    0x620f_c84c_3aff_e0d4,
    0x1eb5_e412_a22b_3d3b,
];

/// An integer modulo n, always below n.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Scalar([u64; 4]);

impl Scalar {
    /// The scalar 0.
    #[cfg(test)]
    pub(crate) const ZERO: Self = Self([0; 4]);

    /// The scalar 1.
    pub(crate) const ONE: Self = Self([1, 0, 0, 0]);

    /// Reads a 32-byte big-endian integer. Returns `None` when it is not below n.
    pub(crate) fn from_bytes(bytes: &[u8; 32]) -> Option<Self> {
        let limbs = from_be_bytes(bytes);
        is_below(&limbs, &ORDER).then_some(Self(limbs))
    }

    /// Reads a 32-byte big-endian integer and reduces it mod n. One conditional subtraction
    /// suffices because 2^256 < 2n.
    pub(crate) fn from_bytes_reduced(bytes: &[u8; 32]) -> Self {
        Self(subtract_if_not_below(from_be_bytes(bytes), false, &ORDER))
    }

    /// Writes the scalar as a 32-byte big-endian integer below n.
    pub(crate) fn to_bytes(self) -> [u8; 32] {
        to_be_bytes(&self.0)
    }

    /// Returns the canonical value as little-endian limbs.
    pub(crate) const fn limbs(&self) -> &[u64; 4] {
        &self.0
    }

    /// Returns `self + n` as limbs, or `None` when it does not fit in 256 bits. For the
    /// verification, which compares x coordinates below p with scalars below n.
    pub(crate) fn plus_order(&self) -> Option<[u64; 4]> {
        let (l0, carry) = adc(self.0[0], ORDER[0], false);
        let (l1, carry) = adc(self.0[1], ORDER[1], carry);
        let (l2, carry) = adc(self.0[2], ORDER[2], carry);
        let (l3, carry) = adc(self.0[3], ORDER[3], carry);
        (!carry).then_some([l0, l1, l2, l3])
    }

    /// Returns whether the scalar is 0. The limbs are combined without branches, so the time
    /// taken does not depend on where a nonzero bit sits.
    pub(crate) fn is_zero(&self) -> bool {
        let l = self.0;
        (l[0] | l[1] | l[2] | l[3]) == 0
    }

    /// Returns `self + rhs mod n`.
    pub(crate) fn add(&self, rhs: &Self) -> Self {
        Self(add_mod(&self.0, &rhs.0, &ORDER))
    }

    /// Returns `self - rhs mod n`.
    pub(crate) fn sub(&self, rhs: &Self) -> Self {
        Self(sub_mod(&self.0, &rhs.0, &ORDER))
    }

    /// Returns `self * rhs mod n`.
    pub(crate) fn mul(&self, rhs: &Self) -> Self {
        let reduced = montgomery_reduce(mul_wide(&self.0, &rhs.0));
        Self(montgomery_reduce(mul_wide(&reduced, &R_SQUARED)))
    }

    /// Returns `self^-1 mod n`, or 0 for 0, as `self^(n-2)` (Fermat).
    ///
    /// The exponent is fixed and public, so the square-and-multiply sequence is the same for
    /// every input. The work is done in Montgomery form to avoid the `R^2` step per product.
    pub(crate) fn invert(&self) -> Self {
        let base = montgomery_reduce(mul_wide(&self.0, &R_SQUARED));
        let one = montgomery_reduce(mul_wide(&[1, 0, 0, 0], &R_SQUARED));
        let exponent = sub_mod(&[0; 4], &[2, 0, 0, 0], &ORDER);
        let mut result = one;
        for i in (0..256).rev() {
            result = montgomery_reduce(mul_wide(&result, &result));
            if (exponent[i / 64] >> (i % 64)) & 1 == 1 {
                result = montgomery_reduce(mul_wide(&result, &base));
            }
        }
        Self(montgomery_reduce([
            result[0], result[1], result[2], result[3], 0, 0, 0, 0,
        ]))
    }
}

impl Zeroize for Scalar {
    fn zeroize(&mut self) {
        self.0.zeroize();
    }
}

/// Returns `t / R mod n` for `t < n * R`, by word-by-word Montgomery reduction.
///
/// Round i adds `m·n·2^(64 i)` with `m = t[i]·(-n^-1) mod 2^64`, which clears limb i. The
/// carry out of limb i + 4 is held in `carry_high` and added at limb i + 5 in the next round.
/// The result is below 2n, so one conditional subtraction finishes the reduction.
fn montgomery_reduce(t: [u64; 8]) -> [u64; 4] {
    let mut t = t;
    let mut carry_high = false;
    let mut i = 0;
    while i < 4 {
        let m = t[i].wrapping_mul(ORDER_NEGATIVE_INVERSE);
        let mut carry = 0;
        let mut j = 0;
        while j < 4 {
            (t[i + j], carry) = mac(t[i + j], m, ORDER[j], carry);
            j += 1;
        }
        (t[i + 4], carry_high) = adc(t[i + 4], carry, carry_high);
        i += 1;
    }
    subtract_if_not_below([t[4], t[5], t[6], t[7]], carry_high, &ORDER)
}

#[cfg(test)]
mod tests {
    use super::super::reference::{self, TestRng};
    use super::*;

    fn boundary_values() -> Vec<[u64; 4]> {
        let n = ORDER;
        vec![
            [0, 0, 0, 0],
            [1, 0, 0, 0],
            [2, 0, 0, 0],
            [n[0] - 2, n[1], n[2], n[3]],
            [n[0] - 1, n[1], n[2], n[3]],
            [u64::MAX, 0, 0, 0],
            [u64::MAX, u64::MAX, 0, 0],
            [0, 0, 0, 1 << 63],
            reference::reduce(&[u64::MAX; 4], &n),
        ]
    }

    fn test_values() -> Vec<[u64; 4]> {
        let mut rng = TestRng::new(0x005c_a1a7);
        let mut values = boundary_values();
        for _ in 0..80 {
            values.push(reference::reduce(&rng.limbs(), &ORDER));
        }
        values
    }

    #[test]
    fn constants_match_reference() {
        let r = reference::r_mod(&ORDER);
        assert_eq!(R_SQUARED, reference::mul_mod(&r, &r, &ORDER));
        assert_eq!(ORDER[0].wrapping_mul(ORDER_NEGATIVE_INVERSE), u64::MAX);
    }

    #[test]
    fn arithmetic_matches_reference() {
        let values = test_values();
        for a in &values {
            for b in values.iter().step_by(6) {
                let (x, y) = (Scalar(*a), Scalar(*b));
                assert_eq!(
                    x.add(&y).0,
                    reference::add_mod(a, b, &ORDER),
                    "{a:x?} + {b:x?}"
                );
                assert_eq!(
                    x.sub(&y).0,
                    reference::sub_mod(a, b, &ORDER),
                    "{a:x?} - {b:x?}"
                );
                assert_eq!(
                    x.mul(&y).0,
                    reference::mul_mod(a, b, &ORDER),
                    "{a:x?} * {b:x?}"
                );
            }
        }
    }

    #[test]
    fn invert_matches_reference() {
        assert_eq!(Scalar::ZERO.invert(), Scalar::ZERO);
        for a in test_values().into_iter().skip(1).take(12) {
            let inverse = Scalar(a).invert();
            assert_eq!(inverse.mul(&Scalar(a)), Scalar::ONE, "{a:x?}");
            assert_eq!(inverse.0, reference::invert_mod(&a, &ORDER), "{a:x?}");
        }
    }

    #[test]
    fn from_bytes_checks_range() {
        let n_bytes = to_be_bytes(&ORDER);
        assert_eq!(Scalar::from_bytes(&n_bytes), None);
        assert_eq!(Scalar::from_bytes(&[0xff; 32]), None);
        let mut below = n_bytes;
        below[31] -= 1;
        assert_eq!(Scalar::from_bytes(&below).unwrap().to_bytes(), below);
        assert_eq!(Scalar::from_bytes(&[0; 32]), Some(Scalar::ZERO));
    }

    #[test]
    fn from_bytes_reduced_matches_reference() {
        let mut rng = TestRng::new(7);
        let n_bytes = to_be_bytes(&ORDER);
        let mut inputs = vec![[0u8; 32], [0xff; 32], n_bytes];
        for _ in 0..100 {
            inputs.push(rng.bytes());
        }
        for bytes in inputs {
            let expected = reference::reduce(&from_be_bytes(&bytes), &ORDER);
            assert_eq!(Scalar::from_bytes_reduced(&bytes).0, expected, "{bytes:x?}");
        }
    }
}
