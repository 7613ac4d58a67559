"""The loaded library, the declarations, result codes, panics and NULL handling."""

from __future__ import annotations

import re
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import REPOSITORY_ROOT

import eseal
from eseal import _ffi
from eseal._errors import error_for, last_error_message
from eseal._ffi import ffi, lib

HEADER = REPOSITORY_ROOT / "include" / "eseal.h"


def prototypes(text: str) -> dict[str, str]:
    """Map each function name declared in C text to its prototype, whitespace normalised."""
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    text = re.sub(r"//[^\n]*", " ", text)
    pattern = re.compile(
        r"(?:eseal_result|void|const char \*)\s*\*?\s*(eseal_\w+)\s*\([^;{]*\)\s*;"
    )
    found = {}
    for match in pattern.finditer(text):
        found[match.group(1)] = " ".join(match.group(0).split())
    return found


def test_cdef_matches_header() -> None:
    header = prototypes(HEADER.read_text(encoding="utf-8"))
    declared = prototypes(_ffi.CDEF)

    assert len(header) > 40
    assert sorted(declared) == sorted(header)
    for name, prototype in header.items():
        assert declared[name] == prototype, name


def test_cdef_result_codes_match_header() -> None:
    header = dict(
        (name, int(value))
        for name, value in re.findall(r"(ESEAL_RESULT_\w+) = (\d+)", HEADER.read_text())
    )

    assert len(header) == len(eseal.Result)
    for member in eseal.Result:
        assert header[f"ESEAL_RESULT_{member.name}"] == member.value
        assert getattr(lib, f"ESEAL_RESULT_{member.name}") == member.value


def test_check_status_matches_header() -> None:
    header = dict(
        (name, int(value))
        for name, value in re.findall(r"ESEAL_CHECK_STATUS_(\w+) = (\d+)", HEADER.read_text())
    )

    assert header == {member.name: member.value for member in eseal.CheckStatus}


def test_cdef_defines_match_header() -> None:
    header = {}
    for name, value in re.findall(r"^#define (\w+) (.+)$", HEADER.read_text(), flags=re.M):
        if name != "ESEAL_H":
            # The values are integer expressions, evaluated after dropping the C cast.
            header[name] = eval(value.replace("(int64_t)", ""), {})

    assert header == {
        "ESEAL_TIME_NOW": -1,
        "ESEAL_MAX_STAMPS": 10_000,
        "ESEAL_MAX_PICTURE_BYTES": 8 * 1024 * 1024,
        "ESEAL_MAX_TIME_STAMP_TOKEN_LEN": 64 * 1024,
    }
    for name, value in header.items():
        assert getattr(lib, name) == value, name
    assert eseal.MAX_PICTURE_BYTES == header["ESEAL_MAX_PICTURE_BYTES"]


def test_library_version_and_path() -> None:
    assert re.fullmatch(r"\d+\.\d+\.\d+\S*", eseal.library_version())
    assert eseal.library_file().is_file()


def test_result_messages() -> None:
    for member in eseal.Result:
        message = eseal.result_message(member)
        assert message
        assert message != "unknown result code", member

    assert eseal.result_message(999) == "unknown result code"
    assert eseal.result_message(2**32 - 1) == "unknown result code"


def test_error_classes_by_family() -> None:
    cases = {
        100: eseal.ArgumentError,
        101: eseal.ArgumentError,
        102: eseal.ArgumentError,
        103: eseal.PanicError,
        104: eseal.EsealIOError,
        200: eseal.ParseError,
        201: eseal.ParseError,
        300: eseal.CryptoMaterialError,
        302: eseal.CryptoMaterialError,
        400: eseal.EncodeError,
        401: eseal.EncodeError,
        500: eseal.SigningError,
        506: eseal.SigningError,
        999: eseal.EsealError,
    }
    for code, cls in cases.items():
        with pytest.raises(cls) as raised:
            raise error_for(code)
        assert type(raised.value) is cls
        assert raised.value.code == code
        assert raised.value.message == eseal.result_message(code)
        assert raised.value.detail is None


def test_ok_does_not_raise() -> None:
    eseal.check(0)


def test_parse_error_detail_names_byte_offset(vectors: Path) -> None:
    der = (vectors / "seals" / "UserV4.esl").read_bytes()

    for data in (b"garbage", der[:100], b"\x30\x03\x02\x01"):
        with pytest.raises(eseal.ParseError) as raised:
            eseal.Seal.from_der(data)
        error = raised.value
        assert error.code == 200
        assert error.detail is not None
        assert "byte offset" in error.detail
        assert error.detail in str(error)
        assert error.message in str(error)
        assert "eseal result 200" in str(error)


def test_error_detail_of_each_family() -> None:
    cases: list[tuple[Callable[[], object], int, str]] = [
        (lambda: eseal.PrivateKey.from_bytes(b"not a key"), 300, "key"),
        (lambda: eseal.Certificate.from_bytes(b"not a certificate"), 301, "certificate"),
        (lambda: eseal.Signature.from_der(b"\x04\x00"), 200, "SES_Signature"),
        (lambda: eseal.verify_ofd(b"not a zip"), 201, "ZIP"),
    ]
    for call, code, word in cases:
        with pytest.raises(eseal.EsealError) as raised:
            call()
        assert raised.value.code == code
        assert raised.value.detail is not None
        assert word in raised.value.detail, raised.value.detail
        assert raised.value.detail != raised.value.message


def test_error_detail_of_panic() -> None:
    with pytest.raises(eseal.PanicError) as raised:
        eseal.debug_panic()

    assert raised.value.detail is not None
    assert "panic" in raised.value.detail


def test_error_detail_of_binding_check(vectors: Path) -> None:
    seal = eseal.Seal.from_der((vectors / "seals" / "UserV4.esl").read_bytes())
    seal.close()

    with pytest.raises(eseal.ArgumentError) as raised:
        seal.verify()

    assert raised.value.detail == "this Seal is closed"
    assert str(raised.value) == (
        f"{eseal.result_message(100)} (eseal result 100): this Seal is closed"
    )


def test_error_detail_not_repeated() -> None:
    # The library's detail for a NULL argument is the general message itself.
    error = error_for(100, eseal.result_message(100))

    assert str(error) == f"{eseal.result_message(100)} (eseal result 100)"


def test_last_error_message_per_thread() -> None:
    with pytest.raises(eseal.ParseError):
        eseal.Seal.from_der(b"garbage")
    main_thread_message = last_error_message()
    other_thread_messages: list[str] = []

    def fail_in_other_thread() -> None:
        try:
            eseal.PrivateKey.from_bytes(b"not a key")
        except eseal.CryptoMaterialError:
            other_thread_messages.append(last_error_message())

    thread = threading.Thread(target=fail_in_other_thread)
    thread.start()
    thread.join()

    assert "byte offset" in main_thread_message
    assert len(other_thread_messages) == 1
    assert "key" in other_thread_messages[0]
    assert last_error_message() == main_thread_message


def test_last_error_message_kept_by_success(vectors: Path) -> None:
    with pytest.raises(eseal.ParseError):
        eseal.Seal.from_der(b"garbage")
    before = last_error_message()

    eseal.Seal.from_der((vectors / "seals" / "UserV4.esl").read_bytes())

    assert last_error_message() == before


def test_unknown_code_has_no_result_member() -> None:
    error = eseal.EsealError(999)

    assert error.result is None
    assert eseal.EsealError(200).result is eseal.Result.PARSE_ERROR


def test_debug_panic_raises_and_process_goes_on(vectors: Path) -> None:
    with pytest.raises(eseal.EsealError) as raised:
        eseal.debug_panic()
    assert raised.value.code == 103
    assert isinstance(raised.value, eseal.PanicError)
    assert raised.value.message == eseal.result_message(103)

    # The library still works after the panic.
    seal = eseal.Seal.from_der((vectors / "seals" / "UserV4.esl").read_bytes())
    assert seal.version == 4
    assert seal.verify().checks


def test_debug_panic_repeated() -> None:
    for _ in range(20):
        with pytest.raises(eseal.PanicError):
            eseal.debug_panic()
    assert eseal.library_version()


def test_debug_panic_in_fresh_process() -> None:
    # A separate interpreter shows that the panic does not abort the process.
    script = (
        "import eseal\n"
        "try:\n"
        "    eseal.debug_panic()\n"
        "except eseal.EsealError as error:\n"
        "    print(error.code)\n"
        "print(eseal.library_version())\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=Path(eseal.__file__).resolve().parents[1],
    )

    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.splitlines() == ["103", eseal.library_version()]


def test_null_handles_rejected_by_library() -> None:
    # Direct calls into the C ABI with NULL, which a closed handle would be.
    out = ffi.new("eseal_report **")
    assert lib.eseal_seal_verify(ffi.NULL, -1, out) == 100
    assert lib.eseal_signature_verify(ffi.NULL, ffi.NULL, 0, out) == 100
    assert lib.eseal_report_valid(ffi.NULL, ffi.new("bool *")) == 100
    assert lib.eseal_certificate_names(ffi.NULL, ffi.NULL, ffi.NULL, ffi.NULL) == 100
    assert lib.eseal_private_key_generate(ffi.NULL) == 100
    assert lib.eseal_signer_update(ffi.NULL, ffi.NULL, 0) == 100
    assert lib.eseal_seal_builder_new(ffi.NULL, b"name", ffi.new("eseal_seal_builder **")) == 100
    assert lib.eseal_signature_info(ffi.NULL, ffi.NULL, ffi.NULL, ffi.NULL) == 100
    assert lib.eseal_buffer_data(ffi.NULL, ffi.new("const uint8_t **"), ffi.new("size_t *")) == 100
    assert lib.eseal_ofd_verify_file(ffi.NULL, out) == 100
    assert lib.eseal_sm3(b"abc", 3, ffi.NULL) == 100


def test_null_data_with_length_rejected_by_library() -> None:
    out = ffi.new("eseal_signature **")

    assert lib.eseal_signature_from_der(ffi.NULL, 10, out) == 100
    assert out[0] == ffi.NULL
    assert lib.eseal_ofd_verify(ffi.NULL, 10, ffi.new("eseal_report **")) == 100
    assert lib.eseal_sm3(ffi.NULL, 10, ffi.new("uint8_t[32]")) == 100


def test_free_functions_accept_null() -> None:
    lib.eseal_private_key_free(ffi.NULL)
    lib.eseal_certificate_free(ffi.NULL)
    lib.eseal_report_free(ffi.NULL)
    lib.eseal_seal_free(ffi.NULL)
    lib.eseal_seal_builder_free(ffi.NULL)
    lib.eseal_signature_free(ffi.NULL)
    lib.eseal_signer_free(ffi.NULL)
    lib.eseal_buffer_free(ffi.NULL)


def test_report_json_copy_and_length(vectors: Path) -> None:
    # The binding reads the JSON through eseal_report_json, and the copy functions must agree.
    signature = eseal.Signature.from_der(
        (vectors / "signatures" / "ofdrw-v4-zero-hash" / "SignedValue.dat").read_bytes()
    )
    report_out = ffi.new("eseal_report **")
    assert lib.eseal_signature_verify(signature._pointer(), ffi.NULL, 0, report_out) == 0
    report = ffi.gc(report_out[0], lib.eseal_report_free)

    length = ffi.new("size_t *")
    assert lib.eseal_report_json_length(report, length) == 0
    expected = signature.verify().json.encode("utf-8")
    assert length[0] == len(expected)

    small = ffi.new("char[]", length[0])
    written = ffi.new("size_t *", 12345)
    assert lib.eseal_report_json_copy(report, small, length[0], written) == 102
    assert written[0] == 12345
    assert ffi.buffer(small)[:] == b"\0" * length[0]

    exact = ffi.new("char[]", length[0] + 1)
    assert lib.eseal_report_json_copy(report, exact, length[0] + 1, written) == 0
    assert ffi.string(exact) == expected
    # NOTE: the header does not say whether written_out counts the NUL. The library
    # writes the length without it.
    assert written[0] == length[0]


def test_report_index_out_of_range(vectors: Path) -> None:
    signature = eseal.Signature.from_der(
        (vectors / "signatures" / "ofdrw-v4-zero-hash" / "SignedValue.dat").read_bytes()
    )
    report_out = ffi.new("eseal_report **")
    assert lib.eseal_signature_verify(signature._pointer(), ffi.NULL, 0, report_out) == 0
    report = ffi.gc(report_out[0], lib.eseal_report_free)
    count = ffi.new("size_t *")
    assert lib.eseal_report_check_count(report, count) == 0
    text = ffi.new("const char **")
    status = ffi.new("eseal_check_status *")

    assert lib.eseal_report_check(report, count[0], text, status, text, text) == 101
    assert lib.eseal_report_finding(report, 0, text, text, text) == 101
