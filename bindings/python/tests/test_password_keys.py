"""Password-protected keys: encrypted PKCS#8 and PKCS#12, wrong passwords and damaged files."""

from __future__ import annotations

from pathlib import Path

import pytest

import eseal

from conftest import REPOSITORY_ROOT, SIGNING_TIME, read_cert, read_seal

ENCRYPTED_KEYS = REPOSITORY_ROOT / "tests" / "vectors" / "encrypted-keys"
# The passwords that the vectors' README gives for the legacy PKCS#12 files.
USER_P12_PASSWORD = "777777"
TEST_PASSWORD = "eseal-test"


def sign_and_verify(key: eseal.PrivateKey, cert: eseal.Certificate, vectors: Path) -> bool:
    """Sign with the UserV4.esl vector seal, which authorises USER.cert.pem, and verify."""
    with read_seal(vectors, "UserV4.esl") as seal:
        signature = eseal.sign(seal, key, cert, b"signed with a protected key", SIGNING_TIME)
    with signature:
        return signature.verify(b"signed with a protected key").valid


def test_pkcs12_key_and_certificate(vectors: Path) -> None:
    data = (vectors / "keys" / "USER.p12").read_bytes()
    key, cert = eseal.PrivateKey.from_pkcs12(data, USER_P12_PASSWORD)
    assert cert is not None
    with read_cert(vectors, "USER.cert.pem") as expected:
        assert cert.der == expected.der
        assert cert.serial == expected.serial
    assert sign_and_verify(key, cert, vectors)


def test_pkcs12_password_as_bytes(vectors: Path) -> None:
    data = (vectors / "keys" / "USER.p12").read_bytes()
    password = bytearray(USER_P12_PASSWORD.encode())
    key = eseal.PrivateKey.from_bytes(data, password)
    password[:] = bytes(len(password))
    with read_cert(vectors, "USER.cert.pem") as cert:
        assert sign_and_verify(key, cert, vectors)


def test_pkcs12_wrong_password(vectors: Path) -> None:
    data = (vectors / "keys" / "USER.p12").read_bytes()
    with pytest.raises(eseal.WrongPasswordError) as raised:
        eseal.PrivateKey.from_pkcs12(data, "123456")
    assert raised.value.code == eseal.Result.WRONG_PASSWORD
    assert isinstance(raised.value, eseal.CryptoMaterialError)
    assert "123456" not in str(raised.value)
    with pytest.raises(eseal.WrongPasswordError):
        eseal.PrivateKey.from_bytes(data, "")


def test_pkcs12_truncated(vectors: Path) -> None:
    data = (vectors / "keys" / "USER.p12").read_bytes()
    for truncated in (data[: len(data) // 2], data[:10]):
        with pytest.raises(eseal.CryptoMaterialError) as raised:
            eseal.PrivateKey.from_pkcs12(truncated, USER_P12_PASSWORD)
        assert raised.value.code == eseal.Result.KEY_INVALID
        assert not isinstance(raised.value, eseal.WrongPasswordError)


def test_pkcs12_utf8_and_empty_passwords() -> None:
    utf8 = (ENCRYPTED_KEYS / "openssl3-3des-utf8-password.p12").read_bytes()
    key, cert = eseal.PrivateKey.from_pkcs12(utf8, "证书-密码")
    assert cert is not None
    assert "CN=eseal test signer" in cert.subject
    empty = (ENCRYPTED_KEYS / "openssl3-empty-password.p12").read_bytes()
    key, cert = eseal.PrivateKey.from_pkcs12(empty, b"")
    assert cert is not None
    with pytest.raises(eseal.WrongPasswordError):
        eseal.PrivateKey.from_pkcs12(empty, TEST_PASSWORD)


@pytest.mark.parametrize(
    "name", ["openssl-aes256-sha256.pem", "openssl-aes128-sha256.der", "gmssl-sm4-sm3.pem"]
)
def test_encrypted_pkcs8(name: str) -> None:
    data = (ENCRYPTED_KEYS / name).read_bytes()
    key = eseal.PrivateKey.from_bytes(data, TEST_PASSWORD)
    assert len(key.sign_digest(bytes(32))) == 64
    with pytest.raises(eseal.WrongPasswordError) as raised:
        eseal.PrivateKey.from_bytes(data, "wrong-password")
    assert raised.value.code == eseal.Result.WRONG_PASSWORD
    assert "wrong-password" not in str(raised.value)


def test_encrypted_pkcs8_needs_password() -> None:
    data = (ENCRYPTED_KEYS / "openssl-aes256-sha256.pem").read_bytes()
    with pytest.raises(eseal.CryptoMaterialError) as raised:
        eseal.PrivateKey.from_bytes(data)
    assert raised.value.code == eseal.Result.KEY_INVALID
    assert "password" in str(raised.value)


def test_encrypted_pkcs8_truncated() -> None:
    data = (ENCRYPTED_KEYS / "openssl-aes128-sha256.der").read_bytes()
    with pytest.raises(eseal.CryptoMaterialError) as raised:
        eseal.PrivateKey.from_bytes(data[:-20], TEST_PASSWORD)
    assert raised.value.code == eseal.Result.KEY_INVALID


def test_password_type_checked(vectors: Path) -> None:
    data = (vectors / "keys" / "USER.p12").read_bytes()
    with pytest.raises(TypeError):
        eseal.PrivateKey.from_pkcs12(data, 777777)  # type: ignore[arg-type]


def test_certificate_der_round_trip(vectors: Path) -> None:
    with read_cert(vectors, "ROOT.cert.pem") as cert:
        der = cert.der
        assert der[0] == 0x30
        with eseal.Certificate.from_bytes(der) as again:
            assert again.der == der
            assert again.not_after == cert.not_after
