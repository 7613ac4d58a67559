"""The C declarations of include/eseal.h and the loading of the eseal shared library.

The declarations are written by hand because cffi cannot read the header's preprocessor
conditionals. tests/test_library.py checks that every function prototype here is the same as
in the header.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from cffi import FFI

CDEF = """
#define ESEAL_TIME_NOW -1
#define ESEAL_MAX_PICTURE_BYTES 8388608
#define ESEAL_MAX_STAMPS 10000
#define ESEAL_MAX_TIME_STAMP_TOKEN_LEN 65536

enum eseal_result {
  ESEAL_RESULT_OK = 0,
  ESEAL_RESULT_NULL_ARGUMENT = 100,
  ESEAL_RESULT_INVALID_ARGUMENT = 101,
  ESEAL_RESULT_BUFFER_TOO_SMALL = 102,
  ESEAL_RESULT_PANIC = 103,
  ESEAL_RESULT_IO = 104,
  ESEAL_RESULT_PARSE_ERROR = 200,
  ESEAL_RESULT_OFD_INVALID = 201,
  ESEAL_RESULT_KEY_INVALID = 300,
  ESEAL_RESULT_CERTIFICATE_INVALID = 301,
  ESEAL_RESULT_RNG_FAILED = 302,
  ESEAL_RESULT_WRONG_PASSWORD = 303,
  ESEAL_RESULT_PICTURE_INVALID = 400,
  ESEAL_RESULT_ENCODE_FAILED = 401,
  ESEAL_RESULT_SEAL_SIGNATURE_INVALID = 500,
  ESEAL_RESULT_SEAL_NOT_VALID_AT_TIME = 501,
  ESEAL_RESULT_SIGNER_NOT_IN_CERT_LIST = 502,
  ESEAL_RESULT_SIGNER_CERTIFICATE_NOT_VALID_AT_TIME = 503,
  ESEAL_RESULT_KEY_CERTIFICATE_MISMATCH = 504,
  ESEAL_RESULT_VERSION_MISMATCH = 505,
  ESEAL_RESULT_SIGNATURE_INVALID = 506,
  ESEAL_RESULT_MAKER_CERTIFICATE_NOT_VALID_AT_TIME = 507,
  ESEAL_RESULT_SIGNER_FAILED = 508,
  ESEAL_RESULT_TIME_STAMP_FAILED = 509,
  ESEAL_RESULT_TIME_STAMP_INVALID = 510,
  ESEAL_RESULT_CRL_INVALID = 600,
  ESEAL_RESULT_SEAL_REVOCATION_LIST_INVALID = 601,
};
typedef uint32_t eseal_result;

enum eseal_check_status {
  ESEAL_CHECK_STATUS_PASSED = 0,
  ESEAL_CHECK_STATUS_FAILED = 1,
  ESEAL_CHECK_STATUS_NOT_CHECKED = 2,
};
typedef uint32_t eseal_check_status;

typedef struct eseal_certificate eseal_certificate;
typedef struct eseal_private_key eseal_private_key;
typedef struct eseal_report eseal_report;
typedef struct eseal_seal eseal_seal;
typedef struct eseal_seal_builder eseal_seal_builder;
typedef struct eseal_signature eseal_signature;
typedef struct eseal_verifier eseal_verifier;
typedef struct eseal_signer eseal_signer;
typedef struct eseal_buffer eseal_buffer;
typedef struct eseal_trust eseal_trust;

enum eseal_revocation_status {
  ESEAL_REVOCATION_STATUS_GOOD = 0,
  ESEAL_REVOCATION_STATUS_REVOKED = 1,
  ESEAL_REVOCATION_STATUS_UNKNOWN = 2,
};
typedef uint32_t eseal_revocation_status;

typedef uint32_t (*eseal_sign_callback)(void *context, const uint8_t *digest, uint8_t *signature_out);
typedef uint32_t (*eseal_time_stamp_callback)(void *context, const uint8_t *data, size_t len, uint8_t *token_out, size_t token_capacity, size_t *token_len_out);
typedef uint32_t (*eseal_revocation_callback)(void *context, const uint8_t *cert_der, size_t cert_len, const uint8_t *issuer_der, size_t issuer_len, int64_t unix_time, int64_t *revoked_at_out);

typedef struct eseal_stamp {
  uint32_t page;
  double x;
  double y;
  double width;
  double height;
  bool clipped;
  double clip_x;
  double clip_y;
  double clip_width;
  double clip_height;
} eseal_stamp;

eseal_result eseal_debug_panic(void);

eseal_result eseal_private_key_from_bytes(const uint8_t *data, size_t len, eseal_private_key **key_out);
eseal_result eseal_private_key_from_bytes_with_password(const uint8_t *data, size_t len, const uint8_t *password, size_t password_len, eseal_private_key **key_out);
eseal_result eseal_pkcs12_open(const uint8_t *data, size_t len, const uint8_t *password, size_t password_len, eseal_private_key **key_out, eseal_certificate **cert_out);
eseal_result eseal_private_key_generate(eseal_private_key **key_out);
void eseal_private_key_free(eseal_private_key *key);

eseal_result eseal_certificate_from_bytes(const uint8_t *data, size_t len, eseal_certificate **cert_out);
eseal_result eseal_certificate_names(const eseal_certificate *cert, const char **subject_out, const char **issuer_out, const char **serial_out);
eseal_result eseal_certificate_der(const eseal_certificate *cert, const uint8_t **der_out, size_t *len_out);
eseal_result eseal_certificate_validity(const eseal_certificate *cert, int64_t *not_before_out, int64_t *not_after_out);
void eseal_certificate_free(eseal_certificate *cert);

eseal_result eseal_report_valid(const eseal_report *report, bool *valid_out);
eseal_result eseal_report_json(const eseal_report *report, const char **json_out);
eseal_result eseal_report_json_copy(const eseal_report *report, char *buffer, size_t capacity, size_t *written_out);
eseal_result eseal_report_json_length(const eseal_report *report, size_t *length_out);
eseal_result eseal_report_check_count(const eseal_report *report, size_t *count_out);
eseal_result eseal_report_check(const eseal_report *report, size_t index, const char **name_out, eseal_check_status *status_out, const char **message_out, const char **message_zh_out);
eseal_result eseal_report_finding_count(const eseal_report *report, size_t *count_out);
eseal_result eseal_report_finding(const eseal_report *report, size_t index, const char **code_out, const char **message_out, const char **message_zh_out);
void eseal_report_free(eseal_report *report);

const char *eseal_result_message(uint32_t result);
const char *eseal_version(void);

eseal_result eseal_seal_from_der(const uint8_t *der, size_t len, eseal_seal **seal_out);
eseal_result eseal_seal_der(const eseal_seal *seal, const uint8_t **der_out, size_t *len_out);
eseal_result eseal_seal_info(const eseal_seal *seal, uint32_t *version_out, const char **es_id_out, const char **name_out);
eseal_result eseal_seal_verify(const eseal_seal *seal, int64_t unix_time, eseal_report **report_out);
void eseal_seal_free(eseal_seal *seal);

eseal_result eseal_seal_builder_new(const char *es_id, const char *name, eseal_seal_builder **builder_out);
eseal_result eseal_seal_builder_set_version(eseal_seal_builder *builder, uint32_t version);
eseal_result eseal_seal_builder_set_vendor_and_type(eseal_seal_builder *builder, const char *vendor_id, int64_t seal_type);
eseal_result eseal_seal_builder_set_validity(eseal_seal_builder *builder, int64_t valid_start, int64_t valid_end);
eseal_result eseal_seal_builder_set_picture(eseal_seal_builder *builder, const uint8_t *data, size_t len, int64_t width_mm, int64_t height_mm);
eseal_result eseal_seal_builder_add_signer(eseal_seal_builder *builder, const eseal_certificate *cert, bool by_digest);
eseal_result eseal_seal_builder_sign(eseal_seal_builder *builder, const eseal_private_key *maker_key, const eseal_certificate *maker_cert, eseal_seal **seal_out);
void eseal_seal_builder_free(eseal_seal_builder *builder);

eseal_result eseal_signature_from_der(const uint8_t *der, size_t len, eseal_signature **signature_out);
eseal_result eseal_signature_der(const eseal_signature *signature, const uint8_t **der_out, size_t *len_out);
eseal_result eseal_signature_verify(const eseal_signature *signature, const uint8_t *data, size_t len, eseal_report **report_out);
eseal_result eseal_signature_verify_digest(const eseal_signature *signature, const uint8_t *digest, eseal_report **report_out);
void eseal_signature_free(eseal_signature *signature);
eseal_result eseal_verifier_new(eseal_verifier **verifier_out);
eseal_result eseal_verifier_verify(const eseal_verifier *verifier, const eseal_signature *signature, const uint8_t *data, size_t len, const eseal_trust *trust, eseal_report **report_out);
eseal_result eseal_verifier_verify_digest(const eseal_verifier *verifier, const eseal_signature *signature, const uint8_t *digest, const eseal_trust *trust, eseal_report **report_out);
void eseal_verifier_free(eseal_verifier *verifier);

eseal_result eseal_sign(const eseal_seal *seal, const eseal_private_key *key, const eseal_certificate *cert, int64_t unix_time, const char *property_info, const uint8_t *data, size_t len, eseal_signature **signature_out);
eseal_result eseal_sign_digest(const eseal_seal *seal, const eseal_private_key *key, const eseal_certificate *cert, int64_t unix_time, const char *property_info, const uint8_t *digest, eseal_signature **signature_out);
eseal_result eseal_signer_new(const eseal_seal *seal, const eseal_certificate *cert, int64_t unix_time, const char *property_info, eseal_signer **signer_out);
eseal_result eseal_signer_update(eseal_signer *signer, const uint8_t *data, size_t len);
eseal_result eseal_signer_set_time_stamp_callback(eseal_signer *signer, eseal_time_stamp_callback callback, void *context);
eseal_result eseal_signer_finish(eseal_signer *signer, const eseal_private_key *key, eseal_signature **signature_out);
void eseal_signer_free(eseal_signer *signer);
const char *eseal_last_error_message(void);
eseal_result eseal_buffer_data(const eseal_buffer *buffer, const uint8_t **data_out, size_t *len_out);
void eseal_buffer_free(eseal_buffer *buffer);
eseal_result eseal_ofd_verify(const uint8_t *data, size_t len, eseal_report **report_out);
eseal_result eseal_ofd_verify_file(const char *path, eseal_report **report_out);
eseal_result eseal_ofd_sign(const uint8_t *data, size_t len, const eseal_seal *seal, const eseal_private_key *key, const eseal_certificate *cert, int64_t unix_time, const eseal_stamp *stamps, size_t stamp_count, bool protect_signature_list, eseal_buffer **signed_out);
eseal_result eseal_ofd_sign_file(const char *input_path, const char *output_path, const eseal_seal *seal, const eseal_private_key *key, const eseal_certificate *cert, int64_t unix_time, const eseal_stamp *stamps, size_t stamp_count, bool protect_signature_list);
eseal_result eseal_signature_info(const eseal_signature *signature, uint32_t *version_out, int64_t *unix_time_out, const char **property_info_out);
eseal_result eseal_sm3(const uint8_t *data, size_t len, uint8_t *digest_out);
eseal_result eseal_ofd_verify_file_with_trust(const char *path, const eseal_trust *trust, eseal_report **report_out);
eseal_result eseal_private_key_sign_digest(const eseal_private_key *key, const uint8_t *digest, uint8_t *signature_out);
eseal_result eseal_seal_verify_with_trust(const eseal_seal *seal, int64_t unix_time, const eseal_trust *trust, eseal_report **report_out);
eseal_result eseal_sign_with_callback(const eseal_seal *seal, const eseal_certificate *cert, int64_t unix_time, const char *property_info, const uint8_t *data, size_t len, eseal_sign_callback callback, void *context, eseal_signature **signature_out);
eseal_result eseal_signature_verify_with_trust(const eseal_signature *signature, const uint8_t *data, size_t len, const eseal_trust *trust, eseal_report **report_out);
eseal_result eseal_trust_add_certificates(eseal_trust *trust, const uint8_t *data, size_t len);
eseal_result eseal_trust_add_certificates_with_count(eseal_trust *trust, const uint8_t *data, size_t len, size_t *count_out);
eseal_result eseal_trust_add_crl(eseal_trust *trust, const uint8_t *data, size_t len);
eseal_result eseal_trust_add_seal_revocation_list(eseal_trust *trust, const uint8_t *data, size_t len);
eseal_result eseal_trust_new(eseal_trust **trust_out);
eseal_result eseal_trust_set_revocation_callback(eseal_trust *trust, eseal_revocation_callback callback, void *context);
void eseal_trust_free(eseal_trust *trust);
eseal_result eseal_signature_verify_digest_with_trust(const eseal_signature *signature, const uint8_t *digest, const eseal_trust *trust, eseal_report **report_out);
eseal_result eseal_ofd_verify_with_trust(const uint8_t *data, size_t len, const eseal_trust *trust, eseal_report **report_out);
eseal_result eseal_sign_with_time_stamp(const eseal_seal *seal, const eseal_private_key *key, const eseal_certificate *cert, int64_t unix_time, const char *property_info, const uint8_t *data, size_t len, eseal_time_stamp_callback callback, void *context, eseal_signature **signature_out);
eseal_result eseal_sign_digest_with_time_stamp(const eseal_seal *seal, const eseal_private_key *key, const eseal_certificate *cert, int64_t unix_time, const char *property_info, const uint8_t *digest, eseal_time_stamp_callback callback, void *context, eseal_signature **signature_out);
eseal_result eseal_sign_with_callback_and_time_stamp(const eseal_seal *seal, const eseal_certificate *cert, int64_t unix_time, const char *property_info, const uint8_t *data, size_t len, eseal_sign_callback sign_callback, void *sign_context, eseal_time_stamp_callback time_stamp_callback, void *time_stamp_context, eseal_signature **signature_out);
eseal_result eseal_ofd_sign_with_time_stamp(const uint8_t *data, size_t len, const eseal_seal *seal, const eseal_private_key *key, const eseal_certificate *cert, int64_t unix_time, const eseal_stamp *stamps, size_t stamp_count, bool protect_signature_list, eseal_time_stamp_callback callback, void *context, eseal_buffer **signed_out);
eseal_result eseal_ofd_sign_file_with_time_stamp(const char *input_path, const char *output_path, const eseal_seal *seal, const eseal_private_key *key, const eseal_certificate *cert, int64_t unix_time, const eseal_stamp *stamps, size_t stamp_count, bool protect_signature_list, eseal_time_stamp_callback callback, void *context);
"""

LIBRARY_ENVIRONMENT_VARIABLE = "ESEAL_LIBRARY"


def library_file_name() -> str:
    """Return the platform's file name of the eseal shared library that cargo builds."""
    if sys.platform == "win32":
        return "eseal.dll"
    if sys.platform == "darwin":
        return "libeseal.dylib"
    return "libeseal.so"


def library_candidates() -> list[Path]:
    """Return the paths searched for the shared library, in order.

    $ESEAL_LIBRARY alone when it is set. Otherwise the package folder, the folder beside it
    (bindings/python in the repository), then target/release and target/debug of the repository
    that contains bindings/python.
    """
    configured = os.environ.get(LIBRARY_ENVIRONMENT_VARIABLE)
    if configured:
        return [Path(configured)]

    name = library_file_name()
    package_dir = Path(__file__).resolve().parent
    project_dir = package_dir.parent
    return [
        package_dir / name,
        project_dir / name,
        project_dir / ".." / ".." / "target" / "release" / name,
        project_dir / ".." / ".." / "target" / "debug" / name,
    ]


def load_library(ffi: FFI) -> tuple[Any, Path]:
    """Open the first existing library of `library_candidates` and return it with its path.

    Raises OSError naming every path tried when none exists or the library cannot be opened.
    """
    candidates = library_candidates()
    for path in candidates:
        if path.is_file():
            return ffi.dlopen(str(path)), path.resolve()

    tried = ", ".join(str(path) for path in candidates)
    raise OSError(
        f"eseal shared library not found (tried: {tried}). Build it with "
        f"`cargo build --release` in the eseal repository, or set {LIBRARY_ENVIRONMENT_VARIABLE} "
        f"to the full path of {library_file_name()}."
    )


def c_string(ptr: Any) -> str:
    """Copy a NUL-terminated UTF-8 string owned by the library."""
    value = ffi.string(ptr)
    assert isinstance(value, bytes)
    return value.decode("utf-8")


ffi = FFI()
ffi.cdef(CDEF)
lib: Any
library_path: Path
lib, library_path = load_library(ffi)
