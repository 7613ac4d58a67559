"""External signers: sign_with_signer() over eseal_sign_with_callback, PrivateKey.sign_digest."""

from __future__ import annotations

import datetime as dt
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from conftest import read_cert, read_key, read_seal
from der_reader import sequence_elements

import eseal

SIGNING_TIME = dt.datetime(2021, 6, 1, tzinfo=dt.timezone.utc)
DOCUMENT = "外部签名 external signer test\n".encode() * 50
PROPERTY_INFO = "/Doc_0/Signs/Sign_0/Signature.xml"


@pytest.fixture(scope="module")
def vector_seal(vectors: Path) -> eseal.Seal:
    """UserV4.esl, which authorises USER.cert.pem."""
    return read_seal(vectors, "UserV4.esl")


def tbs_sign(signature: eseal.Signature) -> bytes:
    return sequence_elements(signature.der)[0]


def test_software_signer_verifies(
    vector_seal: eseal.Seal, user_key: eseal.PrivateKey, user_cert: eseal.Certificate
) -> None:
    digests: list[bytes] = []

    def signer(digest: bytes) -> bytes:
        digests.append(digest)
        return user_key.sign_digest(digest)

    signature = eseal.sign_with_signer(
        vector_seal, user_cert, DOCUMENT, signer, SIGNING_TIME, PROPERTY_INFO
    )

    report = signature.verify(DOCUMENT)
    assert report.valid, report
    assert report.check("signature.signer_signature").status == eseal.CheckStatus.PASSED
    assert signature.signing_time == SIGNING_TIME
    assert signature.property_info == PROPERTY_INFO
    assert len(digests) == 1
    assert isinstance(digests[0], bytes)
    assert len(digests[0]) == 32


def test_external_equals_key_signing(
    vector_seal: eseal.Seal, user_key: eseal.PrivateKey, user_cert: eseal.Certificate
) -> None:
    external = eseal.sign_with_signer(
        vector_seal, user_cert, DOCUMENT, user_key.sign_digest, SIGNING_TIME, PROPERTY_INFO
    )
    with_key = eseal.sign(vector_seal, user_key, user_cert, DOCUMENT, SIGNING_TIME, PROPERTY_INFO)

    # The SM2 signatures differ (each uses a fresh random k), but the signed content does not.
    assert tbs_sign(external) == tbs_sign(with_key)
    assert external.verify(DOCUMENT).json == with_key.verify(DOCUMENT).json


def test_external_signature_trusted(
    vectors: Path,
    cli: Path,
    vector_seal: eseal.Seal,
    user_key: eseal.PrivateKey,
    user_cert: eseal.Certificate,
    tmp_path: Path,
) -> None:
    signature = eseal.sign_with_signer(
        vector_seal, user_cert, DOCUMENT, user_key.sign_digest, SIGNING_TIME
    )
    root = vectors / "keys" / "ROOT.cert.pem"
    with eseal.TrustPolicy() as policy:
        report = signature.verify(DOCUMENT, trust=policy.add_certificates(root))

    assert report.valid
    assert report.check("signature.signer_certificate_chain").status == eseal.CheckStatus.PASSED
    (tmp_path / "SignedValue.dat").write_bytes(signature.der)
    (tmp_path / "document").write_bytes(DOCUMENT)
    completed = subprocess.run(
        [
            str(cli),
            "verify",
            str(tmp_path / "SignedValue.dat"),
            "--data",
            str(tmp_path / "document"),
            "--trust",
            str(root),
            "--json",
        ],
        capture_output=True,
        timeout=60,
    )
    assert completed.returncode == 0, completed.stderr
    assert report.json.encode("utf-8") + b"\n" == completed.stdout


@pytest.mark.parametrize("value", [bytearray, memoryview])
def test_signer_returns_buffer(
    vector_seal: eseal.Seal,
    user_key: eseal.PrivateKey,
    user_cert: eseal.Certificate,
    value: type,
) -> None:
    signature = eseal.sign_with_signer(
        vector_seal, user_cert, DOCUMENT, lambda e: value(user_key.sign_digest(e)), SIGNING_TIME
    )

    assert signature.verify(DOCUMENT).valid


def test_zero_signature_invalid(vector_seal: eseal.Seal, user_cert: eseal.Certificate) -> None:
    with pytest.raises(eseal.SigningError) as raised:
        eseal.sign_with_signer(vector_seal, user_cert, DOCUMENT, lambda e: bytes(64), SIGNING_TIME)

    assert raised.value.code == 506
    assert raised.value.result is eseal.Result.SIGNATURE_INVALID
    assert raised.value.__cause__ is None


def test_other_key_signature_invalid(
    vectors: Path, vector_seal: eseal.Seal, user_cert: eseal.Certificate
) -> None:
    # A USB key holding another key than the certificate's.
    maker_key = read_key(vectors, "SealBuilder.key.pem")

    with pytest.raises(eseal.SigningError) as raised:
        eseal.sign_with_signer(
            vector_seal, user_cert, DOCUMENT, maker_key.sign_digest, SIGNING_TIME
        )
    assert raised.value.code == eseal.Result.SIGNATURE_INVALID


def test_raising_signer_failed(vector_seal: eseal.Seal, user_cert: eseal.Certificate) -> None:
    def unplugged(digest: bytes) -> bytes:
        raise OSError("USB key removed")

    with pytest.raises(eseal.SigningError) as raised:
        eseal.sign_with_signer(vector_seal, user_cert, DOCUMENT, unplugged, SIGNING_TIME)

    assert raised.value.code == 508
    assert raised.value.result is eseal.Result.SIGNER_FAILED
    assert isinstance(raised.value.__cause__, OSError)
    assert "USB key removed" in str(raised.value)
    assert "OSError" in str(raised.value)


@pytest.mark.parametrize(
    ("returned", "cause"),
    [
        (b"", ValueError),
        (bytes(63), ValueError),
        (bytes(65), ValueError),
        ("0" * 64, TypeError),
        (None, TypeError),
        (12, TypeError),
    ],
)
def test_signer_wrong_value_failed(
    vector_seal: eseal.Seal, user_cert: eseal.Certificate, returned: object, cause: type
) -> None:
    with pytest.raises(eseal.SigningError) as raised:
        eseal.sign_with_signer(
            vector_seal,
            user_cert,
            DOCUMENT,
            lambda e: returned,
            SIGNING_TIME,  # type: ignore[arg-type,return-value]
        )

    assert raised.value.code == eseal.Result.SIGNER_FAILED
    assert isinstance(raised.value.__cause__, cause)


def test_signer_interrupt_raised_as_is(
    vector_seal: eseal.Seal, user_cert: eseal.Certificate
) -> None:
    def interrupted(digest: bytes) -> bytes:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        eseal.sign_with_signer(vector_seal, user_cert, DOCUMENT, interrupted, SIGNING_TIME)


def test_refused_before_signer_called(
    vectors: Path, vector_seal: eseal.Seal, user_key: eseal.PrivateKey, user_cert: eseal.Certificate
) -> None:
    calls: list[bytes] = []

    def signer(digest: bytes) -> bytes:
        calls.append(digest)
        return user_key.sign_digest(digest)

    with pytest.raises(eseal.SigningError) as raised:
        eseal.sign_with_signer(
            vector_seal,
            user_cert,
            DOCUMENT,
            signer,
            dt.datetime(2023, 1, 1, tzinfo=dt.timezone.utc),
        )
    assert raised.value.code == eseal.Result.SEAL_NOT_VALID_AT_TIME

    maker_cert = read_cert(vectors, "SealBuilder.cert.pem")
    with pytest.raises(eseal.SigningError) as raised:
        eseal.sign_with_signer(vector_seal, maker_cert, DOCUMENT, signer, SIGNING_TIME)
    assert raised.value.code == eseal.Result.SIGNER_NOT_IN_CERT_LIST

    with pytest.raises(eseal.EncodeError):
        eseal.sign_with_signer(vector_seal, user_cert, DOCUMENT, signer, SIGNING_TIME, "/签章.xml")
    assert calls == []


def test_sign_with_signer_arguments(
    vector_seal: eseal.Seal, user_key: eseal.PrivateKey, user_cert: eseal.Certificate
) -> None:
    signer = user_key.sign_digest
    with pytest.raises(TypeError):
        eseal.sign_with_signer(vector_seal, user_cert, DOCUMENT, None, SIGNING_TIME)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        eseal.sign_with_signer(vector_seal, user_cert, DOCUMENT, user_key, SIGNING_TIME)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        eseal.sign_with_signer(None, user_cert, DOCUMENT, signer, SIGNING_TIME)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        eseal.sign_with_signer(vector_seal, user_key, DOCUMENT, signer, SIGNING_TIME)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        eseal.sign_with_signer(vector_seal, user_cert, "text", signer, SIGNING_TIME)  # type: ignore[arg-type]
    with pytest.raises(eseal.ArgumentError):
        eseal.sign_with_signer(vector_seal, user_cert, DOCUMENT, signer, dt.datetime(1969, 1, 1))


def test_sign_with_signer_closed_handles(
    vectors: Path, user_key: eseal.PrivateKey, user_cert: eseal.Certificate
) -> None:
    seal = read_seal(vectors, "UserV4.esl")
    seal.close()

    with pytest.raises(eseal.ArgumentError) as raised:
        eseal.sign_with_signer(seal, user_cert, DOCUMENT, user_key.sign_digest, SIGNING_TIME)
    assert raised.value.code == eseal.Result.NULL_ARGUMENT


def test_sign_with_signer_empty_data(
    vector_seal: eseal.Seal, user_key: eseal.PrivateKey, user_cert: eseal.Certificate
) -> None:
    signature = eseal.sign_with_signer(
        vector_seal, user_cert, b"", user_key.sign_digest, SIGNING_TIME
    )

    assert signature.verify(b"").valid
    assert not signature.verify(b"\0").valid


def test_eight_threads_sign_externally(
    vector_seal: eseal.Seal, user_key: eseal.PrivateKey, user_cert: eseal.Certificate
) -> None:
    documents = [DOCUMENT + str(index).encode() for index in range(32)]

    def sign_one(document: bytes) -> bool:
        signature = eseal.sign_with_signer(
            vector_seal, user_cert, document, user_key.sign_digest, SIGNING_TIME
        )
        return signature.verify(document).valid

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(sign_one, documents))

    assert results == [True] * len(documents)


def test_key_sign_digest(user_key: eseal.PrivateKey) -> None:
    first = user_key.sign_digest(bytes(range(32)))
    second = user_key.sign_digest(bytearray(range(32)))

    assert len(first) == 64
    assert isinstance(first, bytes)
    # SM2 signing takes a fresh random k each time.
    assert first != second


@pytest.mark.parametrize("length", [0, 31, 33, 64])
def test_key_sign_digest_length(user_key: eseal.PrivateKey, length: int) -> None:
    with pytest.raises(eseal.ArgumentError) as raised:
        user_key.sign_digest(bytes(length))
    assert raised.value.code == eseal.Result.INVALID_ARGUMENT


def test_key_sign_digest_closed() -> None:
    key = eseal.PrivateKey.generate()
    key.close()

    with pytest.raises(eseal.ArgumentError):
        key.sign_digest(bytes(32))
    with pytest.raises(TypeError):
        eseal.PrivateKey.generate().sign_digest("e" * 32)  # type: ignore[arg-type]
