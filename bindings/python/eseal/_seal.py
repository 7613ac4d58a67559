"""Seals (SESeal) and the seal builder."""

from __future__ import annotations

import datetime as _dt

from ._errors import ArgumentError, Result, check
from ._ffi import ffi, lib
from ._handle import (
    INT64_MAX,
    INT64_MIN,
    UINT32_MAX,
    BytesLike,
    Handle,
    byte_buffer,
    c_text,
    handle_pointer,
    int_in_range,
    text_from_c,
    unix_seconds,
    unix_seconds_or_now,
)
from ._keys import Certificate, PrivateKey
from ._report import Report
from ._trust import TrustPolicy, trust_pointer

MAX_PICTURE_BYTES: int = int(lib.ESEAL_MAX_PICTURE_BYTES)
"""Largest seal picture, in bytes, that SealBuilder.picture() accepts."""


class Seal(Handle):
    """A decoded seal (SESeal). Immutable, so it may be shared between threads."""

    _free_function = "eseal_seal_free"

    def __init__(self) -> None:
        raise TypeError("use Seal.from_der() or SealBuilder.sign()")

    @classmethod
    def from_der(cls, der: BytesLike) -> Seal:
        """Decode a seal from DER, tolerating what real producers write.

        Raises ParseError (code 200) when the bytes are not a well-formed seal.
        """
        buffer = byte_buffer(der, "der")
        seal_out = ffi.new("eseal_seal **")
        check(lib.eseal_seal_from_der(buffer, len(buffer), seal_out))
        return cls._from_pointer(seal_out[0])

    @property
    def der(self) -> bytes:
        """The seal's DER bytes as stored."""
        data = ffi.new("const uint8_t **")
        length = ffi.new("size_t *")
        check(lib.eseal_seal_der(self._pointer(), data, length))
        return bytes(ffi.buffer(data[0], length[0]))

    def _info(self) -> tuple[int, str, str]:
        version = ffi.new("uint32_t *")
        es_id = ffi.new("const char **")
        name = ffi.new("const char **")
        check(lib.eseal_seal_info(self._pointer(), version, es_id, name))
        return int(version[0]), text_from_c(es_id[0]), text_from_c(name[0])

    @property
    def version(self) -> int:
        """The seal version: 1 (GM/T 0031-2014), 4 (GB/T 38540-2020) or 5."""
        return self._info()[0]

    @property
    def es_id(self) -> str:
        """The seal code (esID)."""
        return self._info()[1]

    @property
    def name(self) -> str:
        """The seal name."""
        return self._info()[2]

    def verify(self, at: _dt.datetime | None = None, *, trust: TrustPolicy | None = None) -> Report:
        """Verify the seal on its own: its format, the maker's signature, and its validity and
        the maker certificate's validity at `at`. A naive datetime is UTC, and None means now.

        With a `trust` policy, the maker certificate's chain, key usage and revocation at `at`
        are checked too, and the seal against the policy's revocation lists.
        """
        seconds = unix_seconds_or_now(at, "at")
        seal_ptr = self._pointer()
        report_out = ffi.new("eseal_report **")
        with trust_pointer(trust) as trust_ptr:
            check(lib.eseal_seal_verify_with_trust(seal_ptr, seconds, trust_ptr, report_out))
        return Report._take(report_out[0])


class SealBuilder(Handle):
    """A seal being built (制章). Used by one thread at a time.

    The setters return the builder so that calls can be chained. A setter that raises leaves
    the builder as it was. The builder stays usable after sign().
    """

    _free_function = "eseal_seal_builder_free"

    def __init__(self, es_id: str, name: str) -> None:
        """Start a V4 seal with its code (esID) and name."""
        super().__init__()
        # Whether certList contains digests, or None before the first add_signer().
        self._signers_by_digest: bool | None = None
        es_id_text = c_text(es_id, "es_id")
        name_text = c_text(name, "name")
        builder_out = ffi.new("eseal_seal_builder **")
        check(lib.eseal_seal_builder_new(es_id_text, name_text, builder_out))
        self._adopt(builder_out[0])

    def version(self, version: int) -> SealBuilder:
        """Set the seal version: 1 (GM/T 0031-2014), 4 (GB/T 38540-2020, the default) or 5."""
        number = int_in_range(version, "version", 0, UINT32_MAX)
        check(lib.eseal_seal_builder_set_version(self._pointer(), number))
        return self

    def vendor_and_type(self, vendor_id: str, seal_type: int) -> SealBuilder:
        """Set the vendor ID (SES_Header.Vid) and the seal type (SES_ESPropertyInfo.type).

        The vendor ID must be ASCII, and sign() raises EncodeError (code 401) otherwise.
        """
        vendor = c_text(vendor_id, "vendor_id")
        number = int_in_range(seal_type, "seal_type", INT64_MIN, INT64_MAX)
        check(lib.eseal_seal_builder_set_vendor_and_type(self._pointer(), vendor, number))
        return self

    def validity(self, start: _dt.datetime, end: _dt.datetime) -> SealBuilder:
        """Set validStart and validEnd. Naive datetimes are read as UTC."""
        start_seconds = unix_seconds(start, "start")
        end_seconds = unix_seconds(end, "end")
        check(lib.eseal_seal_builder_set_validity(self._pointer(), start_seconds, end_seconds))
        return self

    def picture(self, data: BytesLike, width_mm: int, height_mm: int) -> SealBuilder:
        """Set the seal picture. Its type is detected from the bytes (PNG, JPEG, GIF, BMP, SVG
        or OFD). Width and height are in millimetres, from 1 to 1000.

        Raises EncodeError (code 400) when the type is not supported, the size is out of range,
        or the picture is larger than MAX_PICTURE_BYTES.
        """
        buffer = byte_buffer(data, "data")
        width = int_in_range(width_mm, "width_mm", INT64_MIN, INT64_MAX)
        height = int_in_range(height_mm, "height_mm", INT64_MIN, INT64_MAX)
        check(
            lib.eseal_seal_builder_set_picture(self._pointer(), buffer, len(buffer), width, height)
        )
        return self

    def add_signer(self, cert: Certificate, by_digest: bool = False) -> SealBuilder:
        """Authorise a signer: by whole certificate (certListType 1), or by its SM3 digest
        when `by_digest` is true (certListType 2). Each call adds one signer.

        A seal lists either certificates or digests, so mixing both raises ArgumentError
        (code 101) here. The library would reject the mix only later, in sign(), with
        EncodeError (code 401).
        """
        by_digest = bool(by_digest)
        if self._signers_by_digest is not None and self._signers_by_digest != by_digest:
            raise ArgumentError(
                Result.INVALID_ARGUMENT,
                f"by_digest={by_digest} after signers added with by_digest={not by_digest}. "
                "A seal lists either certificates or their digests, not both",
            )
        cert_ptr = handle_pointer(cert, Certificate, "cert")
        check(lib.eseal_seal_builder_add_signer(self._pointer(), cert_ptr, by_digest))
        self._signers_by_digest = by_digest
        return self

    def sign(self, maker_key: PrivateKey, maker_cert: Certificate) -> Seal:
        """Sign the seal with the maker's key and certificate and return it.

        Raises EncodeError (code 401) when the validity, the picture or a signer is missing,
        the esID is empty or not ASCII, or the name is empty. Raises SigningError (code 504)
        when the key does not belong to the certificate.
        """
        key_ptr = handle_pointer(maker_key, PrivateKey, "maker_key")
        cert_ptr = handle_pointer(maker_cert, Certificate, "maker_cert")
        seal_out = ffi.new("eseal_seal **")
        check(lib.eseal_seal_builder_sign(self._pointer(), key_ptr, cert_ptr, seal_out))
        return Seal._from_pointer(seal_out[0])
