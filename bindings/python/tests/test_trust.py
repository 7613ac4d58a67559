"""Trust policies: chains to ROOT, revocation checkers, CRLs, seal revocation lists, threads."""

from __future__ import annotations

import base64
import datetime as dt
import gc
import logging
import shutil
import subprocess
import threading
import time
import weakref
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

import eseal

UTC = dt.timezone.utc
PASSED = eseal.CheckStatus.PASSED
FAILED = eseal.CheckStatus.FAILED
NOT_CHECKED = eseal.CheckStatus.NOT_CHECKED

# An ofdrw signature whose signer and seal maker are issued by keys/ROOT.cert.pem.
OFDRW_FOLDER = "ofdr-wtest-3c2f8c595f20"
OFDRW_SIGNING_TIME = dt.datetime(2021, 5, 19, 12, 53, 44, tzinfo=UTC)
OFDRW_SEAL_ES_ID = "51f044b76510434e9bc67a1185c2fba5"
# A Koal signature from another PKI, which does not chain to ROOT.
KOAL_FOLDER = "koal-0949ab5880fe"
# USER.cert.pem, the ofdrw signer's certificate.
USER_SERIAL = "01719D2DAB60"

CHAIN_CHECKS = ("signature.signer_certificate_chain", "seal.maker_certificate_chain")
REVOCATION_CHECKS = ("signature.signer_certificate_revocation", "seal.maker_certificate_revocation")


def pem_der(path: Path) -> bytes:
    """Return the DER bytes of the first PEM block of a file."""
    lines = path.read_text().split("-----")[2].split()
    return base64.b64decode("".join(lines))


def signature_files(vectors: Path, folder: str) -> tuple[Path, Path]:
    directory = vectors / "signatures" / folder
    return directory / "SignedValue.dat", directory / "Signature.xml"


def verify_folder(vectors: Path, folder: str, trust: eseal.TrustPolicy | None) -> eseal.Report:
    signed_value, data = signature_files(vectors, folder)
    with eseal.Signature.from_der(signed_value.read_bytes()) as signature:
        return signature.verify(data.read_bytes(), trust=trust)


def cli_verify(cli: Path, arguments: list[str]) -> tuple[int, bytes]:
    completed = subprocess.run(
        [str(cli), "verify", *arguments, "--json"], capture_output=True, timeout=120
    )
    return completed.returncode, completed.stdout


@pytest.fixture()
def root_policy(vectors: Path) -> eseal.TrustPolicy:
    policy = eseal.TrustPolicy()
    policy.add_certificates(vectors / "keys" / "ROOT.cert.pem")
    return policy


@pytest.fixture(scope="module")
def revocation_list(vectors: Path, cli: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A seal revocation list signed by ROOT that cancels the ofdrw seal at 2021-01-01."""
    output = tmp_path_factory.mktemp("revocation") / "list.pem"
    keys = vectors / "keys"
    completed = subprocess.run(
        [
            str(cli),
            "revocation",
            "create",
            "--key",
            str(keys / "ROOT.key.pem"),
            "--cert",
            str(keys / "ROOT.cert.pem"),
            "--issuer-name",
            "Test",
            "--revoke",
            f"{OFDRW_SEAL_ES_ID}@2021-01-01",
            "--out",
            str(output),
        ],
        capture_output=True,
        timeout=60,
    )
    assert completed.returncode == 0, completed.stderr
    return output


def test_root_trust_passes_chains(vectors: Path, root_policy: eseal.TrustPolicy) -> None:
    report = verify_folder(vectors, OFDRW_FOLDER, root_policy)

    assert report.valid, report
    for name in CHAIN_CHECKS:
        assert report.check(name).status == PASSED, name
    assert report.check("signature.signer_certificate_key_usage").status == PASSED
    assert report.check("seal.maker_certificate_key_usage").status == PASSED
    assert report.check("signature.signer_certificate_revocation").status == NOT_CHECKED
    assert report.check("seal.revocation").status == NOT_CHECKED


def test_no_trust_leaves_chains_not_checked(vectors: Path) -> None:
    report = verify_folder(vectors, OFDRW_FOLDER, None)

    assert report.valid
    for name in CHAIN_CHECKS:
        assert report.check(name).status == NOT_CHECKED, name


def test_trust_json_matches_cli(vectors: Path, cli: Path, root_policy: eseal.TrustPolicy) -> None:
    signed_value, data = signature_files(vectors, OFDRW_FOLDER)
    report = verify_folder(vectors, OFDRW_FOLDER, root_policy)

    returncode, stdout = cli_verify(
        cli,
        [
            str(signed_value),
            "--data",
            str(data),
            "--trust",
            str(vectors / "keys" / "ROOT.cert.pem"),
        ],
    )

    assert returncode == 0
    assert stdout.endswith(b"\n")
    assert report.json.encode("utf-8") == stdout[:-1]


def test_other_pki_fails_chain(vectors: Path, root_policy: eseal.TrustPolicy) -> None:
    report = verify_folder(vectors, KOAL_FOLDER, root_policy)

    assert not report.valid
    assert report.check("signature.signer_certificate_chain").status == FAILED
    # The same signature is valid when nothing is asked about trust.
    assert verify_folder(vectors, KOAL_FOLDER, None).valid


def test_empty_policy_fails_chains(vectors: Path) -> None:
    with eseal.TrustPolicy() as empty:
        report = verify_folder(vectors, OFDRW_FOLDER, empty)

    assert not report.valid
    for name in CHAIN_CHECKS:
        assert report.check(name).status == FAILED, name


def test_checker_revoked_fails(vectors: Path, root_policy: eseal.TrustPolicy) -> None:
    def revoked(cert_der: bytes, issuer_der: bytes, at: dt.datetime) -> eseal.RevocationStatus:
        return eseal.RevocationStatus.REVOKED, dt.datetime(2021, 1, 1, tzinfo=UTC)

    root_policy.set_revocation_checker(revoked)
    report = verify_folder(vectors, OFDRW_FOLDER, root_policy)

    assert not report.valid
    signer = report.check("signature.signer_certificate_revocation")
    assert signer.status == FAILED
    assert "2021-01-01T00:00:00Z" in signer.message
    assert report.check("seal.maker_certificate_revocation").status == FAILED
    failed = {check.name for check in report.checks if check.status == FAILED}
    assert failed == set(REVOCATION_CHECKS)


def test_checker_good_passes(vectors: Path, root_policy: eseal.TrustPolicy) -> None:
    root_policy.set_revocation_checker(lambda cert, issuer, at: eseal.RevocationStatus.GOOD)
    report = verify_folder(vectors, OFDRW_FOLDER, root_policy)

    assert report.valid
    for name in REVOCATION_CHECKS:
        assert report.check(name).status == PASSED, name


def test_checker_arguments(vectors: Path, root_policy: eseal.TrustPolicy) -> None:
    calls: list[tuple[bytes, bytes, dt.datetime]] = []

    def record(cert_der: bytes, issuer_der: bytes, at: dt.datetime) -> eseal.RevocationStatus:
        calls.append((cert_der, issuer_der, at))
        return eseal.RevocationStatus.GOOD

    root_policy.set_revocation_checker(record)
    verify_folder(vectors, OFDRW_FOLDER, root_policy)

    root_der = pem_der(vectors / "keys" / "ROOT.cert.pem")
    user_der = pem_der(vectors / "keys" / "USER.cert.pem")
    maker_der = pem_der(vectors / "keys" / "SealBuilder.cert.pem")
    # One call for the signer's certificate and one for the maker's. The root is trusted as
    # given, so it is not checked.
    assert sorted(cert for cert, _, _ in calls) == sorted([user_der, maker_der])
    for cert_der, issuer_der, at in calls:
        assert issuer_der == root_der
        assert at == OFDRW_SIGNING_TIME
        assert at.tzinfo is not None


def test_checker_revoked_after_signing_passes(
    vectors: Path, root_policy: eseal.TrustPolicy
) -> None:
    later = OFDRW_SIGNING_TIME + dt.timedelta(seconds=1)
    root_policy.set_revocation_checker(
        lambda cert, issuer, at: (eseal.RevocationStatus.REVOKED, later)
    )
    report = verify_folder(vectors, OFDRW_FOLDER, root_policy)

    assert report.valid
    assert report.check("signature.signer_certificate_revocation").status == PASSED


def test_checker_revoked_without_time(vectors: Path, root_policy: eseal.TrustPolicy) -> None:
    # No revocation time is read as revoked since 1970, before any signature.
    for returned in (eseal.RevocationStatus.REVOKED, (eseal.RevocationStatus.REVOKED, None)):
        root_policy.set_revocation_checker(lambda cert, issuer, at, value=returned: value)
        report = verify_folder(vectors, OFDRW_FOLDER, root_policy)

        assert report.check("signature.signer_certificate_revocation").status == FAILED, returned
        assert not report.valid


def test_checker_exception_is_unknown(
    vectors: Path, root_policy: eseal.TrustPolicy, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(cert_der: bytes, issuer_der: bytes, at: dt.datetime) -> eseal.RevocationStatus:
        raise ConnectionError("OCSP responder unreachable")

    root_policy.set_revocation_checker(broken)
    with caplog.at_level(logging.DEBUG, logger="eseal"):
        first = verify_folder(vectors, OFDRW_FOLDER, root_policy)
        second = verify_folder(vectors, OFDRW_FOLDER, root_policy)

    for report in (first, second):
        assert report.valid
        for name in REVOCATION_CHECKS:
            assert report.check(name).status == NOT_CHECKED, name
    assert root_policy.revocation_checker_errors == 4
    warnings = [record for record in caplog.records if record.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert "OCSP responder unreachable" in caplog.text
    # The process goes on, and the same policy still verifies.
    root_policy.set_revocation_checker(None)
    assert root_policy.revocation_checker_errors == 0
    assert (
        verify_folder(vectors, OFDRW_FOLDER, root_policy).json
        == verify_folder(vectors, OFDRW_FOLDER, root_policy).json
    )


@pytest.mark.parametrize(
    "returned",
    [
        None,
        True,
        0,
        "GOOD",
        (eseal.RevocationStatus.REVOKED,),
        (eseal.RevocationStatus.REVOKED, dt.datetime(2021, 1, 1), "reason"),
        (eseal.RevocationStatus.GOOD, dt.datetime(2021, 1, 1)),
        (eseal.RevocationStatus.REVOKED, "2021-01-01"),
        (eseal.RevocationStatus.REVOKED, dt.datetime(1969, 12, 31)),
    ],
)
def test_checker_invalid_value_is_unknown(
    vectors: Path, root_policy: eseal.TrustPolicy, returned: object
) -> None:
    root_policy.set_revocation_checker(lambda cert, issuer, at: returned)
    report = verify_folder(vectors, OFDRW_FOLDER, root_policy)

    assert report.check("signature.signer_certificate_revocation").status == NOT_CHECKED
    assert report.valid
    assert root_policy.revocation_checker_errors == 2


def test_checker_replaced_and_removed(vectors: Path, root_policy: eseal.TrustPolicy) -> None:
    root_policy.set_revocation_checker(lambda cert, issuer, at: eseal.RevocationStatus.REVOKED)
    root_policy.set_revocation_checker(lambda cert, issuer, at: eseal.RevocationStatus.GOOD)
    assert (
        verify_folder(vectors, OFDRW_FOLDER, root_policy)
        .check("signature.signer_certificate_revocation")
        .status
        == PASSED
    )

    root_policy.set_revocation_checker(None)
    assert (
        verify_folder(vectors, OFDRW_FOLDER, root_policy)
        .check("signature.signer_certificate_revocation")
        .status
        == NOT_CHECKED
    )


def test_checker_kept_alive_by_policy(vectors: Path, root_policy: eseal.TrustPolicy) -> None:
    calls = []

    class Checker:
        def __call__(self, cert: bytes, issuer: bytes, at: dt.datetime) -> eseal.RevocationStatus:
            calls.append(at)
            return eseal.RevocationStatus.GOOD

    checker = Checker()
    reference = weakref.ref(checker)
    root_policy.set_revocation_checker(checker)
    del checker
    gc.collect()

    assert reference() is not None
    assert verify_folder(vectors, OFDRW_FOLDER, root_policy).valid
    assert len(calls) == 2


def test_checker_cannot_change_own_policy(vectors: Path, root_policy: eseal.TrustPolicy) -> None:
    errors: list[BaseException] = []

    def changing(cert: bytes, issuer: bytes, at: dt.datetime) -> eseal.RevocationStatus:
        try:
            root_policy.add_certificates(vectors / "keys" / "ROOT.cert.pem")
        except eseal.ArgumentError as error:
            errors.append(error)
            raise
        return eseal.RevocationStatus.GOOD

    root_policy.set_revocation_checker(changing)
    report = verify_folder(vectors, OFDRW_FOLDER, root_policy)

    # The change is rejected instead of waiting forever for the verification to end.
    assert report.check("signature.signer_certificate_revocation").status == NOT_CHECKED
    assert len(errors) == 2
    assert "while this thread verifies with it" in str(errors[0])


def test_checker_may_verify_with_own_policy(vectors: Path, root_policy: eseal.TrustPolicy) -> None:
    inner: list[bool] = []

    def nested(cert: bytes, issuer: bytes, at: dt.datetime) -> eseal.RevocationStatus:
        if not inner:
            inner.append(verify_folder(vectors, KOAL_FOLDER, root_policy).valid)
        return eseal.RevocationStatus.GOOD

    root_policy.set_revocation_checker(nested)

    assert verify_folder(vectors, OFDRW_FOLDER, root_policy).valid
    assert inner == [False]


def test_seal_revocation_list_fails_seal(
    vectors: Path, cli: Path, root_policy: eseal.TrustPolicy, revocation_list: Path
) -> None:
    root_policy.add_seal_revocation_list(revocation_list)
    report = verify_folder(vectors, OFDRW_FOLDER, root_policy)

    assert not report.valid
    revocation = report.check("seal.revocation")
    assert revocation.status == FAILED
    assert OFDRW_SEAL_ES_ID in revocation.message

    signed_value, data = signature_files(vectors, OFDRW_FOLDER)
    returncode, stdout = cli_verify(
        cli,
        [
            str(signed_value),
            "--data",
            str(data),
            "--trust",
            str(vectors / "keys" / "ROOT.cert.pem"),
            "--revoked",
            str(revocation_list),
        ],
    )
    assert returncode == 1
    assert report.json.encode("utf-8") + b"\n" == stdout


def test_seal_revocation_list_other_seal_passes(
    vectors: Path, root_policy: eseal.TrustPolicy, revocation_list: Path
) -> None:
    root_policy.add_seal_revocation_list(revocation_list.read_bytes())
    report = verify_folder(vectors, KOAL_FOLDER, root_policy)

    assert report.check("seal.revocation").status == PASSED


def test_seal_revocation_list_on_seal(
    vectors: Path, root_policy: eseal.TrustPolicy, revocation_list: Path
) -> None:
    root_policy.add_seal_revocation_list(revocation_list)
    with eseal.Seal.from_der((vectors / "seals" / "UserV4.esl").read_bytes()) as seal:
        assert seal.es_id == OFDRW_SEAL_ES_ID
        before = seal.verify(dt.datetime(2020, 12, 31, 23, 59, 59, tzinfo=UTC), trust=root_policy)
        at_revocation = seal.verify(dt.datetime(2021, 1, 1, tzinfo=UTC), trust=root_policy)

    # The list cancels the seal at 2021-01-01T00:00:00Z, so it is valid before that time.
    assert before.check("seal.revocation").status == PASSED
    assert at_revocation.check("seal.revocation").status == FAILED
    assert not at_revocation.valid


def test_seal_revocation_list_without_data(
    vectors: Path, root_policy: eseal.TrustPolicy, revocation_list: Path
) -> None:
    signed_value, _ = signature_files(vectors, OFDRW_FOLDER)
    root_policy.add_seal_revocation_list(revocation_list)
    with eseal.Signature.from_der(signed_value.read_bytes()) as signature:
        report = signature.verify(trust=root_policy)

    assert report.check("seal.revocation").status == FAILED
    assert report.check("signature.data_hash").status == NOT_CHECKED


def test_seal_verify_with_trust(vectors: Path, root_policy: eseal.TrustPolicy) -> None:
    with eseal.Seal.from_der((vectors / "seals" / "UserV4.esl").read_bytes()) as seal:
        trusted = seal.verify(dt.datetime(2021, 6, 1, tzinfo=UTC), trust=root_policy)
        plain = seal.verify(dt.datetime(2021, 6, 1, tzinfo=UTC))
        koal = eseal.Seal.from_der((vectors / "seals" / "koal-v4.esl").read_bytes())
        other = koal.verify(dt.datetime(2024, 1, 1, tzinfo=UTC), trust=root_policy)

    assert trusted.valid
    assert trusted.check("seal.maker_certificate_chain").status == PASSED
    assert plain.check("seal.maker_certificate_chain").status == NOT_CHECKED
    assert other.check("seal.maker_certificate_chain").status == FAILED


def test_seal_json_matches_cli(vectors: Path, cli: Path, root_policy: eseal.TrustPolicy) -> None:
    path = vectors / "seals" / "UserV4.esl"
    with eseal.Seal.from_der(path.read_bytes()) as seal:
        report = seal.verify(dt.datetime(2021, 6, 1, tzinfo=UTC), trust=root_policy)

    returncode, stdout = cli_verify(
        cli,
        [
            str(path),
            "--at",
            "2021-06-01T00:00:00Z",
            "--trust",
            str(vectors / "keys" / "ROOT.cert.pem"),
        ],
    )

    assert returncode == 0
    assert report.json.encode("utf-8") + b"\n" == stdout


def make_crl(vectors: Path, folder: Path) -> Path:
    """Make a CRL of ROOT with OpenSSL 3 that revokes USER.cert.pem at 2021-01-01.

    thisUpdate is 2021-02-01, before the ofdrw signing time, because the library uses only
    CRLs issued by the time checked. OpenSSL 3.0 signs with the default SM2 ID only when
    it is given as distid.
    """
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.fail("openssl (OpenSSL 3) not found; it makes the test CRL")
    (folder / "index.txt").write_text(
        f"R\t220421143908Z\t210101000000Z\t{USER_SERIAL}\tunknown\t/CN=Test Certificate\n"
    )
    (folder / "crlnumber").write_text("01\n")
    (folder / "ca.cnf").write_text(
        "[ca]\ndefault_ca = test\n[test]\ndatabase = index.txt\ncrlnumber = crlnumber\n"
        "default_md = sm3\n"
    )
    output = folder / "root.crl.pem"
    keys = vectors / "keys"
    completed = subprocess.run(
        [
            openssl,
            "ca",
            "-config",
            "ca.cnf",
            "-gencrl",
            "-keyfile",
            str(keys / "ROOT.key.pem"),
            "-cert",
            str(keys / "ROOT.cert.pem"),
            "-crl_lastupdate",
            "20210201000000Z",
            "-crl_nextupdate",
            "20310101000000Z",
            "-sigopt",
            "distid:1234567812345678",
            "-out",
            str(output),
        ],
        cwd=folder,
        capture_output=True,
        timeout=60,
    )
    assert completed.returncode == 0, completed.stderr
    return output


def test_crl_revokes_signer(
    vectors: Path, cli: Path, root_policy: eseal.TrustPolicy, tmp_path: Path
) -> None:
    crl = make_crl(vectors, tmp_path)
    root_policy.add_crl(crl)
    calls = []
    root_policy.set_revocation_checker(
        lambda cert, issuer, at: calls.append(cert) or eseal.RevocationStatus.GOOD
    )
    report = verify_folder(vectors, OFDRW_FOLDER, root_policy)

    assert not report.valid
    signer = report.check("signature.signer_certificate_revocation")
    assert signer.status == FAILED
    assert USER_SERIAL in signer.message
    # The CRL covers the maker's certificate too, so the online checker is not asked.
    assert report.check("seal.maker_certificate_revocation").status == PASSED
    assert calls == []

    signed_value, data = signature_files(vectors, OFDRW_FOLDER)
    keys = vectors / "keys"
    returncode, stdout = cli_verify(
        cli,
        [
            str(signed_value),
            "--data",
            str(data),
            "--trust",
            str(keys / "ROOT.cert.pem"),
            "--crl",
            str(crl),
        ],
    )
    assert returncode == 1
    assert report.json.encode("utf-8") + b"\n" == stdout


def test_crl_from_bytes_and_der(vectors: Path, tmp_path: Path) -> None:
    crl = make_crl(vectors, tmp_path)
    for data in (crl.read_bytes(), pem_der(crl)):
        with eseal.TrustPolicy() as policy:
            policy.add_certificates((vectors / "keys" / "ROOT.cert.pem").read_bytes())
            policy.add_crl(data)
            report = verify_folder(vectors, OFDRW_FOLDER, policy)

        assert report.check("signature.signer_certificate_revocation").status == FAILED


def test_add_certificates_forms(vectors: Path, tmp_path: Path) -> None:
    root = vectors / "keys" / "ROOT.cert.pem"
    folder = tmp_path / "roots"
    folder.mkdir()
    shutil.copy(root, folder / "root.crt")
    (folder / "notes.txt").write_text("not a certificate")
    (folder / "nested").mkdir()
    (folder / "nested" / "broken.pem").write_text("not read: subfolders are skipped")
    expected = None

    for source in (
        root,
        str(root),
        root.read_bytes(),
        bytearray(root.read_bytes()),
        pem_der(root),
        folder,
    ):
        with eseal.TrustPolicy() as policy:
            assert policy.add_certificates(source) is policy
            json_text = verify_folder(vectors, OFDRW_FOLDER, policy).json
        expected = expected or json_text
        assert json_text == expected, repr(source)[:60]


def test_add_certificates_several_pem(vectors: Path) -> None:
    keys = vectors / "keys"
    bundle = b"".join((keys / name).read_bytes() for name in ("USER.cert.pem", "ROOT.cert.pem"))
    with eseal.TrustPolicy() as policy:
        policy.add_certificates(bundle)
        report = verify_folder(vectors, OFDRW_FOLDER, policy)

    assert report.check("signature.signer_certificate_chain").status == PASSED


@pytest.mark.parametrize(
    "data",
    [b"", b"hello", b"\x30\x00", b"-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n"],
)
def test_add_invalid_data(data: bytes, vectors: Path) -> None:
    with eseal.TrustPolicy() as policy:
        with pytest.raises(eseal.CryptoMaterialError) as raised:
            policy.add_certificates(data)
        assert raised.value.code == eseal.Result.CERTIFICATE_INVALID
        with pytest.raises(eseal.RevocationListError) as crl:
            policy.add_crl(data)
        assert crl.value.code == eseal.Result.CRL_INVALID
        with pytest.raises(eseal.RevocationListError) as list_error:
            policy.add_seal_revocation_list(data)
        assert list_error.value.code == eseal.Result.SEAL_REVOCATION_LIST_INVALID
        # A failed addition leaves the policy usable.
        policy.add_certificates(vectors / "keys" / "ROOT.cert.pem")
        assert verify_folder(vectors, OFDRW_FOLDER, policy).valid


def test_add_wrong_kind_of_file(vectors: Path) -> None:
    keys = vectors / "keys"
    with eseal.TrustPolicy() as policy:
        with pytest.raises(eseal.CryptoMaterialError) as raised:
            policy.add_certificates(keys / "USER.key.pem")
        assert "USER.key.pem" in str(raised.value)
        with pytest.raises(eseal.RevocationListError) as raised:
            policy.add_crl(keys / "ROOT.cert.pem")
        assert raised.value.code == eseal.Result.CRL_INVALID
        assert "X509 CRL" in str(raised.value)
        with pytest.raises(eseal.RevocationListError) as pem:
            policy.add_seal_revocation_list(keys / "ROOT.cert.pem")
        assert pem.value.code == eseal.Result.SEAL_REVOCATION_LIST_INVALID
        with pytest.raises(eseal.RevocationListError) as der:
            policy.add_seal_revocation_list(pem_der(keys / "ROOT.cert.pem"))
        assert der.value.code == eseal.Result.SEAL_REVOCATION_LIST_INVALID


def test_add_missing_and_wrong_arguments(vectors: Path, tmp_path: Path) -> None:
    with eseal.TrustPolicy() as policy:
        with pytest.raises(FileNotFoundError):
            policy.add_certificates(tmp_path / "missing.pem")
        with pytest.raises(FileNotFoundError):
            policy.add_crl(str(tmp_path / "missing.crl"))
        with pytest.raises(eseal.ArgumentError) as raised:
            policy.add_certificates(tmp_path)
        assert "has no .pem" in str(raised.value)
        with pytest.raises(TypeError) as pem_text:
            policy.add_certificates((vectors / "keys" / "ROOT.cert.pem").read_text())
        assert ".encode()" in str(pem_text.value)
        with pytest.raises(TypeError):
            policy.add_certificates(None)  # type: ignore[arg-type]
        with pytest.raises(TypeError):
            policy.add_crl(12)  # type: ignore[arg-type]
        with pytest.raises(TypeError):
            policy.set_revocation_checker("not callable")  # type: ignore[arg-type]


def test_trust_argument_types(vectors: Path) -> None:
    signed_value, data = signature_files(vectors, OFDRW_FOLDER)
    with eseal.Signature.from_der(signed_value.read_bytes()) as signature:
        with pytest.raises(TypeError):
            signature.verify(data.read_bytes(), trust="ROOT.cert.pem")  # type: ignore[arg-type]
        with pytest.raises(TypeError):
            # trust is keyword-only, so a policy cannot be mistaken for the data.
            signature.verify(data.read_bytes(), eseal.TrustPolicy())  # type: ignore[misc]
    with eseal.Seal.from_der((vectors / "seals" / "UserV4.esl").read_bytes()) as seal:
        with pytest.raises(TypeError):
            seal.verify(trust=object())  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        eseal.verify_ofd(vectors / "ofd" / "ofdrw-hello.ofd", trust=1)  # type: ignore[arg-type]


def test_closed_policy(vectors: Path, root_policy: eseal.TrustPolicy) -> None:
    root_policy.close()
    root_policy.close()

    assert root_policy.closed
    with pytest.raises(eseal.ArgumentError) as raised:
        verify_folder(vectors, OFDRW_FOLDER, root_policy)
    assert raised.value.code == eseal.Result.NULL_ARGUMENT
    assert "TrustPolicy is closed" in str(raised.value)
    with pytest.raises(eseal.ArgumentError):
        root_policy.add_certificates(vectors / "keys" / "ROOT.cert.pem")
    with pytest.raises(eseal.ArgumentError):
        root_policy.set_revocation_checker(None)


def test_policy_collected(vectors: Path) -> None:
    policy = eseal.TrustPolicy()
    policy.set_revocation_checker(lambda cert, issuer, at: eseal.RevocationStatus.GOOD)
    reference = weakref.ref(policy)
    del policy
    gc.collect()

    assert reference() is None


def test_ofd_file_with_trust_matches_cli(
    vectors: Path, cli: Path, root_policy: eseal.TrustPolicy
) -> None:
    path = vectors / "ofd" / "ofdrw-hello.ofd"
    report = eseal.verify_ofd(path, trust=root_policy)

    for signature in report.signatures:
        for name in CHAIN_CHECKS:
            assert signature.check(name).status == PASSED, name
    returncode, stdout = cli_verify(
        cli, [str(path), "--trust", str(vectors / "keys" / "ROOT.cert.pem")]
    )
    assert returncode == (0 if report.valid else 1)
    assert report.json.encode("utf-8") + b"\n" == stdout
    assert eseal.verify_ofd(str(path)).json != report.json


def test_ofd_missing_file_with_trust(root_policy: eseal.TrustPolicy, tmp_path: Path) -> None:
    with pytest.raises(eseal.EsealIOError) as raised:
        eseal.verify_ofd(tmp_path / "missing.ofd", trust=root_policy)
    assert "missing.ofd" in str(raised.value)


def test_eight_threads_share_policy(
    vectors: Path, root_policy: eseal.TrustPolicy, revocation_list: Path
) -> None:
    root_policy.add_seal_revocation_list(revocation_list)
    root_policy.set_revocation_checker(lambda cert, issuer, at: eseal.RevocationStatus.GOOD)
    folders = [OFDRW_FOLDER, KOAL_FOLDER, "ofdr-wtest-d176968e31d8", "dianju-c9ca0b828683"]
    expected = {folder: verify_folder(vectors, folder, root_policy).json for folder in folders}
    tasks = folders * 12

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda name: verify_folder(vectors, name, root_policy).json, tasks))

    for folder, json_text in zip(tasks, results):
        assert json_text == expected[folder], folder
    assert '"status": "failed"' in expected[OFDRW_FOLDER]


def test_change_waits_for_running_verifications(
    vectors: Path, root_policy: eseal.TrustPolicy
) -> None:
    started = threading.Event()
    release = threading.Event()
    checker_returned = threading.Event()

    def slow(cert: bytes, issuer: bytes, at: dt.datetime) -> eseal.RevocationStatus:
        started.set()
        release.wait(10)
        checker_returned.set()
        return eseal.RevocationStatus.GOOD

    def change() -> bool:
        root_policy.set_revocation_checker(None)
        return checker_returned.is_set()

    root_policy.set_revocation_checker(slow)
    with ThreadPoolExecutor(max_workers=2) as pool:
        verification = pool.submit(verify_folder, vectors, OFDRW_FOLDER, root_policy)
        assert started.wait(10)
        changed_after_verification = pool.submit(change)
        # Time for a change that did not wait to finish early.
        time.sleep(0.2)
        assert not changed_after_verification.done()
        release.set()
        report = verification.result(30)

        assert changed_after_verification.result(30)
    assert report.check("signature.signer_certificate_revocation").status == PASSED


def test_certificate_count(vectors: Path) -> None:
    keys = vectors / "keys"
    with eseal.TrustPolicy() as policy:
        assert policy.certificate_count == 0
        policy.add_certificates(keys / "ROOT.cert.pem")
        assert policy.certificate_count == 1
        both = (keys / "USER.cert.pem").read_bytes() + (keys / "SealBuilder.cert.pem").read_bytes()
        policy.add_certificates(both)
        assert policy.certificate_count == 3
        with pytest.raises(eseal.CryptoMaterialError):
            policy.add_certificates(b"not a certificate")
        assert policy.certificate_count == 3


def test_ofd_bytes_with_trust(vectors: Path, root_policy: eseal.TrustPolicy) -> None:
    data = (vectors / "ofd" / "ofdrw-hello.ofd").read_bytes()
    trusted = eseal.verify_ofd(data, trust=root_policy)
    from_file = eseal.verify_ofd(vectors / "ofd" / "ofdrw-hello.ofd", trust=root_policy)
    assert trusted.json == from_file.json
    for name in CHAIN_CHECKS:
        assert trusted.signatures[0].check(name).status == PASSED, name
    untrusted = eseal.verify_ofd(data)
    for name in CHAIN_CHECKS:
        assert untrusted.signatures[0].check(name).status == NOT_CHECKED, name
    with eseal.TrustPolicy() as empty:
        untrusted_root = eseal.verify_ofd(data, trust=empty).signatures[0]
        assert untrusted_root.check("signature.signer_certificate_chain").status == FAILED


def test_verify_digest_with_trust(vectors: Path, root_policy: eseal.TrustPolicy) -> None:
    signed_value, data = signature_files(vectors, OFDRW_FOLDER)
    digest = eseal.sm3(data.read_bytes())
    with eseal.Signature.from_der(signed_value.read_bytes()) as signature:
        report = signature.verify_digest(digest, trust=root_policy)
        assert report.json == signature.verify(data.read_bytes(), trust=root_policy).json
        for name in CHAIN_CHECKS:
            assert report.check(name).status == PASSED, name
        with eseal.TrustPolicy() as empty:
            failed = signature.verify_digest(digest, trust=empty)
            assert failed.check("signature.signer_certificate_chain").status != PASSED
            assert not failed.valid
