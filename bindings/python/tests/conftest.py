"""Shared fixtures: the real-world vectors, the eseal command, the test PKI and a test seal.

The vectors are read from $ESEAL_VECTORS, by default the folder shared/vectors beside the
repository. A missing folder fails every test that needs it, and nothing is skipped.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

import eseal

REPOSITORY_ROOT = Path(__file__).resolve().parents[3]
VECTORS_DIR = Path(os.environ.get("ESEAL_VECTORS") or REPOSITORY_ROOT.parent / "shared" / "vectors")
CLI_PATH = Path(os.environ.get("ESEAL_CLI") or REPOSITORY_ROOT / "target" / "release" / "eseal")

# The ofdrw test certificates are valid from 2020-04-21 to 2022-04-21, so seals made in the
# tests use this validity and signing time.
SEAL_VALID_FROM = dt.datetime(2021, 1, 1, tzinfo=dt.timezone.utc)
SEAL_VALID_TO = dt.datetime(2022, 1, 1, tzinfo=dt.timezone.utc)
SIGNING_TIME = dt.datetime(2021, 6, 1, tzinfo=dt.timezone.utc)

# A 40 x 40 mm red circle. The library detects SVG from the bytes.
SVG_PICTURE = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40">'
    b'<circle cx="20" cy="20" r="18" fill="none" stroke="red" stroke-width="2"/></svg>'
)

MISSING_VECTORS_ID = "vectors-missing"


def signature_folder_names() -> list[str]:
    """Return the folder names under vectors/signatures, or a marker that fails when absent."""
    folder = VECTORS_DIR / "signatures"
    if not folder.is_dir():
        return [MISSING_VECTORS_ID]
    return sorted(entry.name for entry in folder.iterdir() if entry.is_dir())


def seal_file_names() -> list[str]:
    """Return the .esl file names under vectors/seals, or a marker that fails when absent."""
    folder = VECTORS_DIR / "seals"
    if not folder.is_dir():
        return [MISSING_VECTORS_ID]
    return sorted(entry.name for entry in folder.glob("*.esl"))


def ofd_file_names() -> list[str]:
    """Return the .ofd file names under vectors/ofd, or a marker that fails when absent."""
    folder = VECTORS_DIR / "ofd"
    if not folder.is_dir():
        return [MISSING_VECTORS_ID]
    return sorted(entry.name for entry in folder.glob("*.ofd"))


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "signature_folder" in metafunc.fixturenames:
        metafunc.parametrize("signature_folder", signature_folder_names())
    if "seal_file" in metafunc.fixturenames:
        metafunc.parametrize("seal_file", seal_file_names())
    if "ofd_file" in metafunc.fixturenames:
        metafunc.parametrize("ofd_file", ofd_file_names())


@pytest.fixture(scope="session")
def vectors() -> Path:
    """Return the vectors folder, or fail the test when keys/, ofd/, seals/ or signatures/ is
    missing.
    """
    for sub in ("keys", "ofd", "seals", "signatures"):
        if not (VECTORS_DIR / sub).is_dir():
            pytest.fail(
                f"test vectors not found: {VECTORS_DIR / sub} does not exist. Set "
                "ESEAL_VECTORS to the folder that contains keys/, ofd/, seals/ and signatures/."
            )
    return VECTORS_DIR


@pytest.fixture(scope="session")
def cli() -> Path:
    """Return the eseal command, or fail the test when it has not been built."""
    if not CLI_PATH.is_file():
        pytest.fail(
            f"eseal command not found at {CLI_PATH}. Run `cargo build --release` in "
            f"{REPOSITORY_ROOT} or set ESEAL_CLI."
        )
    return CLI_PATH


def read_key(vectors: Path, name: str) -> eseal.PrivateKey:
    return eseal.PrivateKey.from_bytes((vectors / "keys" / name).read_bytes())


def read_cert(vectors: Path, name: str) -> eseal.Certificate:
    return eseal.Certificate.from_bytes((vectors / "keys" / name).read_bytes())


def read_seal(vectors: Path, name: str) -> eseal.Seal:
    return eseal.Seal.from_der((vectors / "seals" / name).read_bytes())


@pytest.fixture(scope="session")
def maker_key(vectors: Path) -> eseal.PrivateKey:
    return read_key(vectors, "SealBuilder.key.pem")


@pytest.fixture(scope="session")
def maker_cert(vectors: Path) -> eseal.Certificate:
    return read_cert(vectors, "SealBuilder.cert.pem")


@pytest.fixture(scope="session")
def user_key(vectors: Path) -> eseal.PrivateKey:
    return read_key(vectors, "USER.key.pem")


@pytest.fixture(scope="session")
def user_cert(vectors: Path) -> eseal.Certificate:
    return read_cert(vectors, "USER.cert.pem")


def make_builder(user_cert: eseal.Certificate) -> eseal.SealBuilder:
    """Return a builder for a V4 seal that authorises USER.cert.pem, ready to sign."""
    return (
        eseal.SealBuilder("11010000000001", "测试专用章")
        .vendor_and_type("eseal-python", 1)
        .validity(SEAL_VALID_FROM, SEAL_VALID_TO)
        .picture(SVG_PICTURE, 40, 40)
        .add_signer(user_cert)
    )


@pytest.fixture(scope="session")
def seal(
    maker_key: eseal.PrivateKey, maker_cert: eseal.Certificate, user_cert: eseal.Certificate
) -> eseal.Seal:
    """A V4 seal made by SealBuilder.cert.pem that authorises USER.cert.pem."""
    with make_builder(user_cert) as builder:
        return builder.sign(maker_key, maker_cert)
