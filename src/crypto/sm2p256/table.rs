//! Precomputed multiples of the base point G, built once on first use.
//!
//! Building both tables takes about 1,000 point additions and two field inversions. That is
//! under a millisecond in a release build on a 2-core 2.6 GHz AMD EPYC, so the tables are
//! computed at run time with [`OnceLock`] instead of being generated at build time.

use std::sync::OnceLock;

use subtle::{Choice, ConditionallySelectable, ConstantTimeEq};

use super::point::{AffinePoint, batch_to_affine};

/// The number of 4-bit digits in a 256-bit scalar, and so the number of rows of the signing
/// table.
pub(super) const SIGNING_ROWS: usize = 64;

/// The number of nonzero 4-bit digit values, and so the number of entries in a row.
const SIGNING_ROW_LENGTH: usize = 15;

/// The wNAF window width used for the G part of a verification. Digits are odd and below
/// 2^(width-1) in absolute value.
pub(super) const VERIFICATION_WINDOW: u32 = 8;

/// The number of odd multiples 1·G, 3·G, …, (2^(width-1) - 1)·G in the verification table.
const VERIFICATION_LENGTH: usize = 1 << (VERIFICATION_WINDOW - 2);

/// Row i contains `j · 16^i · G` for j = 1..=15, so that `k·G` is the sum over the 4-bit digits
/// `k_i` of `k` of row i's entry `k_i`.
pub(super) struct SigningTable {
    rows: Vec<[AffinePoint; SIGNING_ROW_LENGTH]>,
}

impl SigningTable {
    /// Returns the table, building it on the first call.
    pub(super) fn get() -> &'static Self {
        static TABLE: OnceLock<SigningTable> = OnceLock::new();
        TABLE.get_or_init(Self::build)
    }

    fn build() -> Self {
        let mut points = Vec::with_capacity(SIGNING_ROWS * SIGNING_ROW_LENGTH);
        let mut base = AffinePoint::GENERATOR.to_jacobian();
        for _ in 0..SIGNING_ROWS {
            let mut multiple = base;
            for _ in 0..SIGNING_ROW_LENGTH {
                points.push(multiple);
                multiple = multiple.add_vartime(&base);
            }
            // multiple = 16 · base now.
            base = multiple;
        }
        // No entry is the identity: j · 16^i < n for every j <= 15 and i < 64.
        let affine = batch_to_affine(&points).expect("j · 16^i · G is never the identity");
        let rows = affine
            .chunks_exact(SIGNING_ROW_LENGTH)
            .map(|chunk| {
                let mut row = [AffinePoint::GENERATOR; SIGNING_ROW_LENGTH];
                row.copy_from_slice(chunk);
                row
            })
            .collect();
        Self { rows }
    }

    /// Returns `digit · 16^row · G` and whether it is the identity (digit 0), reading every
    /// entry of the row and keeping the wanted one with a mask, so that neither timing nor the
    /// memory accessed depends on the digit.
    pub(super) fn select(&self, row: usize, digit: u8) -> (AffinePoint, Choice) {
        let mut result = AffinePoint::GENERATOR;
        for (index, entry) in self.rows[row].iter().enumerate() {
            let value = index as u8 + 1;
            result.conditional_assign(entry, value.ct_eq(&digit));
        }
        (result, digit.ct_eq(&0))
    }
}

/// The odd multiples `(2j + 1)·G` for j = 0..64, for the wNAF digits of a verification.
pub(super) struct VerificationTable {
    odd_multiples: Vec<AffinePoint>,
}

impl VerificationTable {
    /// Returns the table, building it on the first call.
    pub(super) fn get() -> &'static Self {
        static TABLE: OnceLock<VerificationTable> = OnceLock::new();
        TABLE.get_or_init(Self::build)
    }

    fn build() -> Self {
        let generator = AffinePoint::GENERATOR.to_jacobian();
        let twice = generator.double();
        let mut points = Vec::with_capacity(VERIFICATION_LENGTH);
        let mut multiple = generator;
        for _ in 0..VERIFICATION_LENGTH {
            points.push(multiple);
            multiple = multiple.add_vartime(&twice);
        }
        let odd_multiples = batch_to_affine(&points).expect("(2j + 1)·G is never the identity");
        Self { odd_multiples }
    }

    /// Returns `digit · G` for an odd digit with |digit| < 2^(width-1). Not constant time.
    #[inline(always)]
    pub(super) fn multiple(&self, digit: i8) -> AffinePoint {
        let entry = self.odd_multiples[usize::from(digit.unsigned_abs() / 2)];
        if digit < 0 { entry.neg() } else { entry }
    }
}
