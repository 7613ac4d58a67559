"""Result codes of the C ABI and the exceptions raised for them."""

from __future__ import annotations

import enum

from ._ffi import c_string, lib


class Result(enum.IntEnum):
    """A result code of the C ABI (enum eseal_result). Codes are grouped by family in hundreds."""

    OK = 0
    NULL_ARGUMENT = 100
    INVALID_ARGUMENT = 101
    BUFFER_TOO_SMALL = 102
    PANIC = 103
    IO = 104
    PARSE_ERROR = 200
    OFD_INVALID = 201
    KEY_INVALID = 300
    CERTIFICATE_INVALID = 301
    RNG_FAILED = 302
    WRONG_PASSWORD = 303
    PICTURE_INVALID = 400
    ENCODE_FAILED = 401
    SEAL_SIGNATURE_INVALID = 500
    SEAL_NOT_VALID_AT_TIME = 501
    SIGNER_NOT_IN_CERT_LIST = 502
    SIGNER_CERTIFICATE_NOT_VALID_AT_TIME = 503
    KEY_CERTIFICATE_MISMATCH = 504
    VERSION_MISMATCH = 505
    SIGNATURE_INVALID = 506
    MAKER_CERTIFICATE_NOT_VALID_AT_TIME = 507
    SIGNER_FAILED = 508
    TIME_STAMP_FAILED = 509
    TIME_STAMP_INVALID = 510
    CRL_INVALID = 600
    SEAL_REVOCATION_LIST_INVALID = 601


def result_message(code: int) -> str:
    """Return the library's English message for a result code (eseal_result_message)."""
    return c_string(lib.eseal_result_message(code))


class EsealError(Exception):
    """An eseal call failed.

    `code` is the C ABI result code (compare it with `Result`) and `message` the library's
    general message for that code. `detail` is the specific message: for a failed library call,
    the library's eseal_last_error_message() (such as the structure, field and byte offset of a
    parse error), and for a check made by the binding, the binding's note about the value
    involved. str() shows both messages.
    """

    code: int
    message: str
    detail: str | None

    def __init__(self, code: int, detail: str | None = None) -> None:
        self.code = int(code)
        self.message = result_message(self.code)
        self.detail = detail or None
        text = f"{self.message} (eseal result {self.code})"
        # The library's detail for a NULL argument is the general message itself.
        if self.detail and self.detail != self.message:
            text = f"{text}: {self.detail}"
        super().__init__(text)

    @property
    def result(self) -> Result | None:
        """The code as a `Result` member, or None for a code this binding does not know."""
        try:
            return Result(self.code)
        except ValueError:
            return None


class ArgumentError(EsealError, ValueError):
    """An argument is NULL (a closed handle), out of range, not UTF-8, or a buffer is too small.

    Codes 100, 101 and 102.
    """


class PanicError(EsealError):
    """The library panicked. The call had no effect and the process can go on. Code 103."""


class EsealIOError(EsealError):
    """Reading data failed. Code 104."""


class ParseError(EsealError, ValueError):
    """The bytes are not a well-formed seal or signature (code 200), or an OFD package cannot
    be read (code 201).
    """


class CryptoMaterialError(EsealError, ValueError):
    """A key or certificate cannot be read or used, the random number generator failed, or the
    password of a protected key is wrong.

    Codes 300 to 303.
    """


class WrongPasswordError(CryptoMaterialError):
    """The password of an encrypted private key or a PKCS#12 file is wrong. Code 303.

    Damaged ciphertext fails the same checks, so it raises this error too.
    """


class EncodeError(EsealError, ValueError):
    """A seal picture is invalid, or a value cannot be written as DER. Codes 400 and 401."""


class SigningError(EsealError):
    """Signing was refused because a verifier would reject the result (codes 500 to 505 and
    507), an SM2 signature could not be made or an external signer's does not verify (code
    506), an external signer failed (code 508), or a time stamp could not be added (codes 509
    and 510).
    """


class TimeStampError(SigningError):
    """The time stamp service failed (code 509), or returned bytes that are not a time stamp
    token over the signature value (code 510).
    """


class RevocationListError(EsealError, ValueError):
    """A CRL (code 600) or a seal revocation list (code 601) cannot be read."""


_CLASS_BY_CODE: dict[int, type[EsealError]] = {
    Result.NULL_ARGUMENT: ArgumentError,
    Result.INVALID_ARGUMENT: ArgumentError,
    Result.BUFFER_TOO_SMALL: ArgumentError,
    Result.PANIC: PanicError,
    Result.IO: EsealIOError,
    Result.WRONG_PASSWORD: WrongPasswordError,
    Result.TIME_STAMP_FAILED: TimeStampError,
    Result.TIME_STAMP_INVALID: TimeStampError,
}

_CLASS_BY_FAMILY: dict[int, type[EsealError]] = {
    200: ParseError,
    300: CryptoMaterialError,
    400: EncodeError,
    500: SigningError,
    600: RevocationListError,
}


def error_for(code: int, detail: str | None = None) -> EsealError:
    """Make the exception for a failed result code: the family's subclass of EsealError."""
    cls = _CLASS_BY_CODE.get(code) or _CLASS_BY_FAMILY.get(code // 100 * 100, EsealError)
    return cls(code, detail)


def last_error_message() -> str:
    """Return the library's detailed message of the last failed call on this thread.

    The message is empty before the first failure, and a successful call leaves it unchanged.
    """
    return c_string(lib.eseal_last_error_message())


def check(code: int, context: str | None = None) -> None:
    """Raise the exception for `code`, the result of the library call just made on this
    thread, unless it is ESEAL_RESULT_OK.

    The exception's detail is the library's message for that failure, after `context` (such as
    the file involved) when given. Call check() before any other library call on the thread,
    because the next failure replaces the message.
    """
    if code == Result.OK:
        return
    detail = last_error_message()
    if context:
        detail = f"{context}: {detail}" if detail else context
    raise error_for(code, detail)
