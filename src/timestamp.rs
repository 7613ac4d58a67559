//! Time stamp tokens (GB/T 20520, the RFC 3161 profile with SM2 and SM3).
//!
//! A token is a CMS SignedData whose content is a TSTInfo. eseal checks that the TSTInfo's
//! messageImprint is the SM3 digest of the bytes it should cover (the signature value), that
//! the signed attributes' messageDigest is the SM3 digest of the TSTInfo as stored, and that the
//! time stamp authority's SM2 signature over the signed attributes verifies. The authority's
//! certificate comes from the token or the trust store; with a trust policy it must chain to a
//! root, and only then is genTime used as the trusted signing time.

use der::asn1::ObjectIdentifier;

use crate::asn1::reader::{Reader, Tlv};
use crate::asn1::{self, Ctx, OID_SM2_WITH_SM3, OID_SM3, sequence};
use crate::cert::Certificate;
use crate::crypto::{DEFAULT_SM2_ID, PrivateKey, SignatureValue, sm3};
use crate::error::{Error, ParseError, ParseErrorKind, Result};
use crate::seal::encode::{integer, octets, oid};
use crate::time::Time;
use crate::trust::{TrustPolicy, validate_chain};

const ID_SIGNED_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.2");
/// GM/T 0010 names SignedData with its own OID.
const ID_SM2_SIGNED_DATA: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.156.10197.6.1.4.2.2");
const ID_CT_TST_INFO: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.16.1.4");
const ID_CONTENT_TYPE: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.3");
const ID_MESSAGE_DIGEST: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.4");
/// The SM2 signature OID that GM/T 0010 also uses in SignerInfo.
const ID_SM2_SIGN: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.156.10197.1.301.1");
/// The policy OID eseal's test authority writes (an arc under eseal's own test space).
const TEST_POLICY: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.156.10197.1.999.1");

const STRUCTURE: &str = "TimeStampToken";

/// A decoded time stamp token, keeping the stored bytes of its signed parts.
#[derive(Debug, Clone)]
pub struct TimeStampToken {
    /// The time the authority certifies.
    pub gen_time: Time,
    /// TSTInfo serialNumber, hexadecimal.
    pub serial: String,
    imprint_algorithm: ObjectIdentifier,
    imprint: Vec<u8>,
    tst_info: Vec<u8>,
    certificates: Vec<Certificate>,
    signer_issuer: Vec<u8>,
    signer_serial: Vec<u8>,
    signed_attrs: Vec<u8>,
    message_digest: Option<Vec<u8>>,
    signature_algorithm: ObjectIdentifier,
    signature: Vec<u8>,
}

impl TimeStampToken {
    /// Decodes a DER TimeStampToken (a ContentInfo holding SignedData).
    pub fn from_der(der: &[u8]) -> Result<Self> {
        Ok(decode(der)?)
    }

    /// Checks the token against the bytes it should cover and returns the authority's
    /// certificate. `trust` adds the check that the certificate chains to a root at genTime.
    pub fn verify(
        &self,
        covered: &[u8],
        trust: Option<&TrustPolicy>,
    ) -> std::result::Result<Certificate, String> {
        if self.imprint_algorithm != OID_SM3 {
            return Err(format!(
                "the messageImprint uses {}, not SM3",
                self.imprint_algorithm
            ));
        }
        if self.imprint != sm3(covered) {
            return Err("the messageImprint is not the SM3 digest of the signature value".into());
        }
        if self.message_digest.as_deref() != Some(sm3(&self.tst_info).as_slice()) {
            return Err("the messageDigest attribute is not the SM3 digest of the TSTInfo".into());
        }
        if self.signature_algorithm != OID_SM2_WITH_SM3 && self.signature_algorithm != ID_SM2_SIGN {
            return Err(format!(
                "the authority's signature algorithm {} is not SM2",
                self.signature_algorithm
            ));
        }
        let mut candidates = self.certificates.iter().chain(
            trust
                .into_iter()
                .flat_map(|t| t.store.anchors().iter().chain(t.store.intermediates())),
        );
        let cert = candidates
            .find(|c| {
                c.issuer_der() == self.signer_issuer.as_slice()
                    && c.x509().tbs_certificate().serial_number().as_bytes()
                        == self.signer_serial.as_slice()
            })
            .ok_or("the time stamp authority's certificate is missing")?
            .clone();
        let mut findings = Vec::new();
        let value =
            SignatureValue::decode(&self.signature, "SignerInfo.signature", 0, &mut findings)?;
        // The signature covers the signed attributes with the SET OF tag instead of [0].
        let mut signed = self.signed_attrs.clone();
        signed[0] = 0x31;
        let key = cert.public_key().map_err(|e| e.to_string())?;
        if !key.verify(DEFAULT_SM2_ID, &signed, &value) {
            return Err("the time stamp authority's SM2 signature is invalid".into());
        }
        if !cert.is_valid_at(self.gen_time) {
            return Err(format!(
                "the time stamp authority's certificate is not valid at {}",
                self.gen_time
            ));
        }
        if let Some(policy) = trust {
            validate_chain(&cert, self.gen_time, &policy.store)
                .map_err(|e| format!("the time stamp authority is not trusted: {e}"))?;
        }
        Ok(cert)
    }
}

fn decode(der: &[u8]) -> std::result::Result<TimeStampToken, ParseError> {
    let mut findings = Vec::new();
    let mut ctx = Ctx {
        findings: &mut findings,
    };
    let mut top = Reader::new(der, STRUCTURE);
    let content_info = top.read(asn1::TAG_SEQUENCE, "")?;
    top.finish("")?;
    let mut fields = content_info.reader("ContentInfo", 0)?;
    let content_type = fields.read(asn1::TAG_OID, "contentType")?;
    let kind = asn1::oid(&content_type, "ContentInfo", "contentType")?;
    if kind != ID_SIGNED_DATA && kind != ID_SM2_SIGNED_DATA {
        return Err(content_type.invalid(
            "ContentInfo",
            "contentType",
            format!("{kind} is not SignedData"),
        ));
    }
    let explicit = fields.read(asn1::TAG_CONTEXT_0, "content")?;
    let signed_data = explicit
        .reader("ContentInfo", fields.depth())?
        .read(asn1::TAG_SEQUENCE, "content")?;
    let mut data = signed_data.reader("SignedData", fields.depth() + 1)?;
    data.read(asn1::TAG_INTEGER, "version")?;
    data.read(0x31, "digestAlgorithms")?;
    let encap = data.read(asn1::TAG_SEQUENCE, "encapContentInfo")?;
    let mut encap_fields = encap.reader("EncapsulatedContentInfo", data.depth())?;
    let econtent_type = encap_fields.read(asn1::TAG_OID, "eContentType")?;
    if asn1::oid(&econtent_type, "EncapsulatedContentInfo", "eContentType")? != ID_CT_TST_INFO {
        return Err(econtent_type.invalid(
            "EncapsulatedContentInfo",
            "eContentType",
            "not TSTInfo",
        ));
    }
    let econtent = encap_fields.read(asn1::TAG_CONTEXT_0, "eContent")?;
    let tst_octets = econtent
        .reader("EncapsulatedContentInfo", encap_fields.depth())?
        .read(asn1::TAG_OCTET_STRING, "eContent")?;
    let tst_info = tst_octets.value.to_vec();

    let mut certificates = Vec::new();
    if data.peek_tag() == Some(asn1::TAG_CONTEXT_0) {
        let certs = data.read(asn1::TAG_CONTEXT_0, "certificates")?;
        let mut list = certs.reader("certificates", data.depth())?;
        while !list.is_empty() {
            let cert = list.read_any("certificate")?;
            if let Ok(parsed) = Certificate::from_der(cert.raw) {
                certificates.push(parsed);
            }
        }
    }
    if data.peek_tag() == Some(0xa1) {
        data.read(0xa1, "crls")?;
    }
    let infos = data.read(0x31, "signerInfos")?;
    let mut info_list = infos.reader("signerInfos", data.depth())?;
    let info = info_list.read(asn1::TAG_SEQUENCE, "SignerInfo")?;
    let mut signer = info.reader("SignerInfo", info_list.depth())?;
    signer.read(asn1::TAG_INTEGER, "version")?;
    let sid = signer.read(asn1::TAG_SEQUENCE, "sid")?;
    let mut sid_fields = sid.reader("IssuerAndSerialNumber", signer.depth())?;
    let issuer = sid_fields.read(asn1::TAG_SEQUENCE, "issuer")?;
    let serial = sid_fields.read(asn1::TAG_INTEGER, "serialNumber")?;
    signer.read(asn1::TAG_SEQUENCE, "digestAlgorithm")?;
    let attrs = signer.read(asn1::TAG_CONTEXT_0, "signedAttrs")?;
    let message_digest = find_message_digest(&attrs, signer.depth())?;
    let algorithm = signer.read(asn1::TAG_SEQUENCE, "signatureAlgorithm")?;
    let algorithm_oid = {
        let mut parts = algorithm.reader("AlgorithmIdentifier", signer.depth())?;
        let id = parts.read(asn1::TAG_OID, "algorithm")?;
        asn1::oid(&id, "AlgorithmIdentifier", "algorithm")?
    };
    let signature = signer.read(asn1::TAG_OCTET_STRING, "signature")?;

    let (gen_time, serial_hex, imprint_algorithm, imprint) = decode_tst_info(&tst_info, &mut ctx)?;
    Ok(TimeStampToken {
        gen_time,
        serial: serial_hex,
        imprint_algorithm,
        imprint,
        tst_info,
        certificates,
        signer_issuer: issuer.raw.to_vec(),
        signer_serial: serial.value.to_vec(),
        signed_attrs: attrs.raw.to_vec(),
        message_digest,
        signature_algorithm: algorithm_oid,
        signature: signature.value.to_vec(),
    })
}

fn find_message_digest(
    attrs: &Tlv<'_>,
    depth: u8,
) -> std::result::Result<Option<Vec<u8>>, ParseError> {
    let mut list = attrs.reader("signedAttrs", depth)?;
    let mut digest = None;
    while !list.is_empty() {
        let attribute = list.read(asn1::TAG_SEQUENCE, "Attribute")?;
        let mut parts = attribute.reader("Attribute", list.depth())?;
        let id_tlv = parts.read(asn1::TAG_OID, "attrType")?;
        let id = asn1::oid(&id_tlv, "Attribute", "attrType")?;
        let values = parts.read(0x31, "attrValues")?;
        if id == ID_MESSAGE_DIGEST {
            let value = values
                .reader("attrValues", parts.depth())?
                .read(asn1::TAG_OCTET_STRING, "messageDigest")?;
            digest = Some(value.value.to_vec());
        }
    }
    Ok(digest)
}

fn decode_tst_info(
    der: &[u8],
    ctx: &mut Ctx<'_>,
) -> std::result::Result<(Time, String, ObjectIdentifier, Vec<u8>), ParseError> {
    let mut top = Reader::new(der, "TSTInfo");
    let info = top.read(asn1::TAG_SEQUENCE, "")?;
    let mut fields = info.reader("TSTInfo", 0)?;
    fields.read(asn1::TAG_INTEGER, "version")?;
    fields.read(asn1::TAG_OID, "policy")?;
    let imprint = fields.read(asn1::TAG_SEQUENCE, "messageImprint")?;
    let mut imprint_fields = imprint.reader("MessageImprint", fields.depth())?;
    let algorithm = imprint_fields.read(asn1::TAG_SEQUENCE, "hashAlgorithm")?;
    let algorithm_oid = {
        let mut parts = algorithm.reader("AlgorithmIdentifier", imprint_fields.depth())?;
        let id = parts.read(asn1::TAG_OID, "algorithm")?;
        asn1::oid(&id, "AlgorithmIdentifier", "algorithm")?
    };
    let hashed = imprint_fields.read(asn1::TAG_OCTET_STRING, "hashedMessage")?;
    let serial = fields.read(asn1::TAG_INTEGER, "serialNumber")?;
    let time = fields.read_any("genTime")?;
    if time.tag != 0x18 {
        return Err(time.error(
            "TSTInfo",
            "genTime",
            ParseErrorKind::UnexpectedTag {
                expected: 0x18,
                found: time.tag,
            },
        ));
    }
    let (gen_time, _) = Time::decode(&time, "TSTInfo", "genTime", ctx.findings)?;
    let serial_hex = serial.value.iter().map(|b| format!("{b:02X}")).collect();
    Ok((gen_time, serial_hex, algorithm_oid, hashed.value.to_vec()))
}

/// A time stamp authority that signs tokens with SM2, for tests and for applications that run
/// their own authority.
#[derive(Debug)]
pub struct TimeStampAuthority<'a> {
    cert: &'a Certificate,
    key: &'a PrivateKey,
}

impl<'a> TimeStampAuthority<'a> {
    /// An authority with its certificate and key.
    pub fn new(cert: &'a Certificate, key: &'a PrivateKey) -> Self {
        Self { cert, key }
    }

    /// Makes a token over `covered` (its SM3 digest is the messageImprint) at `gen_time`.
    pub fn stamp(&self, covered: &[u8], gen_time: Time, serial: u64) -> Result<Vec<u8>> {
        if self.cert.public_key()? != *self.key.public_key() {
            return Err(Error::SigningRefused(
                crate::error::RefusalReason::KeyCertificateMismatch,
            ));
        }
        let sm3_algorithm = sequence(&oid(&OID_SM3, "hashAlgorithm")?);
        let mut imprint = sm3_algorithm.clone();
        imprint.extend(octets(&sm3(covered), "hashedMessage")?);
        let mut tst = integer(1, "version")?;
        tst.extend(oid(&TEST_POLICY, "policy")?);
        tst.extend(sequence(&imprint));
        tst.extend(integer(
            i64::try_from(serial & 0x7fff_ffff_ffff_ffff).unwrap_or(1),
            "serialNumber",
        )?);
        tst.extend(crate::seal::encode::encode_time(
            gen_time,
            crate::seal::Version::V4,
            "genTime",
        )?);
        let tst_info = sequence(&tst);

        let mut content_type = oid(&ID_CONTENT_TYPE, "attrType")?;
        content_type.extend(set(&oid(&ID_CT_TST_INFO, "contentType")?));
        let mut digest = oid(&ID_MESSAGE_DIGEST, "attrType")?;
        digest.extend(set(&octets(&sm3(&tst_info), "messageDigest")?));
        let attributes = [sequence(&content_type), sequence(&digest)].concat();
        let mut for_signing = set(&attributes);
        let signature = self.key.sign(DEFAULT_SM2_ID, &for_signing)?.to_der();
        for_signing[0] = 0xa0;

        let mut sid = self.cert.issuer_der().to_vec();
        let serial_bytes = self
            .cert
            .x509()
            .tbs_certificate()
            .serial_number()
            .as_bytes();
        let mut serial_tlv = vec![asn1::TAG_INTEGER];
        asn1::push_length(&mut serial_tlv, serial_bytes.len());
        serial_tlv.extend(serial_bytes);
        sid.extend(serial_tlv);

        let mut signer_info = integer(1, "version")?;
        signer_info.extend(sequence(&sid));
        signer_info.extend(&sm3_algorithm);
        signer_info.extend(for_signing);
        signer_info.extend(sequence(&oid(&OID_SM2_WITH_SM3, "signatureAlgorithm")?));
        signer_info.extend(octets(&signature, "signature")?);

        let mut encap = oid(&ID_CT_TST_INFO, "eContentType")?;
        encap.extend(tagged(0xa0, &octets(&tst_info, "eContent")?));
        let mut signed_data = integer(3, "version")?;
        signed_data.extend(set(&sm3_algorithm));
        signed_data.extend(sequence(&encap));
        signed_data.extend(tagged(0xa0, self.cert.as_der()));
        signed_data.extend(set(&sequence(&signer_info)));

        let mut content_info = oid(&ID_SIGNED_DATA, "contentType")?;
        content_info.extend(tagged(0xa0, &sequence(&signed_data)));
        Ok(sequence(&content_info))
    }
}

fn set(contents: &[u8]) -> Vec<u8> {
    tagged(0x31, contents)
}

fn tagged(tag: u8, contents: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    asn1::push_length(&mut out, contents.len());
    out.extend_from_slice(contents);
    out
}
