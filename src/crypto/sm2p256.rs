//! SM2 signature arithmetic on the SM2 curve (GM/T 0003), specialised for its prime.
//!
//! - [`field`]: GF(p) in Montgomery form with a reduction built from shifts, because
//!   p = 2^256 - 2^224 - 2^96 + 2^64 - 1 makes the Montgomery factor 1.
//! - [`scalar`]: integers mod the group order n, for `s = (1 + d)^-1 (k - r d)` and `t = r + s`.
//! - [`point`]: affine and Jacobian points with a = -3 formulas.
//! - [`table`]: precomputed multiples of G, built once.
//! - [`multiply`]: constant-time `k·G` and variable-time `s·G + t·P`.
//!
//! Signing touches secrets (d, k, (1 + d)^-1) only through constant-time code: field and scalar
//! arithmetic without data-dependent branches, and table lookups that read every entry of a
//! row. Verification handles only public values and uses faster variable-time code.

mod field;
mod limb;
mod multiply;
mod point;
mod scalar;
mod table;

#[cfg(test)]
mod reference;

use field::FieldElement;
pub(crate) use point::AffinePoint;
use point::JacobianPoint;
pub(crate) use scalar::Scalar;
pub(crate) use table::FixedBaseTable;

/// Returns the public key `d·G` for a private scalar `d` in [1, n-1], or `None` for 0.
pub(crate) fn public_key(d: &Scalar) -> Option<AffinePoint> {
    if d.is_zero() {
        return None;
    }
    multiply::mul_generator(d).to_affine()
}

/// Computes an SM2 signature (r, s) of the digest `e` with private scalar `d` and nonce `k`.
///
/// `one_plus_d_inverse` must be `(1 + d)^-1 mod n`, and `k` must be in [1, n-1] and secret.
/// Returns `None` when this `k` must be discarded and signing retried with a fresh one:
/// when r = 0, r + k = n or s = 0 (GM/T 0003.2, signature generation steps A5 and A6).
pub(crate) fn sign_prehash(
    d: &Scalar,
    one_plus_d_inverse: &Scalar,
    e: &[u8; 32],
    k: &Scalar,
) -> Option<(Scalar, Scalar)> {
    let point = multiply::mul_generator(k).to_affine()?;
    let x1 = Scalar::from_bytes_reduced(&point.x.to_bytes());
    let r = Scalar::from_bytes_reduced(e).add(&x1);
    if r.is_zero() || r.add(k).is_zero() {
        return None;
    }
    let s = one_plus_d_inverse.mul(&k.sub(&r.mul(d)));
    if s.is_zero() {
        return None;
    }
    Some((r, s))
}

/// Verifies the SM2 signature (r, s) of the digest `e` under `public_key`
/// (GM/T 0003.2, signature verification steps B1 to B7).
///
/// Rejects r or s outside [1, n-1], t = r + s = 0 mod n, and a sum `s·G + t·P` at infinity,
/// then accepts exactly when `(e + x1) mod n = r`.
///
/// The last step needs no field inversion. `(e + x1) mod n = r` means `x1 ≡ r - e (mod n)`,
/// and x1 is below p < 2n, so x1 is either `c = (r - e) mod n` or `c + n` when that is below
/// p. For the Jacobian point (X, Y, Z), `x1 = X / Z^2`, so each candidate x is tested as
/// `X = x·Z^2`.
pub(crate) fn verify_prehash(
    public_key: &AffinePoint,
    e: &[u8; 32],
    r: &[u8; 32],
    s: &[u8; 32],
) -> bool {
    verify_with(e, r, s, |s, t| {
        multiply::mul_double_vartime(s, t, public_key)
    })
}

/// Verifies like [`verify_prehash`], with the public key given by its [`FixedBaseTable`].
pub(crate) fn verify_prehash_with_table(
    public_key_table: &FixedBaseTable,
    e: &[u8; 32],
    r: &[u8; 32],
    s: &[u8; 32],
) -> bool {
    verify_with(e, r, s, |s, t| {
        multiply::mul_double_with_table(s, t, public_key_table)
    })
}

/// The verification steps around the multiplication, which `multiply` does: it returns
/// `s·G + t·P` for the given s and t.
fn verify_with(
    e: &[u8; 32],
    r: &[u8; 32],
    s: &[u8; 32],
    multiply: impl FnOnce(&Scalar, &Scalar) -> JacobianPoint,
) -> bool {
    let (Some(r), Some(s)) = (Scalar::from_bytes(r), Scalar::from_bytes(s)) else {
        return false;
    };
    if r.is_zero() || s.is_zero() {
        return false;
    }
    let t = r.add(&s);
    if t.is_zero() {
        return false;
    }
    let point = multiply(&s, &t);
    let c = r.sub(&Scalar::from_bytes_reduced(e));
    let candidates = [Some(*c.limbs()), c.plus_order()];
    candidates
        .into_iter()
        .flatten()
        .filter_map(FieldElement::from_limbs)
        .any(|x| point.has_affine_x(&x))
}

/// Differential tests against the RustCrypto `sm2` crate, which implements the same curve with
/// generic arithmetic.
#[cfg(test)]
mod tests {
    use sm2::dsa::signature::hazmat::{PrehashSigner, PrehashVerifier};
    use sm2::elliptic_curve::sec1::ToSec1Point;
    use sm2::elliptic_curve::{Group, PrimeField};
    use sm2::{FieldBytes, ProjectivePoint};

    use super::multiply::{mul_double_vartime, mul_double_with_table, mul_generator};
    use super::point::JacobianPoint;
    use super::reference::TestRng;
    use super::*;

    /// n - 1, the largest scalar.
    const ORDER_MINUS_ONE: [u8; 32] = [
        0xff, 0xff, 0xff, 0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        0xff, 0x72, 0x03, 0xdf, 0x6b, 0x21, 0xc6, 0x05, 0x2b, 0x53, 0xbb, 0xf4, 0x09, 0x39, 0xd5,
        0x41, 0x22,
    ];

    fn small(value: u64) -> [u8; 32] {
        let mut bytes = [0u8; 32];
        bytes[24..].copy_from_slice(&value.to_be_bytes());
        bytes
    }

    fn ours(bytes: &[u8; 32]) -> Scalar {
        Scalar::from_bytes(bytes).expect("test scalar below n")
    }

    fn theirs(bytes: &[u8; 32]) -> sm2::Scalar {
        Option::from(sm2::Scalar::from_repr(FieldBytes::from(*bytes))).expect("test scalar below n")
    }

    /// Encodes our point as uncompressed SEC1, or returns `None` for the identity.
    fn encode(point: &JacobianPoint) -> Option<Vec<u8>> {
        let affine = point.to_affine()?;
        let mut bytes = vec![4];
        bytes.extend_from_slice(&affine.x.to_bytes());
        bytes.extend_from_slice(&affine.y.to_bytes());
        Some(bytes)
    }

    /// Encodes the `sm2` crate's point as uncompressed SEC1, or returns `None` for the identity.
    fn encode_theirs(point: &ProjectivePoint) -> Option<Vec<u8>> {
        if bool::from(point.is_identity()) {
            return None;
        }
        let key = sm2::PublicKey::from_affine(point.to_affine()).ok()?;
        Some(key.to_sec1_point(false).as_bytes().to_vec())
    }

    fn affine_from_theirs(point: &ProjectivePoint) -> AffinePoint {
        let bytes = encode_theirs(point).expect("not the identity");
        let x = bytes[1..33].try_into().unwrap();
        let y = bytes[33..65].try_into().unwrap();
        AffinePoint::from_coordinates(x, y).expect("the sm2 crate's point is on the curve")
    }

    /// Scalars on digit and range boundaries, followed by random ones.
    fn test_scalars(rng: &mut TestRng, random_count: usize) -> Vec<[u8; 32]> {
        let mut top_digit = [0u8; 32];
        top_digit[0] = 0xf0;
        let mut all_f_below_n = ORDER_MINUS_ONE;
        all_f_below_n[16..].fill(0x0f);
        let mut scalars = vec![
            small(1),
            small(2),
            small(3),
            small(15),
            small(16),
            small(17),
            small(255),
            small(u64::MAX),
            top_digit,
            all_f_below_n,
            [0x7f; 32],
            ORDER_MINUS_ONE,
            ours(&ORDER_MINUS_ONE).sub(&Scalar::ONE).to_bytes(),
        ];
        for _ in 0..random_count {
            scalars.push(Scalar::from_bytes_reduced(&rng.bytes()).to_bytes());
        }
        scalars
    }

    #[test]
    fn public_key_rejects_zero() {
        assert_eq!(public_key(&Scalar::ZERO), None);
        assert_eq!(public_key(&Scalar::ONE), Some(AffinePoint::GENERATOR));
    }

    #[test]
    fn generator_matches_sm2_crate() {
        let generator = ProjectivePoint::generator();
        let expected = affine_from_theirs(&generator);
        assert_eq!(AffinePoint::GENERATOR, expected);
        assert!(AffinePoint::GENERATOR.is_on_curve());
    }

    #[test]
    fn mul_generator_matches_sm2_crate() {
        let mut rng = TestRng::new(11);
        for k in test_scalars(&mut rng, 40) {
            let expected = encode_theirs(&(ProjectivePoint::generator() * theirs(&k)));
            assert_eq!(encode(&mul_generator(&ours(&k))), expected, "k = {k:x?}");
        }
    }

    #[test]
    fn mul_double_matches_sm2_crate() {
        let mut rng = TestRng::new(12);
        let scalars = test_scalars(&mut rng, 12);
        // Public keys: G, -G, 2G and a few random ones.
        let keys: Vec<[u8; 32]> = vec![small(1), ORDER_MINUS_ONE, small(2)]
            .into_iter()
            .chain(test_scalars(&mut rng, 4).into_iter().skip(13))
            .collect();
        for d in &keys {
            let key_point = ProjectivePoint::generator() * theirs(d);
            let key = affine_from_theirs(&key_point);
            // Each s meets three t values, which keeps the test fast in debug builds.
            for (i, s) in scalars.iter().enumerate() {
                let pairs = [i, (i + 5) % scalars.len(), (3 * i + 1) % scalars.len()];
                for t in pairs.map(|j| &scalars[j]) {
                    let expected = encode_theirs(
                        &(ProjectivePoint::generator() * theirs(s) + key_point * theirs(t)),
                    );
                    let actual = encode(&mul_double_vartime(&ours(s), &ours(t), &key));
                    assert_eq!(actual, expected, "d = {d:x?}, s = {s:x?}, t = {t:x?}");
                }
            }
        }
    }

    #[test]
    fn table_multiply_matches_sm2_crate() {
        let mut rng = TestRng::new(16);
        let mut scalars = test_scalars(&mut rng, 12);
        scalars.push([0; 32]);
        let keys: Vec<[u8; 32]> = vec![small(1), ORDER_MINUS_ONE, small(2), small(33)]
            .into_iter()
            .chain(test_scalars(&mut rng, 3).into_iter().skip(13))
            .collect();
        for d in &keys {
            let key_point = ProjectivePoint::generator() * theirs(d);
            let table = FixedBaseTable::new(&affine_from_theirs(&key_point));
            for (i, s) in scalars.iter().enumerate() {
                let pairs = [i, (i + 5) % scalars.len(), (3 * i + 1) % scalars.len()];
                for t in pairs.map(|j| &scalars[j]) {
                    let expected = encode_theirs(
                        &(ProjectivePoint::generator() * theirs(s) + key_point * theirs(t)),
                    );
                    let actual = encode(&mul_double_with_table(&ours(s), &ours(t), &table));
                    assert_eq!(actual, expected, "d = {d:x?}, s = {s:x?}, t = {t:x?}");
                }
            }
        }
    }

    #[test]
    fn table_multiply_identity_and_double() {
        // With P = G every row adds G's entry to the same entry or its negation.
        let table = FixedBaseTable::new(&AffinePoint::GENERATOR);
        let mut rng = TestRng::new(17);
        for s in test_scalars(&mut rng, 8) {
            let s = ours(&s);
            let t = Scalar::ZERO.sub(&s);
            let sum = mul_double_with_table(&s, &t, &table);
            assert!(bool::from(sum.is_identity()), "s = {s:x?}");
            let doubled = mul_double_with_table(&s, &s, &table);
            assert_eq!(
                encode(&doubled),
                encode(&mul_generator(&s.add(&s))),
                "s = {s:x?}"
            );
        }
        let zero = mul_double_with_table(&Scalar::ZERO, &Scalar::ZERO, &table);
        assert!(bool::from(zero.is_identity()));
    }

    #[test]
    fn mul_double_reaches_identity() {
        // With P = G, s·G + (n - s)·G is the identity, and s·G + s·G doubles.
        let mut rng = TestRng::new(13);
        for s in test_scalars(&mut rng, 8) {
            let s = ours(&s);
            let t = Scalar::ZERO.sub(&s);
            let sum = mul_double_vartime(&s, &t, &AffinePoint::GENERATOR);
            assert!(bool::from(sum.is_identity()), "s = {s:x?}");
            let doubled = mul_double_vartime(&s, &s, &AffinePoint::GENERATOR);
            let expected = mul_generator(&s.add(&s));
            assert_eq!(encode(&doubled), encode(&expected), "s = {s:x?}");
        }
        let zero = mul_double_vartime(&Scalar::ZERO, &Scalar::ZERO, &AffinePoint::GENERATOR);
        assert!(bool::from(zero.is_identity()));
    }

    #[test]
    fn point_addition_edge_cases() {
        let g = AffinePoint::GENERATOR;
        let g_jacobian = g.to_jacobian();
        let identity = JacobianPoint::IDENTITY;
        let two_g = encode(&g_jacobian.double());

        assert!(bool::from(identity.double().is_identity()));
        assert_eq!(
            encode(&identity.add_affine_vartime(&g)),
            encode(&g_jacobian)
        );
        assert_eq!(encode(&g_jacobian.add_affine_vartime(&g)), two_g);
        assert!(bool::from(
            g_jacobian.add_affine_vartime(&g.neg()).is_identity()
        ));
        assert_eq!(
            encode(&identity.add_vartime(&g_jacobian)),
            encode(&g_jacobian)
        );
        assert_eq!(
            encode(&g_jacobian.add_vartime(&identity)),
            encode(&g_jacobian)
        );
        assert_eq!(encode(&g_jacobian.add_vartime(&g_jacobian)), two_g);
        assert!(bool::from(
            g_jacobian.add_vartime(&g_jacobian.neg()).is_identity()
        ));

        let with_identity = identity.add_affine_ct(&g, 0.into());
        assert_eq!(encode(&with_identity), encode(&g_jacobian));
        let skipped = g_jacobian.add_affine_ct(&g, 1.into());
        assert_eq!(encode(&skipped), encode(&g_jacobian));
        let both = identity.add_affine_ct(&g, 1.into());
        assert!(bool::from(both.is_identity()));
        let three_g = g_jacobian.double().add_affine_ct(&g, 0.into());
        assert_eq!(encode(&three_g), encode(&mul_generator(&ours(&small(3)))));
        assert_eq!(JacobianPoint::IDENTITY.to_affine(), None);
    }

    #[test]
    fn off_curve_coordinates_are_rejected() {
        let g = AffinePoint::GENERATOR;
        let x = g.x.to_bytes();
        let mut y = g.y.to_bytes();
        assert!(AffinePoint::from_coordinates(&x, &y).is_some());
        y[31] ^= 1;
        assert!(AffinePoint::from_coordinates(&x, &y).is_none());
        assert!(AffinePoint::from_coordinates(&[0; 32], &[0; 32]).is_none());
        // x = p is out of range even though p ≡ 0.
        let p = field::FieldElement::ZERO
            .sub(&field::FieldElement::ONE)
            .to_bytes();
        let mut p_bytes = p;
        p_bytes[31] += 1;
        assert!(AffinePoint::from_coordinates(&p_bytes, &g.y.to_bytes()).is_none());
    }

    #[test]
    fn sign_prehash_matches_sm2_crate() {
        let mut rng = TestRng::new(14);
        let keys = test_scalars(&mut rng, 6);
        let nonces = test_scalars(&mut rng, 6);
        for d_bytes in keys.iter().filter(|&&d| d != ORDER_MINUS_ONE) {
            let d = ours(d_bytes);
            let inverse = d.add(&Scalar::ONE).invert();
            let their_d = theirs(d_bytes);
            let their_inverse = Option::<sm2::Scalar>::from((their_d + sm2::Scalar::ONE).invert())
                .expect("1 + d is nonzero");
            let verifying_key = sm2::dsa::VerifyingKey::new(
                "1234567812345678",
                sm2::PublicKey::from_affine((ProjectivePoint::generator() * their_d).to_affine())
                    .unwrap(),
            )
            .unwrap();
            assert_eq!(
                public_key(&d)
                    .map(|p| p.to_jacobian())
                    .and_then(|p| encode(&p)),
                encode_theirs(&(ProjectivePoint::generator() * their_d))
            );

            for k_bytes in &nonces {
                let e = rng.bytes();
                let k = ours(k_bytes);
                let Some((r, s)) = sign_prehash(&d, &inverse, &e, &k) else {
                    panic!("retry for d = {d_bytes:x?}, k = {k_bytes:x?}");
                };

                // The same computation with the sm2 crate's arithmetic.
                let their_k = theirs(k_bytes);
                let x1 = (ProjectivePoint::generator() * their_k).to_affine();
                let x1 = encode_theirs(&x1.into()).unwrap();
                let x1 = Scalar::from_bytes_reduced(x1[1..33].try_into().unwrap());
                let their_r = theirs(&Scalar::from_bytes_reduced(&e).add(&x1).to_bytes());
                let their_s = their_inverse * (their_k - their_r * their_d);
                assert_eq!(r.to_bytes(), <[u8; 32]>::from(their_r.to_repr()));
                assert_eq!(s.to_bytes(), <[u8; 32]>::from(their_s.to_repr()));

                let signature = sm2::dsa::Signature::from_scalars(r.to_bytes(), s.to_bytes())
                    .expect("r and s in [1, n-1]");
                assert!(verifying_key.verify_prehash(&e, &signature).is_ok());
                let point = public_key(&d).unwrap();
                assert!(verify_prehash(&point, &e, &r.to_bytes(), &s.to_bytes()));
            }
        }
    }

    #[test]
    fn sign_prehash_discards_bad_nonce() {
        // With e chosen so that r = n - k, the nonce must be discarded.
        let d = ours(&small(5));
        let inverse = d.add(&Scalar::ONE).invert();
        let k = ours(&small(7));
        let x1 = mul_generator(&k).to_affine().unwrap().x.to_bytes();
        let x1 = Scalar::from_bytes_reduced(&x1);
        let e = Scalar::ZERO.sub(&k).sub(&x1);
        assert_eq!(sign_prehash(&d, &inverse, &e.to_bytes(), &k), None);
        // And e = -x1 gives r = 0.
        let e = Scalar::ZERO.sub(&x1);
        assert_eq!(sign_prehash(&d, &inverse, &e.to_bytes(), &k), None);
    }

    /// Verifies with the `sm2` crate, counting every parse failure as a rejection.
    fn verify_theirs(
        key: &sm2::dsa::VerifyingKey,
        e: &[u8; 32],
        r: &[u8; 32],
        s: &[u8; 32],
    ) -> bool {
        match sm2::dsa::Signature::from_scalars(*r, *s) {
            Ok(signature) => key.verify_prehash(e, &signature).is_ok(),
            Err(_) => false,
        }
    }

    #[test]
    fn verify_agrees_with_sm2_crate_on_mutations() {
        let mut rng = TestRng::new(15);
        let mut key_scalars = vec![small(1), small(2), ORDER_MINUS_ONE];
        key_scalars.extend(test_scalars(&mut rng, 5).into_iter().skip(13));
        for d_bytes in &key_scalars {
            let secret = sm2::SecretKey::from_slice(d_bytes).unwrap();
            let signing_key = sm2::dsa::SigningKey::new("1234567812345678", &secret).unwrap();
            let verifying_key =
                sm2::dsa::VerifyingKey::new("1234567812345678", secret.public_key()).unwrap();
            let point = affine_from_theirs(&secret.public_key().to_projective());
            let table = FixedBaseTable::new(&point);
            // d = n - 1 has no (1 + d)^-1, so the sm2 crate cannot sign with it: use random
            // (r, s) pairs for that key instead.
            let can_sign = *d_bytes != ORDER_MINUS_ONE;

            for _ in 0..6 {
                let e = rng.bytes();
                let (r, s) = if can_sign {
                    let signature = signing_key.sign_prehash(&e).unwrap();
                    (
                        signature.r().to_repr().into(),
                        signature.s().to_repr().into(),
                    )
                } else {
                    (rng.bytes(), rng.bytes())
                };
                let expected = verify_theirs(&verifying_key, &e, &r, &s);
                assert_eq!(
                    verify_prehash(&point, &e, &r, &s),
                    expected,
                    "d = {d_bytes:x?}"
                );
                assert_eq!(
                    verify_prehash_with_table(&table, &e, &r, &s),
                    expected,
                    "d = {d_bytes:x?}, with the key's table"
                );
                assert_eq!(expected, can_sign, "d = {d_bytes:x?}");

                // Flip single bits of e, r and s.
                for _ in 0..8 {
                    let (mut e2, mut r2, mut s2) = (e, r, s);
                    let bit = (rng.next_u64() % 256) as usize;
                    let target = match rng.next_u64() % 3 {
                        0 => &mut e2,
                        1 => &mut r2,
                        _ => &mut s2,
                    };
                    target[bit / 8] ^= 1 << (bit % 8);
                    let expected = verify_theirs(&verifying_key, &e2, &r2, &s2);
                    assert_eq!(
                        verify_prehash(&point, &e2, &r2, &s2),
                        expected,
                        "d = {d_bytes:x?}, bit {bit}"
                    );
                    assert_eq!(
                        verify_prehash_with_table(&table, &e2, &r2, &s2),
                        expected,
                        "d = {d_bytes:x?}, bit {bit}, with the key's table"
                    );
                }
            }
        }
    }

    #[test]
    fn verify_rejects_out_of_range_r_and_s() {
        let d = ours(&small(9));
        let inverse = d.add(&Scalar::ONE).invert();
        let point = public_key(&d).unwrap();
        let e = [0x42; 32];
        let (r, s) = sign_prehash(&d, &inverse, &e, &ours(&small(1234))).unwrap();
        let (r, s) = (r.to_bytes(), s.to_bytes());
        assert!(verify_prehash(&point, &e, &r, &s));

        let order = {
            let mut bytes = ORDER_MINUS_ONE;
            bytes[31] += 1;
            bytes
        };
        let order_plus_one = {
            let mut bytes = order;
            bytes[31] += 1;
            bytes
        };
        // r and s plus n are the same residues, and must still be rejected as out of range.
        let r_plus_n = {
            let (sum, overflow) = add_bytes(&r, &order);
            (!overflow).then_some(sum)
        };
        for bad in [[0u8; 32], order, order_plus_one, [0xff; 32]] {
            assert!(!verify_prehash(&point, &e, &bad, &s), "r = {bad:x?}");
            assert!(!verify_prehash(&point, &e, &r, &bad), "s = {bad:x?}");
        }
        if let Some(r_plus_n) = r_plus_n {
            assert!(!verify_prehash(&point, &e, &r_plus_n, &s));
        }
    }

    fn add_bytes(a: &[u8; 32], b: &[u8; 32]) -> ([u8; 32], bool) {
        let mut sum = [0u8; 32];
        let mut carry = 0u16;
        for i in (0..32).rev() {
            let t = u16::from(a[i]) + u16::from(b[i]) + carry;
            sum[i] = t as u8;
            carry = t >> 8;
        }
        (sum, carry != 0)
    }

    #[test]
    fn verify_rejects_t_zero_and_infinity() {
        let d = ours(&small(1));
        let point = public_key(&d).unwrap();
        assert_eq!(point, AffinePoint::GENERATOR);
        let verifying_key = sm2::dsa::VerifyingKey::new(
            "1234567812345678",
            sm2::PublicKey::from_affine(ProjectivePoint::generator().to_affine()).unwrap(),
        )
        .unwrap();
        let e = [0x17; 32];
        let s = ours(&small(1000));

        // r + s = n: t = 0.
        let r = Scalar::ZERO.sub(&s);
        assert!(!verify_prehash(&point, &e, &r.to_bytes(), &s.to_bytes()));
        assert!(!verify_theirs(
            &verifying_key,
            &e,
            &r.to_bytes(),
            &s.to_bytes()
        ));

        // With P = G and t = -s, s·G + t·P is the point at infinity: r = t - s = -2s.
        let r = Scalar::ZERO.sub(&s).sub(&s);
        assert!(!verify_prehash(&point, &e, &r.to_bytes(), &s.to_bytes()));
        assert!(!verify_theirs(
            &verifying_key,
            &e,
            &r.to_bytes(),
            &s.to_bytes()
        ));

        // Sanity: some random pairs are also rejected, and the sm2 crate agrees.
        let mut rng = TestRng::new(16);
        for _ in 0..4 {
            let (r, s) = (rng.bytes(), rng.bytes());
            assert_eq!(
                verify_prehash(&point, &e, &r, &s),
                verify_theirs(&verifying_key, &e, &r, &s)
            );
        }
    }

    /// The verification compares x1 with `(r - e) mod n` and, when x1 may be at least n, with
    /// that value plus n. Random signatures almost never have x1 >= n (about 2^-129), so this
    /// test builds one: it picks a point R whose x is at least n, then the public key P that
    /// makes `s·G + t·P = R` for chosen r and s, P = t^-1 (R - s·G).
    #[test]
    fn verify_accepts_x1_at_or_above_n() {
        let order_bytes = add_bytes(&ORDER_MINUS_ONE, &small(1)).0;
        let (offset, x_point) = (0u64..64)
            .find_map(|i| {
                let x = add_bytes(&order_bytes, &small(i)).0;
                let mut compressed = vec![2];
                compressed.extend_from_slice(&x);
                let key = sm2::PublicKey::from_sec1_bytes(&compressed).ok()?;
                Some((i, affine_from_theirs(&key.to_projective())))
            })
            .expect("one of 64 consecutive x values lies on the curve");
        assert_eq!(
            x_point.x.to_bytes(),
            add_bytes(&order_bytes, &small(offset)).0
        );

        let r = ours(&[0x3c; 32]);
        let s = ours(&[0x5a; 32]);
        let t = r.add(&s);
        let minus_s = Scalar::ZERO.sub(&s);
        let r_minus_s_g = mul_double_vartime(&minus_s, &Scalar::ONE, &x_point)
            .to_affine()
            .unwrap();
        let key = mul_double_vartime(&Scalar::ZERO, &t.invert(), &r_minus_s_g)
            .to_affine()
            .unwrap();
        // x1 mod n = offset, so e = r - offset makes (e + x1) mod n = r.
        let e = r.sub(&ours(&small(offset))).to_bytes();

        let mut sec1 = vec![4];
        sec1.extend_from_slice(&key.x.to_bytes());
        sec1.extend_from_slice(&key.y.to_bytes());
        let verifying_key = sm2::dsa::VerifyingKey::new(
            "1234567812345678",
            sm2::PublicKey::from_sec1_bytes(&sec1).unwrap(),
        )
        .unwrap();
        assert!(verify_theirs(
            &verifying_key,
            &e,
            &r.to_bytes(),
            &s.to_bytes()
        ));
        assert!(verify_prehash(&key, &e, &r.to_bytes(), &s.to_bytes()));

        // e one larger: (e + x1) mod n = r + 1, which both reject.
        let e_plus_one = add_bytes(&e, &small(1)).0;
        assert!(!verify_theirs(
            &verifying_key,
            &e_plus_one,
            &r.to_bytes(),
            &s.to_bytes()
        ));
        assert!(!verify_prehash(
            &key,
            &e_plus_one,
            &r.to_bytes(),
            &s.to_bytes()
        ));
    }
}
