"""SM2 private keys and X.509 certificates."""

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
    text_from_c,
)


class PrivateKey(Handle):
    """An SM2 private key. The library zeroizes it when the handle is released.

    May be shared between threads.
    """

    _free_function = "eseal_private_key_free"

    def __init__(self) -> None:
        raise TypeError("use PrivateKey.from_bytes() or PrivateKey.generate()")

    @classmethod
    def from_bytes(cls, data: BytesLike) -> PrivateKey:
        """Read an unencrypted SM2 private key: PKCS#8 or SEC1, PEM or DER.

        Raises CryptoMaterialError (code 300) when the bytes are not such a key.
        """
        buffer = byte_buffer(data, "data")
        key_out = ffi.new("eseal_private_key **")
        check(lib.eseal_private_key_from_bytes(buffer, len(buffer), key_out))
        return cls._from_pointer(key_out[0])

    @classmethod
    def generate(cls) -> PrivateKey:
        """Generate a new SM2 private key with the system random number generator."""
        key_out = ffi.new("eseal_private_key **")
        check(lib.eseal_private_key_generate(key_out))
        return cls._from_pointer(key_out[0])

    def sign_digest(self, digest: BytesLike) -> bytes:
        """Sign a 32-byte prehashed value e = SM3(Z || M) and return r || s, 64 bytes.

        This is what an external signer does for eseal.sign_with_signer(), so the bound
        method `key.sign_digest` can stand in for a USB key or HSM in tests. `digest` is e, not
        the SM3 digest of the data that eseal.sign_digest() takes.
        """
        buffer = digest_buffer(digest, "digest")
        signature_out = ffi.new("uint8_t[64]")
        check(lib.eseal_private_key_sign_digest(self._pointer(), buffer, signature_out))
        return bytes(ffi.buffer(signature_out))


class Certificate(Handle):
    """An X.509 certificate. May be shared between threads."""

    _free_function = "eseal_certificate_free"

    def __init__(self) -> None:
        raise TypeError("use Certificate.from_bytes()")

    @classmethod
    def from_bytes(cls, data: BytesLike) -> Certificate:
        """Read an X.509 certificate, PEM or DER.

        Raises CryptoMaterialError (code 301) when the bytes are not a certificate.
        """
        buffer = byte_buffer(data, "data")
        cert_out = ffi.new("eseal_certificate **")
        check(lib.eseal_certificate_from_bytes(buffer, len(buffer), cert_out))
        return cls._from_pointer(cert_out[0])

    def _names(self) -> tuple[str, str, str]:
        subject = ffi.new("const char **")
        issuer = ffi.new("const char **")
        serial = ffi.new("const char **")
        check(lib.eseal_certificate_names(self._pointer(), subject, issuer, serial))
        return text_from_c(subject[0]), text_from_c(issuer[0]), text_from_c(serial[0])

    def _validity(self) -> tuple[_dt.datetime, _dt.datetime]:
        not_before = ffi.new("int64_t *")
        not_after = ffi.new("int64_t *")
        check(lib.eseal_certificate_validity(self._pointer(), not_before, not_after))
        return datetime_from_unix(not_before[0]), datetime_from_unix(not_after[0])

    @property
    def subject(self) -> str:
        """The subject distinguished name, such as `CN=Test,O=Org,C=CN`."""
        return self._names()[0]

    @property
    def issuer(self) -> str:
        """The issuer distinguished name."""
        return self._names()[1]

    @property
    def serial(self) -> str:
        """The serial number in hexadecimal, as the library formats it."""
        return self._names()[2]

    @property
    def not_before(self) -> _dt.datetime:
        """The start of the validity period, in UTC."""
        return self._validity()[0]

    @property
    def not_after(self) -> _dt.datetime:
        """The end of the validity period, in UTC."""
        return self._validity()[1]
