"""Private keys and certificates: reading, properties and invalid input."""

from __future__ import annotations

import base64
import datetime as dt
from pathlib import Path

import pytest

import eseal

UTC = dt.timezone.utc


def test_certificate_properties(user_cert: eseal.Certificate) -> None:
    assert user_cert.subject == "CN=Test Certificate,L=Hangzhou,ST=Zhejiang,O=OFD R&W,C=CN"
    assert user_cert.issuer.startswith("CN=OFD Reader and WriterROOT Certificate,")
    assert user_cert.serial == "01719D2DAB60"
    assert user_cert.not_before == dt.datetime(2020, 4, 21, 14, 39, 8, tzinfo=UTC)
    assert user_cert.not_after == dt.datetime(2022, 4, 21, 14, 39, 8, tzinfo=UTC)


def test_certificate_times_are_utc(maker_cert: eseal.Certificate) -> None:
    assert maker_cert.not_before.utcoffset() == dt.timedelta(0)
    assert maker_cert.not_before < maker_cert.not_after


def test_certificate_pem_and_der_agree(vectors: Path) -> None:
    pem = (vectors / "keys" / "ROOT.cert.pem").read_text()
    body = "".join(line for line in pem.splitlines() if not line.startswith("-----"))
    der = base64.b64decode(body)
    from_pem = eseal.Certificate.from_bytes(pem.encode())
    from_der = eseal.Certificate.from_bytes(der)

    assert from_der.subject == from_pem.subject
    assert from_der.serial == from_pem.serial
    assert from_der.not_after == from_pem.not_after


def test_certificate_accepts_bytearray_and_memoryview(vectors: Path) -> None:
    data = (vectors / "keys" / "USER.cert.pem").read_bytes()

    assert eseal.Certificate.from_bytes(bytearray(data)).serial == "01719D2DAB60"
    assert eseal.Certificate.from_bytes(memoryview(data)).serial == "01719D2DAB60"


@pytest.mark.parametrize("data", [b"", b"not a certificate", b"\x30\x03\x02\x01\x01"])
def test_certificate_invalid_bytes(data: bytes) -> None:
    with pytest.raises(eseal.CryptoMaterialError) as raised:
        eseal.Certificate.from_bytes(data)
    assert raised.value.code == eseal.Result.CERTIFICATE_INVALID


def test_certificate_from_key_file(vectors: Path) -> None:
    with pytest.raises(eseal.EsealError) as raised:
        eseal.Certificate.from_bytes((vectors / "keys" / "USER.key.pem").read_bytes())
    assert raised.value.code == 301


@pytest.mark.parametrize(
    "data", [b"", b"junk", b"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"]
)
def test_private_key_invalid_bytes(data: bytes) -> None:
    with pytest.raises(eseal.CryptoMaterialError) as raised:
        eseal.PrivateKey.from_bytes(data)
    assert raised.value.code == eseal.Result.KEY_INVALID


def test_private_key_from_certificate_file(vectors: Path) -> None:
    with pytest.raises(eseal.EsealError) as raised:
        eseal.PrivateKey.from_bytes((vectors / "keys" / "USER.cert.pem").read_bytes())
    assert raised.value.code == 300


def test_private_key_formats(vectors: Path) -> None:
    for name in ("ROOT.key.pem", "SealBuilder.key.pem", "USER.key.pem", "sign_key.pem"):
        with eseal.PrivateKey.from_bytes((vectors / "keys" / name).read_bytes()) as key:
            assert not key.closed


def test_private_key_generate() -> None:
    first = eseal.PrivateKey.generate()
    second = eseal.PrivateKey.generate()

    assert not first.closed
    assert not second.closed
    first.close()
    second.close()


@pytest.mark.parametrize("value", [None, "text", 42, [1, 2]])
def test_wrong_argument_types(value: object) -> None:
    with pytest.raises(TypeError):
        eseal.PrivateKey.from_bytes(value)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        eseal.Certificate.from_bytes(value)  # type: ignore[arg-type]


def test_direct_construction_rejected() -> None:
    with pytest.raises(TypeError):
        eseal.PrivateKey()
    with pytest.raises(TypeError):
        eseal.Certificate()
