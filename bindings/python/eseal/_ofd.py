"""OFD documents: verification of every signature, and signing with a seal."""

from __future__ import annotations

import contextlib
import datetime as _dt
import json as _json
import math
import numbers
import os
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Union

from ._errors import ArgumentError, Result, check
from ._ffi import ffi, lib
from ._handle import (
    UINT32_MAX,
    BytesLike,
    byte_buffer,
    c_text,
    handle_pointer,
    int_in_range,
    text_from_c,
    unix_seconds_or_now,
)
from ._keys import Certificate, PrivateKey
from ._report import Check, CheckStatus, Finding
from ._seal import Seal
from ._signature import TimeStamper, check_callback_result, wrap_time_stamper
from ._trust import TrustPolicy, trust_pointer

FilePath = Union[str, os.PathLike[str], os.PathLike[bytes]]
"""A file name, as str or a path object such as pathlib.Path."""


def finite_number(value: object, name: str) -> float:
    """Check that `value` is a finite real number (bool is rejected) and return it as float."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number, not {type(value).__name__}")
    number = float(value)
    if not math.isfinite(number):
        raise ArgumentError(Result.INVALID_ARGUMENT, f"{name} must be finite, got {number}")
    return number


def positive_number(value: object, name: str) -> float:
    """Check that `value` is a finite number above zero and return it as float."""
    number = finite_number(value, name)
    if number <= 0:
        raise ArgumentError(Result.INVALID_ARGUMENT, f"{name} must be above 0, got {number}")
    return number


@dataclass(frozen=True)
class Stamp:
    """The position of a seal on an OFD page: a page number from 1 and a box in millimetres
    from the page's top-left corner.

    The optional clip box (x, y, width, height) is relative to the seal's box and limits what
    is shown, as for one page of a riding seal (骑缝章). Coordinates are converted to float and
    checked when the stamp is made: they must be finite, and widths and heights above 0.
    """

    page: int
    x: float
    y: float
    width: float
    height: float
    clip: tuple[float, float, float, float] | None = None

    def __post_init__(self) -> None:
        int_in_range(self.page, "page", 1, UINT32_MAX)
        # The dataclass is frozen, so the checked values are stored with object.__setattr__.
        object.__setattr__(self, "x", finite_number(self.x, "x"))
        object.__setattr__(self, "y", finite_number(self.y, "y"))
        object.__setattr__(self, "width", positive_number(self.width, "width"))
        object.__setattr__(self, "height", positive_number(self.height, "height"))
        if self.clip is not None:
            object.__setattr__(self, "clip", clip_box(self.clip))

    @classmethod
    def riding(
        cls,
        first_page: int,
        last_page: int,
        page_width: float,
        y: float,
        width: float,
        height: float,
    ) -> list[Stamp]:
        """Split a riding seal across pages first_page to last_page (inclusive), at the right
        edge of pages `page_width` millimetres wide.

        Page k of n (k from 0) shows the k-th of n vertical slices of the seal, flush with the
        page edge, so the slices join when the pages are fanned out: with slice = width / n, its
        box starts at x = page_width - slice * (k + 1) and its clip is (slice * k, 0, slice,
        height). This is the split of StampPlacement::riding in the Rust library.
        """
        first = int_in_range(first_page, "first_page", 1, UINT32_MAX)
        last = int_in_range(last_page, "last_page", first, UINT32_MAX)
        edge = positive_number(page_width, "page_width")
        top = finite_number(y, "y")
        seal_width = positive_number(width, "width")
        seal_height = positive_number(height, "height")

        count = last - first + 1
        slice_width = seal_width / count
        return [
            cls(
                page=page,
                x=edge - slice_width * (k + 1),
                y=top,
                width=seal_width,
                height=seal_height,
                clip=(slice_width * k, 0.0, slice_width, seal_height),
            )
            for k, page in enumerate(range(first, last + 1))
        ]


def clip_box(value: object) -> tuple[float, float, float, float]:
    """Check a clip box: four finite numbers (x, y, width, height), the sizes above 0."""
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        raise TypeError(f"clip must be a tuple (x, y, width, height), not {type(value).__name__}")
    items = tuple(value)
    if len(items) != 4:
        raise ArgumentError(
            Result.INVALID_ARGUMENT,
            f"clip must have 4 numbers (x, y, width, height), got {len(items)}",
        )
    return (
        finite_number(items[0], "clip x"),
        finite_number(items[1], "clip y"),
        positive_number(items[2], "clip width"),
        positive_number(items[3], "clip height"),
    )


@dataclass(frozen=True)
class OfdProvider:
    """The software that made an OFD signature (SignedInfo `Provider`)."""

    name: str
    version: str | None
    company: str | None


@dataclass(frozen=True)
class OfdSignature:
    """The verification of one signature of an OFD document, read from the JSON report.

    `id` and `type` ("Seal" or "Sign") come from Signatures.xml, and `path` is the package
    path of the signature's Signature.xml. `failed_references` lists the package paths whose
    SM3 digest no longer matches or whose file is missing. `checks` contains the OFD checks
    (`ofd.*`) followed by those of the SES_Signature. `errors` lists problems met while reading
    the signature's files. `signature_date_time` is SignedInfo `SignatureDateTime` as written,
    in whatever format the producer chose.
    """

    id: str
    type: str
    path: str
    valid: bool
    references: int
    failed_references: list[str]
    checks: list[Check]
    findings: list[Finding]
    errors: list[str]
    signature_date_time: str | None
    provider: OfdProvider | None

    @classmethod
    def _from_json(cls, entry: dict[str, Any]) -> OfdSignature:
        provider = entry.get("provider")
        return cls(
            id=entry["id"],
            type=entry["type"],
            path=entry["path"],
            valid=entry["valid"],
            references=entry["references"],
            failed_references=list(entry["failed_references"]),
            checks=[
                Check(
                    name=item["name"],
                    status=CheckStatus[item["status"].upper()],
                    message=item["message"],
                    message_zh=item["message_zh"],
                )
                for item in entry["checks"]
            ],
            findings=[
                Finding(code=item["code"], message=item["message"], message_zh=item["message_zh"])
                for item in entry["findings"]
            ],
            errors=list(entry["errors"]),
            signature_date_time=entry.get("signature_date_time"),
            provider=None
            if provider is None
            else OfdProvider(
                name=provider["name"],
                version=provider.get("version"),
                company=provider.get("company"),
            ),
        )

    def check(self, name: str) -> Check:
        """Return the check with this name. Raises KeyError when the signature has none."""
        for item in self.checks:
            if item.name == name:
                return item
        raise KeyError(name)


class OfdReport:
    """The verification of every signature of an OFD document.

    `valid` is true when the document has at least one signature and every signature is valid.
    `json` is the text that `eseal verify DOC.ofd --json` prints, without its final newline.
    Like Report, an OfdReport owns no C handle and may be shared between threads.
    """

    valid: bool
    json: str
    signatures: list[OfdSignature]

    def __init__(self, valid: bool, json: str) -> None:
        self.valid = valid
        self.json = json
        self.signatures = [OfdSignature._from_json(entry) for entry in self.as_dict()["signatures"]]

    @classmethod
    def _take(cls, ptr: Any) -> OfdReport:
        """Copy a report handle returned by the library, then free the handle."""
        try:
            valid = ffi.new("bool *")
            check(lib.eseal_report_valid(ptr, valid))
            json_text = ffi.new("const char **")
            check(lib.eseal_report_json(ptr, json_text))
            return cls(bool(valid[0]), text_from_c(json_text[0]))
        finally:
            lib.eseal_report_free(ptr)

    def as_dict(self) -> dict[str, Any]:
        """Parse the JSON report, the object that `eseal verify DOC.ofd --json` prints."""
        parsed: dict[str, Any] = _json.loads(self.json)
        return parsed

    def __repr__(self) -> str:
        invalid = [signature.id for signature in self.signatures if not signature.valid]
        return (
            f"<eseal.OfdReport valid={self.valid} signatures={len(self.signatures)} "
            f"invalid={invalid}>"
        )


def file_path(value: object, name: str) -> str:
    """Return a file name argument as str. The C ABI takes UTF-8 paths only."""
    if not isinstance(value, (str, os.PathLike)):
        raise TypeError(f"{name} must be str or os.PathLike, not {type(value).__name__}")
    path = os.fspath(value)
    if isinstance(path, bytes):
        try:
            path = path.decode("utf-8")
        except UnicodeDecodeError:
            raise ArgumentError(
                Result.INVALID_ARGUMENT, f"{name} {path!r} is not valid UTF-8"
            ) from None
    if not path:
        raise ArgumentError(Result.INVALID_ARGUMENT, f"{name} is empty. Give a file name")
    return path


def verify_ofd(source: BytesLike | FilePath, *, trust: TrustPolicy | None = None) -> OfdReport:
    """Verify every signature of an OFD document: its References, its SignedValue.dat and the
    seal inside it.

    `source` is the document's bytes, or the name of its file (str or a path object). A file
    is read entry by entry, so memory stays bounded for large documents. With a `trust`
    policy, certificate chains, key usage and revocation are checked too. Raises ParseError
    (code 201) when the package cannot be read, and EsealIOError (code 104) when the file
    cannot be opened.
    """
    report_out = ffi.new("eseal_report **")
    if isinstance(source, (str, os.PathLike)):
        path = file_path(source, "source")
        path_text = c_text(path, "source")
        with trust_pointer(trust) as trust_ptr:
            code = lib.eseal_ofd_verify_file_with_trust(path_text, trust_ptr, report_out)
            check(code, context=path)
    else:
        buffer = byte_buffer(source, "source")
        with trust_pointer(trust) as trust_ptr:
            check(lib.eseal_ofd_verify_with_trust(buffer, len(buffer), trust_ptr, report_out))
    return OfdReport._take(report_out[0])


def stamp_array(stamps: object) -> Any:
    """Copy a sequence of Stamp objects into a C array of eseal_stamp."""
    if isinstance(stamps, Stamp):
        raise TypeError("stamps must be a list of Stamp, not one Stamp. Write [stamp]")
    if isinstance(stamps, (str, bytes)) or not isinstance(stamps, Iterable):
        raise TypeError(f"stamps must be a list of Stamp, not {type(stamps).__name__}")
    items = list(stamps)
    if not items:
        raise ArgumentError(
            Result.INVALID_ARGUMENT, "stamps is empty. Give at least one Stamp to place the seal"
        )

    array = ffi.new("eseal_stamp[]", len(items))
    for index, stamp in enumerate(items):
        if not isinstance(stamp, Stamp):
            raise TypeError(f"stamps[{index}] must be an eseal.Stamp, not {type(stamp).__name__}")
        entry = array[index]
        entry.page = stamp.page
        entry.x = stamp.x
        entry.y = stamp.y
        entry.width = stamp.width
        entry.height = stamp.height
        if stamp.clip is not None:
            entry.clipped = True
            entry.clip_x, entry.clip_y, entry.clip_width, entry.clip_height = stamp.clip
    return array


def sign_ofd(
    document: BytesLike,
    seal: Seal,
    key: PrivateKey,
    cert: Certificate,
    stamps: Iterable[Stamp],
    time: _dt.datetime | None = None,
    protect_signature_list: bool = False,
    time_stamper: TimeStamper | None = None,
) -> bytes:
    """Add a seal signature to an OFD document held in memory and return the signed document.

    The seal appears at each of `stamps` (at least one). `time` is the signing time: a naive
    datetime is UTC, and None means now. With `protect_signature_list`, Signatures.xml is signed
    too, so any later signature makes this one invalid. Leave it false unless this is the
    document's last signature.

    With a `time_stamper`, the new signature also gets a time stamp token, called and checked
    as in eseal.sign_with_time_stamp(), which also lists the TimeStampError codes (509, 510).

    Raises ParseError (code 201) when the document cannot be read, EncodeError (code 401) when
    a stamp's page does not exist or, with a time stamper, the seal is V1, and SigningError as
    eseal.sign() does.
    """
    seal_ptr = handle_pointer(seal, Seal, "seal")
    key_ptr = handle_pointer(key, PrivateKey, "key")
    cert_ptr = handle_pointer(cert, Certificate, "cert")
    check_time_stamper(time_stamper)
    seconds = unix_seconds_or_now(time, "time")
    array = stamp_array(stamps)
    buffer = byte_buffer(document, "document")
    signed_out = ffi.new("eseal_buffer **")
    arguments = (
        buffer,
        len(buffer),
        seal_ptr,
        key_ptr,
        cert_ptr,
        seconds,
        array,
        len(array),
        bool(protect_signature_list),
    )
    if time_stamper is None:
        check(lib.eseal_ofd_sign(*arguments, signed_out))
    else:
        failures: list[tuple[str, BaseException]] = []
        callback = wrap_time_stamper(time_stamper, failures)
        code = lib.eseal_ofd_sign_with_time_stamp(*arguments, callback, ffi.NULL, signed_out)
        check_callback_result(code, failures)
    return take_buffer(signed_out[0])


def check_time_stamper(time_stamper: object) -> None:
    """Raise TypeError for a time stamper that is neither None nor callable."""
    if time_stamper is not None and not callable(time_stamper):
        raise TypeError(f"time_stamper must be callable, not {type(time_stamper).__name__}")


def take_buffer(ptr: Any) -> bytes:
    """Copy the bytes of a buffer handle returned by the library, then free the handle."""
    try:
        data = ffi.new("const uint8_t **")
        length = ffi.new("size_t *")
        check(lib.eseal_buffer_data(ptr, data, length))
        return bytes(ffi.buffer(data[0], length[0]))
    finally:
        lib.eseal_buffer_free(ptr)


def same_file(first: str, second: str) -> bool:
    """Tell whether two names lead to the same existing file, through links or spelling."""
    try:
        return os.path.samefile(first, second)
    except OSError:
        return False


def sign_ofd_file(
    input_path: FilePath,
    output_path: FilePath,
    seal: Seal,
    key: PrivateKey,
    cert: Certificate,
    stamps: Iterable[Stamp],
    time: _dt.datetime | None = None,
    protect_signature_list: bool = False,
    time_stamper: TimeStamper | None = None,
) -> None:
    """Add a seal signature to the OFD document in `input_path` and write the signed document
    to `output_path`, streaming both files. The other arguments are those of sign_ofd().

    The library writes to a new file beside `output_path`, which then replaces `output_path`
    in one rename. So a failure leaves `output_path` as it was, and a reader never sees half a
    document. Raises ArgumentError (code 101) when both names lead to the same file,
    EsealIOError (code 104) when a file cannot be read or written, and OSError when the rename
    fails, for example because `output_path` is a folder. A `time_stamper` works as in
    sign_ofd().
    """
    source = file_path(input_path, "input_path")
    target = file_path(output_path, "output_path")
    seal_ptr = handle_pointer(seal, Seal, "seal")
    key_ptr = handle_pointer(key, PrivateKey, "key")
    cert_ptr = handle_pointer(cert, Certificate, "cert")
    check_time_stamper(time_stamper)
    seconds = unix_seconds_or_now(time, "time")
    array = stamp_array(stamps)
    source_text = c_text(source, "input_path")
    # Checked here because os.path.samefile() raises ValueError for a name with a NUL.
    c_text(target, "output_path")
    # The C ABI requires two different files but compares only their names, so hard links
    # and other spellings of the input are caught here.
    if source == target or same_file(source, target):
        raise ArgumentError(
            Result.INVALID_ARGUMENT,
            f"output_path {target!r} is the same file as input_path {source!r}. "
            "Write the signed document to another file",
        )

    directory, name = os.path.split(target)
    # The library creates this file itself, with the permissions of a new file.
    temporary = os.path.join(directory, f".{name}.{secrets.token_hex(8)}.tmp")
    try:
        arguments = (
            source_text,
            c_text(temporary, "output_path"),
            seal_ptr,
            key_ptr,
            cert_ptr,
            seconds,
            array,
            len(array),
            bool(protect_signature_list),
        )
        if time_stamper is None:
            code = lib.eseal_ofd_sign_file(*arguments)
        else:
            failures: list[tuple[str, BaseException]] = []
            callback = wrap_time_stamper(time_stamper, failures)
            code = lib.eseal_ofd_sign_file_with_time_stamp(*arguments, callback, ffi.NULL)
            if failures:
                check_callback_result(code, failures)
        check(code, context=f"signing {source} into {target}")
        os.replace(temporary, target)
    finally:
        # The library removes its output when signing fails, but not when os.replace() fails.
        with contextlib.suppress(OSError):
            os.remove(temporary)
