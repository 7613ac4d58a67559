"""Every real-world signature folder: validity, JSON equal to `eseal verify --json`, threads."""

from __future__ import annotations

import datetime as dt
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from conftest import signature_folder_names

import eseal

# Signed after the seal or the certificates had expired. Every other folder is valid.
EXPECTED_INVALID = {"ofdr-wtest-d176968e31d8", "ofdrw-v5-zero-hash"}
# The only checks that may fail in the folders above.
EXPIRY_CHECKS = {
    "seal.validity",
    "seal.maker_certificate_validity",
    "signature.signer_certificate_validity",
}


def signature_paths(vectors: Path, folder: str) -> tuple[Path, Path | None]:
    """Return SignedValue.dat of a folder and its Signature.xml, or None when there is none."""
    directory = vectors / "signatures" / folder
    data = directory / "Signature.xml"
    return directory / "SignedValue.dat", (data if data.is_file() else None)


def verify_folder(vectors: Path, folder: str) -> eseal.Report:
    signed_value, data_path = signature_paths(vectors, folder)
    data = data_path.read_bytes() if data_path is not None else None
    with eseal.Signature.from_der(signed_value.read_bytes()) as signature:
        return signature.verify(data)


def cli_json(cli: Path, vectors: Path, folder: str) -> tuple[int, bytes]:
    signed_value, data_path = signature_paths(vectors, folder)
    command = [str(cli), "verify", str(signed_value)]
    if data_path is not None:
        command += ["--data", str(data_path)]
    command.append("--json")
    completed = subprocess.run(command, capture_output=True, timeout=120)
    return completed.returncode, completed.stdout


def test_signature_folders_present(vectors: Path) -> None:
    folders = signature_folder_names()

    assert len(folders) >= 2
    assert EXPECTED_INVALID <= set(folders)
    for folder in folders:
        signed_value, _ = signature_paths(vectors, folder)
        assert signed_value.is_file(), folder


def test_signature_folder_validity(vectors: Path, signature_folder: str) -> None:
    report = verify_folder(vectors, signature_folder)
    failed = {check.name for check in report.checks if check.status == eseal.CheckStatus.FAILED}

    if signature_folder in EXPECTED_INVALID:
        assert not report.valid
        assert failed
        assert failed <= EXPIRY_CHECKS
    else:
        assert report.valid, failed
        assert not failed


def test_signature_folder_data_hash(vectors: Path, signature_folder: str) -> None:
    _, data_path = signature_paths(vectors, signature_folder)
    status = verify_folder(vectors, signature_folder).check("signature.data_hash").status

    if data_path is None:
        assert status == eseal.CheckStatus.NOT_CHECKED
    else:
        assert status == eseal.CheckStatus.PASSED


def test_signature_folder_json_matches_cli(vectors: Path, cli: Path, signature_folder: str) -> None:
    report = verify_folder(vectors, signature_folder)

    returncode, stdout = cli_json(cli, vectors, signature_folder)

    assert returncode == (0 if report.valid else 1)
    assert stdout.endswith(b"\n")
    assert report.json.encode("utf-8") == stdout[:-1]


def test_signature_folder_report_fields(vectors: Path, signature_folder: str) -> None:
    report = verify_folder(vectors, signature_folder)
    parsed = report.as_dict()
    entry = parsed["signatures"][0]

    assert parsed["valid"] is report.valid
    assert [check["name"] for check in entry["checks"]] == [c.name for c in report.checks]
    assert [check["status"] for check in entry["checks"]] == [
        c.status.name.lower() for c in report.checks
    ]
    assert [check["message_zh"] for check in entry["checks"]] == [
        c.message_zh for c in report.checks
    ]
    assert [finding["code"] for finding in entry["findings"]] == [f.code for f in report.findings]
    assert [finding["message"] for finding in entry["findings"]] == [
        f.message for f in report.findings
    ]


def test_signature_folder_info_matches_json(vectors: Path, signature_folder: str) -> None:
    signed_value, _ = signature_paths(vectors, signature_folder)
    signature = eseal.Signature.from_der(signed_value.read_bytes())
    entry = signature.verify().as_dict()["signatures"][0]

    assert signature.version == entry["version"]
    assert signature.signing_time.strftime("%Y-%m-%dT%H:%M:%SZ") == entry["signing_time"]
    assert signature.property_info == entry["property_info"]


def test_signature_info_values(vectors: Path) -> None:
    cases = {
        "koal-0949ab5880fe": (4, dt.datetime(2024, 2, 6, 7, 6, 18), "Sign_0"),
        "dianju-c9ca0b828683": (4, dt.datetime(2022, 5, 25, 17, 28, 44), "Sign_1"),
        "ofdrw-v5-zero-hash": (5, dt.datetime(2026, 4, 24, 8, 53, 26), "Sign_0"),
    }
    for folder, (version, when, sign_folder) in cases.items():
        signed_value, _ = signature_paths(vectors, folder)
        signature = eseal.Signature.from_der(signed_value.read_bytes())

        assert signature.version == version, folder
        assert signature.signing_time == when.replace(tzinfo=dt.timezone.utc), folder
        assert signature.property_info == f"/Doc_0/Signs/{sign_folder}/Signature.xml", folder


def test_zero_hash_folders_verify_digest(vectors: Path) -> None:
    # These signatures were made over 32 zero bytes given as the digest.
    for folder in ("ofdrw-v4-zero-hash", "ofdrw-v5-zero-hash"):
        signed_value, _ = signature_paths(vectors, folder)
        signature = eseal.Signature.from_der(signed_value.read_bytes())

        report = signature.verify_digest(bytes(32))

        assert report.check("signature.data_hash").status == eseal.CheckStatus.PASSED, folder
        assert signature.der == signed_value.read_bytes()


def test_eight_threads_match_one_thread(vectors: Path) -> None:
    folders = signature_folder_names()
    expected = {folder: verify_folder(vectors, folder).json for folder in folders}
    # Each folder several times, so that the same files are verified at the same moment.
    tasks = folders * 6

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda folder: verify_folder(vectors, folder).json, tasks))

    for folder, json_text in zip(tasks, results):
        assert json_text == expected[folder], folder


def test_eight_threads_share_handles(vectors: Path) -> None:
    # Signature handles are immutable, so threads may verify the same object at once.
    folders = signature_folder_names()
    signatures = {}
    data = {}
    for folder in folders:
        signed_value, data_path = signature_paths(vectors, folder)
        signatures[folder] = eseal.Signature.from_der(signed_value.read_bytes())
        data[folder] = data_path.read_bytes() if data_path is not None else None
    expected = {folder: signatures[folder].verify(data[folder]).json for folder in folders}
    tasks = folders * 6

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda folder: signatures[folder].verify(data[folder]).json, tasks))

    for folder, json_text in zip(tasks, results):
        assert json_text == expected[folder], folder
