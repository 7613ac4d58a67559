"""Signing with a time stamp callback, with a private key or an external signer, and tokens
from the test time stamp authority that tests/run-all.sh and run-tests.sh build
(examples/time_stamp_authority.rs).
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

import eseal

from conftest import REPOSITORY_ROOT, SIGNING_TIME, read_cert, read_key, read_seal

TSA_PATH = Path(
    os.environ.get("ESEAL_TSA")
    or REPOSITORY_ROOT / "target" / "release" / "examples" / "time_stamp_authority"
)
GEN_TIME = "2021-06-01T00:05:00Z"
DOCUMENT = b"time-stamped document"
ExternalSigner = Callable[[bytes], bytes]


@pytest.fixture(scope="session")
def tsa(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return the folder of a new test authority: root.der, tsa.der and tsa.key.pem."""
    if not TSA_PATH.is_file():
        pytest.fail(
            f"test time stamp authority not found at {TSA_PATH}. Run `cargo build --release "
            "--example time_stamp_authority` or set ESEAL_TSA."
        )
    folder = tmp_path_factory.mktemp("tsa")
    subprocess.run([str(TSA_PATH), "init", str(folder)], check=True)
    return folder


def stamper_for(tsa: Path, covered: bytes | None = None) -> eseal.TimeStamper:
    """Return a time stamper that requests a token over the value from the test authority, or
    over `covered` instead when given.
    """

    def stamp(value: bytes) -> bytes:
        result = subprocess.run(
            [str(TSA_PATH), "stamp", str(tsa), GEN_TIME],
            input=value if covered is None else covered,
            capture_output=True,
            check=True,
        )
        return result.stdout

    return stamp


def sign_stamped(
    vectors: Path, stamper: eseal.TimeStamper, seal: str = "UserV4.esl"
) -> eseal.Signature:
    sealed = read_seal(vectors, seal)
    key = read_key(vectors, "USER.key.pem")
    cert = read_cert(vectors, "USER.cert.pem")
    with sealed, key, cert:
        return eseal.sign(sealed, key, cert, DOCUMENT, SIGNING_TIME, time_stamper=stamper)


def policy(vectors: Path, *roots: Path) -> eseal.TrustPolicy:
    trust = eseal.TrustPolicy().add_certificates(vectors / "keys" / "ROOT.cert.pem")
    for root in roots:
        trust.add_certificates(root)
    return trust


def test_trusted_token_sets_signing_time(vectors: Path, tsa: Path) -> None:
    values: list[bytes] = []
    stamp = stamper_for(tsa)

    def recording(value: bytes) -> bytes:
        values.append(value)
        return stamp(value)

    with sign_stamped(vectors, recording) as signature, policy(vectors, tsa / "root.der") as trust:
        assert len(values) == 1
        assert values[0][0] == 0x30
        report = signature.verify(DOCUMENT, trust=trust)
        assert report.check("signature.time_stamp").status == eseal.CheckStatus.PASSED
        signing_time = report.as_dict()["signatures"][0]["signing_time"]
        assert signing_time.startswith("2021-06-01T00:05:00"), signing_time
        assert report.valid, report


def test_untrusted_authority_fails_check(vectors: Path, tsa: Path) -> None:
    with sign_stamped(vectors, stamper_for(tsa)) as signature, policy(vectors) as trust:
        report = signature.verify(DOCUMENT, trust=trust)
        check = report.check("signature.time_stamp")
        assert check.status == eseal.CheckStatus.FAILED
        assert "not trusted" in check.message
        assert not report.valid


def test_token_over_other_bytes(vectors: Path, tsa: Path) -> None:
    with pytest.raises(eseal.TimeStampError) as raised:
        sign_stamped(vectors, stamper_for(tsa, covered=b"other bytes"))
    assert raised.value.code == eseal.Result.TIME_STAMP_INVALID
    assert "messageImprint" in str(raised.value)


def test_garbage_token(vectors: Path) -> None:
    with pytest.raises(eseal.TimeStampError) as raised:
        sign_stamped(vectors, lambda value: b"\x30\x03\x02\x01\x01")
    assert raised.value.code == eseal.Result.TIME_STAMP_INVALID


def test_stamper_exception(vectors: Path) -> None:
    def failing(value: bytes) -> bytes:
        raise ConnectionError("time stamp server unreachable")

    with pytest.raises(eseal.TimeStampError) as raised:
        sign_stamped(vectors, failing)
    assert raised.value.code == eseal.Result.TIME_STAMP_FAILED
    assert isinstance(raised.value.__cause__, ConnectionError)
    assert "unreachable" in str(raised.value)


def test_token_too_long(vectors: Path) -> None:
    with pytest.raises(eseal.TimeStampError) as raised:
        sign_stamped(vectors, lambda value: bytes(70_000))
    assert raised.value.code == eseal.Result.TIME_STAMP_FAILED
    assert isinstance(raised.value.__cause__, ValueError)


def test_v1_seal_has_no_time_stamp(vectors: Path, tsa: Path) -> None:
    with pytest.raises(eseal.EncodeError) as raised:
        sign_stamped(vectors, stamper_for(tsa), seal="UserV1.esl")
    assert raised.value.code == eseal.Result.ENCODE_FAILED


def test_stamper_must_be_callable(vectors: Path) -> None:
    with pytest.raises(TypeError):
        sign_stamped(vectors, b"not callable")  # type: ignore[arg-type]


def sign_with_device(
    vectors: Path,
    signer: ExternalSigner,
    stamper: eseal.TimeStamper,
    seal: str = "UserV4.esl",
) -> eseal.Signature:
    """Sign DOCUMENT with an external signer and a time stamper, as with a USB key."""
    sealed = read_seal(vectors, seal)
    cert = read_cert(vectors, "USER.cert.pem")
    with sealed, cert:
        return eseal.sign_with_signer(
            sealed,
            cert,
            DOCUMENT,
            signer,
            SIGNING_TIME,
            "/Doc_0/Signs/Sign_0/Signature.xml",
            time_stamper=stamper,
        )


def test_signer_and_time_stamp_verify(vectors: Path, tsa: Path) -> None:
    key = read_key(vectors, "USER.key.pem")
    digests: list[bytes] = []
    values: list[bytes] = []
    stamp = stamper_for(tsa)

    def usb_key(digest: bytes) -> bytes:
        digests.append(digest)
        return key.sign_digest(digest)

    def recording(value: bytes) -> bytes:
        values.append(value)
        return stamp(value)

    with key, sign_with_device(vectors, usb_key, recording) as signature:
        assert len(digests) == 1
        assert len(values) == 1
        assert signature.property_info == "/Doc_0/Signs/Sign_0/Signature.xml"
        with policy(vectors, tsa / "root.der") as trust:
            report = signature.verify(DOCUMENT, trust=trust)
            other = signature.verify(b"other document", trust=trust)
        assert report.check("signature.signer_signature").status == eseal.CheckStatus.PASSED
        assert report.check("signature.time_stamp").status == eseal.CheckStatus.PASSED
        signing_time = report.as_dict()["signatures"][0]["signing_time"]
        assert signing_time.startswith("2021-06-01T00:05:00"), signing_time
        assert report.valid, report
        assert not other.valid


def test_signer_and_untrusted_time_stamp(vectors: Path, tsa: Path) -> None:
    with read_key(vectors, "USER.key.pem") as key:
        signature = sign_with_device(vectors, key.sign_digest, stamper_for(tsa))

    with signature, policy(vectors) as trust:
        report = signature.verify(DOCUMENT, trust=trust)
        assert report.check("signature.time_stamp").status == eseal.CheckStatus.FAILED
        assert not report.valid


@pytest.mark.parametrize(
    ("returned", "code"),
    [
        (lambda digest: bytes(64), eseal.Result.SIGNATURE_INVALID),
        (lambda digest: bytes(63), eseal.Result.SIGNER_FAILED),
    ],
)
def test_signer_failure_skips_stamper(
    vectors: Path, returned: ExternalSigner, code: eseal.Result
) -> None:
    values: list[bytes] = []

    def stamper(value: bytes) -> bytes:
        values.append(value)
        return b"\x30\x03\x02\x01\x01"

    with pytest.raises(eseal.SigningError) as raised:
        sign_with_device(vectors, returned, stamper)

    assert raised.value.code == code
    assert not isinstance(raised.value, eseal.TimeStampError)
    assert values == []


def test_signer_exception_is_cause(vectors: Path) -> None:
    def unplugged(digest: bytes) -> bytes:
        raise OSError("USB key removed")

    with pytest.raises(eseal.SigningError) as raised:
        sign_with_device(vectors, unplugged, lambda value: b"")

    assert raised.value.code == eseal.Result.SIGNER_FAILED
    assert isinstance(raised.value.__cause__, OSError)
    assert "the signer raised OSError: USB key removed" in str(raised.value)


def test_signer_with_failing_stamper(vectors: Path) -> None:
    def unreachable(value: bytes) -> bytes:
        raise ConnectionError("time stamp server unreachable")

    with read_key(vectors, "USER.key.pem") as key, pytest.raises(eseal.TimeStampError) as raised:
        sign_with_device(vectors, key.sign_digest, unreachable)

    assert raised.value.code == eseal.Result.TIME_STAMP_FAILED
    assert isinstance(raised.value.__cause__, ConnectionError)
    assert "the time stamper raised ConnectionError" in str(raised.value)


@pytest.mark.parametrize(
    ("token", "code", "cause"),
    [
        (bytes(70_000), eseal.Result.TIME_STAMP_FAILED, ValueError),
        (b"\x30\x03\x02\x01\x01", eseal.Result.TIME_STAMP_INVALID, type(None)),
    ],
)
def test_signer_with_bad_token(
    vectors: Path, token: bytes, code: eseal.Result, cause: type
) -> None:
    with read_key(vectors, "USER.key.pem") as key, pytest.raises(eseal.TimeStampError) as raised:
        sign_with_device(vectors, key.sign_digest, lambda value: token)

    assert raised.value.code == code
    assert isinstance(raised.value.__cause__, cause)


def test_signer_with_token_over_other_bytes(vectors: Path, tsa: Path) -> None:
    stamper = stamper_for(tsa, covered=b"other bytes")

    with read_key(vectors, "USER.key.pem") as key, pytest.raises(eseal.TimeStampError) as raised:
        sign_with_device(vectors, key.sign_digest, stamper)

    assert raised.value.code == eseal.Result.TIME_STAMP_INVALID
    assert "messageImprint" in str(raised.value)


def test_signer_time_stamp_v1_seal(vectors: Path, tsa: Path) -> None:
    calls: list[str] = []
    stamp = stamper_for(tsa)

    def usb_key(digest: bytes) -> bytes:
        calls.append("signer")
        return bytes(64)

    def stamper(value: bytes) -> bytes:
        calls.append("stamper")
        return stamp(value)

    with pytest.raises(eseal.EncodeError) as raised:
        sign_with_device(vectors, usb_key, stamper, seal="UserV1.esl")

    assert raised.value.code == eseal.Result.ENCODE_FAILED
    assert calls == []


def test_signer_stamper_must_be_callable(vectors: Path) -> None:
    not_callable = b"not callable"

    with pytest.raises(TypeError, match="time_stamper must be callable"):
        sign_with_device(vectors, lambda digest: bytes(64), not_callable)  # type: ignore[arg-type]


def test_signer_stamper_interrupt_raised_as_is(vectors: Path) -> None:
    def interrupted(value: bytes) -> bytes:
        raise KeyboardInterrupt

    with read_key(vectors, "USER.key.pem") as key, pytest.raises(KeyboardInterrupt):
        sign_with_device(vectors, key.sign_digest, interrupted)


def sign_streamed(
    vectors: Path, stamper: eseal.TimeStamper, seal: str = "UserV4.esl"
) -> eseal.Signature:
    """Sign DOCUMENT in two chunks with a streaming signer that has `stamper`."""
    sealed = read_seal(vectors, seal)
    key = read_key(vectors, "USER.key.pem")
    cert = read_cert(vectors, "USER.cert.pem")
    with sealed, key, cert:
        with eseal.Signer(sealed, cert, SIGNING_TIME, time_stamper=stamper) as signer:
            signer.update(DOCUMENT[:7])
            signer.update(DOCUMENT[7:])
            return signer.finish(key)


def test_streamed_time_stamp_verifies(vectors: Path, tsa: Path) -> None:
    values: list[bytes] = []
    stamp = stamper_for(tsa)

    def recording(value: bytes) -> bytes:
        values.append(value)
        return stamp(value)

    with sign_streamed(vectors, recording) as signature, policy(vectors, tsa / "root.der") as trust:
        assert len(values) == 1
        report = signature.verify(DOCUMENT, trust=trust)
        assert report.check("signature.time_stamp").status == eseal.CheckStatus.PASSED
        signing_time = report.as_dict()["signatures"][0]["signing_time"]
        assert signing_time.startswith("2021-06-01T00:05:00"), signing_time
        assert report.valid, report
        assert not signature.verify(DOCUMENT[:-1], trust=trust).valid


def test_streamed_untrusted_authority(vectors: Path, tsa: Path) -> None:
    with sign_streamed(vectors, stamper_for(tsa)) as signature, policy(vectors) as trust:
        report = signature.verify(DOCUMENT, trust=trust)
        assert report.check("signature.time_stamp").status == eseal.CheckStatus.FAILED
        assert not report.valid


def test_streamed_token_over_other_bytes(vectors: Path, tsa: Path) -> None:
    with pytest.raises(eseal.TimeStampError) as raised:
        sign_streamed(vectors, stamper_for(tsa, covered=b"other bytes"))
    assert raised.value.code == eseal.Result.TIME_STAMP_INVALID
    assert "messageImprint" in str(raised.value)


def test_streamed_garbage_token(vectors: Path) -> None:
    with pytest.raises(eseal.TimeStampError) as raised:
        sign_streamed(vectors, lambda value: b"\x30\x03\x02\x01\x01")
    assert raised.value.code == eseal.Result.TIME_STAMP_INVALID


def test_streamed_stamper_exception(vectors: Path) -> None:
    def failing(value: bytes) -> bytes:
        raise ConnectionError("time stamp server unreachable")

    with pytest.raises(eseal.TimeStampError) as raised:
        sign_streamed(vectors, failing)
    assert raised.value.code == eseal.Result.TIME_STAMP_FAILED
    assert isinstance(raised.value.__cause__, ConnectionError)
    assert "unreachable" in str(raised.value)


def test_streamed_token_too_long(vectors: Path) -> None:
    with pytest.raises(eseal.TimeStampError) as raised:
        sign_streamed(vectors, lambda value: bytes(70_000))
    assert raised.value.code == eseal.Result.TIME_STAMP_FAILED
    assert isinstance(raised.value.__cause__, ValueError)


def test_streamed_v1_seal(vectors: Path) -> None:
    calls: list[bytes] = []

    def stamper(value: bytes) -> bytes:
        calls.append(value)
        return b""

    with pytest.raises(eseal.EncodeError) as raised:
        sign_streamed(vectors, stamper, seal="UserV1.esl")
    assert raised.value.code == eseal.Result.ENCODE_FAILED
    assert calls == []


def test_streamed_stamper_must_be_callable(vectors: Path) -> None:
    with pytest.raises(TypeError, match="time_stamper must be callable"):
        sign_streamed(vectors, b"not callable")  # type: ignore[arg-type]


OFD_STAMP = eseal.Stamp(page=1, x=100.0, y=150.0, width=40.0, height=40.0)


def sign_ofd_stamped(vectors: Path, stamper: eseal.TimeStamper, seal: str = "UserV4.esl") -> bytes:
    document = (vectors / "ofd" / "ofdrw-hello.ofd").read_bytes()
    sealed = read_seal(vectors, seal)
    key = read_key(vectors, "USER.key.pem")
    cert = read_cert(vectors, "USER.cert.pem")
    with sealed, key, cert:
        return eseal.sign_ofd(
            document, sealed, key, cert, [OFD_STAMP], SIGNING_TIME, time_stamper=stamper
        )


def new_time_stamp_status(
    vectors: Path, signed: bytes, trust: eseal.TrustPolicy
) -> eseal.CheckStatus:
    """Return the status of the time stamp check of the signature that signing added."""
    original = eseal.verify_ofd(vectors / "ofd" / "ofdrw-hello.ofd")
    old_ids = {signature.id for signature in original.signatures}
    report = eseal.verify_ofd(signed, trust=trust)
    new = [signature for signature in report.signatures if signature.id not in old_ids]
    assert len(new) == 1
    statuses = [check.status for check in new[0].checks if check.name == "signature.time_stamp"]
    assert len(statuses) == 1
    return statuses[0]


def test_ofd_time_stamp_verifies(vectors: Path, tsa: Path) -> None:
    signed = sign_ofd_stamped(vectors, stamper_for(tsa))
    with policy(vectors, tsa / "root.der") as trusted, policy(vectors) as untrusted:
        assert new_time_stamp_status(vectors, signed, trusted) == eseal.CheckStatus.PASSED
        assert new_time_stamp_status(vectors, signed, untrusted) == eseal.CheckStatus.FAILED


def test_ofd_time_stamp_failures(vectors: Path, tsa: Path) -> None:
    def failing(value: bytes) -> bytes:
        raise ConnectionError("time stamp server unreachable")

    with pytest.raises(eseal.TimeStampError) as raised:
        sign_ofd_stamped(vectors, failing)
    assert raised.value.code == eseal.Result.TIME_STAMP_FAILED
    assert isinstance(raised.value.__cause__, ConnectionError)

    with pytest.raises(eseal.TimeStampError) as raised:
        sign_ofd_stamped(vectors, stamper_for(tsa, covered=b"other bytes"))
    assert raised.value.code == eseal.Result.TIME_STAMP_INVALID

    with pytest.raises(eseal.EncodeError):
        sign_ofd_stamped(vectors, stamper_for(tsa), seal="UserV1.esl")

    with pytest.raises(TypeError):
        sign_ofd_stamped(vectors, "not callable")  # type: ignore[arg-type]


def test_ofd_file_time_stamp(vectors: Path, tsa: Path, tmp_path: Path) -> None:
    output = tmp_path / "signed.ofd"
    sealed = read_seal(vectors, "UserV4.esl")
    key = read_key(vectors, "USER.key.pem")
    cert = read_cert(vectors, "USER.cert.pem")
    source = vectors / "ofd" / "ofdrw-hello.ofd"
    with sealed, key, cert:
        with pytest.raises(eseal.TimeStampError) as raised:
            eseal.sign_ofd_file(
                source,
                output,
                sealed,
                key,
                cert,
                [OFD_STAMP],
                SIGNING_TIME,
                time_stamper=stamper_for(tsa, covered=b"other bytes"),
            )
        assert raised.value.code == eseal.Result.TIME_STAMP_INVALID
        assert list(tmp_path.iterdir()) == []

        eseal.sign_ofd_file(
            source,
            output,
            sealed,
            key,
            cert,
            [OFD_STAMP],
            SIGNING_TIME,
            time_stamper=stamper_for(tsa),
        )
    with policy(vectors, tsa / "root.der") as trusted:
        status = new_time_stamp_status(vectors, output.read_bytes(), trusted)
        assert status == eseal.CheckStatus.PASSED


def test_digest_signing_with_time_stamp(vectors: Path, tsa: Path) -> None:
    sealed = read_seal(vectors, "UserV4.esl")
    key = read_key(vectors, "USER.key.pem")
    cert = read_cert(vectors, "USER.cert.pem")
    digest = eseal.sm3(DOCUMENT)
    with sealed, key, cert:
        signature = eseal.sign_digest(
            sealed, key, cert, digest, SIGNING_TIME, time_stamper=stamper_for(tsa)
        )
        with signature, policy(vectors, tsa / "root.der") as trust:
            report = signature.verify_digest(digest, trust=trust)
            assert report.check("signature.time_stamp").status == eseal.CheckStatus.PASSED
            assert report.valid, report
            assert signature.verify(DOCUMENT, trust=trust).valid

        def failing(value: bytes) -> bytes:
            raise ConnectionError("time stamp server unreachable")

        with pytest.raises(eseal.TimeStampError) as raised:
            eseal.sign_digest(sealed, key, cert, digest, SIGNING_TIME, time_stamper=failing)
        assert raised.value.code == eseal.Result.TIME_STAMP_FAILED
        with pytest.raises(TypeError):
            eseal.sign_digest(sealed, key, cert, digest, SIGNING_TIME, time_stamper=b"no")  # type: ignore[arg-type]
