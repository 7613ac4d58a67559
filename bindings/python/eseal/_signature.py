"""Signatures (SES_Signature): decoding, verification and signing."""

from __future__ import annotations

import datetime as _dt
from typing import Any, Callable

from ._errors import Result, check, error_for, last_error_message
from ._ffi import ffi, lib
from ._handle import (
    BytesLike,
    Handle,
    byte_buffer,
    datetime_from_unix,
    digest_buffer,
    handle_pointer,
    optional_c_text,
    text_from_c,
    unix_seconds_or_now,
)
from ._keys import Certificate, PrivateKey
from ._report import Report
from ._seal import Seal
from ._trust import SharedLock, TrustPolicy, trust_pointer

SIGNATURE_VALUE_LENGTH = 64
"""Length of an SM2 signature value r || s, in bytes, as an external signer returns it."""


class Signature(Handle):
    """A decoded signature (SES_Signature, the SignedValue.dat of an OFD file).

    Immutable, so it may be shared between threads.
    """

    _free_function = "eseal_signature_free"

    def __init__(self) -> None:
        raise TypeError("use Signature.from_der(), eseal.sign() or Signer.finish()")

    @classmethod
    def from_der(cls, der: BytesLike) -> Signature:
        """Decode a signature from DER, tolerating what real producers write.

        Raises ParseError (code 200) when the bytes are not a well-formed signature.
        """
        buffer = byte_buffer(der, "der")
        signature_out = ffi.new("eseal_signature **")
        check(lib.eseal_signature_from_der(buffer, len(buffer), signature_out))
        return cls._from_pointer(signature_out[0])

    @property
    def der(self) -> bytes:
        """The signature's DER bytes as stored."""
        data = ffi.new("const uint8_t **")
        length = ffi.new("size_t *")
        check(lib.eseal_signature_der(self._pointer(), data, length))
        return bytes(ffi.buffer(data[0], length[0]))

    def _info(self) -> tuple[int, int, str]:
        version = ffi.new("uint32_t *")
        seconds = ffi.new("int64_t *")
        property_info = ffi.new("const char **")
        check(lib.eseal_signature_info(self._pointer(), version, seconds, property_info))
        return int(version[0]), int(seconds[0]), text_from_c(property_info[0])

    @property
    def version(self) -> int:
        """The signature version: 1 (GM/T 0031-2014), 4 (GB/T 38540-2020) or 5."""
        return self._info()[0]

    @property
    def signing_time(self) -> _dt.datetime:
        """The signing time (TBS_Sign.timeInfo) in UTC. It is the signer's own claim."""
        return datetime_from_unix(self._info()[1])

    @property
    def property_info(self) -> str:
        """TBS_Sign.propertyInfo, usually the path of the signed file in an OFD package.

        NOTE: the library drops NUL characters from the text, because it returns a C string.
        """
        return self._info()[2]

    def verify(self, data: BytesLike | None = None, *, trust: TrustPolicy | None = None) -> Report:
        """Verify the signature: the signer's signature, the seal inside it at the signing time,
        and, when `data` is given, its dataHash against SM3(data).

        With `data` None the dataHash check is reported as not checked. b"" is empty data.
        With a `trust` policy, the certificate chains, key usage and revocation of the signer
        and the seal maker are checked too, and the seal against the policy's revocation lists.
        """
        buffer = ffi.NULL if data is None else byte_buffer(data, "data")
        length = 0 if data is None else len(buffer)
        signature_ptr = self._pointer()
        report_out = ffi.new("eseal_report **")
        with trust_pointer(trust) as trust_ptr:
            check(
                lib.eseal_signature_verify_with_trust(
                    signature_ptr, buffer, length, trust_ptr, report_out
                )
            )
        return Report._take(report_out[0])

    def verify_digest(self, digest: BytesLike, *, trust: TrustPolicy | None = None) -> Report:
        """Verify the signature as verify() does, given the 32-byte SM3 digest of the data."""
        buffer = digest_buffer(digest, "digest")
        signature_ptr = self._pointer()
        report_out = ffi.new("eseal_report **")
        with trust_pointer(trust) as trust_ptr:
            check(
                lib.eseal_signature_verify_digest_with_trust(
                    signature_ptr, buffer, trust_ptr, report_out
                )
            )
        return Report._take(report_out[0])


class Verifier(Handle):
    """A verifier that keeps, between calls, what verifications repeat.

    It keeps each seal's maker check, the certificates it has read and the SM3 state after a
    seal for each signer. It also keeps tables of the keys that come back, built at a key's
    eighth verification. All of these have fixed bounds.

    Use one for a service or a loop that verifies document after document: with the seals of
    one seal system, each verification is several times faster than Signature.verify(). The
    reports are the same. Threads may verify with one verifier at once, and close() waits for
    their verifications to end.
    """

    _free_function = "eseal_verifier_free"

    def __init__(self) -> None:
        super().__init__()
        self._lock = SharedLock()
        out = ffi.new("eseal_verifier **")
        check(lib.eseal_verifier_new(out))
        self._adopt(out[0])

    def close(self) -> None:
        """Release the verifier and its cache, after the verifications on other threads end."""
        with self._lock.exclusive("close"):
            super().close()

    def verify(
        self,
        signature: Signature,
        data: BytesLike | None = None,
        *,
        trust: TrustPolicy | None = None,
    ) -> Report:
        """Verify `signature` as signature.verify(data, trust=trust) does, with the cache."""
        buffer = ffi.NULL if data is None else byte_buffer(data, "data")
        length = 0 if data is None else len(buffer)
        signature_ptr = handle_pointer(signature, Signature, "signature")
        report_out = ffi.new("eseal_report **")
        with self._lock.shared(), trust_pointer(trust) as trust_ptr:
            check(
                lib.eseal_verifier_verify(
                    self._pointer(), signature_ptr, buffer, length, trust_ptr, report_out
                )
            )
        return Report._take(report_out[0])

    def verify_digest(
        self, signature: Signature, digest: BytesLike, *, trust: TrustPolicy | None = None
    ) -> Report:
        """Verify `signature` as signature.verify_digest(digest, trust=trust) does, with the
        cache."""
        buffer = digest_buffer(digest, "digest")
        signature_ptr = handle_pointer(signature, Signature, "signature")
        report_out = ffi.new("eseal_report **")
        with self._lock.shared(), trust_pointer(trust) as trust_ptr:
            check(
                lib.eseal_verifier_verify_digest(
                    self._pointer(), signature_ptr, buffer, trust_ptr, report_out
                )
            )
        return Report._take(report_out[0])


TimeStamper = Callable[[bytes], BytesLike]
"""A callable(value) that returns a DER TimeStampToken (GB/T 20520) over `value`, the DER
SM2 signature value: the token's messageImprint is the SM3 digest of `value`."""


def sign(
    seal: Seal,
    key: PrivateKey,
    cert: Certificate,
    data: BytesLike,
    time: _dt.datetime | None = None,
    property_info: str | None = None,
    *,
    time_stamper: TimeStamper | None = None,
) -> Signature:
    """Sign `data` with a seal and the signer's key and certificate (签章).

    `time` is the signing time written into the signature. A naive datetime is UTC, and None
    means now. `property_info` is ASCII text, usually the signed file's path. None writes an
    empty string, and non-ASCII text raises EncodeError (code 401). Raises SigningError (codes 500
    to 505 and 507) when a verifier would reject the result.

    With a `time_stamper` (the application's time stamp service), the signature gets a time
    stamp token (SES_Signature.timeStamp, V4 and V5 seals only): see sign_with_time_stamp().
    """
    if time_stamper is not None:
        return sign_with_time_stamp(seal, key, cert, data, time_stamper, time, property_info)
    seal_ptr = handle_pointer(seal, Seal, "seal")
    key_ptr = handle_pointer(key, PrivateKey, "key")
    cert_ptr = handle_pointer(cert, Certificate, "cert")
    seconds = unix_seconds_or_now(time, "time")
    info = optional_c_text(property_info, "property_info")
    buffer = byte_buffer(data, "data")
    signature_out = ffi.new("eseal_signature **")
    check(
        lib.eseal_sign(
            seal_ptr, key_ptr, cert_ptr, seconds, info, buffer, len(buffer), signature_out
        )
    )
    return Signature._from_pointer(signature_out[0])


def sign_with_time_stamp(
    seal: Seal,
    key: PrivateKey,
    cert: Certificate,
    data: BytesLike,
    time_stamper: TimeStamper,
    time: _dt.datetime | None = None,
    property_info: str | None = None,
) -> Signature:
    """Sign `data` as sign() does and add a time stamp token from `time_stamper`.

    The library calls `time_stamper(value)` once, after the signing checks pass, with the DER
    SM2 signature value. It returns the DER TimeStampToken, at most
    ESEAL_MAX_TIME_STAMP_TOKEN_LEN (65536) bytes. The library checks that the token's
    messageImprint is the SM3 digest of the value and that the authority's SM2 signature
    verifies with the certificate in the token. Whether the authority is trusted is checked
    when the signature is verified with a trust policy.

    Raises TimeStampError with code 509 (TIME_STAMP_FAILED) when the stamper raises an
    exception (the error's __cause__) or returns too many bytes, and with code 510
    (TIME_STAMP_INVALID) when the token fails the checks. A V1 seal raises EncodeError (code
    401), because V1 signatures have no timeStamp field.
    """
    seal_ptr = handle_pointer(seal, Seal, "seal")
    key_ptr = handle_pointer(key, PrivateKey, "key")
    cert_ptr = handle_pointer(cert, Certificate, "cert")
    if not callable(time_stamper):
        raise TypeError(f"time_stamper must be callable, not {type(time_stamper).__name__}")
    seconds = unix_seconds_or_now(time, "time")
    info = optional_c_text(property_info, "property_info")
    buffer = byte_buffer(data, "data")

    failures: list[tuple[str, BaseException]] = []
    callback = wrap_time_stamper(time_stamper, failures)
    signature_out = ffi.new("eseal_signature **")
    code = lib.eseal_sign_with_time_stamp(
        seal_ptr,
        key_ptr,
        cert_ptr,
        seconds,
        info,
        buffer,
        len(buffer),
        callback,
        ffi.NULL,
        signature_out,
    )
    check_callback_result(code, failures)
    return Signature._from_pointer(signature_out[0])


def sign_digest(
    seal: Seal,
    key: PrivateKey,
    cert: Certificate,
    digest: BytesLike,
    time: _dt.datetime | None = None,
    property_info: str | None = None,
    *,
    time_stamper: TimeStamper | None = None,
) -> Signature:
    """Sign data whose 32-byte SM3 digest is given, as sign() does.

    With a `time_stamper`, add a time stamp token as sign_with_time_stamp() does, with the same
    errors.
    """
    seal_ptr = handle_pointer(seal, Seal, "seal")
    key_ptr = handle_pointer(key, PrivateKey, "key")
    cert_ptr = handle_pointer(cert, Certificate, "cert")
    if time_stamper is not None and not callable(time_stamper):
        raise TypeError(f"time_stamper must be callable, not {type(time_stamper).__name__}")
    seconds = unix_seconds_or_now(time, "time")
    info = optional_c_text(property_info, "property_info")
    buffer = digest_buffer(digest, "digest")
    signature_out = ffi.new("eseal_signature **")
    if time_stamper is None:
        check(
            lib.eseal_sign_digest(seal_ptr, key_ptr, cert_ptr, seconds, info, buffer, signature_out)
        )
        return Signature._from_pointer(signature_out[0])
    failures: list[tuple[str, BaseException]] = []
    callback = wrap_time_stamper(time_stamper, failures)
    code = lib.eseal_sign_digest_with_time_stamp(
        seal_ptr, key_ptr, cert_ptr, seconds, info, buffer, callback, ffi.NULL, signature_out
    )
    check_callback_result(code, failures)
    return Signature._from_pointer(signature_out[0])


ExternalSigner = Callable[[bytes], BytesLike]
"""A callable(digest) that signs the 32-byte e = SM3(Z || M) and returns r || s, 64 bytes."""


def sign_with_signer(
    seal: Seal,
    cert: Certificate,
    data: BytesLike,
    signer: ExternalSigner,
    time: _dt.datetime | None = None,
    property_info: str | None = None,
    *,
    time_stamper: TimeStamper | None = None,
) -> Signature:
    """Sign `data` as sign() does, with the SM2 signature made by an external signer, such as
    a USB key (SKF), an HSM (SDF) or a seal server, that contains the private key of `cert`.

    The library computes Z from the certificate's public key and e = SM3(Z || M), and calls
    `signer(e)` once with the 32 bytes of e. The signer returns the signature r || s as 64
    bytes, big-endian, and the library verifies it against `cert` before returning the
    signature. `PrivateKey.sign_digest` is a software signer for tests.

    Raises SigningError with code 506 (SIGNATURE_INVALID) when the returned signature does not
    verify, and with code 508 (SIGNER_FAILED) when the signer raises an exception or returns
    something other than 64 bytes. The signer's exception is the error's __cause__, except that
    KeyboardInterrupt and other exceptions that are not an Exception are raised as they are.
    Signing is refused as sign() refuses it before the signer is called.

    With a `time_stamper`, the signature also gets a time stamp token, with the checks and
    errors of sign_with_time_stamp(). The stamper is called once, after the signer's signature
    has verified, so a signer failure never reaches the time stamp service. A V1 seal raises
    EncodeError (code 401) before the signer is called, because V1 signatures have no
    timeStamp field.
    """
    seal_ptr = handle_pointer(seal, Seal, "seal")
    cert_ptr = handle_pointer(cert, Certificate, "cert")
    if not callable(signer):
        raise TypeError(f"signer must be callable, not {type(signer).__name__}")
    if time_stamper is not None and not callable(time_stamper):
        raise TypeError(f"time_stamper must be callable, not {type(time_stamper).__name__}")
    seconds = unix_seconds_or_now(time, "time")
    info = optional_c_text(property_info, "property_info")
    buffer = byte_buffer(data, "data")

    failures: list[tuple[str, BaseException]] = []
    signer_callback = wrap_signer(signer, failures)
    signature_out = ffi.new("eseal_signature **")
    if time_stamper is None:
        code = lib.eseal_sign_with_callback(
            seal_ptr,
            cert_ptr,
            seconds,
            info,
            buffer,
            len(buffer),
            signer_callback,
            ffi.NULL,
            signature_out,
        )
    else:
        stamper_callback = wrap_time_stamper(time_stamper, failures)
        code = lib.eseal_sign_with_callback_and_time_stamp(
            seal_ptr,
            cert_ptr,
            seconds,
            info,
            buffer,
            len(buffer),
            signer_callback,
            ffi.NULL,
            stamper_callback,
            ffi.NULL,
            signature_out,
        )
    check_callback_result(code, failures)
    return Signature._from_pointer(signature_out[0])


def wrap_signer(signer: ExternalSigner, failures: list[tuple[str, BaseException]]) -> Any:
    """Wrap `signer` as an eseal_sign_callback that appends what it raises to `failures`."""

    def call_signer(_context: Any, digest: Any, signature_out: Any) -> int:
        # An exception must not cross the C library, so it is kept and raised after the call.
        try:
            value = signature_value(signer(bytes(ffi.buffer(digest, 32))))
        except BaseException as error:  # noqa: BLE001 (raised again after the C call)
            failures.append(("signer", error))
            return int(Result.SIGNER_FAILED)
        ffi.memmove(signature_out, value, SIGNATURE_VALUE_LENGTH)
        return int(Result.OK)

    return ffi.callback("eseal_sign_callback", call_signer, error=int(Result.SIGNER_FAILED))


def wrap_time_stamper(
    time_stamper: TimeStamper, failures: list[tuple[str, BaseException]]
) -> Any:
    """Wrap `time_stamper` as an eseal_time_stamp_callback that appends what it raises, or a
    ValueError for a token longer than the library's buffer, to `failures`.
    """

    def call_time_stamper(
        _context: Any,
        value: Any,
        length: int,
        token_out: Any,
        capacity: int,
        token_length_out: Any,
    ) -> int:
        # An exception must not cross the C library, so it is kept and raised after the call.
        try:
            token = bytes(memoryview(time_stamper(bytes(ffi.buffer(value, length)))))
            if len(token) > capacity:
                raise ValueError(
                    f"the time stamper returned {len(token)} bytes; at most {capacity} fit"
                )
        except BaseException as error:  # noqa: BLE001 (raised again after the C call)
            failures.append(("time stamper", error))
            return int(Result.TIME_STAMP_FAILED)
        ffi.memmove(token_out, token, len(token))
        token_length_out[0] = len(token)
        return int(Result.OK)

    return ffi.callback(
        "eseal_time_stamp_callback", call_time_stamper, error=int(Result.TIME_STAMP_FAILED)
    )


def check_callback_result(code: int, failures: list[tuple[str, BaseException]]) -> None:
    """Raise for a failed signing call with callbacks.

    The first exception that a callback raised becomes the __cause__ of the library's error, and
    one that is not an Exception (KeyboardInterrupt, SystemExit) is raised as it is.
    """
    if code != Result.OK and failures:
        detail = last_error_message()
        role, failure = failures[0]
        if not isinstance(failure, Exception):
            raise failure
        raise error_for(
            code, f"{detail}: the {role} raised {type(failure).__name__}: {failure}"
        ) from failure
    check(code)


def signature_value(value: object) -> bytes:
    """Check what an external signer returned: 64 bytes r || s."""
    if isinstance(value, str) or value is None:
        raise TypeError(
            f"the signer must return {SIGNATURE_VALUE_LENGTH} bytes r || s, "
            f"not {type(value).__name__}"
        )
    raw = bytes(memoryview(value))  # type: ignore[arg-type]
    if len(raw) != SIGNATURE_VALUE_LENGTH:
        raise ValueError(
            f"the signer returned {len(raw)} bytes; an SM2 signature r || s has "
            f"{SIGNATURE_VALUE_LENGTH}"
        )
    return raw


def sm3(data: BytesLike) -> bytes:
    """Compute the 32-byte SM3 digest of `data`, as sign_digest() and verify_digest() expect."""
    buffer = byte_buffer(data, "data")
    digest = ffi.new("uint8_t[32]")
    check(lib.eseal_sm3(buffer, len(buffer), digest))
    return bytes(ffi.buffer(digest))


class Signer(Handle):
    """A signature over data given in chunks with update(), signed by finish(key).

    The seal and certificate are copied when the signer is made. A signer finishes once,
    successfully or not, and update() or finish() afterwards raises ArgumentError (code 101).
    Used by one thread at a time.
    """

    _free_function = "eseal_signer_free"

    def __init__(
        self,
        seal: Seal,
        cert: Certificate,
        time: _dt.datetime | None = None,
        property_info: str | None = None,
        time_stamper: TimeStamper | None = None,
    ) -> None:
        """Start a signature. The arguments mean what they mean for sign().

        With a `time_stamper`, finish() adds a time stamp token from it, with the checks and
        errors of sign_with_time_stamp(). It is called once, from finish().
        """
        super().__init__()
        seal_ptr = handle_pointer(seal, Seal, "seal")
        cert_ptr = handle_pointer(cert, Certificate, "cert")
        if time_stamper is not None and not callable(time_stamper):
            raise TypeError(f"time_stamper must be callable, not {type(time_stamper).__name__}")
        seconds = unix_seconds_or_now(time, "time")
        info = optional_c_text(property_info, "property_info")
        signer_out = ffi.new("eseal_signer **")
        check(lib.eseal_signer_new(seal_ptr, cert_ptr, seconds, info, signer_out))
        self._adopt(signer_out[0])

        # The cffi callback must stay alive until finish() returns, so the signer keeps it.
        self._failures: list[tuple[str, BaseException]] = []
        self._time_stamp_callback = None
        if time_stamper is not None:
            self._time_stamp_callback = wrap_time_stamper(time_stamper, self._failures)
            check(
                lib.eseal_signer_set_time_stamp_callback(
                    self._pointer(), self._time_stamp_callback, ffi.NULL
                )
            )

    def update(self, data: BytesLike) -> None:
        """Add the next chunk of the data to sign."""
        buffer = byte_buffer(data, "data")
        check(lib.eseal_signer_update(self._pointer(), buffer, len(buffer)))

    def finish(self, key: PrivateKey) -> Signature:
        """Sign everything added with the signer's key and return the signature.

        Raises SigningError as sign() does, and with a time stamper the errors of
        sign_with_time_stamp(): TimeStampError (codes 509, 510) or, for a V1 seal, EncodeError.
        """
        key_ptr = handle_pointer(key, PrivateKey, "key")
        signature_out = ffi.new("eseal_signature **")
        code = lib.eseal_signer_finish(self._pointer(), key_ptr, signature_out)
        check_callback_result(code, self._failures)
        return Signature._from_pointer(signature_out[0])
