"""Verification reports."""

from __future__ import annotations

import enum
import json as _json
from dataclasses import dataclass
from typing import Any

from ._errors import check
from ._ffi import ffi, lib
from ._handle import text_from_c


class CheckStatus(enum.IntEnum):
    """The outcome of one check (enum eseal_check_status)."""

    PASSED = 0
    FAILED = 1
    NOT_CHECKED = 2


@dataclass(frozen=True)
class Check:
    """One verification check: its stable name (such as `signature.data_hash`), its status,
    and its English and Chinese messages.
    """

    name: str
    status: CheckStatus
    message: str
    message_zh: str


@dataclass(frozen=True)
class Finding:
    """A tolerance applied while reading non-conforming input: its stable code (such as
    `signature-raw-r-s`) and its English and Chinese messages.
    """

    code: str
    message: str
    message_zh: str


class Report:
    """The result of a verification.

    The report is copied out of the library when it is made and its C handle is released at
    once, so a Report holds no handle, needs no close() and may be shared between threads.
    """

    valid: bool
    json: str
    checks: list[Check]
    findings: list[Finding]

    def __init__(self, valid: bool, json: str, checks: list[Check], findings: list[Finding]):
        self.valid = valid
        self.json = json
        self.checks = checks
        self.findings = findings

    @classmethod
    def _take(cls, ptr: Any) -> Report:
        """Copy a report handle returned by the library, then free the handle."""
        try:
            return cls._copy(ptr)
        finally:
            lib.eseal_report_free(ptr)

    @classmethod
    def _copy(cls, ptr: Any) -> Report:
        valid = ffi.new("bool *")
        check(lib.eseal_report_valid(ptr, valid))

        json_text = ffi.new("const char **")
        check(lib.eseal_report_json(ptr, json_text))

        count = ffi.new("size_t *")
        check(lib.eseal_report_check_count(ptr, count))
        checks = [cls._check_at(ptr, index) for index in range(count[0])]

        check(lib.eseal_report_finding_count(ptr, count))
        findings = [cls._finding_at(ptr, index) for index in range(count[0])]

        return cls(bool(valid[0]), text_from_c(json_text[0]), checks, findings)

    @staticmethod
    def _check_at(ptr: Any, index: int) -> Check:
        name = ffi.new("const char **")
        status = ffi.new("eseal_check_status *")
        message = ffi.new("const char **")
        message_zh = ffi.new("const char **")
        check(lib.eseal_report_check(ptr, index, name, status, message, message_zh))
        return Check(
            name=text_from_c(name[0]),
            status=CheckStatus(status[0]),
            message=text_from_c(message[0]),
            message_zh=text_from_c(message_zh[0]),
        )

    @staticmethod
    def _finding_at(ptr: Any, index: int) -> Finding:
        code = ffi.new("const char **")
        message = ffi.new("const char **")
        message_zh = ffi.new("const char **")
        check(lib.eseal_report_finding(ptr, index, code, message, message_zh))
        return Finding(
            code=text_from_c(code[0]),
            message=text_from_c(message[0]),
            message_zh=text_from_c(message_zh[0]),
        )

    def as_dict(self) -> dict[str, Any]:
        """Parse the JSON report, the object that `eseal verify --json` prints."""
        parsed: dict[str, Any] = _json.loads(self.json)
        return parsed

    def check(self, name: str) -> Check:
        """Return the check with this name. Raises KeyError when the report has none."""
        for item in self.checks:
            if item.name == name:
                return item
        raise KeyError(name)

    def __repr__(self) -> str:
        failed = [item.name for item in self.checks if item.status == CheckStatus.FAILED]
        return f"<eseal.Report valid={self.valid} failed={failed}>"
