"""The base class of objects that own a C handle, and conversions of Python arguments."""

from __future__ import annotations

import datetime as _dt
from typing import Any, ClassVar, TypeVar, Union, cast

from ._errors import ArgumentError, Result
from ._ffi import c_string, ffi, lib

UNIX_EPOCH = _dt.datetime(1970, 1, 1, tzinfo=_dt.timezone.utc)
INT64_MIN = -(2**63)
INT64_MAX = 2**63 - 1
UINT32_MAX = 2**32 - 1

HandleT = TypeVar("HandleT", bound="Handle")

BytesLike = Union[bytes, bytearray, memoryview]
"""Binary data the binding reads without copying."""


class Handle:
    """An owner of one C handle, released by close(), by leaving a `with` block, or by the
    garbage collector, exactly once.

    NOTE: close() must not run while another thread is calling a method of the same object,
    as with Python file objects. The binding does not lock around calls.
    """

    _free_function: ClassVar[str]
    _ptr: Any

    def __init__(self) -> None:
        # Subclasses call _adopt() once the library has made the handle, so a failed
        # constructor leaves no handle to free.
        self._ptr = None

    @classmethod
    def _from_pointer(cls: type[HandleT], ptr: Any) -> HandleT:
        obj = cls.__new__(cls)
        Handle.__init__(obj)
        obj._adopt(ptr)
        return obj

    def _adopt(self, ptr: Any) -> None:
        """Take ownership of `ptr`: the garbage collector frees it unless close() does first."""
        self._ptr = ffi.gc(ptr, getattr(lib, self._free_function))

    def _pointer(self) -> Any:
        """Return the live handle, or raise ArgumentError (NULL argument) after close()."""
        if self._ptr is None:
            raise ArgumentError(Result.NULL_ARGUMENT, f"this {type(self).__name__} is closed")
        return self._ptr

    @property
    def closed(self) -> bool:
        """Whether the handle has been released."""
        return self._ptr is None

    def close(self) -> None:
        """Release the handle now. Calling close() again does nothing."""
        ptr = self._ptr
        if ptr is None:
            return
        self._ptr = None
        # Detach the garbage collector's destructor first, so the handle is freed only here.
        ffi.gc(ptr, None)
        getattr(lib, self._free_function)(ptr)

    def __enter__(self: HandleT) -> HandleT:
        self._pointer()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __copy__(self) -> Handle:
        # A copy would share the handle, and closing one copy would leave the other dangling.
        raise TypeError(f"eseal.{type(self).__name__} cannot be copied or pickled")

    def __deepcopy__(self, memo: object) -> Handle:
        return self.__copy__()

    def __reduce_ex__(self, protocol: object) -> Any:
        return self.__copy__()

    def __repr__(self) -> str:
        state = "closed" if self._ptr is None else "open"
        return f"<eseal.{type(self).__name__} {state}>"


def handle_pointer(value: object, cls: type[Handle], name: str) -> Any:
    """Return the live C handle of `value`, which must be an open `cls`."""
    if not isinstance(value, cls):
        raise TypeError(f"{name} must be an eseal.{cls.__name__}, not {type(value).__name__}")
    return value._pointer()


def byte_buffer(value: object, name: str) -> Any:
    """Borrow a bytes-like value as `uint8_t[]` for one call, without copying.

    Empty input gives a non-NULL pointer, so the library reads it as empty data, not absent.
    """
    if isinstance(value, str):
        raise TypeError(f"{name} must be bytes-like, not str. Encode it first")
    try:
        memoryview(value)  # type: ignore[arg-type]
    except TypeError:
        raise TypeError(f"{name} must be bytes-like, not {type(value).__name__}") from None
    return ffi.from_buffer("uint8_t[]", cast(Any, value))


def digest_buffer(value: object, name: str) -> Any:
    """Borrow a 32-byte SM3 digest. The library reads exactly 32 bytes, so the length is
    checked here to keep it from reading past a shorter buffer.
    """
    buffer = byte_buffer(value, name)
    if len(buffer) != 32:
        raise ArgumentError(
            Result.INVALID_ARGUMENT, f"{name} must be a 32-byte SM3 digest, got {len(buffer)} bytes"
        )
    return buffer


def c_text(value: object, name: str) -> bytes:
    """Encode a str as a NUL-terminated UTF-8 argument.

    A NUL inside the string is rejected because C would silently cut the string there.
    """
    if not isinstance(value, str):
        raise TypeError(f"{name} must be str, not {type(value).__name__}")
    if "\0" in value:
        raise ArgumentError(Result.INVALID_ARGUMENT, f"{name} contains a NUL character")
    try:
        return value.encode("utf-8")
    except UnicodeEncodeError as error:
        raise ArgumentError(
            Result.INVALID_ARGUMENT, f"{name} cannot be encoded as UTF-8 ({error.reason})"
        ) from None


def optional_c_text(value: object, name: str) -> Any:
    """Encode an optional str: None becomes NULL."""
    return ffi.NULL if value is None else c_text(value, name)


def int_in_range(value: object, name: str, minimum: int, maximum: int) -> int:
    """Check that `value` is an int in minimum..maximum (bool is rejected)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be int, not {type(value).__name__}")
    if not minimum <= value <= maximum:
        raise ArgumentError(
            Result.INVALID_ARGUMENT, f"{name} {value} is outside {minimum}..{maximum}"
        )
    return value


def unix_seconds(value: object, name: str) -> int:
    """Convert a datetime to whole seconds since 1970-01-01T00:00:00Z, rounding down.

    A naive datetime is read as UTC. Times before 1970 are rejected because the C ABI reads
    -1 as "now" and rejects other negative values.
    """
    if not isinstance(value, _dt.datetime):
        raise TypeError(f"{name} must be a datetime, not {type(value).__name__}")
    if value.utcoffset() is None:
        value = value.replace(tzinfo=_dt.timezone.utc)
    seconds = (value - UNIX_EPOCH) // _dt.timedelta(seconds=1)
    if seconds < 0:
        raise ArgumentError(
            Result.INVALID_ARGUMENT, f"{name} {value.isoformat()} is before 1970-01-01T00:00:00Z"
        )
    return seconds


def unix_seconds_or_now(value: object, name: str) -> int:
    """Convert an optional datetime as `unix_seconds` does, with None as ESEAL_TIME_NOW."""
    if value is None:
        return int(lib.ESEAL_TIME_NOW)
    return unix_seconds(value, name)


def datetime_from_unix(seconds: int) -> _dt.datetime:
    """Convert seconds since 1970-01-01T00:00:00Z to an aware UTC datetime."""
    return UNIX_EPOCH + _dt.timedelta(seconds=seconds)


text_from_c = c_string
