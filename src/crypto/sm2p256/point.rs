//! Points on the SM2 curve y^2 = x^3 - 3x + b over GF(p), in affine and Jacobian coordinates.
//!
//! The curve coefficient a is p - 3, so doubling uses the a = -3 formula. The curve has prime
//! order n and cofactor 1, so no point other than the identity has order 2, and doubling is
//! exact for every input. Addition has exceptional cases (equal, opposite or identity inputs).
//! The `_vartime` additions branch on them and are for public data only.
//! [`JacobianPoint::add_affine_ct`] handles identities with masks, and its caller must prove
//! that equal and opposite inputs cannot occur.

use subtle::{Choice, ConditionallySelectable};

use super::field::FieldElement;

/// The coefficient b of the curve equation, in Montgomery form (b·2^256 mod p). The test
/// `constants_are_the_standard_values` checks it against b as GM/T 0003.5 gives it.
const CURVE_B: FieldElement = FieldElement::from_montgomery([
    0x90d2_3063_2bc0_dd42,
    0x71cf_379a_e9b5_37ab,
    0x5279_8150_5ea5_1c3c,
    0x240f_e188_ba20_e2c8,
]);

/// A point (x, y) on the curve other than the identity.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct AffinePoint {
    pub(crate) x: FieldElement,
    pub(crate) y: FieldElement,
}

impl AffinePoint {
    /// The base point G of GM/T 0003.5, in Montgomery form like [`CURVE_B`].
    pub(crate) const GENERATOR: Self = Self {
        x: FieldElement::from_montgomery([
            0x6132_8990_f418_029e,
            0x3e79_81ed_dca6_c050,
            0xd6a1_ed99_ac24_c3c3,
            0x9116_7a5e_e1c1_3b05,
        ]),
        y: FieldElement::from_montgomery([
            0xc135_4e59_3c2d_0ddd,
            0xc1f5_e578_8d32_95fa,
            0x8d4c_fb06_6e2a_48f8,
            0x63cd_65d4_81d7_35bd,
        ]),
    };

    /// Reads big-endian coordinates. Returns `None` unless both are below p and the point lies
    /// on the curve.
    pub(crate) fn from_coordinates(x: &[u8; 32], y: &[u8; 32]) -> Option<Self> {
        let point = Self {
            x: FieldElement::from_bytes(x)?,
            y: FieldElement::from_bytes(y)?,
        };
        point.is_on_curve().then_some(point)
    }

    /// Returns whether y^2 = x^3 - 3x + b.
    pub(crate) fn is_on_curve(&self) -> bool {
        let x_squared_minus_3 = self
            .x
            .square()
            .sub(&FieldElement::ONE.double().add(&FieldElement::ONE));
        let right = x_squared_minus_3.mul(&self.x).add(&CURVE_B);
        self.y.square() == right
    }

    /// Returns `-self`.
    pub(crate) fn neg(&self) -> Self {
        Self {
            x: self.x,
            y: self.y.neg(),
        }
    }

    /// Returns the point with Z = 1.
    pub(crate) const fn to_jacobian(self) -> JacobianPoint {
        JacobianPoint {
            x: self.x,
            y: self.y,
            z: FieldElement::ONE,
        }
    }
}

impl ConditionallySelectable for AffinePoint {
    fn conditional_select(a: &Self, b: &Self, choice: Choice) -> Self {
        Self {
            x: FieldElement::conditional_select(&a.x, &b.x, choice),
            y: FieldElement::conditional_select(&a.y, &b.y, choice),
        }
    }
}

/// A point in Jacobian coordinates: (X, Y, Z) is the affine point (X/Z^2, Y/Z^3), and any
/// triple with Z = 0 is the identity (the point at infinity).
#[derive(Clone, Copy, Debug)]
pub(crate) struct JacobianPoint {
    x: FieldElement,
    y: FieldElement,
    z: FieldElement,
}

impl JacobianPoint {
    /// The identity.
    pub(crate) const IDENTITY: Self = Self {
        x: FieldElement::ONE,
        y: FieldElement::ONE,
        z: FieldElement::ZERO,
    };

    /// Returns whether the point is the identity, in constant time.
    pub(crate) fn is_identity(&self) -> Choice {
        self.z.is_zero()
    }

    /// Returns the affine point, or `None` for the identity. Uses one field inversion, which
    /// runs in constant time.
    pub(crate) fn to_affine(self) -> Option<AffinePoint> {
        if bool::from(self.is_identity()) {
            return None;
        }
        let z_inverse = self.z.invert();
        let z_inverse_squared = z_inverse.square();
        Some(AffinePoint {
            x: self.x.mul(&z_inverse_squared),
            y: self.y.mul(&z_inverse_squared).mul(&z_inverse),
        })
    }

    /// Returns `-self`.
    pub(crate) fn neg(&self) -> Self {
        Self {
            x: self.x,
            y: self.y.neg(),
            z: self.z,
        }
    }

    /// Returns whether the point is not the identity and its affine x coordinate, X/Z^2, is
    /// `x`. Compares `X` with `x·Z^2`, which needs no inversion. Not constant time.
    pub(crate) fn has_affine_x(&self, x: &FieldElement) -> bool {
        !bool::from(self.is_identity()) && self.x == x.mul(&self.z.square())
    }

    /// Returns `2 * self` by the a = -3 formula "dbl-2001-b", with Z3 computed as 2·Y·Z
    /// (4M + 4S). Constant time. The identity maps to Z3 = 2·Y·Z = 0, the identity, so no case
    /// needs a branch.
    ///
    /// Computing Z3 as `(Y + Z)^2 - Y^2 - Z^2` would trade the multiplication for a squaring
    /// and two more subtractions, which cost more here than the difference.
    #[inline(always)]
    pub(crate) fn double(&self) -> Self {
        let delta = self.z.square();
        let gamma = self.y.square();
        let beta = self.x.mul(&gamma);
        let alpha = self.x.sub(&delta).mul(&self.x.add(&delta)).mul_small(3);
        let beta_4 = beta.mul_small(4);
        let x = alpha.square().sub(&beta_4.double());
        let z = self.y.mul(&self.z).double();
        let y = alpha.mul(&beta_4.sub(&x)).sub(&gamma.square().mul_small(8));
        Self { x, y, z }
    }

    /// Returns `self + q` by the mixed addition formula (8M + 3S), without handling exceptional
    /// cases: the result is wrong when `self` is the identity or `self = q`, and is the identity
    /// when `self = -q`. Constant time.
    fn add_affine_unchecked(&self, q: &AffinePoint) -> Self {
        let z1_squared = self.z.square();
        let u2 = q.x.mul(&z1_squared);
        let s2 = q.y.mul(&z1_squared.mul(&self.z));
        let h = u2.sub(&self.x);
        let r = s2.sub(&self.y);
        let h_squared = h.square();
        let h_cubed = h_squared.mul(&h);
        let v = self.x.mul(&h_squared);
        let x = r.square().sub(&h_cubed).sub(&v.double());
        let y = r.mul(&v.sub(&x)).sub(&self.y.mul(&h_cubed));
        let z = self.z.mul(&h);
        Self { x, y, z }
    }

    /// Returns `self + q` in constant time, where `q` is the identity when `q_is_identity` is
    /// set (its coordinates are then ignored).
    ///
    /// The caller must ensure that `self` is neither `q` nor `-q` unless one of them is the
    /// identity, because the formula is wrong for equal points. Debug builds check this.
    pub(crate) fn add_affine_ct(&self, q: &AffinePoint, q_is_identity: Choice) -> Self {
        let sum = self.add_affine_unchecked(q);
        // Both equal and opposite inputs give H = 0 and so Z3 = 0. This check branches on the
        // values, so it exists only in debug builds.
        debug_assert!(
            bool::from(q_is_identity | self.is_identity()) || !bool::from(sum.is_identity()),
            "add_affine_ct called with equal or opposite points"
        );
        let from_q = Self::conditional_select(&sum, &q.to_jacobian(), self.is_identity());
        Self::conditional_select(&from_q, self, q_is_identity)
    }

    /// Returns `self + q` for any inputs, branching on the exceptional cases. For public data
    /// only.
    #[inline(always)]
    pub(crate) fn add_affine_vartime(&self, q: &AffinePoint) -> Self {
        if bool::from(self.is_identity()) {
            return q.to_jacobian();
        }
        let z1_squared = self.z.square();
        let u2 = q.x.mul(&z1_squared);
        let s2 = q.y.mul(&z1_squared.mul(&self.z));
        let h = u2.sub(&self.x);
        let r = s2.sub(&self.y);
        if bool::from(h.is_zero()) {
            return if bool::from(r.is_zero()) {
                self.double()
            } else {
                Self::IDENTITY
            };
        }
        let h_squared = h.square();
        let h_cubed = h_squared.mul(&h);
        let v = self.x.mul(&h_squared);
        let x = r.square().sub(&h_cubed).sub(&v.double());
        let y = r.mul(&v.sub(&x)).sub(&self.y.mul(&h_cubed));
        let z = self.z.mul(&h);
        Self { x, y, z }
    }

    /// Returns `self + q` for any inputs (12M + 4S), branching on the exceptional cases. For
    /// public data only.
    #[inline(always)]
    pub(crate) fn add_vartime(&self, q: &Self) -> Self {
        if bool::from(self.is_identity()) {
            return *q;
        }
        if bool::from(q.is_identity()) {
            return *self;
        }
        let z1_squared = self.z.square();
        let z2_squared = q.z.square();
        let u1 = self.x.mul(&z2_squared);
        let u2 = q.x.mul(&z1_squared);
        let s1 = self.y.mul(&z2_squared.mul(&q.z));
        let s2 = q.y.mul(&z1_squared.mul(&self.z));
        let h = u2.sub(&u1);
        let r = s2.sub(&s1);
        if bool::from(h.is_zero()) {
            return if bool::from(r.is_zero()) {
                self.double()
            } else {
                Self::IDENTITY
            };
        }
        let h_squared = h.square();
        let h_cubed = h_squared.mul(&h);
        let v = u1.mul(&h_squared);
        let x = r.square().sub(&h_cubed).sub(&v.double());
        let y = r.mul(&v.sub(&x)).sub(&s1.mul(&h_cubed));
        let z = self.z.mul(&q.z).mul(&h);
        Self { x, y, z }
    }
}

impl ConditionallySelectable for JacobianPoint {
    fn conditional_select(a: &Self, b: &Self, choice: Choice) -> Self {
        Self {
            x: FieldElement::conditional_select(&a.x, &b.x, choice),
            y: FieldElement::conditional_select(&a.y, &b.y, choice),
            z: FieldElement::conditional_select(&a.z, &b.z, choice),
        }
    }
}

/// Converts points other than the identity to affine form with one shared inversion
/// (Montgomery's trick): invert the product of all Z, then peel off one factor per point.
/// Returns `None` if any point is the identity.
pub(crate) fn batch_to_affine(points: &[JacobianPoint]) -> Option<Vec<AffinePoint>> {
    let mut prefix_products = Vec::with_capacity(points.len());
    let mut product = FieldElement::ONE;
    for point in points {
        if bool::from(point.is_identity()) {
            return None;
        }
        product = product.mul(&point.z);
        prefix_products.push(product);
    }

    let mut inverse = product.invert();
    let mut affine = vec![AffinePoint::GENERATOR; points.len()];
    for i in (0..points.len()).rev() {
        // inverse = (z_0 ... z_i)^-1 here.
        let z_inverse = match i {
            0 => inverse,
            _ => inverse.mul(&prefix_products[i - 1]),
        };
        inverse = inverse.mul(&points[i].z);
        let z_inverse_squared = z_inverse.square();
        affine[i] = AffinePoint {
            x: points[i].x.mul(&z_inverse_squared),
            y: points[i].y.mul(&z_inverse_squared).mul(&z_inverse),
        };
    }
    Some(affine)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn element(hex: &str) -> FieldElement {
        let bytes: [u8; 32] = (0..32)
            .map(|i| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).unwrap())
            .collect::<Vec<_>>()
            .try_into()
            .unwrap();
        FieldElement::from_bytes(&bytes).expect("below p")
    }

    #[test]
    fn constants_are_the_standard_values() {
        // b, Gx and Gy as printed in GM/T 0003.5.
        let b = element("28E9FA9E9D9F5E344D5A9E4BCF6509A7F39789F515AB8F92DDBCBD414D940E93");
        let gx = element("32C4AE2C1F1981195F9904466A39C9948FE30BBFF2660BE1715A4589334C74C7");
        let gy = element("BC3736A2F4F6779C59BDCEE36B692153D0A9877CC62A474002DF32E52139F0A0");
        assert_eq!(CURVE_B, b);
        assert_eq!(AffinePoint::GENERATOR.x, gx);
        assert_eq!(AffinePoint::GENERATOR.y, gy);
        assert!(AffinePoint::GENERATOR.is_on_curve());
    }
}
