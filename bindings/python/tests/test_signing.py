"""Signing (one-shot, from a digest and streamed), verifying, and the refusals of signing."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import pytest
from conftest import (
    SIGNING_TIME,
    make_builder,
    read_cert,
    read_key,
)
from der_reader import sequence_elements

import eseal

UTC = dt.timezone.utc
DOCUMENT = "成绩单 transcript of Zhang San\n".encode() * 100
# The SM3 digest of b"abc", as OpenSSL 3.0 computes it.
SM3_ABC = bytes.fromhex("66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0")


def tbs_sign(signature: eseal.Signature) -> bytes:
    """Return TBS_Sign, the first element of the SES_Signature SEQUENCE, as DER."""
    return sequence_elements(signature.der)[0]


@pytest.fixture(scope="module")
def signature(
    seal: eseal.Seal, user_key: eseal.PrivateKey, user_cert: eseal.Certificate
) -> eseal.Signature:
    return eseal.sign(
        seal, user_key, user_cert, DOCUMENT, SIGNING_TIME, "/Doc_0/Signs/Sign_0/Signature.xml"
    )


def test_signature_valid(signature: eseal.Signature) -> None:
    report = signature.verify(DOCUMENT)

    assert report.valid, report.checks
    assert report.check("signature.data_hash").status == eseal.CheckStatus.PASSED
    assert report.check("signature.signer_signature").status == eseal.CheckStatus.PASSED
    assert report.check("signature.signer_in_cert_list").status == eseal.CheckStatus.PASSED


def test_signature_report_content(signature: eseal.Signature) -> None:
    report = signature.verify(DOCUMENT)
    parsed = report.as_dict()
    entry = parsed["signatures"][0]

    assert parsed["kind"] == "signature"
    assert parsed["valid"] is True
    assert entry["signing_time"] == "2021-06-01T00:00:00Z"
    assert entry["property_info"] == "/Doc_0/Signs/Sign_0/Signature.xml"
    assert entry["seal"]["name"] == "测试专用章"
    assert entry["data_hash_valid"] is True
    assert [check["name"] for check in entry["checks"]] == [check.name for check in report.checks]
    assert report.findings == []


def test_signature_info(signature: eseal.Signature) -> None:
    assert signature.version == 4
    assert signature.signing_time == SIGNING_TIME
    assert signature.signing_time.tzinfo is UTC
    assert signature.property_info == "/Doc_0/Signs/Sign_0/Signature.xml"


def test_signature_info_defaults(
    seal: eseal.Seal, user_key: eseal.PrivateKey, user_cert: eseal.Certificate
) -> None:
    beijing = dt.timezone(dt.timedelta(hours=8))
    signed = eseal.sign(
        seal, user_key, user_cert, DOCUMENT, dt.datetime(2021, 6, 1, 16, 0, 30, 999999, beijing)
    )

    assert signed.property_info == ""
    # Converted to UTC and rounded down to whole seconds.
    assert signed.signing_time == dt.datetime(2021, 6, 1, 8, 0, 30, tzinfo=UTC)


def test_signature_info_after_close(signature: eseal.Signature) -> None:
    copy = eseal.Signature.from_der(signature.der)
    copy.close()

    with pytest.raises(eseal.ArgumentError):
        _ = copy.version
    with pytest.raises(eseal.ArgumentError):
        _ = copy.signing_time


def test_sm3_known_digests() -> None:
    # The two examples of GB/T 32905-2016, and the empty input, as OpenSSL 3.0 computes them.
    assert eseal.sm3(b"abc") == SM3_ABC
    assert eseal.sm3(b"abcd" * 16) == bytes.fromhex(
        "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732"
    )
    assert eseal.sm3(b"") == bytes.fromhex(
        "1ab21d8355cfa17f8e61194831e81a8f22bec8c728fefb747ed035eb5082aa2b"
    )


def test_sm3_accepts_buffers() -> None:
    assert eseal.sm3(bytearray(b"abc")) == SM3_ABC
    assert eseal.sm3(memoryview(b"xabcx")[1:4]) == SM3_ABC
    assert len(eseal.sm3(DOCUMENT)) == 32
    with pytest.raises(TypeError):
        eseal.sm3("abc")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        eseal.sm3(None)  # type: ignore[arg-type]


def test_sm3_with_digest_signing(
    seal: eseal.Seal, user_key: eseal.PrivateKey, user_cert: eseal.Certificate
) -> None:
    digest = eseal.sm3(DOCUMENT)
    from_digest = eseal.sign_digest(seal, user_key, user_cert, digest, SIGNING_TIME)
    from_data = eseal.sign(seal, user_key, user_cert, DOCUMENT, SIGNING_TIME)

    assert tbs_sign(from_digest) == tbs_sign(from_data)
    assert from_data.verify_digest(digest).valid


def test_check_messages_in_both_languages(signature: eseal.Signature) -> None:
    for check in signature.verify(DOCUMENT).checks:
        assert check.message, check.name
        assert check.message_zh, check.name
        assert isinstance(check.status, eseal.CheckStatus)


def test_tampered_data_invalid(signature: eseal.Signature) -> None:
    tampered = bytearray(DOCUMENT)
    tampered[10] ^= 0x01

    report = signature.verify(bytes(tampered))

    assert not report.valid
    assert report.check("signature.data_hash").status == eseal.CheckStatus.FAILED
    failed = [check.name for check in report.checks if check.status == eseal.CheckStatus.FAILED]
    assert failed == ["signature.data_hash"]
    assert report.as_dict()["signatures"][0]["data_hash_valid"] is False


def test_empty_data_is_not_absent_data(signature: eseal.Signature) -> None:
    report = signature.verify(b"")

    assert report.check("signature.data_hash").status == eseal.CheckStatus.FAILED
    assert not report.valid


def test_absent_data_not_checked(signature: eseal.Signature) -> None:
    report = signature.verify()

    assert report.check("signature.data_hash").status == eseal.CheckStatus.NOT_CHECKED
    assert report.valid
    assert report.as_dict()["signatures"][0]["data_hash_valid"] is None


def test_signature_round_trip(signature: eseal.Signature) -> None:
    again = eseal.Signature.from_der(signature.der)

    assert again.der == signature.der
    assert again.verify(DOCUMENT).json == signature.verify(DOCUMENT).json


def test_empty_document(
    seal: eseal.Seal, user_key: eseal.PrivateKey, user_cert: eseal.Certificate
) -> None:
    signed = eseal.sign(seal, user_key, user_cert, b"", SIGNING_TIME)

    assert signed.verify(b"").valid
    assert not signed.verify(b"\0").valid


def test_property_info_default_empty(
    seal: eseal.Seal, user_key: eseal.PrivateKey, user_cert: eseal.Certificate
) -> None:
    signed = eseal.sign(seal, user_key, user_cert, DOCUMENT, SIGNING_TIME)

    assert signed.verify(DOCUMENT).as_dict()["signatures"][0]["property_info"] == ""


def test_sign_accepts_buffers(
    seal: eseal.Seal, user_key: eseal.PrivateKey, user_cert: eseal.Certificate
) -> None:
    signed = eseal.sign(seal, user_key, user_cert, bytearray(DOCUMENT), SIGNING_TIME)

    assert signed.verify(memoryview(DOCUMENT)).valid


def test_naive_signing_time_is_utc(
    seal: eseal.Seal, user_key: eseal.PrivateKey, user_cert: eseal.Certificate
) -> None:
    naive = eseal.sign(seal, user_key, user_cert, DOCUMENT, dt.datetime(2021, 6, 1, 8, 0))
    beijing = dt.timezone(dt.timedelta(hours=8))
    aware = eseal.sign(
        seal, user_key, user_cert, DOCUMENT, dt.datetime(2021, 6, 1, 16, 0, tzinfo=beijing)
    )

    assert tbs_sign(naive) == tbs_sign(aware)
    assert (
        naive.verify(DOCUMENT).as_dict()["signatures"][0]["signing_time"] == "2021-06-01T08:00:00Z"
    )


def test_sign_now_refused_for_expired_seal(
    seal: eseal.Seal, user_key: eseal.PrivateKey, user_cert: eseal.Certificate
) -> None:
    # time=None signs at the current time, after the test seal's validity ended.
    with pytest.raises(eseal.SigningError) as raised:
        eseal.sign(seal, user_key, user_cert, DOCUMENT)
    assert raised.value.code == eseal.Result.SEAL_NOT_VALID_AT_TIME


def test_streamed_signing_equals_one_shot(
    seal: eseal.Seal, user_key: eseal.PrivateKey, user_cert: eseal.Certificate
) -> None:
    one_shot = eseal.sign(seal, user_key, user_cert, DOCUMENT, SIGNING_TIME, "/doc.xml")
    with eseal.Signer(seal, user_cert, SIGNING_TIME, "/doc.xml") as signer:
        for start in range(0, len(DOCUMENT), 777):
            signer.update(DOCUMENT[start : start + 777])
        signer.update(b"")
        streamed = signer.finish(user_key)

    assert tbs_sign(streamed) == tbs_sign(one_shot)
    assert streamed.verify(DOCUMENT).valid
    assert streamed.verify(DOCUMENT).json == one_shot.verify(DOCUMENT).json


@pytest.mark.parametrize("version", [1, 4, 5])
def test_streamed_signing_each_version(
    maker_key: eseal.PrivateKey,
    maker_cert: eseal.Certificate,
    user_key: eseal.PrivateKey,
    user_cert: eseal.Certificate,
    version: int,
) -> None:
    versioned_seal = make_builder(user_cert).version(version).sign(maker_key, maker_cert)
    one_shot = eseal.sign(versioned_seal, user_key, user_cert, DOCUMENT, SIGNING_TIME)
    signer = eseal.Signer(versioned_seal, user_cert, SIGNING_TIME)
    signer.update(DOCUMENT[:1000])
    signer.update(DOCUMENT[1000:])
    streamed = signer.finish(user_key)

    assert tbs_sign(streamed) == tbs_sign(one_shot)
    assert streamed.verify(DOCUMENT).valid
    assert streamed.verify(DOCUMENT).as_dict()["signatures"][0]["version"] == version
    assert streamed.version == version
    assert one_shot.version == version


def test_signature_json_matches_cli(signature: eseal.Signature, cli: Path, tmp_path: Path) -> None:
    signed_value = tmp_path / "SignedValue.dat"
    data = tmp_path / "document.txt"
    signed_value.write_bytes(signature.der)
    data.write_bytes(DOCUMENT)

    for data_argument, report in (
        (["--data", str(data)], signature.verify(DOCUMENT)),
        ([], signature.verify()),
    ):
        completed = subprocess.run(
            [str(cli), "verify", str(signed_value), *data_argument, "--json"],
            capture_output=True,
            timeout=60,
        )
        assert completed.returncode == 0, completed.stderr
        assert report.json.encode("utf-8") + b"\n" == completed.stdout


def test_streamed_signing_no_chunks(
    seal: eseal.Seal, user_key: eseal.PrivateKey, user_cert: eseal.Certificate
) -> None:
    signer = eseal.Signer(seal, user_cert, SIGNING_TIME)
    streamed = signer.finish(user_key)
    one_shot = eseal.sign(seal, user_key, user_cert, b"", SIGNING_TIME)

    assert tbs_sign(streamed) == tbs_sign(one_shot)
    signer.close()


def test_streamed_signing_different_data_differs(
    seal: eseal.Seal, user_key: eseal.PrivateKey, user_cert: eseal.Certificate
) -> None:
    signer = eseal.Signer(seal, user_cert, SIGNING_TIME)
    signer.update(DOCUMENT[:-1])
    streamed = signer.finish(user_key)

    assert not streamed.verify(DOCUMENT).valid
    assert streamed.verify(DOCUMENT[:-1]).valid


def test_signer_finishes_once(
    seal: eseal.Seal, user_key: eseal.PrivateKey, user_cert: eseal.Certificate
) -> None:
    signer = eseal.Signer(seal, user_cert, SIGNING_TIME)
    signer.update(b"abc")
    signer.finish(user_key)

    with pytest.raises(eseal.ArgumentError) as raised:
        signer.update(b"more")
    assert raised.value.code == 101
    with pytest.raises(eseal.ArgumentError) as raised:
        signer.finish(user_key)
    assert raised.value.code == 101


def test_signer_finishes_once_after_refusal(
    seal: eseal.Seal,
    maker_key: eseal.PrivateKey,
    user_cert: eseal.Certificate,
    user_key: eseal.PrivateKey,
) -> None:
    signer = eseal.Signer(seal, user_cert, SIGNING_TIME)
    with pytest.raises(eseal.SigningError) as raised:
        signer.finish(maker_key)
    assert raised.value.code == 504

    with pytest.raises(eseal.ArgumentError):
        signer.finish(user_key)


def test_signer_copies_seal_and_certificate(
    maker_key: eseal.PrivateKey,
    maker_cert: eseal.Certificate,
    user_key: eseal.PrivateKey,
    user_cert: eseal.Certificate,
) -> None:
    own_seal = make_builder(user_cert).sign(maker_key, maker_cert)
    signer = eseal.Signer(own_seal, user_cert, SIGNING_TIME)
    own_seal.close()
    signer.update(DOCUMENT)

    assert signer.finish(user_key).verify(DOCUMENT).valid


def test_sign_digest(
    seal: eseal.Seal, user_key: eseal.PrivateKey, user_cert: eseal.Certificate
) -> None:
    from_digest = eseal.sign_digest(seal, user_key, user_cert, SM3_ABC, SIGNING_TIME)
    from_data = eseal.sign(seal, user_key, user_cert, b"abc", SIGNING_TIME)

    assert tbs_sign(from_digest) == tbs_sign(from_data)
    assert from_digest.verify(b"abc").valid


def test_verify_digest(
    seal: eseal.Seal,
    user_key: eseal.PrivateKey,
    user_cert: eseal.Certificate,
) -> None:
    signed = eseal.sign(seal, user_key, user_cert, b"abc", SIGNING_TIME)

    assert signed.verify_digest(SM3_ABC).valid
    assert signed.verify_digest(bytearray(SM3_ABC)).json == signed.verify(b"abc").json
    wrong = signed.verify_digest(bytes(32))
    assert wrong.check("signature.data_hash").status == eseal.CheckStatus.FAILED


@pytest.mark.parametrize("length", [0, 1, 31, 33, 64])
def test_digest_length_checked(
    signature: eseal.Signature,
    seal: eseal.Seal,
    user_key: eseal.PrivateKey,
    user_cert: eseal.Certificate,
    length: int,
) -> None:
    with pytest.raises(eseal.ArgumentError) as raised:
        signature.verify_digest(bytes(length))
    assert raised.value.code == 101
    with pytest.raises(eseal.ArgumentError):
        eseal.sign_digest(seal, user_key, user_cert, bytes(length), SIGNING_TIME)


def test_sign_wrong_key_refused(
    seal: eseal.Seal, maker_key: eseal.PrivateKey, user_cert: eseal.Certificate
) -> None:
    with pytest.raises(eseal.SigningError) as raised:
        eseal.sign(seal, maker_key, user_cert, DOCUMENT, SIGNING_TIME)

    assert raised.value.code == 504
    assert raised.value.result is eseal.Result.KEY_CERTIFICATE_MISMATCH
    assert raised.value.message == eseal.result_message(504)
    assert raised.value.detail
    assert raised.value.detail in str(raised.value)


def test_sign_signer_not_in_cert_list(
    seal: eseal.Seal, maker_key: eseal.PrivateKey, maker_cert: eseal.Certificate
) -> None:
    with pytest.raises(eseal.SigningError) as raised:
        eseal.sign(seal, maker_key, maker_cert, DOCUMENT, SIGNING_TIME)
    assert raised.value.code == 502


def test_sign_other_pki_not_in_cert_list(seal: eseal.Seal, vectors: Path) -> None:
    key = read_key(vectors, "sign_key.pem")
    cert = read_cert(vectors, "sign_cert.pem")
    with pytest.raises(eseal.SigningError) as raised:
        eseal.sign(seal, key, cert, DOCUMENT, dt.datetime(2021, 8, 1, tzinfo=UTC))
    assert raised.value.code == 502


@pytest.mark.parametrize(
    "when",
    [
        dt.datetime(2020, 12, 31, 23, 59, 59, tzinfo=UTC),
        dt.datetime(2022, 1, 1, 0, 0, 1, tzinfo=UTC),
    ],
)
def test_sign_outside_seal_validity(
    seal: eseal.Seal, user_key: eseal.PrivateKey, user_cert: eseal.Certificate, when: dt.datetime
) -> None:
    with pytest.raises(eseal.SigningError) as raised:
        eseal.sign(seal, user_key, user_cert, DOCUMENT, when)
    assert raised.value.code == 501


@pytest.fixture(scope="module")
def long_seal(
    maker_key: eseal.PrivateKey, maker_cert: eseal.Certificate, user_cert: eseal.Certificate
) -> eseal.Seal:
    """A seal valid from 2019 to 2023, longer than the certificates it relies on."""
    return (
        make_builder(user_cert)
        .validity(dt.datetime(2019, 1, 1), dt.datetime(2023, 1, 1))
        .sign(maker_key, maker_cert)
    )


@pytest.mark.parametrize(
    "when", [dt.datetime(2019, 6, 1, tzinfo=UTC), dt.datetime(2022, 6, 1, tzinfo=UTC)]
)
def test_sign_maker_certificate_not_valid(
    long_seal: eseal.Seal,
    user_key: eseal.PrivateKey,
    user_cert: eseal.Certificate,
    when: dt.datetime,
) -> None:
    # SealBuilder.cert.pem is valid from 2020-04-21T14:39:38Z to 2022-04-21T14:39:38Z.
    with pytest.raises(eseal.SigningError) as raised:
        eseal.sign(long_seal, user_key, user_cert, DOCUMENT, when)
    assert raised.value.code == eseal.Result.MAKER_CERTIFICATE_NOT_VALID_AT_TIME


def test_sign_signer_certificate_not_valid(
    long_seal: eseal.Seal, user_key: eseal.PrivateKey, user_cert: eseal.Certificate
) -> None:
    # USER.cert.pem ends at 14:39:08, 30 seconds before the maker's certificate.
    when = dt.datetime(2022, 4, 21, 14, 39, 20, tzinfo=UTC)
    assert user_cert.not_after < when

    with pytest.raises(eseal.SigningError) as raised:
        eseal.sign(long_seal, user_key, user_cert, DOCUMENT, when)
    assert raised.value.code == eseal.Result.SIGNER_CERTIFICATE_NOT_VALID_AT_TIME


def test_sign_last_valid_second(
    long_seal: eseal.Seal, user_key: eseal.PrivateKey, user_cert: eseal.Certificate
) -> None:
    signed = eseal.sign(long_seal, user_key, user_cert, DOCUMENT, user_cert.not_after)

    assert signed.verify(DOCUMENT).valid


def test_sign_seal_with_invalid_maker_signature(
    vectors: Path, user_key: eseal.PrivateKey, user_cert: eseal.Certificate
) -> None:
    broken = eseal.Seal.from_der((vectors / "seals" / "hebeigede-v4.esl").read_bytes())
    with pytest.raises(eseal.SigningError) as raised:
        eseal.sign(broken, user_key, user_cert, DOCUMENT, dt.datetime(2024, 1, 1, tzinfo=UTC))
    assert raised.value.code == eseal.Result.SEAL_SIGNATURE_INVALID


def test_sign_vector_seal(
    vectors: Path, user_key: eseal.PrivateKey, user_cert: eseal.Certificate
) -> None:
    # UserV4.esl authorises USER.cert.pem. Sign inside its validity and the certificates'.
    vector_seal = eseal.Seal.from_der((vectors / "seals" / "UserV4.esl").read_bytes())
    report = vector_seal.verify(SIGNING_TIME)
    if report.check("seal.validity").status != eseal.CheckStatus.PASSED:
        pytest.fail(
            f"UserV4.esl is not valid at {SIGNING_TIME}: {report.check('seal.validity').message}"
        )

    signed = eseal.sign(vector_seal, user_key, user_cert, DOCUMENT, SIGNING_TIME)
    assert signed.verify(DOCUMENT).valid


def test_sign_time_arguments(
    seal: eseal.Seal, user_key: eseal.PrivateKey, user_cert: eseal.Certificate
) -> None:
    # One second before 1970 would be -1, which the C ABI reads as "now".
    with pytest.raises(eseal.ArgumentError) as raised:
        eseal.sign(seal, user_key, user_cert, DOCUMENT, dt.datetime(1969, 12, 31, 23, 59, 59))
    assert raised.value.code == 101
    with pytest.raises(eseal.ArgumentError):
        eseal.Signer(seal, user_cert, dt.datetime(1900, 1, 1))
    with pytest.raises(TypeError):
        eseal.sign(seal, user_key, user_cert, DOCUMENT, 1622505600)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        eseal.sign(seal, user_key, user_cert, DOCUMENT, "2021-06-01")  # type: ignore[arg-type]


def test_sign_none_arguments(
    seal: eseal.Seal, user_key: eseal.PrivateKey, user_cert: eseal.Certificate
) -> None:
    with pytest.raises(TypeError):
        eseal.sign(None, user_key, user_cert, DOCUMENT, SIGNING_TIME)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        eseal.sign(seal, None, user_cert, DOCUMENT, SIGNING_TIME)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        eseal.sign(seal, user_key, None, DOCUMENT, SIGNING_TIME)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        eseal.sign(seal, user_key, user_cert, None, SIGNING_TIME)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        eseal.sign(seal, user_key, user_cert, "text", SIGNING_TIME)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        eseal.sign(user_cert, user_key, seal, DOCUMENT, SIGNING_TIME)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        eseal.Signer(seal, None)  # type: ignore[arg-type]
    signer = eseal.Signer(seal, user_cert, SIGNING_TIME)
    with pytest.raises(TypeError):
        signer.update(None)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        signer.finish(None)  # type: ignore[arg-type]


def test_sign_property_info_arguments(
    seal: eseal.Seal, user_key: eseal.PrivateKey, user_cert: eseal.Certificate
) -> None:
    with pytest.raises(eseal.ArgumentError):
        eseal.sign(seal, user_key, user_cert, DOCUMENT, SIGNING_TIME, "a\0b")
    with pytest.raises(TypeError):
        eseal.sign(seal, user_key, user_cert, DOCUMENT, SIGNING_TIME, b"/doc.xml")  # type: ignore[arg-type]

    # propertyInfo is an IA5String, so non-ASCII text cannot be encoded.
    with pytest.raises(eseal.EncodeError) as raised:
        eseal.sign(seal, user_key, user_cert, DOCUMENT, SIGNING_TIME, "/文档/签章.xml")
    assert raised.value.code == 401


@pytest.mark.parametrize(
    "data", [b"", b"\x00", b"not der at all", b"\x30\x80\x00\x00", b"\x30\x03\x02\x01\x04"]
)
def test_signature_invalid_bytes(data: bytes) -> None:
    with pytest.raises(eseal.ParseError) as raised:
        eseal.Signature.from_der(data)
    assert raised.value.code == 200


def test_signature_truncated(signature: eseal.Signature) -> None:
    der = signature.der
    for cut in (2, 100, len(der) // 2, len(der) - 1):
        with pytest.raises(eseal.ParseError):
            eseal.Signature.from_der(der[:cut])


def test_signature_from_seal_bytes(seal: eseal.Seal) -> None:
    with pytest.raises(eseal.ParseError):
        eseal.Signature.from_der(seal.der)


def test_signature_changed_tbs(signature: eseal.Signature) -> None:
    # Same length, so the DER still parses, but the signer's signature no longer matches.
    der = signature.der
    assert der.count(b"Sign_0") == 1
    damaged = eseal.Signature.from_der(der.replace(b"Sign_0", b"Sign_1"))

    report = damaged.verify(DOCUMENT)

    assert not report.valid
    assert report.check("signature.signer_signature").status == eseal.CheckStatus.FAILED
    assert report.check("signature.data_hash").status == eseal.CheckStatus.PASSED


def test_verify_wrong_data_types(signature: eseal.Signature) -> None:
    with pytest.raises(TypeError):
        signature.verify("text")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        signature.verify(12)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        signature.verify_digest(None)  # type: ignore[arg-type]


def test_verifier_matches_uncached_reports(
    seal: eseal.Seal, user_key: eseal.PrivateKey, user_cert: eseal.Certificate
) -> None:
    # Twenty signatures by one signer: from the eighth verification on, the verifier checks the
    # signer's signature with the key's table. Every report must equal Signature.verify()'s.
    verifier = eseal.Verifier()
    no_roots = eseal.TrustPolicy()
    for index in range(20):
        document = f"document {index} of the archive".encode()
        signature = eseal.sign(seal, user_key, user_cert, document, SIGNING_TIME, "archive.txt")
        report = verifier.verify(signature, document)
        assert report.valid
        assert report.json == signature.verify(document).json
        assert verifier.verify_digest(signature, eseal.sm3(document)).valid
        assert verifier.verify(signature).check("signature.data_hash").status == (
            eseal.CheckStatus.NOT_CHECKED
        )

        changed = verifier.verify(signature, document + b" ")
        assert not changed.valid
        assert changed.check("signature.data_hash").status == eseal.CheckStatus.FAILED

        chained = verifier.verify(signature, document, trust=no_roots)
        assert not chained.valid
        assert chained.check("signature.signer_certificate_chain").status == (
            eseal.CheckStatus.FAILED
        )

        der = bytearray(signature.der)
        der[-1] ^= 0x01
        forged = verifier.verify(eseal.Signature.from_der(bytes(der)), document)
        assert not forged.valid
        assert forged.check("signature.signer_signature").status == eseal.CheckStatus.FAILED

    with pytest.raises(TypeError):
        verifier.verify(b"not a signature", b"")  # type: ignore[arg-type]
    with pytest.raises(eseal.ArgumentError):
        verifier.verify_digest(signature, b"short")
    verifier.close()
    with pytest.raises(eseal.ArgumentError):
        verifier.verify(signature, document)


def test_verifier_close_waits_for_threads(
    seal: eseal.Seal, user_key: eseal.PrivateKey, user_cert: eseal.Certificate
) -> None:
    import threading

    document = b"shared by threads"
    signature = eseal.sign(seal, user_key, user_cert, document, SIGNING_TIME, "shared.txt")
    verifier = eseal.Verifier()
    outcomes: list[str] = []

    def work() -> None:
        for _ in range(200):
            try:
                report = verifier.verify(signature, document)
            except eseal.ArgumentError:
                outcomes.append("closed")
                return
            outcomes.append("valid" if report.valid else "invalid")

    threads = [threading.Thread(target=work) for _ in range(3)]
    for thread in threads:
        thread.start()
    verifier.close()
    for thread in threads:
        thread.join()
    assert "invalid" not in outcomes
    assert verifier.closed
