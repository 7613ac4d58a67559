"""Python binding of eseal: Chinese secure electronic seals (GB/T 38540-2020, GM/T 0031-2014).

Read, make, sign and verify SESeal and SES_Signature structures with SM2/SM3, and verify and
sign OFD documents, through the C ABI of the eseal shared library (include/eseal.h), loaded with
cffi in ABI mode. Trust policies check certificate chains and revocation, and external signers
(USB keys, HSMs) sign without handing over the private key. The library is found through
$ESEAL_LIBRARY, next to this package, or in the repository's target/release or target/debug
folder.

Times are datetime objects. A naive datetime is read as UTC, times are rounded down to whole
seconds, and None means the current time where a time is optional.
"""

from __future__ import annotations

from pathlib import Path

from ._errors import (
    ArgumentError,
    CryptoMaterialError,
    EncodeError,
    EsealError,
    EsealIOError,
    PanicError,
    ParseError,
    Result,
    RevocationListError,
    SigningError,
    TimeStampError,
    WrongPasswordError,
    check,
    result_message,
)
from ._ffi import c_string, lib, library_path
from ._keys import Certificate, PrivateKey
from ._ofd import (
    OfdProvider,
    OfdReport,
    OfdSignature,
    Stamp,
    sign_ofd,
    sign_ofd_file,
    verify_ofd,
)
from ._report import Check, CheckStatus, Finding, Report
from ._seal import MAX_PICTURE_BYTES, Seal, SealBuilder
from ._signature import (
    Signature,
    Signer,
    TimeStamper,
    Verifier,
    sign,
    sign_digest,
    sign_with_signer,
    sign_with_time_stamp,
    sm3,
)
from ._trust import RevocationStatus, TrustPolicy

__version__ = "0.1.0"

__all__ = [
    "MAX_PICTURE_BYTES",
    "ArgumentError",
    "Certificate",
    "Check",
    "CheckStatus",
    "CryptoMaterialError",
    "EncodeError",
    "EsealError",
    "EsealIOError",
    "Finding",
    "OfdProvider",
    "OfdReport",
    "OfdSignature",
    "PanicError",
    "ParseError",
    "PrivateKey",
    "Report",
    "Result",
    "RevocationListError",
    "RevocationStatus",
    "Seal",
    "SealBuilder",
    "Signature",
    "Signer",
    "SigningError",
    "Stamp",
    "TimeStampError",
    "TimeStamper",
    "TrustPolicy",
    "Verifier",
    "WrongPasswordError",
    "debug_panic",
    "library_file",
    "library_version",
    "result_message",
    "sign",
    "sign_digest",
    "sign_ofd",
    "sign_ofd_file",
    "sign_with_signer",
    "sign_with_time_stamp",
    "sm3",
    "verify_ofd",
]


def library_version() -> str:
    """Return the version of the loaded eseal shared library."""
    return c_string(lib.eseal_version())


def library_file() -> Path:
    """Return the path of the loaded eseal shared library."""
    return library_path


def debug_panic() -> None:
    """Make the library panic inside its boundary guard, for tests of panic handling.

    Always raises PanicError (code 103). The library writes its panic message to stderr, and
    the process goes on.
    """
    check(lib.eseal_debug_panic())
