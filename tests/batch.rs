//! Batch verification on several threads with a shared seal cache: every report must equal
//! what `verify_signature` gives for the signature alone.

mod common;

use std::sync::Arc;

use common::{read, time, vectors};
use eseal::report::CheckStatus;
use eseal::verify::{BatchItem, BatchVerifier, SealCache, verify_signature_cached};
use eseal::{
    Certificate, PrivateKey, Seal, SealBuilder, Signature, SignatureBuilder, SignedData,
    VerifyOptions, verify_signature,
};

/// Reads each signature folder of the vectors: its name, SignedValue.dat and, where present,
/// the Signature.xml that the signature covers.
fn vector_signatures() -> Vec<(String, Vec<u8>, Option<Vec<u8>>)> {
    let folder = vectors().join("signatures");
    let mut names: Vec<String> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(names.len() >= 9, "only {} signature folders", names.len());
    names
        .into_iter()
        .map(|name| {
            let der = read(&format!("signatures/{name}/SignedValue.dat"));
            let xml = std::fs::read(folder.join(&name).join("Signature.xml")).ok();
            (name, der, xml)
        })
        .collect()
}

fn data(bytes: &Option<Vec<u8>>) -> SignedData<'_> {
    bytes
        .as_deref()
        .map_or(SignedData::Absent, SignedData::Bytes)
}

/// Verifies one signature alone and returns the report as JSON.
fn alone(der: &[u8], data: SignedData<'_>) -> String {
    let signature = Signature::from_der(der).unwrap();
    verify_signature(&signature, data, &VerifyOptions::default()).to_json_string()
}

struct MadeSignatures {
    signatures: Vec<Vec<u8>>,
    documents: Vec<Vec<u8>>,
}

/// Makes signatures with UserV4.esl and the USER key at 2021-06-01, inside the validity of the
/// seal and of both certificates, over `count` different documents.
fn made_with_user_v4(count: usize) -> MadeSignatures {
    let seal = Seal::from_der(&read("seals/UserV4.esl")).unwrap();
    let key = PrivateKey::from_pem(&read("keys/USER.key.pem")).unwrap();
    let cert = Certificate::from_pem(&read("keys/USER.cert.pem")).unwrap();
    let documents: Vec<Vec<u8>> = (0..count)
        .map(|i| format!("batch document {i}").into_bytes())
        .collect();
    let signatures = documents
        .iter()
        .map(|document| {
            SignatureBuilder::new(&seal, &key, &cert)
                .time(time("2021-06-01"))
                .sign(document)
                .unwrap()
                .as_der()
                .to_vec()
        })
        .collect();
    MadeSignatures {
        signatures,
        documents,
    }
}

#[test]
fn vector_batch_matches_single_verification() {
    let signatures = vector_signatures();
    let items: Vec<BatchItem> = signatures
        .iter()
        .map(|(_, der, xml)| BatchItem {
            signature: der,
            data: data(xml),
        })
        .collect();
    let verifier = BatchVerifier::new(VerifyOptions::default()).threads(3);
    // The second run takes every maker check from the cache.
    for run in 0..2 {
        let results = verifier.verify(&items);
        assert_eq!(results.len(), signatures.len());
        for ((name, der, xml), result) in signatures.iter().zip(&results) {
            let report = result.as_ref().unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(
                report.to_json_string(),
                alone(der, data(xml)),
                "{name}, run {run}"
            );
        }
    }
}

#[test]
fn made_batch_reports_each_failure() {
    let made_signatures = made_with_user_v4(6);
    let seal_der = Seal::from_der(&read("seals/UserV4.esl"))
        .unwrap()
        .as_der()
        .to_vec();

    // A copy of signature 0 with one byte of the seal's picture changed.
    let mut tampered_seal = made_signatures.signatures[0].clone();
    let seal_start = tampered_seal
        .windows(seal_der.len())
        .position(|window| window == seal_der.as_slice())
        .expect("the signature contains the seal's DER");
    tampered_seal[seal_start + seal_der.len() / 2] ^= 0x01;

    let wrong_document = b"not the signed document".to_vec();
    let mut items: Vec<BatchItem> = made_signatures
        .signatures
        .iter()
        .zip(&made_signatures.documents)
        .map(|(der, document)| BatchItem {
            signature: der,
            data: SignedData::Bytes(document),
        })
        .collect();
    items.push(BatchItem {
        signature: &tampered_seal,
        data: SignedData::Bytes(&made_signatures.documents[0]),
    });
    items.push(BatchItem {
        signature: &made_signatures.signatures[1],
        data: SignedData::Bytes(&wrong_document),
    });
    let truncated = &made_signatures.signatures[2][..100];
    items.push(BatchItem {
        signature: truncated,
        data: SignedData::Absent,
    });

    let cache = Arc::new(SealCache::default());
    let verifier = BatchVerifier::new(VerifyOptions::default())
        .threads(4)
        .cache(Arc::clone(&cache));
    let results = verifier.verify(&items);
    assert_eq!(results.len(), 9);

    for (i, result) in results[..6].iter().enumerate() {
        let report = result.as_ref().unwrap();
        assert!(report.valid, "signature {i}: {:?}", report.checks);
        assert_eq!(report.data_hash_valid, Some(true), "signature {i}");
    }

    let tampered = results[6].as_ref().unwrap();
    assert!(!tampered.valid);
    assert_eq!(
        tampered.check("seal.maker_signature").unwrap().status,
        CheckStatus::Failed
    );
    assert_eq!(
        tampered.check("signature.signer_signature").unwrap().status,
        CheckStatus::Failed
    );

    let wrong_data = results[7].as_ref().unwrap();
    assert!(!wrong_data.valid);
    assert_eq!(wrong_data.data_hash_valid, Some(false));
    assert_eq!(
        wrong_data.check("seal.maker_signature").unwrap().status,
        CheckStatus::Passed
    );

    assert!(
        results[8].is_err(),
        "a truncated signature is a parse error"
    );

    // UserV4.esl and its tampered copy are two distinct seals.
    assert_eq!(cache.len(), 2);

    // Without a cache, the three digests of every signature of a chunk are computed side by
    // side. Each failure must stay with its own signature, wherever it is in the chunk.
    let expected: Vec<Option<String>> = results
        .iter()
        .map(|result| result.as_ref().ok().map(|report| report.to_json_string()))
        .collect();
    for rotation in [0, 3, 8] {
        let mut rotated = items.clone();
        rotated.rotate_left(rotation);
        let uncached = BatchVerifier::new(VerifyOptions::default())
            .threads(1)
            .without_cache()
            .verify(&rotated);
        for (index, result) in uncached.iter().enumerate() {
            let original = (index + rotation) % items.len();
            let got = result.as_ref().ok().map(|report| report.to_json_string());
            assert_eq!(
                got, expected[original],
                "item {original}, rotation {rotation}"
            );
        }
    }
}

#[test]
fn thread_counts_give_equal_reports() {
    let made_signatures = made_with_user_v4(5);
    let mut signatures = vector_signatures();
    for (der, document) in made_signatures
        .signatures
        .iter()
        .zip(&made_signatures.documents)
    {
        signatures.push(("made".to_string(), der.clone(), Some(document.clone())));
    }
    let items: Vec<BatchItem> = signatures
        .iter()
        .map(|(_, der, xml)| BatchItem {
            signature: der,
            data: data(xml),
        })
        .collect();
    let json = |verifier: BatchVerifier| -> Vec<String> {
        verifier
            .verify(&items)
            .into_iter()
            .map(|result| result.unwrap().to_json_string())
            .collect()
    };
    let one_thread = json(BatchVerifier::new(VerifyOptions::default()).threads(1));
    let four_threads = json(BatchVerifier::new(VerifyOptions::default()).threads(4));
    let uncached = json(
        BatchVerifier::new(VerifyOptions::default())
            .threads(2)
            .without_cache(),
    );
    assert_eq!(one_thread, four_threads);
    assert_eq!(one_thread, uncached);
}

#[test]
fn full_cache_is_emptied_not_grown() {
    let made_signatures = made_with_user_v4(2);
    let koal = vector_signatures()
        .into_iter()
        .find(|(name, _, _)| name.starts_with("koal"))
        .expect("a koal signature vector");
    let cache = SealCache::new(1);
    let options = VerifyOptions::default();
    // UserV4 and koal seals in turn: each lookup misses and replaces the single entry.
    for round in 0..3 {
        let signature = Signature::from_der(&made_signatures.signatures[round % 2]).unwrap();
        let document = SignedData::Bytes(&made_signatures.documents[round % 2]);
        let cached = verify_signature_cached(&signature, document, &options, &cache);
        assert!(cached.valid, "round {round}");
        assert_eq!(
            cached.to_json_string(),
            alone(&made_signatures.signatures[round % 2], document)
        );
        assert_eq!(cache.len(), 1);

        let signature = Signature::from_der(&koal.1).unwrap();
        let cached = verify_signature_cached(&signature, data(&koal.2), &options, &cache);
        assert_eq!(cached.to_json_string(), alone(&koal.1, data(&koal.2)));
        assert_eq!(cache.len(), 1);
    }
}

#[test]
fn empty_batch_gives_no_results() {
    let verifier = BatchVerifier::new(VerifyOptions::default()).threads(0);
    assert_eq!(verifier.thread_count(), 1);
    assert!(verifier.verify(&[]).is_empty());
}

/// With the SM3 state after the seal cached by signature 0, a copy of signature 1 whose
/// timeInfo, after the seal in TBS_Sign, was changed must fail the signer's check, and the
/// unchanged signature 1 must pass.
#[test]
fn warm_cache_still_hashes_what_follows_the_seal() {
    let made_signatures = made_with_user_v4(2);
    let options = VerifyOptions::default();
    let cache = SealCache::default();
    let verify = |der: &[u8], document: &[u8]| {
        let signature = Signature::from_der(der).unwrap();
        verify_signature_cached(&signature, SignedData::Bytes(document), &options, &cache)
    };
    assert!(
        verify(
            &made_signatures.signatures[0],
            &made_signatures.documents[0]
        )
        .valid
    );

    let mut changed = made_signatures.signatures[1].clone();
    let time_at = changed
        .windows(8)
        .position(|window| window == b"20210601")
        .expect("timeInfo holds 20210601");
    changed[time_at + 7] = b'2';
    let report = verify(&changed, &made_signatures.documents[1]);
    assert!(!report.valid);
    assert_eq!(
        report.check("signature.signer_signature").unwrap().status,
        CheckStatus::Failed
    );
    assert_eq!(
        report.check("seal.maker_signature").unwrap().status,
        CheckStatus::Passed
    );
    assert_eq!(report.data_hash_valid, Some(true));

    let report = verify(
        &made_signatures.signatures[1],
        &made_signatures.documents[1],
    );
    assert!(report.valid, "{:?}", report.checks);
    assert_eq!(
        report.to_json_string(),
        alone(
            &made_signatures.signatures[1],
            SignedData::Bytes(&made_signatures.documents[1])
        )
    );
}

#[test]
fn distinct_seals_forgeries_after_key_tables() {
    // 24 signatures, each with a seal of its own from the SealBuilder maker, all by USER. From
    // the eighth verification of a key on, the cache verifies with the key's table. The
    // tampered signatures come after that, and a good one after them.
    let picture = Seal::from_der(&read("seals/UserV4.esl"))
        .unwrap()
        .info
        .picture;
    let maker_key = PrivateKey::from_pem(&read("keys/SealBuilder.key.pem")).unwrap();
    let maker_cert = Certificate::from_pem(&read("keys/SealBuilder.cert.pem")).unwrap();
    let key = PrivateKey::from_pem(&read("keys/USER.key.pem")).unwrap();
    let cert = Certificate::from_pem(&read("keys/USER.cert.pem")).unwrap();
    let mut signatures = Vec::new();
    let mut documents = Vec::new();
    for i in 0..24 {
        let seal = SealBuilder::new(format!("KEY-TABLE-{i:02}"), "密钥表测试章")
            .validity(time("2021-01-01"), time("2022-01-01"))
            .create_date(time("2021-01-01"))
            .picture(picture.data.clone(), picture.width, picture.height)
            .unwrap()
            .signer_certificate(&cert)
            .sign(&maker_key, &maker_cert)
            .unwrap();
        let document = format!("document {i} of an archive").into_bytes();
        let signature = SignatureBuilder::new(&seal, &key, &cert)
            .time(time("2021-06-01"))
            .sign(&document)
            .unwrap();
        signatures.push(signature.as_der().to_vec());
        documents.push(document);
    }
    // 20: the signer's signature value changed (its last byte, in s).
    let last = signatures[20].len() - 1;
    signatures[20][last] ^= 0x01;
    // 21: a byte of the seal's picture changed, which breaks both signatures.
    let middle = signatures[21].len() / 2;
    signatures[21][middle] ^= 0x01;
    // 22: another document.
    documents[22] = b"a document that was not signed".to_vec();
    // 23: untouched, verified with both tables after the failures.

    let items: Vec<BatchItem> = signatures
        .iter()
        .zip(&documents)
        .map(|(der, document)| BatchItem {
            signature: der,
            data: SignedData::Bytes(document),
        })
        .collect();
    let cache = Arc::new(SealCache::default());
    let results = BatchVerifier::new(VerifyOptions::default())
        .threads(1)
        .cache(Arc::clone(&cache))
        .verify(&items);
    assert_eq!(cache.key_tables(), 2, "the maker's and the signer's tables");

    for (index, result) in results.iter().enumerate() {
        let report = result.as_ref().unwrap();
        assert_eq!(
            report.to_json_string(),
            alone(&signatures[index], SignedData::Bytes(&documents[index])),
            "signature {index}"
        );
        assert_eq!(
            report.valid,
            !(20..23).contains(&index),
            "signature {index}"
        );
    }
    let status =
        |index: usize, name: &str| results[index].as_ref().unwrap().check(name).unwrap().status;
    assert_eq!(
        status(20, "signature.signer_signature"),
        CheckStatus::Failed
    );
    assert_eq!(status(20, "seal.maker_signature"), CheckStatus::Passed);
    assert_eq!(status(21, "seal.maker_signature"), CheckStatus::Failed);
    assert_eq!(
        status(21, "signature.signer_signature"),
        CheckStatus::Failed
    );
    assert_eq!(status(22, "signature.data_hash"), CheckStatus::Failed);
    assert_eq!(
        status(22, "signature.signer_signature"),
        CheckStatus::Passed
    );
}
