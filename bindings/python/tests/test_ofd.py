"""OFD documents: every vector verified against `eseal verify --json`, signing, riding seals,
bad input and threads.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import os
import subprocess
import zipfile
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from conftest import SIGNING_TIME, ofd_file_names, read_cert, read_key, read_seal

import eseal

EXPIRY_CHECKS = [
    "seal.validity",
    "seal.maker_certificate_validity",
    "signature.signer_certificate_validity",
]
EDITED_PAGES = ["/Doc_0/Pages/Page_0/Content.xml", "/Doc_0/Pages/Page_1/Content.xml"]
# Per file: each signature's ID, validity, failed References and failed checks, in the order
# of the report.
EXPECTED_SIGNATURES: dict[str, list[tuple[str, bool, list[str], list[str]]]] = {
    "gomain-invoice.ofd": [("1", True, [], [])],
    "kinggrid-invoice-relative-baseloc.ofd": [("1", True, [], [])],
    "koal-three-signatures.ofd": [("2", True, [], []), ("3", True, [], []), ("4", True, [], [])],
    # Two pages were edited after signing. The seal maker's certificate had also expired on
    # 2020-08-21, before the signing time 2020-10-10.
    "gomain-permit-edited-after-signing.ofd": [
        ("2", False, EDITED_PAGES, ["ofd.references", "seal.maker_certificate_validity"]),
        ("4", False, EDITED_PAGES, ["ofd.references", "seal.maker_certificate_validity"]),
    ],
    "koal-tampered-content.ofd": [
        ("1", False, ["/Doc_0/Pages/Page_0/Content.xml"], ["ofd.references"])
    ],
    # Signed after its seal and certificates expired.
    "ofdrw-hello.ofd": [("1", False, [], EXPIRY_CHECKS)],
    # The second signature changed Signatures.xml, which the first one protects.
    "ofdrw-riding-seal-two-signatures.ofd": [
        ("s001", False, ["/Doc_0/Signs/Signatures.xml"], ["ofd.references"]),
        ("s007", True, [], []),
    ],
}
VALID_DOCUMENTS = {
    "gomain-invoice.ofd",
    "kinggrid-invoice-relative-baseloc.ofd",
    "koal-three-signatures.ofd",
}
HELLO = "ofdrw-hello.ofd"
RIDING = "ofdrw-riding-seal-two-signatures.ofd"
# ofdrw-hello.ofd has one page, A4 wide.
STAMP = eseal.Stamp(page=1, x=10, y=10, width=40, height=40)


def ofd_path(vectors: Path, name: str) -> Path:
    return vectors / "ofd" / name


def cli_json(cli: Path, path: Path) -> tuple[int, bytes]:
    completed = subprocess.run(
        [str(cli), "verify", str(path), "--json"], check=False, capture_output=True, timeout=120
    )
    return completed.returncode, completed.stdout


def failed_checks(signature: eseal.OfdSignature) -> list[str]:
    return [check.name for check in signature.checks if check.status == eseal.CheckStatus.FAILED]


@pytest.fixture(scope="module")
def user_seal(vectors: Path) -> eseal.Seal:
    """UserV4.esl: ofdrw's V4 test seal, valid 2020-04-22 to 2022-04-22, for USER.cert.pem."""
    return read_seal(vectors, "UserV4.esl")


@pytest.fixture(scope="module")
def signing_material(
    vectors: Path, user_seal: eseal.Seal
) -> tuple[eseal.Seal, eseal.PrivateKey, eseal.Certificate]:
    return user_seal, read_key(vectors, "USER.key.pem"), read_cert(vectors, "USER.cert.pem")


@pytest.fixture(scope="module")
def signed_hello(
    vectors: Path, signing_material: tuple[eseal.Seal, eseal.PrivateKey, eseal.Certificate]
) -> bytes:
    """ofdrw-hello.ofd signed once more with UserV4.esl on page 1 at 2021-06-01T00:00:00Z."""
    seal, key, cert = signing_material
    document = ofd_path(vectors, HELLO).read_bytes()
    return eseal.sign_ofd(document, seal, key, cert, [STAMP], SIGNING_TIME)


# Verification of the vectors.


def test_ofd_files_present(vectors: Path) -> None:
    assert ofd_file_names() == sorted(EXPECTED_SIGNATURES)


def test_ofd_document_validity(vectors: Path, ofd_file: str) -> None:
    report = eseal.verify_ofd(ofd_path(vectors, ofd_file))

    assert report.valid is (ofd_file in VALID_DOCUMENTS)
    assert report.as_dict()["valid"] is report.valid
    assert report.as_dict()["kind"] == "ofd"


def test_ofd_signature_results(vectors: Path, ofd_file: str) -> None:
    report = eseal.verify_ofd(ofd_path(vectors, ofd_file))

    found = [
        (
            signature.id,
            signature.valid,
            sorted(signature.failed_references),
            failed_checks(signature),
        )
        for signature in report.signatures
    ]
    assert found == EXPECTED_SIGNATURES[ofd_file]
    for signature in report.signatures:
        assert signature.errors == [], signature.id


def test_ofd_json_matches_cli_from_path(vectors: Path, cli: Path, ofd_file: str) -> None:
    path = ofd_path(vectors, ofd_file)
    report = eseal.verify_ofd(path)

    returncode, stdout = cli_json(cli, path)

    assert returncode == (0 if report.valid else 1)
    assert stdout.endswith(b"\n")
    assert report.json.encode("utf-8") == stdout[:-1]


def test_ofd_json_matches_cli_from_bytes(vectors: Path, cli: Path, ofd_file: str) -> None:
    path = ofd_path(vectors, ofd_file)
    report = eseal.verify_ofd(path.read_bytes())

    _, stdout = cli_json(cli, path)

    assert report.json.encode("utf-8") == stdout[:-1]


class BytesPath:
    """A path object whose os.fspath() is bytes."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __fspath__(self) -> bytes:
        return os.fsencode(self.path)


def test_ofd_source_kinds_agree(vectors: Path, ofd_file: str) -> None:
    path = ofd_path(vectors, ofd_file)
    expected = eseal.verify_ofd(path).json

    assert eseal.verify_ofd(str(path)).json == expected
    assert eseal.verify_ofd(BytesPath(path)).json == expected
    assert eseal.verify_ofd(bytearray(path.read_bytes())).json == expected
    assert eseal.verify_ofd(memoryview(path.read_bytes())).json == expected


def test_ofd_signature_fields_match_json(vectors: Path, ofd_file: str) -> None:
    report = eseal.verify_ofd(ofd_path(vectors, ofd_file))
    entries = report.as_dict()["signatures"]

    assert len(report.signatures) == len(entries)
    for signature, entry in zip(report.signatures, entries):
        assert signature.id == entry["id"]
        assert signature.type == "Seal"
        assert signature.path == entry["path"]
        assert signature.references == entry["references"]
        assert signature.signature_date_time == entry["signature_date_time"]
        assert signature.provider is not None
        assert signature.provider.name == entry["provider"]["name"]
        assert signature.provider.version == entry["provider"]["version"]
        assert signature.provider.company == entry["provider"]["company"]
        assert [check.name for check in signature.checks] == [c["name"] for c in entry["checks"]]
        assert [check.status.name.lower() for check in signature.checks] == [
            c["status"] for c in entry["checks"]
        ]
        assert [check.message_zh for check in signature.checks] == [
            c["message_zh"] for c in entry["checks"]
        ]
        assert [finding.code for finding in signature.findings] == [
            f["code"] for f in entry["findings"]
        ]


def test_ofd_signature_values(vectors: Path) -> None:
    report = eseal.verify_ofd(ofd_path(vectors, RIDING))
    first = report.signatures[0]

    assert first.path == "/Doc_0/Signs/Sign_0/Signature.xml"
    assert first.references == 9
    assert first.signature_date_time == "2020-07-16 16:04:27"
    assert first.provider == eseal.OfdProvider(name="ofdrw-sign", version="1.5.2", company="ofdrw")
    assert first.check("ofd.references").status == eseal.CheckStatus.FAILED
    assert "/Doc_0/Signs/Signatures.xml" in first.check("ofd.references").message
    assert first.check("signature.data_hash").status == eseal.CheckStatus.PASSED
    with pytest.raises(KeyError):
        first.check("no.such.check")
    assert repr(report) == "<eseal.OfdReport valid=False signatures=2 invalid=['s001']>"


def test_ofd_flat_lists_join_signatures(vectors: Path) -> None:
    # The C report's check and finding lists hold every signature's entries one after another.
    from eseal._ffi import c_string, ffi, lib

    data = ofd_path(vectors, "koal-three-signatures.ofd").read_bytes()
    report = eseal.verify_ofd(data)
    report_out = ffi.new("eseal_report **")
    assert lib.eseal_ofd_verify(data, len(data), report_out) == 0
    handle = ffi.gc(report_out[0], lib.eseal_report_free)
    count = ffi.new("size_t *")
    name = ffi.new("const char **")
    status = ffi.new("eseal_check_status *")
    text = ffi.new("const char **")

    assert lib.eseal_report_check_count(handle, count) == 0
    names = []
    for index in range(count[0]):
        assert lib.eseal_report_check(handle, index, name, status, text, text) == 0
        names.append(c_string(name[0]))
    assert names == [check.name for s in report.signatures for check in s.checks]
    assert lib.eseal_report_finding_count(handle, count) == 0
    assert count[0] == sum(len(s.findings) for s in report.signatures)


def test_ofd_eight_threads_match_one_thread(vectors: Path) -> None:
    files = ofd_file_names()
    expected = {name: eseal.verify_ofd(ofd_path(vectors, name)).json for name in files}
    contents = {name: ofd_path(vectors, name).read_bytes() for name in files}
    # Each file several times, from its path and from its bytes, so that threads read the
    # same file at the same moment.
    tasks = [(name, from_path) for name in files for from_path in (True, False)] * 4

    def verify(task: tuple[str, bool]) -> str:
        name, from_path = task
        source = ofd_path(vectors, name) if from_path else contents[name]
        return eseal.verify_ofd(source).json

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(verify, tasks))

    for (name, from_path), json_text in zip(tasks, results):
        assert json_text == expected[name], (name, from_path)


# Signing.


def test_sign_ofd_new_signature_valid(signed_hello: bytes) -> None:
    report = eseal.verify_ofd(signed_hello)
    original, added = report.signatures

    assert added.id == "3"
    assert added.valid, failed_checks(added)
    assert added.failed_references == []
    assert added.provider is not None
    assert added.provider.name == "eseal"
    # The original signature stays as it was: valid except for its expired seal.
    assert original.id == "1"
    assert failed_checks(original) == EXPIRY_CHECKS
    assert not report.valid


def test_sign_ofd_signature_content(signed_hello: bytes) -> None:
    entry = eseal.verify_ofd(signed_hello).as_dict()["signatures"][1]

    assert entry["signing_time"] == "2021-06-01T00:00:00Z"
    assert entry["path"] == "/Doc_0/Signs/Sign_1/Signature.xml"
    assert entry["property_info"] == entry["path"]
    assert entry["seal"]["es_id"] == "51f044b76510434e9bc67a1185c2fba5"
    assert [(a["page_ref"], a["boundary"], a["clip"]) for a in entry["stamp_annots"]] == [
        ("1", "10 10 40 40", None)
    ]


def test_sign_ofd_signed_value_readable(signed_hello: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(signed_hello)) as package:
        der = package.read("Doc_0/Signs/Sign_1/SignedValue.dat")
    signature = eseal.Signature.from_der(der)

    assert signature.version == 4
    assert signature.signing_time == SIGNING_TIME
    assert signature.property_info == "/Doc_0/Signs/Sign_1/Signature.xml"


def test_sign_ofd_json_matches_cli(signed_hello: bytes, cli: Path, tmp_path: Path) -> None:
    path = tmp_path / "signed.ofd"
    path.write_bytes(signed_hello)

    _, stdout = cli_json(cli, path)

    assert eseal.verify_ofd(path).json.encode("utf-8") == stdout[:-1]
    assert eseal.verify_ofd(signed_hello).json.encode("utf-8") == stdout[:-1]


def test_sign_ofd_twice(
    signed_hello: bytes,
    signing_material: tuple[eseal.Seal, eseal.PrivateKey, eseal.Certificate],
) -> None:
    seal, key, cert = signing_material
    second_stamp = eseal.Stamp(page=1, x=60, y=10, width=40, height=40)

    twice = eseal.sign_ofd(signed_hello, seal, key, cert, [second_stamp], SIGNING_TIME)
    signatures = eseal.verify_ofd(twice).signatures

    assert [signature.id for signature in signatures] == ["1", "3", "4"]
    assert signatures[1].valid, failed_checks(signatures[1])
    assert signatures[2].valid, failed_checks(signatures[2])


def test_sign_ofd_protected_list_broken_by_next(
    vectors: Path,
    signing_material: tuple[eseal.Seal, eseal.PrivateKey, eseal.Certificate],
) -> None:
    seal, key, cert = signing_material
    document = ofd_path(vectors, HELLO).read_bytes()

    protected = eseal.sign_ofd(
        document, seal, key, cert, [STAMP], SIGNING_TIME, protect_signature_list=True
    )
    assert eseal.verify_ofd(protected).signatures[1].valid
    after = eseal.sign_ofd(protected, seal, key, cert, [STAMP], SIGNING_TIME)
    signatures = eseal.verify_ofd(after).signatures

    assert signatures[1].failed_references == ["/Doc_0/Signs/Signatures.xml"]
    assert not signatures[1].valid
    assert signatures[2].valid


def test_sign_ofd_riding_seal(
    vectors: Path,
    signing_material: tuple[eseal.Seal, eseal.PrivateKey, eseal.Certificate],
) -> None:
    seal, key, cert = signing_material
    document = ofd_path(vectors, RIDING).read_bytes()
    stamps = eseal.Stamp.riding(1, 5, 210, 128.5, 40, 40)

    signed = eseal.sign_ofd(document, seal, key, cert, stamps, SIGNING_TIME)
    report = eseal.verify_ofd(signed)
    added = report.signatures[-1]
    entry = report.as_dict()["signatures"][-1]

    assert len(report.signatures) == 3
    assert added.valid, failed_checks(added)
    # The earlier signatures keep their results.
    assert [(s.id, s.valid) for s in report.signatures[:2]] == [("s001", False), ("s007", True)]
    assert [(a["boundary"], a["clip"]) for a in entry["stamp_annots"]] == [
        ("202 128.5 40 40", "0 0 8 40"),
        ("194 128.5 40 40", "8 0 8 40"),
        ("186 128.5 40 40", "16 0 8 40"),
        ("178 128.5 40 40", "24 0 8 40"),
        ("170 128.5 40 40", "32 0 8 40"),
    ]
    # Five different pages.
    assert len({a["page_ref"] for a in entry["stamp_annots"]}) == 5


def test_sign_ofd_file(
    vectors: Path,
    tmp_path: Path,
    signing_material: tuple[eseal.Seal, eseal.PrivateKey, eseal.Certificate],
) -> None:
    seal, key, cert = signing_material
    output = tmp_path / "signed.ofd"

    eseal.sign_ofd_file(ofd_path(vectors, HELLO), output, seal, key, cert, [STAMP], SIGNING_TIME)

    signatures = eseal.verify_ofd(output).signatures
    assert [signature.id for signature in signatures] == ["1", "3"]
    assert signatures[1].valid
    # Only the output is left: no temporary file.
    assert sorted(os.listdir(tmp_path)) == ["signed.ofd"]


def test_sign_ofd_file_replaces_output(
    vectors: Path,
    tmp_path: Path,
    signing_material: tuple[eseal.Seal, eseal.PrivateKey, eseal.Certificate],
) -> None:
    seal, key, cert = signing_material
    output = tmp_path / "signed.ofd"
    output.write_bytes(b"an older file")

    eseal.sign_ofd_file(
        str(ofd_path(vectors, HELLO)), str(output), seal, key, cert, [STAMP], SIGNING_TIME
    )

    assert eseal.verify_ofd(output).signatures[1].valid


def test_sign_ofd_file_failure_keeps_output(
    vectors: Path,
    tmp_path: Path,
    signing_material: tuple[eseal.Seal, eseal.PrivateKey, eseal.Certificate],
) -> None:
    seal, key, cert = signing_material
    output = tmp_path / "signed.ofd"
    output.write_bytes(b"an older file")
    missing_page = eseal.Stamp(page=2, x=10, y=10, width=40, height=40)

    with pytest.raises(eseal.EncodeError):
        eseal.sign_ofd_file(
            ofd_path(vectors, HELLO), output, seal, key, cert, [missing_page], SIGNING_TIME
        )

    assert output.read_bytes() == b"an older file"
    assert sorted(os.listdir(tmp_path)) == ["signed.ofd"]


def test_sign_ofd_file_same_file_rejected(
    vectors: Path,
    tmp_path: Path,
    signing_material: tuple[eseal.Seal, eseal.PrivateKey, eseal.Certificate],
) -> None:
    seal, key, cert = signing_material
    document = tmp_path / "document.ofd"
    document.write_bytes(ofd_path(vectors, HELLO).read_bytes())
    link = tmp_path / "link.ofd"
    os.link(document, link)
    other_spellings = [
        document,
        tmp_path / "." / "document.ofd",
        tmp_path / "sub" / ".." / "document.ofd",
        link,
    ]
    (tmp_path / "sub").mkdir()

    for output in other_spellings:
        with pytest.raises(eseal.ArgumentError) as raised:
            eseal.sign_ofd_file(document, output, seal, key, cert, [STAMP], SIGNING_TIME)
        assert raised.value.code == 101
        assert "same file" in str(raised.value.detail)

    assert document.read_bytes() == ofd_path(vectors, HELLO).read_bytes()


def test_sign_ofd_file_bad_names(
    vectors: Path,
    tmp_path: Path,
    signing_material: tuple[eseal.Seal, eseal.PrivateKey, eseal.Certificate],
) -> None:
    seal, key, cert = signing_material
    document = ofd_path(vectors, HELLO)

    for input_path, output_path in ((document, ""), ("", tmp_path / "out.ofd")):
        with pytest.raises(eseal.ArgumentError) as raised:
            eseal.sign_ofd_file(input_path, output_path, seal, key, cert, [STAMP], SIGNING_TIME)
        assert "empty" in str(raised.value.detail)
    with pytest.raises(eseal.ArgumentError):
        eseal.sign_ofd_file(
            document, tmp_path / "out\0.ofd", seal, key, cert, [STAMP], SIGNING_TIME
        )
    with pytest.raises(TypeError):
        eseal.sign_ofd_file(document, None, seal, key, cert, [STAMP], SIGNING_TIME)  # type: ignore[arg-type]

    assert os.listdir(tmp_path) == []


def test_sign_ofd_file_output_is_folder(
    vectors: Path,
    tmp_path: Path,
    signing_material: tuple[eseal.Seal, eseal.PrivateKey, eseal.Certificate],
) -> None:
    seal, key, cert = signing_material
    folder = tmp_path / "folder"
    folder.mkdir()

    with pytest.raises(OSError):
        eseal.sign_ofd_file(
            ofd_path(vectors, HELLO), folder, seal, key, cert, [STAMP], SIGNING_TIME
        )

    assert os.listdir(tmp_path) == ["folder"]
    assert os.listdir(folder) == []


def test_sign_ofd_file_missing_input(
    tmp_path: Path,
    signing_material: tuple[eseal.Seal, eseal.PrivateKey, eseal.Certificate],
) -> None:
    seal, key, cert = signing_material
    missing = tmp_path / "missing.ofd"

    with pytest.raises(eseal.EsealIOError) as raised:
        eseal.sign_ofd_file(missing, tmp_path / "out.ofd", seal, key, cert, [STAMP], SIGNING_TIME)

    assert raised.value.code == 104
    assert str(missing) in str(raised.value)
    assert os.listdir(tmp_path) == []


def test_sign_ofd_file_missing_output_folder(
    vectors: Path,
    tmp_path: Path,
    signing_material: tuple[eseal.Seal, eseal.PrivateKey, eseal.Certificate],
) -> None:
    seal, key, cert = signing_material
    output = tmp_path / "no-such-folder" / "out.ofd"

    with pytest.raises(eseal.EsealIOError) as raised:
        eseal.sign_ofd_file(
            ofd_path(vectors, HELLO), output, seal, key, cert, [STAMP], SIGNING_TIME
        )

    assert str(output) in str(raised.value)


# Stamps.


def test_stamp_riding_split() -> None:
    stamps = eseal.Stamp.riding(1, 5, 210.0, 128.5, 40.0, 40.0)

    assert [stamp.page for stamp in stamps] == [1, 2, 3, 4, 5]
    assert stamps[0] == eseal.Stamp(1, 202.0, 128.5, 40.0, 40.0, clip=(0.0, 0.0, 8.0, 40.0))
    assert stamps[4] == eseal.Stamp(5, 170.0, 128.5, 40.0, 40.0, clip=(32.0, 0.0, 8.0, 40.0))
    for stamp in stamps:
        assert stamp.clip is not None
        # Each slice sits flush with the page's right edge.
        assert stamp.x + stamp.clip[0] + stamp.clip[2] == 210.0


def test_stamp_riding_matches_vector(vectors: Path) -> None:
    # ofdrw split the first signature of this vector over five pages in the same way.
    entry = eseal.verify_ofd(ofd_path(vectors, RIDING)).as_dict()["signatures"][0]
    stamps = eseal.Stamp.riding(1, 5, 210, 128.5, 40, 40)

    def text(numbers: tuple[float, ...]) -> str:
        return " ".join(f"{number:g}" for number in numbers)

    written = [(a["boundary"], a["clip"]) for a in entry["stamp_annots"]]
    expected = []
    for stamp in stamps:
        assert stamp.clip is not None
        expected.append((text((stamp.x, stamp.y, stamp.width, stamp.height)), text(stamp.clip)))
    assert written == expected


def test_stamp_riding_uneven_slices() -> None:
    stamps = eseal.Stamp.riding(3, 5, 297, 10, 40, 30)
    slice_width = 40 / 3

    assert [stamp.page for stamp in stamps] == [3, 4, 5]
    for k, stamp in enumerate(stamps):
        assert stamp.x == 297 - slice_width * (k + 1)
        assert stamp.clip == (slice_width * k, 0.0, slice_width, 30.0)


def test_stamp_riding_one_page() -> None:
    assert eseal.Stamp.riding(2, 2, 210, 10, 40, 40) == [
        eseal.Stamp(2, 170.0, 10.0, 40.0, 40.0, clip=(0.0, 0.0, 40.0, 40.0))
    ]


def test_stamp_riding_bad_arguments() -> None:
    with pytest.raises(eseal.ArgumentError):
        eseal.Stamp.riding(5, 1, 210, 10, 40, 40)
    with pytest.raises(eseal.ArgumentError):
        eseal.Stamp.riding(0, 5, 210, 10, 40, 40)
    with pytest.raises(eseal.ArgumentError):
        eseal.Stamp.riding(1, 5, 0, 10, 40, 40)
    with pytest.raises(eseal.ArgumentError):
        eseal.Stamp.riding(1, 5, 210, 10, math.inf, 40)
    with pytest.raises(TypeError):
        eseal.Stamp.riding(1.0, 5, 210, 10, 40, 40)  # type: ignore[arg-type]


def test_stamp_values_converted() -> None:
    stamp = eseal.Stamp(page=1, x=10, y=20, width=30, height=40, clip=[0, 0, 15, 40])  # type: ignore[arg-type]

    assert stamp.x == 10.0
    assert isinstance(stamp.x, float)
    assert stamp.clip == (0.0, 0.0, 15.0, 40.0)
    with pytest.raises(AttributeError):
        stamp.page = 2  # type: ignore[misc]


@pytest.mark.parametrize(
    ("arguments", "error"),
    [
        ({"page": 0}, eseal.ArgumentError),
        ({"page": 2**32}, eseal.ArgumentError),
        ({"page": True}, TypeError),
        ({"page": 1.0}, TypeError),
        ({"x": math.nan}, eseal.ArgumentError),
        ({"y": -math.inf}, eseal.ArgumentError),
        ({"x": "10"}, TypeError),
        ({"width": 0}, eseal.ArgumentError),
        ({"height": -40}, eseal.ArgumentError),
        ({"clip": (0, 0, 10)}, eseal.ArgumentError),
        ({"clip": (0, 0, 0, 40)}, eseal.ArgumentError),
        ({"clip": (0, math.nan, 10, 40)}, eseal.ArgumentError),
        ({"clip": "0 0 10 40"}, TypeError),
    ],
)
def test_stamp_invalid(arguments: dict[str, object], error: type[Exception]) -> None:
    values: dict[str, object] = {"page": 1, "x": 10, "y": 10, "width": 40, "height": 40}
    values.update(arguments)

    with pytest.raises(error):
        eseal.Stamp(**values)  # type: ignore[arg-type]


# Bad input.


def test_verify_ofd_not_a_zip(tmp_path: Path) -> None:
    path = tmp_path / "not-a-zip.ofd"
    path.write_bytes(b"this is not a ZIP file")

    for source in (path.read_bytes(), path, b""):
        with pytest.raises(eseal.ParseError) as raised:
            eseal.verify_ofd(source)
        assert raised.value.code == 201
        assert raised.value.result is eseal.Result.OFD_INVALID
        assert raised.value.detail is not None
        assert "ZIP" in raised.value.detail


def test_verify_ofd_zip_without_ofd(tmp_path: Path) -> None:
    path = tmp_path / "plain.zip"
    with zipfile.ZipFile(path, "w") as package:
        package.writestr("hello.txt", "hello")

    with pytest.raises(eseal.ParseError) as raised:
        eseal.verify_ofd(path)

    assert raised.value.code == 201
    assert raised.value.detail


def test_verify_ofd_truncated(vectors: Path) -> None:
    data = ofd_path(vectors, HELLO).read_bytes()

    with pytest.raises(eseal.ParseError) as raised:
        eseal.verify_ofd(data[: len(data) // 2])

    assert raised.value.code == 201


def test_verify_ofd_missing_file(tmp_path: Path) -> None:
    missing = tmp_path / "missing.ofd"

    with pytest.raises(eseal.EsealIOError) as raised:
        eseal.verify_ofd(missing)

    assert raised.value.code == 104
    assert str(missing) in str(raised.value)


def test_verify_ofd_bad_arguments() -> None:
    with pytest.raises(TypeError):
        eseal.verify_ofd(None)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        eseal.verify_ofd(42)  # type: ignore[arg-type]
    with pytest.raises(eseal.ArgumentError):
        eseal.verify_ofd("doc\0.ofd")
    with pytest.raises(eseal.ArgumentError):
        eseal.verify_ofd("")
    with pytest.raises(eseal.ArgumentError):
        eseal.verify_ofd(Path(os.fsdecode(b"/tmp/\xff.ofd")))


def test_sign_ofd_not_a_zip(
    signing_material: tuple[eseal.Seal, eseal.PrivateKey, eseal.Certificate],
) -> None:
    seal, key, cert = signing_material

    with pytest.raises(eseal.ParseError) as raised:
        eseal.sign_ofd(b"not a zip", seal, key, cert, [STAMP], SIGNING_TIME)

    assert raised.value.code == 201


def test_sign_ofd_page_out_of_range(
    vectors: Path,
    signing_material: tuple[eseal.Seal, eseal.PrivateKey, eseal.Certificate],
) -> None:
    seal, key, cert = signing_material
    document = ofd_path(vectors, HELLO).read_bytes()
    missing_page = eseal.Stamp(page=2, x=10, y=10, width=40, height=40)

    with pytest.raises(eseal.EncodeError) as raised:
        eseal.sign_ofd(document, seal, key, cert, [STAMP, missing_page], SIGNING_TIME)

    assert raised.value.code == 401
    assert raised.value.detail is not None
    assert "page" in raised.value.detail
    assert "page 2" in str(raised.value)


def test_sign_ofd_empty_stamps(
    vectors: Path,
    signing_material: tuple[eseal.Seal, eseal.PrivateKey, eseal.Certificate],
) -> None:
    seal, key, cert = signing_material
    document = ofd_path(vectors, HELLO).read_bytes()

    empty: list[Iterable[eseal.Stamp]] = [[], (), iter([])]
    for stamps in empty:
        with pytest.raises(eseal.ArgumentError) as raised:
            eseal.sign_ofd(document, seal, key, cert, stamps, SIGNING_TIME)
        assert raised.value.code == 101
        assert "stamps" in str(raised.value)


def test_sign_ofd_stamp_types(
    vectors: Path,
    signing_material: tuple[eseal.Seal, eseal.PrivateKey, eseal.Certificate],
) -> None:
    seal, key, cert = signing_material
    document = ofd_path(vectors, HELLO).read_bytes()

    with pytest.raises(TypeError, match="not one Stamp"):
        eseal.sign_ofd(document, seal, key, cert, STAMP, SIGNING_TIME)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"stamps\[1\]"):
        eseal.sign_ofd(document, seal, key, cert, [STAMP, (1, 2)], SIGNING_TIME)  # type: ignore[list-item]
    with pytest.raises(TypeError):
        eseal.sign_ofd(document, seal, key, cert, None, SIGNING_TIME)  # type: ignore[arg-type]


def test_sign_ofd_refusals(
    vectors: Path,
    signing_material: tuple[eseal.Seal, eseal.PrivateKey, eseal.Certificate],
) -> None:
    seal, key, cert = signing_material
    document = ofd_path(vectors, HELLO).read_bytes()
    after_expiry = dt.datetime(2023, 1, 1, tzinfo=dt.timezone.utc)
    other_key = read_key(vectors, "sign_key.pem")

    with pytest.raises(eseal.SigningError) as raised:
        eseal.sign_ofd(document, seal, key, cert, [STAMP], after_expiry)
    assert raised.value.code == eseal.Result.SEAL_NOT_VALID_AT_TIME
    assert "2023-01-01T00:00:00Z" in str(raised.value.detail)

    with pytest.raises(eseal.SigningError) as raised:
        eseal.sign_ofd(document, seal, other_key, cert, [STAMP], SIGNING_TIME)
    assert raised.value.code == eseal.Result.KEY_CERTIFICATE_MISMATCH


def test_sign_ofd_closed_and_wrong_handles(
    vectors: Path,
    signing_material: tuple[eseal.Seal, eseal.PrivateKey, eseal.Certificate],
) -> None:
    seal, key, cert = signing_material
    document = ofd_path(vectors, HELLO).read_bytes()
    closed = read_seal(vectors, "UserV4.esl")
    closed.close()

    with pytest.raises(eseal.ArgumentError) as raised:
        eseal.sign_ofd(document, closed, key, cert, [STAMP], SIGNING_TIME)
    assert raised.value.code == 100
    with pytest.raises(TypeError):
        eseal.sign_ofd(document, seal, cert, key, [STAMP], SIGNING_TIME)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        eseal.sign_ofd(None, seal, key, cert, [STAMP], SIGNING_TIME)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        eseal.sign_ofd(document, seal, key, cert, [STAMP], "2021-06-01")  # type: ignore[arg-type]
