"""Handle ownership: context managers, close(), garbage collection and use after close."""

from __future__ import annotations

import copy
import gc
import pickle
import subprocess
import sys
import weakref
from pathlib import Path

import pytest
from conftest import SIGNING_TIME, make_builder

import eseal


def test_context_manager_closes(vectors: Path) -> None:
    data = (vectors / "seals" / "UserV4.esl").read_bytes()
    with eseal.Seal.from_der(data) as seal:
        assert not seal.closed
        assert seal.version == 4

    assert seal.closed


def test_context_manager_closes_on_error(vectors: Path) -> None:
    data = (vectors / "keys" / "USER.cert.pem").read_bytes()
    with pytest.raises(RuntimeError):
        with eseal.Certificate.from_bytes(data) as cert:
            raise RuntimeError("leave the block")

    assert cert.closed


def test_close_twice() -> None:
    key = eseal.PrivateKey.generate()
    key.close()
    key.close()

    assert key.closed


def test_use_after_close(
    vectors: Path, user_cert: eseal.Certificate, user_key: eseal.PrivateKey
) -> None:
    seal = eseal.Seal.from_der((vectors / "seals" / "UserV4.esl").read_bytes())
    seal.close()

    with pytest.raises(eseal.ArgumentError) as raised:
        seal.verify()
    assert raised.value.code == eseal.Result.NULL_ARGUMENT
    assert "Seal is closed" in str(raised.value)
    with pytest.raises(eseal.ArgumentError):
        _ = seal.der
    with pytest.raises(eseal.ArgumentError):
        eseal.sign(seal, user_key, user_cert, b"data", SIGNING_TIME)
    with pytest.raises(eseal.ArgumentError):
        with seal:
            pass


def test_closed_key_and_certificate_as_arguments(
    seal: eseal.Seal, vectors: Path, user_cert: eseal.Certificate
) -> None:
    key = eseal.PrivateKey.from_bytes((vectors / "keys" / "USER.key.pem").read_bytes())
    cert = eseal.Certificate.from_bytes((vectors / "keys" / "USER.cert.pem").read_bytes())
    key.close()
    cert.close()

    with pytest.raises(eseal.ArgumentError) as raised:
        eseal.sign(seal, key, user_cert, b"data", SIGNING_TIME)
    assert raised.value.code == 100
    with pytest.raises(eseal.ArgumentError):
        _ = cert.subject
    with pytest.raises(eseal.ArgumentError):
        eseal.Signer(seal, cert, SIGNING_TIME)


def test_closed_builder_and_signer(
    seal: eseal.Seal,
    maker_key: eseal.PrivateKey,
    maker_cert: eseal.Certificate,
    user_cert: eseal.Certificate,
) -> None:
    builder = make_builder(user_cert)
    builder.close()
    with pytest.raises(eseal.ArgumentError):
        builder.sign(maker_key, maker_cert)

    signer = eseal.Signer(seal, user_cert, SIGNING_TIME)
    signer.close()
    with pytest.raises(eseal.ArgumentError):
        signer.update(b"data")


def test_garbage_collector_releases(vectors: Path) -> None:
    seal = eseal.Seal.from_der((vectors / "seals" / "UserV4.esl").read_bytes())
    reference = weakref.ref(seal)
    del seal
    gc.collect()

    assert reference() is None


def test_objects_outlive_their_sources(
    maker_key: eseal.PrivateKey, maker_cert: eseal.Certificate, user_cert: eseal.Certificate
) -> None:
    builder = make_builder(user_cert)
    seal = builder.sign(maker_key, maker_cert)
    builder.close()
    der = seal.der
    report = seal.verify(SIGNING_TIME)
    seal.close()
    gc.collect()

    # The report and the DER bytes are copies, valid after their handles are gone.
    assert report.valid
    assert eseal.Seal.from_der(der).verify(SIGNING_TIME).json == report.json


def test_direct_construction_rejected() -> None:
    with pytest.raises(TypeError):
        eseal.Seal()  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        eseal.Signature()  # type: ignore[call-arg]


def test_copy_and_pickle_rejected(seal: eseal.Seal) -> None:
    with pytest.raises(TypeError):
        copy.copy(seal)
    with pytest.raises(TypeError):
        copy.deepcopy(seal)
    with pytest.raises(TypeError):
        pickle.dumps(seal)

    assert seal.version == 4


def test_repr_shows_state() -> None:
    key = eseal.PrivateKey.generate()
    assert repr(key) == "<eseal.PrivateKey open>"
    key.close()
    assert repr(key) == "<eseal.PrivateKey closed>"


def test_many_handles_freed_once(vectors: Path) -> None:
    # A double free or a use after free usually aborts the process, so run the churn in a
    # child interpreter and check that it exits normally.
    script = f"""
import copy
import gc
import pickle
import eseal
from pathlib import Path

vectors = Path({str(vectors)!r})
seal_der = (vectors / "seals" / "UserV4.esl").read_bytes()
signature_der = (vectors / "signatures" / "koal-0949ab5880fe" / "SignedValue.dat").read_bytes()
cert_pem = (vectors / "keys" / "USER.cert.pem").read_bytes()
for round in range(300):
    with eseal.Seal.from_der(seal_der) as seal:
        seal.verify()
    signature = eseal.Signature.from_der(signature_der)
    signature.verify()
    signature.close()
    signature.close()
    cert = eseal.Certificate.from_bytes(cert_pem)
    del cert
    key = eseal.PrivateKey.generate()
    if round % 2:
        key.close()
    del key
    unclosed = eseal.Seal.from_der(seal_der)
    gc.collect()
print("done")
"""
    completed = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=300
    )

    assert completed.returncode == 0, completed.stderr[-2000:]
    assert completed.stdout.strip() == "done"
