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

/// The digit width of [`FixedBaseTable`]: scalars are written in radix 2^6 with signed digits.
pub(super) const FIXED_BASE_WIDTH: u32 = 6;

/// The number of signed radix-2^6 digits of a scalar below 2^256. The last digit takes the
/// carry out of bit 255, so the digits cover 258 bits.
pub(super) const FIXED_BASE_ROWS: usize = 43;

/// The largest digit magnitude, and the number of entries in a row.
const FIXED_BASE_ROW_LENGTH: usize = 1 << (FIXED_BASE_WIDTH - 1);

/// Multiples of one point B for a multiplication without doublings: row i has
/// `j · 2^(6i) · B` for j = 1..=32, so that `k·B` is the sum over k's signed digits `d_i` of
/// ±(row i, entry |d_i|). For public points only: lookups index the row directly.
///
/// A table takes 43 × 32 affine points, 88 KiB, and costs about as much to build as ten
/// verifications. It makes the multiplication by B about three times faster.
pub(crate) struct FixedBaseTable {
    rows: Vec<[AffinePoint; FIXED_BASE_ROW_LENGTH]>,
}

impl FixedBaseTable {
    /// Builds the table of `base`.
    pub(crate) fn new(base: &AffinePoint) -> Self {
        let mut points = Vec::with_capacity(FIXED_BASE_ROWS * FIXED_BASE_ROW_LENGTH);
        let mut row_base = base.to_jacobian();
        for _ in 0..FIXED_BASE_ROWS {
            let mut multiple = row_base;
            for j in 1..=FIXED_BASE_ROW_LENGTH {
                points.push(multiple);
                if j < FIXED_BASE_ROW_LENGTH {
                    multiple = multiple.add_vartime(&row_base);
                }
            }
            // 2 · 32 · 2^(6i) · B is the next row's base.
            row_base = multiple.double();
        }
        // B has prime order n, and n divides no j · 2^(6i) with j <= 32, so no entry is the
        // identity.
        let affine = batch_to_affine(&points).expect("j · 2^(6i) · B is never the identity");
        let rows = affine
            .chunks_exact(FIXED_BASE_ROW_LENGTH)
            .map(|chunk| {
                let mut row = [AffinePoint::GENERATOR; FIXED_BASE_ROW_LENGTH];
                row.copy_from_slice(chunk);
                row
            })
            .collect();
        Self { rows }
    }

    /// Returns the table of G, building it on the first call.
    pub(super) fn generator() -> &'static Self {
        static TABLE: OnceLock<FixedBaseTable> = OnceLock::new();
        TABLE.get_or_init(|| Self::new(&AffinePoint::GENERATOR))
    }

    /// Returns `digit · 2^(6·row) · B` for a nonzero digit with |digit| <= 32. Not constant
    /// time.
    #[inline(always)]
    pub(super) fn multiple(&self, row: usize, digit: i8) -> AffinePoint {
        let entry = self.rows[row][usize::from(digit.unsigned_abs()) - 1];
        if digit < 0 { entry.neg() } else { entry }
    }
}
