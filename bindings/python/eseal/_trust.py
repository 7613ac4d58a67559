"""Trust policies: trusted roots, CRLs, seal revocation lists and an online revocation checker."""

from __future__ import annotations

import contextlib
import datetime as _dt
import enum
import logging
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Callable, Optional, Union

from ._errors import ArgumentError, Result, check
from ._ffi import ffi, lib
from ._handle import BytesLike, Handle, byte_buffer, datetime_from_unix, unix_seconds

_LOGGER = logging.getLogger("eseal")

# The file name endings that add_certificates() reads from a folder, as `eseal verify --trust`.
CERTIFICATE_FILE_SUFFIXES = (".pem", ".crt", ".cer", ".der")


class RevocationStatus(enum.IntEnum):
    """The result of a revocation check (enum eseal_revocation_status)."""

    GOOD = 0
    REVOKED = 1
    UNKNOWN = 2


RevocationResult = Union[RevocationStatus, tuple[RevocationStatus, Optional[_dt.datetime]]]
"""The return value of a revocation checker: a status, or a status and the revocation time."""

RevocationChecker = Callable[[bytes, bytes, _dt.datetime], RevocationResult]
"""A callable(cert_der, issuer_der, at) that looks up a certificate's revocation online."""

Source = Union[BytesLike, str, "os.PathLike[str]"]
"""Certificate, CRL or list data: bytes, or the name of a file to read."""


class SharedLock:
    """A readers-writer lock: many verifications share a policy, while a change or close()
    waits for them to finish, as the C ABI requires.

    A thread that holds the shared side and requests the exclusive side gets ArgumentError,
    not a deadlock. That happens when a revocation checker changes or closes the policy that
    is calling it.
    """

    def __init__(self) -> None:
        self._condition = threading.Condition()
        self._readers = 0
        self._writer = False
        self._held = threading.local()

    @contextlib.contextmanager
    def shared(self) -> Iterator[None]:
        with self._condition:
            # Readers wait only for an active writer, so a checker may verify with the same
            # policy again on its own thread.
            while self._writer:
                self._condition.wait()
            self._readers += 1
        self._held.count = getattr(self._held, "count", 0) + 1
        try:
            yield
        finally:
            self._held.count -= 1
            with self._condition:
                self._readers -= 1
                if self._readers == 0:
                    self._condition.notify_all()

    @contextlib.contextmanager
    def exclusive(self, action: str) -> Iterator[None]:
        if getattr(self._held, "count", 0) > 0:
            raise ArgumentError(
                Result.INVALID_ARGUMENT,
                f"cannot {action} a TrustPolicy while this thread verifies with it, for "
                "example from its revocation checker",
            )
        with self._condition:
            while self._writer or self._readers:
                self._condition.wait()
            self._writer = True
        try:
            yield
        finally:
            with self._condition:
                self._writer = False
                self._condition.notify_all()


class _CheckerState:
    """The revocation checker of a policy and the count of its failures.

    Kept apart from the TrustPolicy, so that the C callback does not refer to the policy and
    the policy can be collected as soon as it is unreachable.
    """

    def __init__(self, checker: RevocationChecker) -> None:
        self.checker = checker
        self.errors = 0
        self._errors_lock = threading.Lock()

    def count_error(self) -> int:
        with self._errors_lock:
            self.errors += 1
            return self.errors

    def call_checker(
        self,
        cert_der: Any,
        cert_len: int,
        issuer_der: Any,
        issuer_len: int,
        unix_time: int,
        revoked_at_out: Any,
    ) -> int:
        """Call the checker for the C callback and return UNKNOWN when it fails.

        Only exceptions that are not an Exception, such as KeyboardInterrupt, pass through, and
        cffi then returns UNKNOWN (the callback's error value).
        """
        try:
            result = self.checker(
                bytes(ffi.buffer(cert_der, cert_len)),
                bytes(ffi.buffer(issuer_der, issuer_len)),
                datetime_from_unix(unix_time),
            )
            status, revoked_at = revocation_result(result)
        except Exception:
            # The error cannot cross the C library, so it is logged: the first one of a checker
            # as a warning, later ones at debug level, to keep a failing service from flooding
            # the log.
            count = self.count_error()
            level = logging.WARNING if count == 1 else logging.DEBUG
            _LOGGER.log(
                level,
                "revocation checker %r failed (failure %d); the certificate's revocation is "
                "reported as not checked",
                self.checker,
                count,
                exc_info=True,
            )
            return int(RevocationStatus.UNKNOWN)
        revoked_at_out[0] = revoked_at
        return int(status)


def revocation_result(result: object) -> tuple[RevocationStatus, int]:
    """Convert what a checker returned to a status and the revocation time for the C ABI.

    A revocation time of -1 means not known, which the library reads as revoked since 1970.
    """
    revoked_at: object = None
    if isinstance(result, tuple):
        if len(result) != 2:
            raise TypeError(
                f"the revocation checker returned a tuple of {len(result)} items; expected "
                "(RevocationStatus, datetime or None)"
            )
        result, revoked_at = result
    if not isinstance(result, RevocationStatus):
        raise TypeError(
            "the revocation checker must return a RevocationStatus or (RevocationStatus, "
            f"datetime), not {type(result).__name__}"
        )
    if revoked_at is None:
        return result, -1
    if result != RevocationStatus.REVOKED:
        raise ValueError(f"the revocation checker returned a revocation time with {result.name}")
    return result, unix_seconds(revoked_at, "revocation time")


def source_path(source: object, name: str) -> Path | None:
    """Return the file that `source` names, or None for data given as bytes."""
    if isinstance(source, str) and "-----BEGIN" in source:
        raise TypeError(f"{name} looks like PEM text, which must be given as bytes: use .encode()")
    if isinstance(source, (str, os.PathLike)):
        return Path(source)
    return None


class TrustPolicy(Handle):
    """The trust used to verify: roots and intermediate CA certificates, CRLs, seal revocation
    lists (注销列表) and an optional online revocation checker.

    With a policy, verification checks certificate chains, key usage and revocation, and the
    seal against the revocation lists. Without one these checks are reported as not checked.

    Change a policy from one thread, then share it: any number of threads may verify with it at
    once. A change or close() waits until running verifications with the policy end.
    """

    _free_function = "eseal_trust_free"

    def __init__(self) -> None:
        """Make an empty policy. An empty policy trusts no root, so every chain check fails."""
        super().__init__()
        self._lock = SharedLock()
        # The checker and its C callback must live as long as the policy may call them.
        self._checker_state: _CheckerState | None = None
        self._callback: Any = None
        self._certificate_count = 0
        trust_out = ffi.new("eseal_trust **")
        check(lib.eseal_trust_new(trust_out))
        self._adopt(trust_out[0])

    def close(self) -> None:
        """Release the policy, after the verifications using it on other threads end."""
        with self._lock.exclusive("close"):
            super().close()

    def _add(self, function: str, source: object, name: str) -> TrustPolicy:
        path = source_path(source, name)
        buffer = byte_buffer(source if path is None else path.read_bytes(), name)
        context = None if path is None else str(path)
        with self._lock.exclusive("change"):
            check(getattr(lib, function)(self._pointer(), buffer, len(buffer)), context)
        return self

    def _add_certificate_source(self, source: object) -> TrustPolicy:
        path = source_path(source, "source")
        buffer = byte_buffer(source if path is None else path.read_bytes(), "source")
        context = None if path is None else str(path)
        count = ffi.new("size_t *")
        with self._lock.exclusive("change"):
            check(
                lib.eseal_trust_add_certificates_with_count(
                    self._pointer(), buffer, len(buffer), count
                ),
                context,
            )
            self._certificate_count += count[0]
        return self

    @property
    def certificate_count(self) -> int:
        """The number of certificates add_certificates() has added to the policy so far."""
        return self._certificate_count

    def add_certificates(self, source: Source) -> TrustPolicy:
        """Add trusted CA certificates: self-issued ones become roots, the others intermediates
        that build paths to a root.

        `source` is one DER certificate or PEM text with one or more, as bytes, or the name of
        a file with them. For a folder, every .pem, .crt, .cer and .der file in it is read, not
        those in subfolders, as `eseal verify --trust` does. Raises CryptoMaterialError (code
        301) when data contains no certificate, with the file's name in the detail, and OSError
        when a file cannot be read.
        """
        path = source_path(source, "source")
        if path is not None and path.is_dir():
            return self._add_certificate_folder(path)
        return self._add_certificate_source(source)

    def _add_certificate_folder(self, folder: Path) -> TrustPolicy:
        files = sorted(
            entry
            for entry in folder.iterdir()
            if entry.suffix.lower() in CERTIFICATE_FILE_SUFFIXES and entry.is_file()
        )
        if not files:
            raise ArgumentError(
                Result.INVALID_ARGUMENT,
                f"the folder {folder} has no .pem, .crt, .cer or .der file. Give the folder "
                "or file with the CA certificates",
            )
        for file in files:
            self._add_certificate_source(file)
        return self

    def add_crl(self, source: Source) -> TrustPolicy:
        """Add an X.509 CRL, PEM or DER, as bytes or a file name. A CRL is used only when its
        signature verifies with a certificate of the policy, which is checked during
        verification.

        Raises RevocationListError (code 600) when the data is not a well-formed CRL.
        """
        return self._add("eseal_trust_add_crl", source, "source")

    def add_seal_revocation_list(self, source: Source) -> TrustPolicy:
        """Add a seal revocation list (PEM label `ESEAL REVOCATION LIST`, or DER), as bytes or a
        file name, such as `eseal revocation create` writes.

        A list whose signature or signer does not verify makes the `seal.revocation` check
        fail during verification. Raises RevocationListError (code 601) when the data is not a
        well-formed list.
        """
        return self._add("eseal_trust_add_seal_revocation_list", source, "source")

    def set_revocation_checker(self, checker: RevocationChecker | None) -> TrustPolicy:
        """Set the online revocation checker (OCSP, a seal server), replacing an earlier one.
        None removes it.

        The library calls `checker(cert_der, issuer_der, at)` for each certificate of a path
        that no CRL of the policy covers, with both certificates as DER bytes and the time
        checked as an aware UTC datetime. It returns a RevocationStatus, or (REVOKED,
        revocation time). REVOKED alone means revoked at an unknown time, which the library
        treats as revoked since 1970.

        The checker may run on several threads at once, one for each verification. An exception
        raised inside it, or a return value of another type, counts as UNKNOWN and is logged to
        the `eseal` logger (the first one of a checker as a warning, later ones at debug level).
        `revocation_checker_errors` counts them.
        """
        if checker is not None and not callable(checker):
            raise TypeError(f"checker must be callable or None, not {type(checker).__name__}")
        state = None if checker is None else _CheckerState(checker)
        callback = (
            ffi.NULL
            if state is None
            else ffi.callback(
                "eseal_revocation_callback",
                lambda _context, *arguments: state.call_checker(*arguments),
                error=int(RevocationStatus.UNKNOWN),
                onerror=_log_callback_error,
            )
        )
        with self._lock.exclusive("change"):
            check(lib.eseal_trust_set_revocation_callback(self._pointer(), callback, ffi.NULL))
            # No verification runs now, so the earlier callback can be released.
            self._checker_state = state
            self._callback = callback
        return self

    @property
    def revocation_checker_errors(self) -> int:
        """The number of failed calls of the current revocation checker, each returning UNKNOWN."""
        state = self._checker_state
        return 0 if state is None else state.errors

    @contextlib.contextmanager
    def _shared(self) -> Iterator[Any]:
        with self._lock.shared():
            yield self._pointer()


def _log_callback_error(exception_type: type, value: BaseException, traceback: Any) -> None:
    # Reached only for exceptions that _CheckerState.call_checker() does not catch, such as
    # KeyboardInterrupt; cffi then returns UNKNOWN to the library.
    _LOGGER.warning(
        "revocation checker interrupted by %s; the certificate's revocation is reported as not "
        "checked",
        exception_type.__name__,
        exc_info=(exception_type, value, traceback),
    )


@contextlib.contextmanager
def trust_pointer(trust: object) -> Iterator[Any]:
    """Lease the C handle of an optional TrustPolicy for one verification: NULL for None."""
    if trust is None:
        yield ffi.NULL
        return
    if not isinstance(trust, TrustPolicy):
        raise TypeError(f"trust must be an eseal.TrustPolicy or None, not {type(trust).__name__}")
    with trust._shared() as pointer:
        yield pointer
