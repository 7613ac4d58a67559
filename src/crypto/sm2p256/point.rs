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

/// The coefficient b of the curve equation, in Montgomery form.
const CURVE_B: FieldElement = FieldElement::from_canonical([
    0xddbc_bd41_4d94_0e93,
    0xf397_89f5_15ab_8f92,
    0x4d5a_9e4b_cf65_09a7,
    0x28e9_fa9e_9d9f_5e34,
]);

/// A point (x, y) on the curve other than the identity.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct AffinePoint {
    pub(crate) x: FieldElement,
    pub(crate) y: FieldElement,
}

impl AffinePoint {
    /// The base point G of GM/T 0003.5.
    pub(crate) const GENERATOR: Self = Self {
        x: FieldElement::from_canonical([
            0x715a_4589_334c_74c7,
            0x8fe3_0bbf_f266_0be1,
            0x5f99_0446_6a39_c994,
            0x32c4_ae2c_1f19_8119,
        ]),
        y: FieldElement::from_canonical([
            0x02df_32e5_2139_f0a0,
            0xd0a9_877c_c62a_4740,
            0x59bd_cee3_6b69_2153,
            0xbc37_36a2_f4f6_779c,
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
    pub(crate) const fn neg(&self) -> Self {
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
    pub(crate) const fn neg(&self) -> Self {
        Self {
            x: self.x,
            y: self.y.neg(),
            z: self.z,
        }
    }

    /// Returns `2 * self` by the a = -3 formula "dbl-2001-b" (3M + 5S). Constant time. The
    /// identity maps to Z3 = 2·Y·Z = 0, the identity, so no case needs a branch.
    pub(crate) fn double(&self) -> Self {
        let delta = self.z.square();
        let gamma = self.y.square();
        let beta = self.x.mul(&gamma);
        let alpha = {
            let product = self.x.sub(&delta).mul(&self.x.add(&delta));
            product.double().add(&product)
        };
        let beta_4 = beta.double().double();
        let x = alpha.square().sub(&beta_4.double());
        let z = self.y.add(&self.z).square().sub(&gamma).sub(&delta);
        let gamma_squared_8 = gamma.square().double().double().double();
        let y = alpha.mul(&beta_4.sub(&x)).sub(&gamma_squared_8);
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
