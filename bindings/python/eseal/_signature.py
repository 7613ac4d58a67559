"""Signatures (SES_Signature): decoding, verification and signing."""

from __future__ import annotations

import datetime as _dt

from ._errors import check
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

    def verify(self, data: BytesLike | None = None) -> Report:
        """Verify the signature: the signer's signature, the seal inside it at the signing time,
        and, when `data` is given, its dataHash against SM3(data).

        With `data` None the dataHash check is reported as not checked. b"" is empty data.
        """
        buffer = ffi.NULL if data is None else byte_buffer(data, "data")
        length = 0 if data is None else len(buffer)
        report_out = ffi.new("eseal_report **")
        check(lib.eseal_signature_verify(self._pointer(), buffer, length, report_out))
        return Report._take(report_out[0])

    def verify_digest(self, digest: BytesLike) -> Report:
        """Verify the signature as verify() does, given the 32-byte SM3 digest of the data."""
        buffer = digest_buffer(digest, "digest")
        report_out = ffi.new("eseal_report **")
        check(lib.eseal_signature_verify_digest(self._pointer(), buffer, report_out))
        return Report._take(report_out[0])


def sign(
    seal: Seal,
    key: PrivateKey,
    cert: Certificate,
    data: BytesLike,
    time: _dt.datetime | None = None,
    property_info: str | None = None,
) -> Signature:
    """Sign `data` with a seal and the signer's key and certificate (签章).

    `time` is the signing time written into the signature. A naive datetime is UTC, and None
    means now. `property_info` is ASCII text, usually the signed file's path. None writes an
    empty string, and non-ASCII text raises EncodeError (code 401). Raises SigningError (codes 500
    to 505 and 507) when a verifier would reject the result.
    """
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


def sign_digest(
    seal: Seal,
    key: PrivateKey,
    cert: Certificate,
    digest: BytesLike,
    time: _dt.datetime | None = None,
    property_info: str | None = None,
) -> Signature:
    """Sign data whose 32-byte SM3 digest is given, as sign() does."""
    seal_ptr = handle_pointer(seal, Seal, "seal")
    key_ptr = handle_pointer(key, PrivateKey, "key")
    cert_ptr = handle_pointer(cert, Certificate, "cert")
    seconds = unix_seconds_or_now(time, "time")
    info = optional_c_text(property_info, "property_info")
    buffer = digest_buffer(digest, "digest")
    signature_out = ffi.new("eseal_signature **")
    check(lib.eseal_sign_digest(seal_ptr, key_ptr, cert_ptr, seconds, info, buffer, signature_out))
    return Signature._from_pointer(signature_out[0])


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
    ) -> None:
        """Start a signature. The arguments mean what they mean for sign()."""
        super().__init__()
        seal_ptr = handle_pointer(seal, Seal, "seal")
        cert_ptr = handle_pointer(cert, Certificate, "cert")
        seconds = unix_seconds_or_now(time, "time")
        info = optional_c_text(property_info, "property_info")
        signer_out = ffi.new("eseal_signer **")
        check(lib.eseal_signer_new(seal_ptr, cert_ptr, seconds, info, signer_out))
        self._adopt(signer_out[0])

    def update(self, data: BytesLike) -> None:
        """Add the next chunk of the data to sign."""
        buffer = byte_buffer(data, "data")
        check(lib.eseal_signer_update(self._pointer(), buffer, len(buffer)))

    def finish(self, key: PrivateKey) -> Signature:
        """Sign everything added with the signer's key and return the signature.

        Raises SigningError as sign() does.
        """
        key_ptr = handle_pointer(key, PrivateKey, "key")
        signature_out = ffi.new("eseal_signature **")
        check(lib.eseal_signer_finish(self._pointer(), key_ptr, signature_out))
        return Signature._from_pointer(signature_out[0])
