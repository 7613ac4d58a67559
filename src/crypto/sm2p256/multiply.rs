//! Scalar multiplication: constant-time `k·G` for signing and key generation, and
//! variable-time `s·G + t·P` for verification.

use super::point::{AffinePoint, JacobianPoint};
use super::scalar::Scalar;
use super::table::{
    FIXED_BASE_ROWS, FIXED_BASE_WIDTH, FixedBaseTable, SIGNING_ROWS, SigningTable,
    VERIFICATION_WINDOW, VerificationTable,
};

/// The wNAF window width used for the public-key part of a verification. The table of odd
/// multiples of P is built per call, so a narrower window than G's pays off.
const PUBLIC_KEY_WINDOW: u32 = 5;

/// The number of odd multiples P, 3P, …, 15P for that window.
const PUBLIC_KEY_TABLE_LENGTH: usize = 1 << (PUBLIC_KEY_WINDOW - 2);

/// The maximum number of wNAF digits of a scalar below 2^256.
const WNAF_LENGTH: usize = 257;

/// Returns `k·G` in constant time, for a secret `k` in [1, n-1].
///
/// `k` is split into 64 digits of 4 bits, `k = Σ k_i 16^i`, and the result is the sum of the
/// table entries `k_i · 16^i · G`: 64 mixed additions and no doublings. Each entry is read by
/// scanning its whole row.
///
/// The addition before row i adds `b = k_i 16^i` to the partial sum `a = Σ_{j<i} k_j 16^j`.
/// Apart from the identity cases, which the addition handles with masks, its formula fails
/// only for equal or opposite points, that is for `a ≡ ±b (mod n)`. Neither can happen:
/// `0 <= a < 16^i <= b <= 15·16^63 < n` rules out `a ≡ b`, and `0 < a + b <= k < n` rules out
/// `a ≡ -b`.
pub(crate) fn mul_generator(k: &Scalar) -> JacobianPoint {
    let table = SigningTable::get();
    let limbs = k.limbs();
    let mut result = JacobianPoint::IDENTITY;
    for row in 0..SIGNING_ROWS {
        let digit = ((limbs[row / 16] >> (4 * (row % 16))) & 0xf) as u8;
        let (entry, is_identity) = table.select(row, digit);
        result = result.add_affine_ct(&entry, is_identity);
    }
    result
}

/// Returns `s·G + t·P` for public `s`, `t` and `P`, in variable time.
///
/// Straus's method over the wNAF forms of both scalars: one shared chain of doublings, with an
/// addition wherever either scalar has a nonzero digit. G's odd multiples come from the
/// precomputed table (window 8, about 29 additions for a random `s`). P's are computed here
/// with one doubling and 7 additions (window 5, about 43 additions for a random `t`).
///
/// On x86-64 processors with BMI2, the same code is compiled a second time with that extension
/// enabled and used instead: its `mulx` leaves the flags alone and takes any registers, so each
/// limb product needs fewer moves.
pub(crate) fn mul_double_vartime(
    s: &Scalar,
    t: &Scalar,
    public_key: &AffinePoint,
) -> JacobianPoint {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("bmi2") {
        return mul_double_vartime_bmi2(s, t, public_key);
    }
    mul_double_vartime_body(s, t, public_key)
}

/// [`mul_double_vartime_body`] compiled with BMI2. The only `unsafe` of the module: a function
/// with `target_feature` may run only on processors that have the feature.
#[cfg(target_arch = "x86_64")]
#[allow(unsafe_code)]
fn mul_double_vartime_bmi2(s: &Scalar, t: &Scalar, public_key: &AffinePoint) -> JacobianPoint {
    #[target_feature(enable = "bmi2")]
    fn with_features(s: &Scalar, t: &Scalar, public_key: &AffinePoint) -> JacobianPoint {
        mul_double_vartime_body(s, t, public_key)
    }
    debug_assert!(std::arch::is_x86_feature_detected!("bmi2"));
    // SAFETY: the only caller, `mul_double_vartime`, checked with `is_x86_feature_detected!`
    // that this processor has BMI2, which is all that `with_features` requires.
    unsafe { with_features(s, t, public_key) }
}

/// Computes `s·G + t·P` for [`mul_double_vartime`]. Each compiled variant inlines it.
#[inline(always)]
fn mul_double_vartime_body(s: &Scalar, t: &Scalar, public_key: &AffinePoint) -> JacobianPoint {
    let generator_table = VerificationTable::get();
    let s_digits = wnaf(s, VERIFICATION_WINDOW);
    let t_digits = wnaf(t, PUBLIC_KEY_WINDOW);

    let base = public_key.to_jacobian();
    let twice = base.double();
    let mut odd_multiples = [base; PUBLIC_KEY_TABLE_LENGTH];
    for i in 1..PUBLIC_KEY_TABLE_LENGTH {
        odd_multiples[i] = odd_multiples[i - 1].add_vartime(&twice);
    }

    let top = (0..WNAF_LENGTH)
        .rev()
        .find(|&i| s_digits[i] != 0 || t_digits[i] != 0);
    let Some(top) = top else {
        return JacobianPoint::IDENTITY;
    };

    let mut result = JacobianPoint::IDENTITY;
    for i in (0..=top).rev() {
        result = result.double();
        let digit = s_digits[i];
        if digit != 0 {
            result = result.add_affine_vartime(&generator_table.multiple(digit));
        }
        let digit = t_digits[i];
        if digit != 0 {
            let entry = odd_multiples[usize::from(digit.unsigned_abs() / 2)];
            let entry = if digit < 0 { entry.neg() } else { entry };
            result = result.add_vartime(&entry);
        }
    }
    result
}

/// Returns `s·G + t·P` for public `s`, `t` and `P`, given P's [`FixedBaseTable`], in
/// variable time.
///
/// Both scalars are written with 43 signed radix-2^6 digits. The result is the sum of one entry
/// of G's table and one of P's per digit position: at most 86 mixed additions and no doubling,
/// against about 256 doublings and 72 additions in [`mul_double_vartime`]. The
/// additions handle equal and opposite points, so every sum is exact.
pub(crate) fn mul_double_with_table(
    s: &Scalar,
    t: &Scalar,
    public_key_table: &FixedBaseTable,
) -> JacobianPoint {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("bmi2") {
        return mul_double_with_table_bmi2(s, t, public_key_table);
    }
    mul_double_with_table_body(s, t, public_key_table)
}

/// [`mul_double_with_table_body`] compiled with BMI2, as for [`mul_double_vartime_bmi2`].
#[cfg(target_arch = "x86_64")]
#[allow(unsafe_code)]
fn mul_double_with_table_bmi2(
    s: &Scalar,
    t: &Scalar,
    public_key_table: &FixedBaseTable,
) -> JacobianPoint {
    #[target_feature(enable = "bmi2")]
    fn with_features(s: &Scalar, t: &Scalar, table: &FixedBaseTable) -> JacobianPoint {
        mul_double_with_table_body(s, t, table)
    }
    debug_assert!(std::arch::is_x86_feature_detected!("bmi2"));
    // SAFETY: the only caller, `mul_double_with_table`, checked with
    // `is_x86_feature_detected!` that this processor has BMI2, which is all that
    // `with_features` requires.
    unsafe { with_features(s, t, public_key_table) }
}

/// Computes `s·G + t·P` for [`mul_double_with_table`]. Each compiled variant inlines it.
#[inline(always)]
fn mul_double_with_table_body(
    s: &Scalar,
    t: &Scalar,
    public_key_table: &FixedBaseTable,
) -> JacobianPoint {
    let generator_table = FixedBaseTable::generator();
    let s_digits = signed_digits(s);
    let t_digits = signed_digits(t);
    let mut result = JacobianPoint::IDENTITY;
    for row in 0..FIXED_BASE_ROWS {
        if s_digits[row] != 0 {
            result = result.add_affine_vartime(&generator_table.multiple(row, s_digits[row]));
        }
        if t_digits[row] != 0 {
            result = result.add_affine_vartime(&public_key_table.multiple(row, t_digits[row]));
        }
    }
    result
}

/// Returns the signed radix-2^6 digits of `scalar`, least significant first:
/// `scalar = Σ digit_i 2^(6i)` with every digit in [-31, 32]. Not constant time.
///
/// Each 6-bit window plus the carry from the previous one is a value v in [0, 64]; above 32,
/// the digit is v - 64 and 1 is carried into the next window.
fn signed_digits(scalar: &Scalar) -> [i8; FIXED_BASE_ROWS] {
    let limbs = scalar.limbs();
    let bits = [limbs[0], limbs[1], limbs[2], limbs[3], 0];
    let width = FIXED_BASE_WIDTH as usize;
    let mut digits = [0i8; FIXED_BASE_ROWS];
    let mut carry = 0i64;
    for (row, digit) in digits.iter_mut().enumerate() {
        let position = row * width;
        let (limb, offset) = (position / 64, position % 64);
        let mut window = bits[limb] >> offset;
        if offset + width > 64 {
            window |= bits[limb + 1] << (64 - offset);
        }
        let value = (window & ((1 << width) - 1)) as i64 + carry;
        let half = 1i64 << (width - 1);
        (*digit, carry) = if value > half {
            ((value - (1 << width)) as i8, 1)
        } else {
            (value as i8, 0)
        };
    }
    debug_assert_eq!(carry, 0, "43 digits of 6 bits hold a 256-bit scalar");
    digits
}

/// Returns the width-`width` non-adjacent form of `scalar`, least significant digit first:
/// `scalar = Σ digit_i 2^i`, every nonzero digit odd with absolute value below 2^(width-1), and
/// at least `width - 1` zeros after each nonzero digit. Not constant time.
///
/// The scan reads `width` bits at a time from the limbs. A digit `d` at position i that is
/// negative leaves `2^width + d` to be added at position i + width, kept as `carry`. Where the
/// bit (plus the carry) is even, the scan moves on by one bit with the carry unchanged.
fn wnaf(scalar: &Scalar, width: u32) -> [i8; WNAF_LENGTH] {
    let limbs = scalar.limbs();
    // A zero limb above the scalar, so that windows reaching past bit 255 read zeros.
    let bits = [limbs[0], limbs[1], limbs[2], limbs[3], 0];
    let width = width as usize;
    let window_mask = (1u64 << width) - 1;
    let mut digits = [0i8; WNAF_LENGTH];
    let mut carry = 0u64;
    let mut position = 0;
    while position < WNAF_LENGTH {
        let (limb, offset) = (position / 64, position % 64);
        let mut window = bits[limb] >> offset;
        if offset + width > 64 && limb + 1 < bits.len() {
            window |= bits[limb + 1] << (64 - offset);
        }
        let value = (window & window_mask) + carry;
        if value & 1 == 0 {
            position += 1;
            continue;
        }
        let digit = if value >> (width - 1) == 0 {
            carry = 0;
            value as i64
        } else {
            carry = 1;
            value as i64 - (1 << width)
        };
        digits[position] = digit as i8;
        position += width;
    }
    debug_assert_eq!(
        carry, 0,
        "the wNAF of a 256-bit scalar has at most 257 digits"
    );
    digits
}

#[cfg(test)]
mod tests {
    use super::super::reference::TestRng;
    use super::*;

    fn evaluate(digits: &[i8; WNAF_LENGTH]) -> Vec<i128> {
        // Σ digit_i 2^i, evaluated in 64-bit chunks of positions with signed carries.
        let mut chunks = vec![0i128; 6];
        for (i, &digit) in digits.iter().enumerate() {
            chunks[i / 64] += i128::from(digit) << (i % 64);
        }
        for i in 0..5 {
            let carry = chunks[i].div_euclid(1 << 64);
            chunks[i] = chunks[i].rem_euclid(1 << 64);
            chunks[i + 1] += carry;
        }
        chunks
    }

    /// The differential tests against the `sm2` crate run whichever variant this processor
    /// selects. This test runs the portable bodies directly and compares them with the selected
    /// variants, so that both are checked on a processor with BMI2.
    #[test]
    fn portable_and_selected_variants_agree() {
        let mut rng = TestRng::new(5);
        let mut keys = vec![AffinePoint::GENERATOR];
        for _ in 0..4 {
            let d = Scalar::from_bytes_reduced(&rng.bytes());
            keys.push(mul_generator(&d).to_affine().unwrap());
        }
        for key in &keys {
            for _ in 0..4 {
                let s = Scalar::from_bytes_reduced(&rng.bytes());
                let t = Scalar::from_bytes_reduced(&rng.bytes());
                let portable = mul_double_vartime_body(&s, &t, key).to_affine();
                let selected = mul_double_vartime(&s, &t, key).to_affine();
                assert!(portable.is_some());
                assert_eq!(portable, selected, "s = {s:x?}, t = {t:x?}");
                let table = FixedBaseTable::new(key);
                let portable = mul_double_with_table_body(&s, &t, &table).to_affine();
                let selected = mul_double_with_table(&s, &t, &table).to_affine();
                assert_eq!(portable, selected, "s = {s:x?}, t = {t:x?}, with a table");
                assert_eq!(
                    portable,
                    mul_double_vartime(&s, &t, key).to_affine(),
                    "s = {s:x?}, t = {t:x?}, with and without a table"
                );
            }
        }
    }

    #[test]
    fn signed_digits_are_valid() {
        let mut rng = TestRng::new(4);
        let mut scalars = vec![
            Scalar::ZERO,
            Scalar::ONE,
            Scalar::ZERO.sub(&Scalar::ONE),
            Scalar::from_bytes(&[0x7f; 32]).unwrap(),
            Scalar::from_bytes(&[0x20; 32]).unwrap(),
            Scalar::from_bytes(&[0x21; 32]).unwrap(),
        ];
        for _ in 0..200 {
            scalars.push(Scalar::from_bytes_reduced(&rng.bytes()));
        }
        for scalar in &scalars {
            let digits = signed_digits(scalar);
            let mut chunks = [0i128; 6];
            for (row, &digit) in digits.iter().enumerate() {
                assert!((-31..=32).contains(&digit), "digit {row} of {scalar:x?}");
                let position = 6 * row;
                chunks[position / 64] += i128::from(digit) << (position % 64);
            }
            for i in 0..5 {
                let carry = chunks[i].div_euclid(1 << 64);
                chunks[i] = chunks[i].rem_euclid(1 << 64);
                chunks[i + 1] += carry;
            }
            let limbs = scalar.limbs();
            for i in 0..4 {
                assert_eq!(chunks[i], i128::from(limbs[i]), "limb {i} of {scalar:x?}");
            }
            assert_eq!((chunks[4], chunks[5]), (0, 0), "{scalar:x?}");
        }
    }

    #[test]
    fn wnaf_digits_are_valid() {
        let mut rng = TestRng::new(3);
        let mut scalars = vec![
            Scalar::ZERO,
            Scalar::ONE,
            Scalar::ZERO.sub(&Scalar::ONE),
            Scalar::from_bytes(&[0x7f; 32]).unwrap(),
        ];
        for _ in 0..100 {
            scalars.push(Scalar::from_bytes_reduced(&rng.bytes()));
        }
        for width in [PUBLIC_KEY_WINDOW, VERIFICATION_WINDOW] {
            for scalar in &scalars {
                let digits = wnaf(scalar, width);
                let limbs = scalar.limbs();
                let value = evaluate(&digits);
                for i in 0..4 {
                    assert_eq!(value[i], i128::from(limbs[i]), "limb {i} of {scalar:x?}");
                }
                assert_eq!(value[4], 0, "{scalar:x?}");
                assert_eq!(value[5], 0, "{scalar:x?}");
                let mut last_nonzero: Option<usize> = None;
                for (i, &digit) in digits.iter().enumerate() {
                    if digit == 0 {
                        continue;
                    }
                    assert_eq!(digit & 1, 1, "digit {i} of {scalar:x?} is even");
                    assert!(
                        i32::from(digit).abs() < 1 << (width - 1),
                        "digit {i} too large"
                    );
                    if let Some(previous) = last_nonzero {
                        assert!(
                            i - previous >= width as usize,
                            "digits {previous} and {i} too close"
                        );
                    }
                    last_nonzero = Some(i);
                }
            }
        }
    }
}
