"""SM2 private keys and X.509 certificates."""

from __future__ import annotations

import datetime as _dt
from typing import Any, Union

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


Password = Union[str, BytesLike]
"""The password of a protected key: str, used as UTF-8, or bytes-like."""


def password_buffer(password: object) -> Any:
    """Borrow a password for one call.

    A bytearray is passed without a copy, so the caller can overwrite it afterwards. A str is
    encoded to a bytes copy that Python cannot overwrite, which is what the caller accepts by
    passing a str.
    """
    if isinstance(password, str):
        return byte_buffer(password.encode("utf-8"), "password")
    return byte_buffer(password, "password")


class PrivateKey(Handle):
    """An SM2 private key. The library zeroizes it when the handle is released.

    May be shared between threads.
    """

    _free_function = "eseal_private_key_free"

    def __init__(self) -> None:
        raise TypeError("use PrivateKey.from_bytes() or PrivateKey.generate()")

    @classmethod
    def from_bytes(cls, data: BytesLike, password: Password | None = None) -> PrivateKey:
        """Read an SM2 private key: PKCS#8 or SEC1, PEM or DER, and with a `password` also an
        encrypted PKCS#8 key (PEM or DER) or the key of a PKCS#12 file.

        `password` is str (used as UTF-8) or bytes-like, and is ignored for an unencrypted key.
        Raises WrongPasswordError (code 303) for a wrong password, and CryptoMaterialError
        (code 300) when the bytes are not such a key, are truncated, or are encrypted and no
        password is given. To get the certificate of a PKCS#12 file too, use from_pkcs12().
        """
        buffer = byte_buffer(data, "data")
        key_out = ffi.new("eseal_private_key **")
        if password is None:
            check(lib.eseal_private_key_from_bytes(buffer, len(buffer), key_out))
        else:
            secret = password_buffer(password)
            check(
                lib.eseal_private_key_from_bytes_with_password(
                    buffer, len(buffer), secret, len(secret), key_out
                )
            )
        return cls._from_pointer(key_out[0])

    @classmethod
    def from_pkcs12(
        cls, data: BytesLike, password: Password
    ) -> tuple[PrivateKey, Certificate | None]:
        """Open a PKCS#12 file (.p12 or .pfx) and return its SM2 private key and the key's
        certificate, or None when the file does not contain it.

        `password` is str or UTF-8 bytes. Raises WrongPasswordError (code 303) for a wrong
        password, and CryptoMaterialError (code 300) for a malformed or truncated file or one
        without exactly one private key.
        """
        buffer = byte_buffer(data, "data")
        secret = password_buffer(password)
        key_out = ffi.new("eseal_private_key **")
        cert_out = ffi.new("eseal_certificate **")
        check(lib.eseal_pkcs12_open(buffer, len(buffer), secret, len(secret), key_out, cert_out))
        key = cls._from_pointer(key_out[0])
        cert = None if cert_out[0] == ffi.NULL else Certificate._from_pointer(cert_out[0])
        return key, cert

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

    @property
    def der(self) -> bytes:
        """The certificate's DER bytes as stored."""
        data = ffi.new("const uint8_t **")
        length = ffi.new("size_t *")
        check(lib.eseal_certificate_der(self._pointer(), data, length))
        return bytes(ffi.buffer(data[0], length[0]))

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
