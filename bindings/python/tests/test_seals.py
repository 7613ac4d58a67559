"""Seals: making them with SealBuilder, reading the real-world seal files, verifying them."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import pytest
from conftest import (
    SEAL_VALID_FROM,
    SEAL_VALID_TO,
    SIGNING_TIME,
    SVG_PICTURE,
    make_builder,
    read_cert,
    read_key,
)

import eseal

UTC = dt.timezone.utc
BEIJING = dt.timezone(dt.timedelta(hours=8))


def test_built_seal_properties(seal: eseal.Seal) -> None:
    assert seal.version == 4
    assert seal.es_id == "11010000000001"
    assert seal.name == "测试专用章"


def test_built_seal_valid_in_validity(seal: eseal.Seal) -> None:
    report = seal.verify(SIGNING_TIME)

    assert report.valid
    assert report.check("seal.maker_signature").status == eseal.CheckStatus.PASSED
    assert report.check("seal.validity").status == eseal.CheckStatus.PASSED


def test_built_seal_invalid_after_validity(seal: eseal.Seal) -> None:
    report = seal.verify(dt.datetime(2023, 1, 1, tzinfo=UTC))

    assert not report.valid
    assert report.check("seal.validity").status == eseal.CheckStatus.FAILED
    assert report.check("seal.maker_signature").status == eseal.CheckStatus.PASSED


def test_built_seal_invalid_now(seal: eseal.Seal) -> None:
    # The test certificates expired in 2022, so "now" is outside every validity.
    report = seal.verify()

    assert not report.valid
    assert report.check("seal.validity").status == eseal.CheckStatus.FAILED


def test_built_seal_round_trip(seal: eseal.Seal) -> None:
    again = eseal.Seal.from_der(seal.der)

    assert again.der == seal.der
    assert again.es_id == seal.es_id
    assert again.verify(SIGNING_TIME).json == seal.verify(SIGNING_TIME).json


def test_naive_time_is_utc(seal: eseal.Seal) -> None:
    naive = seal.verify(dt.datetime(2021, 6, 1, 12, 0, 0))
    aware = seal.verify(dt.datetime(2021, 6, 1, 12, 0, 0, tzinfo=UTC))
    beijing = seal.verify(dt.datetime(2021, 6, 1, 20, 0, 0, tzinfo=BEIJING))

    assert naive.json == aware.json
    assert beijing.json == aware.json
    assert "2021-06-01T12:00:00Z" in aware.json


def test_validity_bounds_inclusive_to_the_second(seal: eseal.Seal) -> None:
    just_before = seal.verify(SEAL_VALID_FROM - dt.timedelta(seconds=1))
    at_start = seal.verify(SEAL_VALID_FROM + dt.timedelta(microseconds=999_999))

    assert just_before.check("seal.validity").status == eseal.CheckStatus.FAILED
    assert at_start.check("seal.validity").status == eseal.CheckStatus.PASSED


def test_builder_versions(
    maker_key: eseal.PrivateKey, maker_cert: eseal.Certificate, user_cert: eseal.Certificate
) -> None:
    for version in (1, 4, 5):
        with make_builder(user_cert).version(version) as builder:
            new_seal = builder.sign(maker_key, maker_cert)
        assert new_seal.version == version
        assert new_seal.verify(SIGNING_TIME).valid, version


def test_builder_signer_by_digest(
    maker_key: eseal.PrivateKey,
    maker_cert: eseal.Certificate,
    user_cert: eseal.Certificate,
    seal: eseal.Seal,
) -> None:
    builder = (
        eseal.SealBuilder("11010000000001", "测试专用章")
        .vendor_and_type("eseal-python", 1)
        .validity(SEAL_VALID_FROM, SEAL_VALID_TO)
        .picture(SVG_PICTURE, 40, 40)
        .add_signer(user_cert, by_digest=True)
    )
    new_seal = builder.sign(maker_key, maker_cert)

    assert new_seal.verify(SIGNING_TIME).valid
    # A 32-byte SM3 digest takes less room than the whole certificate.
    assert len(new_seal.der) < len(seal.der)


def test_builder_two_signers(
    vectors: Path,
    maker_key: eseal.PrivateKey,
    maker_cert: eseal.Certificate,
    user_key: eseal.PrivateKey,
    user_cert: eseal.Certificate,
) -> None:
    other_key = read_key(vectors, "sign_key.pem")
    other_cert = read_cert(vectors, "sign_cert.pem")
    two_signers = make_builder(user_cert).add_signer(other_cert).sign(maker_key, maker_cert)
    # sign_cert.pem is valid from 2021-07-29, and the maker's certificate until 2022-04-21.
    when = dt.datetime(2021, 8, 1, tzinfo=UTC)

    for key, cert in ((user_key, user_cert), (other_key, other_cert)):
        signature = eseal.sign(two_signers, key, cert, b"document", when)
        assert signature.verify(b"document").valid, cert.subject


def test_builder_mixed_signer_kinds(vectors: Path, user_cert: eseal.Certificate) -> None:
    other_cert = read_cert(vectors, "sign_cert.pem")
    by_certificate = make_builder(user_cert)
    by_digest = eseal.SealBuilder("11010000000005", "digests").add_signer(user_cert, True)

    with pytest.raises(eseal.ArgumentError) as raised:
        by_certificate.add_signer(other_cert, by_digest=True)
    assert raised.value.code == 101
    with pytest.raises(eseal.ArgumentError):
        by_digest.add_signer(other_cert)
    by_digest.add_signer(other_cert, by_digest=True)


def test_builder_stays_usable_after_sign(
    maker_key: eseal.PrivateKey, maker_cert: eseal.Certificate, user_cert: eseal.Certificate
) -> None:
    builder = make_builder(user_cert)
    first = builder.sign(maker_key, maker_cert)
    builder.validity(SEAL_VALID_FROM, dt.datetime(2021, 12, 1, tzinfo=UTC))
    second = builder.sign(maker_key, maker_cert)
    after_second_ends = dt.datetime(2021, 12, 15, tzinfo=UTC)

    assert first.verify(after_second_ends).valid
    assert not second.verify(after_second_ends).valid


def test_builder_version_out_of_range(user_cert: eseal.Certificate) -> None:
    builder = make_builder(user_cert)
    for version in (0, 2, 3, 6):
        with pytest.raises(eseal.ArgumentError) as raised:
            builder.version(version)
        assert raised.value.code == 101
    with pytest.raises(eseal.ArgumentError):
        builder.version(-1)
    with pytest.raises(eseal.ArgumentError):
        builder.version(2**32)
    with pytest.raises(TypeError):
        builder.version("4")  # type: ignore[arg-type]


def test_builder_failed_setter_keeps_state(
    maker_key: eseal.PrivateKey, maker_cert: eseal.Certificate, user_cert: eseal.Certificate
) -> None:
    builder = make_builder(user_cert)
    with pytest.raises(eseal.EncodeError):
        builder.picture(b"not a picture", 40, 40)
    new_seal = builder.sign(maker_key, maker_cert)

    assert new_seal.verify(SIGNING_TIME).valid


@pytest.mark.parametrize(
    ("data", "width", "height"),
    [
        (b"not a picture", 40, 40),
        (b"", 40, 40),
        (SVG_PICTURE, 0, 40),
        (SVG_PICTURE, 40, -1),
        (SVG_PICTURE, 40, 1001),
    ],
)
def test_builder_picture_invalid(
    user_cert: eseal.Certificate, data: bytes, width: int, height: int
) -> None:
    builder = make_builder(user_cert)
    with pytest.raises(eseal.EncodeError) as raised:
        builder.picture(data, width, height)
    assert raised.value.code == eseal.Result.PICTURE_INVALID


def test_builder_picture_size_limit(user_cert: eseal.Certificate) -> None:
    # An SVG padded with spaces before its closing tag, to exactly the limit and one byte over.
    head, tail = SVG_PICTURE[:-6], SVG_PICTURE[-6:]
    padding = eseal.MAX_PICTURE_BYTES - len(SVG_PICTURE)
    largest = head + b" " * padding + tail
    builder = make_builder(user_cert)

    builder.picture(largest, 40, 40)
    with pytest.raises(eseal.EncodeError) as raised:
        builder.picture(head + b" " * (padding + 1) + tail, 40, 40)
    assert raised.value.code == eseal.Result.PICTURE_INVALID


def test_builder_non_ascii_es_id(
    maker_key: eseal.PrivateKey, maker_cert: eseal.Certificate, user_cert: eseal.Certificate
) -> None:
    builder = (
        eseal.SealBuilder("编号", "name")
        .validity(SEAL_VALID_FROM, SEAL_VALID_TO)
        .picture(SVG_PICTURE, 40, 40)
        .add_signer(user_cert)
    )
    with pytest.raises(eseal.EncodeError) as raised:
        builder.sign(maker_key, maker_cert)
    assert raised.value.code == eseal.Result.ENCODE_FAILED


def test_builder_non_ascii_vendor(
    maker_key: eseal.PrivateKey, maker_cert: eseal.Certificate, user_cert: eseal.Certificate
) -> None:
    builder = make_builder(user_cert).vendor_and_type("厂商", 1)
    with pytest.raises(eseal.EsealError) as raised:
        builder.sign(maker_key, maker_cert)
    assert raised.value.code == 401


@pytest.mark.parametrize("missing", ["validity", "picture", "signer"])
def test_builder_missing_field(
    maker_key: eseal.PrivateKey,
    maker_cert: eseal.Certificate,
    user_cert: eseal.Certificate,
    missing: str,
) -> None:
    builder = eseal.SealBuilder("11010000000003", "incomplete")
    if missing != "validity":
        builder.validity(SEAL_VALID_FROM, SEAL_VALID_TO)
    if missing != "picture":
        builder.picture(SVG_PICTURE, 40, 40)
    if missing != "signer":
        builder.add_signer(user_cert)

    with pytest.raises(eseal.EsealError) as raised:
        builder.sign(maker_key, maker_cert)
    assert raised.value.code == eseal.Result.ENCODE_FAILED


def test_builder_maker_key_mismatch(
    user_key: eseal.PrivateKey, maker_cert: eseal.Certificate, user_cert: eseal.Certificate
) -> None:
    with pytest.raises(eseal.SigningError) as raised:
        make_builder(user_cert).sign(user_key, maker_cert)
    assert raised.value.code == eseal.Result.KEY_CERTIFICATE_MISMATCH
    assert raised.value.detail


def test_builder_mixed_signer_kinds_in_library(
    vectors: Path,
    maker_key: eseal.PrivateKey,
    maker_cert: eseal.Certificate,
    user_cert: eseal.Certificate,
) -> None:
    # The binding rejects the mix in add_signer(), so the library's own check is called here
    # through the C ABI.
    from eseal._errors import check
    from eseal._ffi import ffi, lib

    builder = make_builder(user_cert)
    other_cert = read_cert(vectors, "sign_cert.pem")
    builder_ptr = builder._pointer()
    assert lib.eseal_seal_builder_add_signer(builder_ptr, other_cert._pointer(), True) == 0
    seal_out = ffi.new("eseal_seal **")

    with pytest.raises(eseal.EncodeError) as raised:
        check(
            lib.eseal_seal_builder_sign(
                builder_ptr, maker_key._pointer(), maker_cert._pointer(), seal_out
            )
        )

    assert raised.value.code == 401
    assert raised.value.detail
    assert seal_out[0] == ffi.NULL


def test_builder_v1_rejects_digest_list(
    maker_key: eseal.PrivateKey, maker_cert: eseal.Certificate, user_cert: eseal.Certificate
) -> None:
    builder = (
        eseal.SealBuilder("11010000000004", "v1 digest")
        .version(1)
        .validity(SEAL_VALID_FROM, SEAL_VALID_TO)
        .picture(SVG_PICTURE, 40, 40)
        .add_signer(user_cert, by_digest=True)
    )
    with pytest.raises(eseal.EncodeError) as raised:
        builder.sign(maker_key, maker_cert)
    assert raised.value.code == 401


def test_builder_string_arguments() -> None:
    with pytest.raises(eseal.ArgumentError) as raised:
        eseal.SealBuilder("1101\x000001", "name")
    assert raised.value.code == 101
    assert "es_id" in str(raised.value)
    with pytest.raises(eseal.ArgumentError):
        eseal.SealBuilder("1101", "bad \udcff surrogate")
    with pytest.raises(TypeError):
        eseal.SealBuilder(None, "name")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        eseal.SealBuilder(b"1101", "name")  # type: ignore[arg-type]


def test_builder_validity_arguments(user_cert: eseal.Certificate) -> None:
    builder = make_builder(user_cert)
    with pytest.raises(eseal.ArgumentError) as raised:
        builder.validity(dt.datetime(1969, 12, 31, 23, 59, 59, tzinfo=UTC), SEAL_VALID_TO)
    assert raised.value.code == 101
    with pytest.raises(TypeError):
        builder.validity(None, SEAL_VALID_TO)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        builder.validity(dt.date(2021, 1, 1), SEAL_VALID_TO)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        builder.validity(1609459200, SEAL_VALID_TO)  # type: ignore[arg-type]


def test_builder_wrong_handle_types(
    maker_key: eseal.PrivateKey, maker_cert: eseal.Certificate, user_cert: eseal.Certificate
) -> None:
    builder = make_builder(user_cert)
    with pytest.raises(TypeError):
        builder.add_signer(None)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        builder.add_signer(maker_key)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        builder.sign(maker_cert, maker_key)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        builder.sign(None, maker_cert)  # type: ignore[arg-type]


@pytest.mark.parametrize("data", [b"", b"\x00", b"garbage", b"\x30\x82\xff\xff\x00", b"\x30\x00"])
def test_seal_invalid_bytes(data: bytes) -> None:
    with pytest.raises(eseal.ParseError) as raised:
        eseal.Seal.from_der(data)
    assert raised.value.code == 200
    assert raised.value.message == eseal.result_message(200)


def test_seal_truncated(seal: eseal.Seal) -> None:
    der = seal.der
    for cut in (1, 10, len(der) // 2, len(der) - 1):
        with pytest.raises(eseal.ParseError):
            eseal.Seal.from_der(der[:cut])


def test_seal_from_signature_bytes(vectors: Path) -> None:
    data = (vectors / "signatures" / "koal-0949ab5880fe" / "SignedValue.dat").read_bytes()
    with pytest.raises(eseal.ParseError):
        eseal.Seal.from_der(data)


def test_seal_verify_time_arguments(seal: eseal.Seal) -> None:
    with pytest.raises(eseal.ArgumentError) as raised:
        seal.verify(dt.datetime(1969, 1, 1, tzinfo=UTC))
    assert raised.value.code == 101
    with pytest.raises(TypeError):
        seal.verify("2021-06-01")  # type: ignore[arg-type]


def test_seal_vector_info(vectors: Path) -> None:
    expected = {"UserV1.esl": 1, "UserV4.esl": 4, "UserV5.esl": 5, "UserV5_ts.esl": 5}
    for name, version in expected.items():
        seal = eseal.Seal.from_der((vectors / "seals" / name).read_bytes())
        assert seal.version == version, name
        assert seal.es_id, name
        assert seal.name, name


def test_seal_vector_maker_signature(vectors: Path, seal_file: str) -> None:
    seal = eseal.Seal.from_der((vectors / "seals" / seal_file).read_bytes())
    status = seal.verify().check("seal.maker_signature").status

    if seal_file == "hebeigede-v4.esl":
        assert status == eseal.CheckStatus.FAILED
    else:
        assert status == eseal.CheckStatus.PASSED


def test_seal_vector_json_matches_cli(vectors: Path, cli: Path, seal_file: str) -> None:
    path = vectors / "seals" / seal_file
    at = dt.datetime(2024, 6, 1, 8, 30, 0, tzinfo=UTC)
    report = eseal.Seal.from_der(path.read_bytes()).verify(at)

    completed = subprocess.run(
        [str(cli), "verify", str(path), "--at", "2024-06-01T08:30:00Z", "--json"],
        capture_output=True,
        timeout=60,
    )

    assert completed.returncode == (0 if report.valid else 1), completed.stderr
    assert completed.stdout.endswith(b"\n")
    assert report.json.encode("utf-8") == completed.stdout[:-1]
