//! Verification (验章) of seals and signatures, over the bytes as stored.
//!
//! The checks follow the structure of GB/T 38540-2020's verification procedure:
//!
//! - a seal: its format and header; the maker's signature over SES_SealInfo with the maker's
//!   certificate; the time inside validStart..validEnd; the maker certificate's validity;
//! - a signature: its format, and that its version matches the seal's. Then the signer's
//!   signature over TBS_Sign with the signer's certificate, and the signer's certificate in the
//!   seal's certList. Then the seal as above and the signer certificate's validity, both at the
//!   signing time. Last, dataHash against the data.
//!
//! NOTE: certificate chains, revocation and time stamps are reported as not checked.

use der::asn1::ObjectIdentifier;

use std::sync::Arc;

use crate::asn1::OID_SM2_WITH_SM3;
use crate::cert::Certificate;
use crate::crypto::{
    CertificateSignatureId, DEFAULT_SM2_ID, PublicKey, SignatureValue, message_digest, sm3,
    sm3_lanes, z_input,
};
use crate::error::Result;
use crate::finding::{Finding, FindingCode};
use crate::report::{Check, SealReport, SealSummary, SignatureReport, all_passed, count_en};
use crate::seal::{CertList, Seal, Version};
use crate::signature::Signature;
use crate::time::Time;
use crate::timestamp::TimeStampToken;
use crate::trust::{CertRevocation, TrustPolicy, revocation_of, validate_chain};

mod batch;
mod cache;

pub use batch::{BatchItem, BatchVerifier};
pub use cache::{DEFAULT_SEAL_CACHE_CAPACITY, SealCache};

/// Options of a verification.
#[derive(Debug, Clone)]
pub struct VerifyOptions {
    /// The SM2 user ID of the maker and the signer; the default is `1234567812345678`.
    pub sm2_id: Vec<u8>,
    /// For a seal verified on its own, the time at which its validity is checked; the current
    /// time when `None`. Signatures are checked at their signing time, TBS_Sign.timeInfo.
    pub at: Option<Time>,
    /// Roots, CRLs and seal revocation lists; without it, chains and revocation are reported
    /// as not checked.
    pub trust: Option<Arc<TrustPolicy>>,
}

impl Default for VerifyOptions {
    fn default() -> Self {
        Self {
            sm2_id: DEFAULT_SM2_ID.to_vec(),
            at: None,
            trust: None,
        }
    }
}

/// The data a signature protects, to compare with its dataHash.
#[derive(Debug, Clone, Copy)]
pub enum SignedData<'a> {
    /// No data given: the dataHash check is reported as not checked.
    Absent,
    /// The original bytes.
    Bytes(&'a [u8]),
    /// The SM3 digest of the original bytes, for data hashed as a stream.
    Digest([u8; 32]),
}

/// Verifies a seal on its own, at `options.at` or now.
pub fn verify_seal(seal: &Seal, options: &VerifyOptions) -> SealReport {
    let at = options.at.unwrap_or_else(Time::now);
    let mut findings = seal.findings().to_vec();
    let (checks, maker_ok) = seal_checks(
        seal,
        at,
        &options.sm2_id,
        options.trust.as_deref(),
        None,
        (&seal.maker_certificate().map(Arc::new), None),
        &mut findings,
    );
    SealReport {
        valid: all_passed(&checks),
        checked_at: at,
        seal: SealSummary::new(seal, maker_ok),
        checks,
        findings,
    }
}

/// Verifies a signature: the signer's signature, the seal inside it at the signing time, and,
/// when data is given, dataHash.
pub fn verify_signature(
    signature: &Signature,
    data: SignedData<'_>,
    options: &VerifyOptions,
) -> SignatureReport {
    let prepared = prepare(&[(signature, data)], &options.sm2_id, None);
    verify_signature_inner(signature, data, options, None, prepared.into_iter().next())
}

/// Verifies a signature like [`verify_signature`], taking the maker's signature check from
/// `cache` when the same seal bytes were verified before. For the signer's signature, the
/// cache keeps the SM3 state after the seal, so only the rest of TBS_Sign is hashed when the
/// same signer used the same seal before. The cache also keeps the certificates it has read
/// and, for keys verified often, tables that make their SM2 verifications faster (see
/// [`SealCache`]). The report is the same as without the cache.
pub fn verify_signature_cached(
    signature: &Signature,
    data: SignedData<'_>,
    options: &VerifyOptions,
    cache: &SealCache,
) -> SignatureReport {
    let prepared = prepare(&[(signature, data)], &options.sm2_id, Some(cache));
    verify_signature_inner(
        signature,
        data,
        options,
        Some(cache),
        prepared.into_iter().next(),
    )
}

/// The certificates of a signature and the SM3 digests its checks need, read and computed
/// before the checks so that the digests of all signatures of a batch run side by side.
struct Prepared {
    maker: Result<Arc<Certificate>>,
    signer: Result<Arc<Certificate>>,
    /// `e` of the maker's signature. `None` leaves it to the check: when the cache has the
    /// seal, or when the key or ID gives no Z value.
    maker_digest: Option<[u8; 32]>,
    /// `e` of the signer's signature, under the same conditions.
    signer_digest: Option<[u8; 32]>,
    /// The SM3 digest of the data, when the data is given as bytes.
    data_digest: Option<[u8; 32]>,
}

/// Reads the certificates and computes the digests of `items` for [`verify_signature_inner`].
///
/// Each signature has three independent messages to hash: Z and SES_SealInfo (or the V1
/// form) for the maker, Z and TBS_Sign for the signer, and the data.
/// [`sm3_lanes::digest_many`] hashes all of them side by side: first the Z values, then the
/// messages. When the cache already has the seal's maker check, the maker's digest is not
/// needed. The signer's is then left to the cache, which starts from the SM3 state after the
/// seal when it has one, so only the data is hashed here.
fn prepare(
    items: &[(&Signature, SignedData<'_>)],
    sm2_id: &[u8],
    cache: Option<&SealCache>,
) -> Vec<Prepared> {
    let mut prepared: Vec<Prepared> = items
        .iter()
        .map(|(signature, _)| Prepared {
            maker: read_certificate(&signature.seal().maker_cert, cache),
            signer: read_certificate(&signature.signer_cert, cache),
            maker_digest: None,
            signer_digest: None,
            data_digest: None,
        })
        .collect();

    /// Which digest of a signature a message gives.
    #[derive(Clone, Copy, PartialEq)]
    enum Slot {
        Maker,
        Signer,
        Data,
    }

    // First the Z values of the keys whose digests are computed here, all side by side. A seal
    // whose maker check the cache already has adds no key.
    let mut keys: Vec<(usize, Slot, PublicKey)> = Vec::new();
    for (index, entry) in prepared.iter().enumerate() {
        let seal = items[index].0.seal();
        if cache.is_some_and(|cache| cache.knows_seal(seal, sm2_id)) {
            continue;
        }
        for (slot, cert) in [(Slot::Maker, &entry.maker), (Slot::Signer, &entry.signer)] {
            if let Some(key) = cert.as_ref().ok().and_then(|cert| cert.public_key().ok()) {
                keys.push((index, slot, key));
            }
        }
    }
    let z_inputs: Vec<Option<Vec<u8>>> = keys
        .iter()
        .map(|(_, _, key)| z_input(key, sm2_id))
        .collect();
    let z_parts: Vec<[&[u8]; 1]> = z_inputs
        .iter()
        .flatten()
        .map(|input| [input.as_slice()])
        .collect();
    let z_messages: Vec<&[&[u8]]> = z_parts.iter().map(|parts| parts.as_slice()).collect();
    let mut z_values = sm3_lanes::digest_many(&z_messages).into_iter();

    let mut z_held: Vec<(usize, Slot, [u8; 32])> = Vec::new();
    for ((index, slot, _), input) in keys.iter().zip(&z_inputs) {
        if input.is_some() {
            let z = z_values.next().expect("one Z value per input");
            z_held.push((*index, *slot, z));
        }
    }
    // The maker's message, for the seals whose maker digest is computed here. A V1 seal's is
    // assembled from parts, so it is made only when needed.
    let seal_messages: Vec<Option<_>> = items
        .iter()
        .enumerate()
        .map(|(index, (signature, _))| {
            let needed = z_held
                .iter()
                .any(|(held, slot, _)| *held == index && *slot == Slot::Maker);
            needed.then(|| signature.seal().signed_message())
        })
        .collect();

    // Then the messages: Z and the signed bytes for each key, and the data.
    let mut targets: Vec<(usize, Slot)> = Vec::new();
    let mut parts: Vec<[&[u8]; 2]> = Vec::new();
    for (index, slot, z) in &z_held {
        let message: &[u8] = match slot {
            Slot::Maker => seal_messages[*index]
                .as_deref()
                .expect("made for every maker digest"),
            _ => items[*index].0.signed_message(),
        };
        targets.push((*index, *slot));
        parts.push([z.as_slice(), message]);
    }
    for (index, (_, data)) in items.iter().enumerate() {
        if let SignedData::Bytes(bytes) = data {
            targets.push((index, Slot::Data));
            parts.push([bytes, &[]]);
        }
    }
    let messages: Vec<&[&[u8]]> = parts.iter().map(|parts| parts.as_slice()).collect();
    for ((index, slot), digest) in targets.into_iter().zip(sm3_lanes::digest_many(&messages)) {
        let entry = &mut prepared[index];
        match slot {
            Slot::Maker => entry.maker_digest = Some(digest),
            Slot::Signer => entry.signer_digest = Some(digest),
            Slot::Data => entry.data_digest = Some(digest),
        }
    }
    prepared
}

/// Reads a certificate, from the cache when it has read the same bytes before.
fn read_certificate(der: &[u8], cache: Option<&SealCache>) -> Result<Arc<Certificate>> {
    match cache {
        Some(cache) => cache.certificate(der),
        None => Certificate::from_der(der).map(Arc::new),
    }
}

fn verify_signature_inner(
    signature: &Signature,
    data: SignedData<'_>,
    options: &VerifyOptions,
    cache: Option<&SealCache>,
    prepared: Option<Prepared>,
) -> SignatureReport {
    let prepared = prepared.unwrap_or_else(|| {
        let mut prepared = prepare(&[(signature, data)], &options.sm2_id, cache);
        prepared.pop().expect("one item prepared")
    });
    let seal = signature.seal();
    // A verified time stamp from a trusted authority fixes the signing time; otherwise it is
    // the signer's claim, timeInfo.
    let (time_stamp_check, stamped_time) = time_stamp_check(
        "signature.time_stamp",
        signature.time_stamp.as_deref(),
        &signature.signature,
        options.trust.as_deref(),
        ("signature value", "签名值"),
    );
    let at = stamped_time.unwrap_or(signature.tbs.time_info);
    let mut findings = signature.findings().to_vec();
    let mut checks = vec![format_check(signature)];

    // The seal's findings are already among the signature's, so they are not added twice.
    let mut seal_findings = Vec::new();
    let (seal_checks, maker_ok) = seal_checks(
        seal,
        at,
        &options.sm2_id,
        options.trust.as_deref(),
        cache,
        (&prepared.maker, prepared.maker_digest),
        &mut seal_findings,
    );
    findings.extend(seal_findings);
    checks.extend(seal_checks);

    let signer = &prepared.signer;
    let signature_valid = {
        let check = signer_signature_check(
            signature,
            signer.as_deref().ok(),
            &options.sm2_id,
            cache,
            prepared.signer_digest,
            &mut findings,
        );
        let ok = check.status == crate::report::CheckStatus::Passed;
        checks.push(check);
        ok
    };

    let in_list = seal
        .info
        .property
        .cert_list
        .contains(&signature.signer_cert);
    checks.push(cert_list_check(&seal.info.property.cert_list, in_list));

    checks.push(match signer {
        Ok(cert) => validity_check(
            "signature.signer_certificate_validity",
            "signer's certificate",
            "签章者证书",
            cert,
            at,
        ),
        Err(e) => Check::failed(
            "signature.signer_certificate_validity",
            format!("the signer's certificate cannot be read: {e}"),
            format!("无法读取签章者证书：{e}"),
        ),
    });
    checks.extend(trust_checks(
        SIGNER,
        signer.as_deref().ok(),
        at,
        options.trust.as_deref(),
        &mut findings,
    ));

    let data_hash_valid = match data {
        SignedData::Absent => None,
        SignedData::Bytes(bytes) => {
            let digest = prepared.data_digest.unwrap_or_else(|| sm3(bytes));
            Some(digest.as_slice() == signature.tbs.data_hash.as_slice())
        }
        SignedData::Digest(digest) => Some(digest.as_slice() == signature.tbs.data_hash.as_slice()),
    };
    checks.push(match data_hash_valid {
        None => Check::not_checked(
            "signature.data_hash",
            "no data was given, so dataHash was not compared",
            "未提供原文，未比对 dataHash",
        ),
        Some(true) => Check::passed(
            "signature.data_hash",
            "dataHash equals the SM3 digest of the data",
            "dataHash 与原文的 SM3 摘要一致",
        ),
        Some(false) => Check::failed(
            "signature.data_hash",
            format!(
                "dataHash {} differs from the SM3 digest of the data",
                hex(&signature.tbs.data_hash)
            ),
            format!(
                "dataHash {} 与原文的 SM3 摘要不一致",
                hex(&signature.tbs.data_hash)
            ),
        ),
    });
    checks.push(time_stamp_check);

    SignatureReport {
        valid: all_passed(&checks),
        version: signature.version,
        signature_valid,
        data_hash_valid,
        signer_in_cert_list: in_list,
        signing_time: at,
        signer: signer.as_deref().ok().map(Certificate::subject),
        property_info: signature.tbs.property_info.clone(),
        seal: SealSummary::new(seal, maker_ok),
        checks,
        findings,
    }
}

/// Checks of a seal at time `at`; returns them and whether the maker's signature verified.
/// `maker` is the maker's certificate as read from the seal and, when already computed, the
/// digest `e` of the maker's signature.
fn seal_checks(
    seal: &Seal,
    at: Time,
    sm2_id: &[u8],
    trust: Option<&TrustPolicy>,
    cache: Option<&SealCache>,
    maker: (&Result<Arc<Certificate>>, Option<[u8; 32]>),
    findings: &mut Vec<Finding>,
) -> (Vec<Check>, bool) {
    let (maker, maker_digest) = maker;
    let mut checks = Vec::new();
    let header = &seal.info.header;
    let expected_versions: &[i64] = match seal.version {
        Version::V1 => &[1, 2],
        Version::V4 => &[4],
        Version::V5 => &[5],
    };
    checks.push(if header.id != "ES" {
        Check::failed(
            "seal.format",
            format!("header ID is {:?}, not \"ES\"", header.id),
            format!("头信息 ID 为 {:?}，不是 \"ES\"", header.id),
        )
    } else if !expected_versions.contains(&header.version) {
        Check::failed(
            "seal.format",
            format!(
                "header version {} does not match the {:?} structure",
                header.version, seal.version
            ),
            format!(
                "头信息版本号 {} 与 {:?} 结构不符",
                header.version, seal.version
            ),
        )
    } else {
        Check::passed(
            "seal.format",
            format!("{:?} seal, header version {}", seal.version, header.version),
            format!("{:?} 印章，头信息版本号 {}", seal.version, header.version),
        )
    });

    let maker_check = match maker {
        Err(e) => Check::failed(
            "seal.maker_signature",
            format!("the maker's certificate cannot be read: {e}"),
            format!("无法读取制章者证书：{e}"),
        ),
        Ok(cert) => {
            let location = if seal.version == Version::V1 {
                "SES_SignInfo.signData"
            } else {
                "SESeal.signedValue"
            };
            let compute = |findings: &mut Vec<Finding>| {
                verify_sm2(
                    "seal.maker_signature",
                    cert,
                    &seal.signature_algorithm,
                    &seal.signed_value,
                    location,
                    seal.signed_value_offset(),
                    |key| {
                        maker_digest.or_else(|| message_digest(key, sm2_id, &seal.signed_message()))
                    },
                    cache,
                    findings,
                    ("maker", "制章者"),
                )
            };
            match cache {
                Some(cache) => cache.maker_check(seal, sm2_id, findings, compute),
                None => compute(findings),
            }
        }
    };
    let maker_ok = maker_check.status == crate::report::CheckStatus::Passed;
    checks.push(maker_check);

    let property = &seal.info.property;
    checks.push(if seal.is_valid_at(at) {
        Check::passed(
            "seal.validity",
            format!(
                "{at} is within the seal's validity {} .. {}",
                property.valid_start, property.valid_end
            ),
            format!(
                "{at} 在印章有效期 {} 至 {} 内",
                property.valid_start, property.valid_end
            ),
        )
    } else {
        Check::failed(
            "seal.validity",
            format!(
                "{at} is outside the seal's validity {} .. {}",
                property.valid_start, property.valid_end
            ),
            format!(
                "{at} 不在印章有效期 {} 至 {} 内",
                property.valid_start, property.valid_end
            ),
        )
    });
    checks.push(match maker {
        Ok(cert) => validity_check(
            "seal.maker_certificate_validity",
            "maker's certificate",
            "制章者证书",
            cert,
            at,
        ),
        Err(e) => Check::failed(
            "seal.maker_certificate_validity",
            format!("the maker's certificate cannot be read: {e}"),
            format!("无法读取制章者证书：{e}"),
        ),
    });
    checks.extend(trust_checks(
        MAKER,
        maker.as_deref().ok(),
        at,
        trust,
        findings,
    ));
    checks.push(seal_revocation_check(seal, at, trust));
    if seal.time_stamp.is_some() {
        let (check, _) = time_stamp_check(
            "seal.time_stamp",
            seal.time_stamp.as_deref(),
            &seal.signed_value,
            trust,
            ("maker's signature value", "制章者签名值"),
        );
        checks.push(check);
    }
    (checks, maker_ok)
}

fn format_check(signature: &Signature) -> Check {
    let seal_version = signature.seal().version;
    let tbs_version = signature.tbs.version;
    let family_ok = match signature.version {
        Version::V1 => seal_version == Version::V1,
        Version::V4 | Version::V5 => seal_version != Version::V1,
    };
    let number_ok = match signature.version {
        Version::V1 => matches!(tbs_version, 1 | 2),
        Version::V4 => tbs_version == 4,
        Version::V5 => tbs_version == 5,
    };
    if !family_ok {
        Check::failed(
            "signature.format",
            format!(
                "a {:?} signature contains a {:?} seal",
                signature.version, seal_version
            ),
            format!(
                "{:?} 签章数据中包含 {:?} 印章",
                signature.version, seal_version
            ),
        )
    } else if !number_ok {
        Check::failed(
            "signature.format",
            format!(
                "TBS_Sign version {tbs_version} does not match the {:?} structure",
                signature.version
            ),
            format!(
                "TBS_Sign 版本号 {tbs_version} 与 {:?} 结构不符",
                signature.version
            ),
        )
    } else {
        Check::passed(
            "signature.format",
            format!(
                "{:?} signature with a {:?} seal",
                signature.version, seal_version
            ),
            format!("{:?} 签章数据，{:?} 印章", signature.version, seal_version),
        )
    }
}

fn signer_signature_check(
    signature: &Signature,
    signer: Option<&Certificate>,
    sm2_id: &[u8],
    cache: Option<&SealCache>,
    digest: Option<[u8; 32]>,
    findings: &mut Vec<Finding>,
) -> Check {
    let Some(cert) = signer else {
        return Check::failed(
            "signature.signer_signature",
            "the signer's certificate cannot be read",
            "无法读取签章者证书",
        );
    };
    verify_sm2(
        "signature.signer_signature",
        cert,
        &signature.signature_algorithm,
        &signature.signature,
        "SES_Signature.signature",
        signature.signature_offset(),
        |key| {
            if digest.is_some() {
                return digest;
            }
            let message = signature.signed_message();
            match cache {
                Some(cache) => {
                    cache.signed_digest(key, sm2_id, message, signature.seal_end_in_message())
                }
                None => message_digest(key, sm2_id, message),
            }
        },
        cache,
        findings,
        ("signer", "签章者"),
    )
}

#[allow(clippy::too_many_arguments)]
fn verify_sm2(
    name: &'static str,
    cert: &Certificate,
    algorithm: &ObjectIdentifier,
    stored_value: &[u8],
    location: &str,
    offset: usize,
    digest: impl FnOnce(&PublicKey) -> Option<[u8; 32]>,
    cache: Option<&SealCache>,
    findings: &mut Vec<Finding>,
    party: (&str, &str),
) -> Check {
    let (en, zh) = party;
    if *algorithm != OID_SM2_WITH_SM3 {
        return Check::failed(
            name,
            format!(
                "the {en}'s signature algorithm {algorithm} is not SM2-with-SM3 (1.2.156.10197.1.501)"
            ),
            format!("{zh}签名算法 {algorithm} 不是 SM2-with-SM3（1.2.156.10197.1.501）"),
        );
    }
    let key: PublicKey = match cert.public_key() {
        Ok(key) => key,
        Err(e) => {
            return Check::failed(
                name,
                format!("the {en}'s public key cannot be read: {e}"),
                format!("无法读取{zh}公钥：{e}"),
            );
        }
    };
    let value = match SignatureValue::decode(stored_value, location, offset, findings) {
        Ok(value) => value,
        Err(e) => {
            return Check::failed(
                name,
                format!("the {en}'s signature value cannot be read: {e}"),
                format!("无法读取{zh}签名值：{e}"),
            );
        }
    };
    let Some(e) = digest(&key) else {
        return Check::failed(
            name,
            "the SM2 user ID is longer than 8191 bytes",
            "SM2 用户标识长于 8191 字节",
        );
    };
    let valid = match cache {
        Some(cache) => cache.verify_digest(&key, &e, &value),
        None => key.verify_digest(&e, &value),
    };
    if valid {
        Check::passed(
            name,
            format!("the {en}'s SM2 signature is valid"),
            format!("{zh} SM2 签名有效"),
        )
    } else {
        Check::failed(
            name,
            format!("the {en}'s SM2 signature is invalid"),
            format!("{zh} SM2 签名无效"),
        )
    }
}

fn cert_list_check(list: &CertList, in_list: bool) -> Check {
    let (kind_en, kind_zh) = match list {
        CertList::Certs(_) => (count_en(list.len(), "certificate", "certificates"), "证书"),
        CertList::Digests(_) => (
            count_en(list.len(), "certificate digest", "certificate digests"),
            "证书摘要",
        ),
    };
    if in_list {
        Check::passed(
            "signature.signer_in_cert_list",
            format!("the signer's certificate is in the seal's certList ({kind_en})"),
            format!(
                "签章者证书在印章的 certList 中（{} 个{kind_zh}）",
                list.len()
            ),
        )
    } else {
        Check::failed(
            "signature.signer_in_cert_list",
            format!("the signer's certificate is not in the seal's certList ({kind_en})"),
            format!(
                "签章者证书不在印章的 certList 中（{} 个{kind_zh}）",
                list.len()
            ),
        )
    }
}

fn validity_check(name: &'static str, en: &str, zh: &str, cert: &Certificate, at: Time) -> Check {
    let (from, to) = (cert.not_before(), cert.not_after());
    if cert.is_valid_at(at) {
        Check::passed(
            name,
            format!("{at} is within the {en} validity {from} .. {to}"),
            format!("{at} 在{zh}有效期 {from} 至 {to} 内"),
        )
    } else {
        Check::failed(
            name,
            format!("{at} is outside the {en} validity {from} .. {to}"),
            format!("{at} 不在{zh}有效期 {from} 至 {to} 内"),
        )
    }
}

/// Names of a certificate's trust checks, and how messages name the certificate.
struct Party {
    chain: &'static str,
    key_usage: &'static str,
    revocation: &'static str,
    en: &'static str,
    zh: &'static str,
}

const MAKER: Party = Party {
    chain: "seal.maker_certificate_chain",
    key_usage: "seal.maker_certificate_key_usage",
    revocation: "seal.maker_certificate_revocation",
    en: "maker's certificate",
    zh: "制章者证书",
};

const SIGNER: Party = Party {
    chain: "signature.signer_certificate_chain",
    key_usage: "signature.signer_certificate_key_usage",
    revocation: "signature.signer_certificate_revocation",
    en: "signer's certificate",
    zh: "签章者证书",
};

/// The chain, key usage and revocation checks of a maker's or signer's certificate at `at`.
/// Certificates and CRLs of the path signed with an empty SM2 ID add findings.
fn trust_checks(
    party: Party,
    cert: Option<&Certificate>,
    at: Time,
    trust: Option<&TrustPolicy>,
    findings: &mut Vec<Finding>,
) -> Vec<Check> {
    let (en, zh) = (party.en, party.zh);
    let Some(policy) = trust else {
        return vec![
            Check::not_checked(
                party.chain,
                format!("the {en} chain is not checked: no trust store was given"),
                format!("未提供信任库，未检查{zh}链"),
            ),
            Check::not_checked(
                party.key_usage,
                format!("the {en} key usage is checked only with a trust store"),
                format!("未提供信任库，未检查{zh}密钥用法"),
            ),
            Check::not_checked(
                party.revocation,
                format!("the {en} revocation is not checked: no trust store was given"),
                format!("未提供信任库，未检查{zh}吊销状态"),
            ),
        ];
    };
    let Some(cert) = cert else {
        return vec![Check::failed(
            party.chain,
            format!("the {en} cannot be read"),
            format!("无法读取{zh}"),
        )];
    };
    let mut checks = Vec::new();
    let path = validate_chain(cert, at, &policy.store);
    if let Ok(path) = &path {
        for pair in path.windows(2) {
            let finding = Finding::new(
                FindingCode::Sm2EmptyUserId,
                format!("certificate {}", pair[0].subject()),
                None,
            );
            let empty_id = pair[0].signature_id(&pair[1]) == Some(CertificateSignatureId::Empty);
            if empty_id && !findings.contains(&finding) {
                findings.push(finding);
            }
        }
    }
    checks.push(match &path {
        Ok(path) => {
            let root = path.last().map(Certificate::subject).unwrap_or_default();
            Check::passed(
                party.chain,
                format!(
                    "the {en} chains to the trusted root {root} ({})",
                    count_en(path.len(), "certificate", "certificates")
                ),
                format!(
                    "{zh}可链接到受信任根证书 {root}（共 {} 个证书）",
                    path.len()
                ),
            )
        }
        Err(e) => Check::failed(
            party.chain,
            format!("the {en} does not chain to a trusted root: {e}"),
            format!("{zh}无法链接到受信任根证书：{e}"),
        ),
    });
    checks.push(match cert.key_usage() {
        Ok(Some(usage)) if usage.digital_signature() || usage.non_repudiation() => Check::passed(
            party.key_usage,
            format!("the {en} keyUsage allows digitalSignature or nonRepudiation"),
            format!("{zh}的 keyUsage 允许 digitalSignature 或 nonRepudiation"),
        ),
        Ok(Some(_)) => Check::failed(
            party.key_usage,
            format!("the {en} keyUsage allows neither digitalSignature nor nonRepudiation"),
            format!("{zh}的 keyUsage 既不允许 digitalSignature 也不允许 nonRepudiation"),
        ),
        Ok(None) => Check::failed(
            party.key_usage,
            format!("the {en} has no keyUsage extension"),
            format!("{zh}缺少 keyUsage 扩展"),
        ),
        Err(e) => Check::failed(
            party.key_usage,
            format!("the {en} {e}"),
            format!("{zh}：{e}"),
        ),
    });
    checks.push(match &path {
        Err(_) => Check::not_checked(
            party.revocation,
            format!("the {en} revocation is not checked without a path to a root"),
            format!("无证书路径，未检查{zh}吊销状态"),
        ),
        Ok(path) => {
            let states: Vec<CertRevocation> = path
                .windows(2)
                .map(|pair| revocation_of(policy, &pair[0], &pair[1], at, findings))
                .collect();
            let describe = |state: &CertRevocation| match state {
                CertRevocation::Good(text)
                | CertRevocation::Revoked(text)
                | CertRevocation::Unknown(text) => text.clone(),
            };
            if let Some(revoked) = states
                .iter()
                .find(|s| matches!(s, CertRevocation::Revoked(_)))
            {
                let text = describe(revoked);
                Check::failed(
                    party.revocation,
                    format!("a certificate of the {en} path is revoked: {text}"),
                    format!("{zh}路径中的证书已吊销：{text}"),
                )
            } else if states.iter().all(|s| matches!(s, CertRevocation::Good(_))) {
                Check::passed(
                    party.revocation,
                    format!("no certificate of the {en} path is revoked at {at}"),
                    format!("{zh}路径中的证书在 {at} 均未吊销"),
                )
            } else {
                let unknown: Vec<String> = states
                    .iter()
                    .filter(|s| matches!(s, CertRevocation::Unknown(_)))
                    .map(describe)
                    .collect();
                let text = unknown.join("; ");
                Check::not_checked(
                    party.revocation,
                    format!("the {en} revocation is not known: {text}"),
                    format!("{zh}吊销状态未知：{text}"),
                )
            }
        }
    });
    checks
}

/// Whether a seal revocation list cancelled the seal at or before `at`.
fn seal_revocation_check(seal: &Seal, at: Time, trust: Option<&TrustPolicy>) -> Check {
    const NAME: &str = "seal.revocation";
    let lists = trust
        .map(|t| t.seal_revocations.as_slice())
        .unwrap_or_default();
    if lists.is_empty() {
        return Check::not_checked(
            NAME,
            "no seal revocation list was given",
            "未提供印章注销列表",
        );
    }
    let es_id = &seal.info.es_id;
    for list in lists {
        if let Err(e) = list.verify(trust.map(|t| &t.store).filter(|s| !s.anchors().is_empty())) {
            return Check::failed(
                NAME,
                format!(
                    "the seal revocation list of {} does not verify: {e}",
                    list.issuer_name
                ),
                format!("{} 的印章注销列表验证失败：{e}", list.issuer_name),
            );
        }
        if let Some(entry) = list.revocation_of(es_id)
            && entry.revoked_at <= at
        {
            let reason = entry.reason.clone().unwrap_or_default();
            return Check::failed(
                NAME,
                format!(
                    "the seal {es_id} was cancelled at {} by {} ({reason})",
                    entry.revoked_at, list.issuer_name
                ),
                format!(
                    "印章 {es_id} 已于 {} 被 {} 注销（{reason}）",
                    entry.revoked_at, list.issuer_name
                ),
            );
        }
    }
    Check::passed(
        NAME,
        format!(
            "the seal {es_id} is not cancelled at {at} in {} list(s)",
            lists.len()
        ),
        format!("印章 {es_id} 在 {at} 未被注销（共 {} 个列表）", lists.len()),
    )
}

/// Checks a time stamp token over `covered`; returns the check and, when the authority is
/// trusted, the time it certifies.
fn time_stamp_check(
    name: &'static str,
    token: Option<&[u8]>,
    covered: &[u8],
    trust: Option<&TrustPolicy>,
    what: (&str, &str),
) -> (Check, Option<Time>) {
    let (en, zh) = what;
    let Some(token) = token else {
        return (
            Check::not_checked(
                name,
                "no time stamp; the signing time is the signer's claim",
                "无时间戳；签章时间为签章者自述时间",
            ),
            None,
        );
    };
    let parsed = match TimeStampToken::from_der(token) {
        Ok(parsed) => parsed,
        Err(e) => {
            return (
                Check::failed(
                    name,
                    format!("the time stamp is not a time stamp token: {e}"),
                    format!("时间戳不是有效的时间戳令牌：{e}"),
                ),
                None,
            );
        }
    };
    match parsed.verify(covered, trust) {
        Err(e) => (
            Check::failed(
                name,
                format!("the time stamp does not verify: {e}"),
                format!("时间戳验证失败：{e}"),
            ),
            None,
        ),
        Ok(authority) if trust.is_some() => (
            Check::passed(
                name,
                format!(
                    "{} stamped the {en} at {}; that time is used as the signing time",
                    authority.subject(),
                    parsed.gen_time
                ),
                format!(
                    "{} 于 {} 对{zh}加盖时间戳；以该时间为签章时间",
                    authority.subject(),
                    parsed.gen_time
                ),
            ),
            Some(parsed.gen_time),
        ),
        Ok(authority) => (
            Check::passed(
                name,
                format!(
                    "{} stamped the {en} at {}; without a trust store the authority is not checked, so the signing time stays the signer's claim",
                    authority.subject(),
                    parsed.gen_time
                ),
                format!(
                    "{} 于 {} 对{zh}加盖时间戳；未提供信任库，未检查时间戳机构，签章时间仍为签章者自述时间",
                    authority.subject(),
                    parsed.gen_time
                ),
            ),
            None,
        ),
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
