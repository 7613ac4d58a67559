/*
 * C test of the eseal ABI: make a seal, sign, verify, every real signature vector, and the
 * error paths. Built with -Wall -Wextra -Werror and, in CI, AddressSanitizer and
 * UndefinedBehaviorSanitizer.
 *
 * Usage:
 *   eseal_test VECTORS JSON_DIR REPOSITORY TIME_STAMP_AUTHORITY AUTHORITY_DIR
 *                                    run the checks; write each vector's report JSON to
 *                                    JSON_DIR. TIME_STAMP_AUTHORITY is the program built from
 *                                    examples/time_stamp_authority.rs, and AUTHORITY_DIR an
 *                                    empty folder for its files.
 *   eseal_test VECTORS --rounds N    make, sign and verify N times (for valgrind's leak check)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eseal.h"

/* 2021-06-01T00:00:00Z, inside the validity of the test certificates in VECTORS/keys. */
#define SIGNING_TIME ((int64_t)1622505600)
#define VALID_START ((int64_t)1609459200) /* 2021-01-01 */
#define VALID_END ((int64_t)1640995200)   /* 2022-01-01 */

static int failures = 0;

#define EXPECT(condition)                                                              \
    do {                                                                               \
        if (!(condition)) {                                                            \
            fprintf(stderr, "%s:%d: expected %s\n", __FILE__, __LINE__, #condition);   \
            failures++;                                                                \
        }                                                                              \
    } while (0)

#define EXPECT_RESULT(call, expected)                                                  \
    do {                                                                               \
        eseal_result result_ = (call);                                                 \
        if (result_ != (expected)) {                                                   \
            fprintf(stderr, "%s:%d: %s returned %u (%s), expected %u\n", __FILE__,     \
                    __LINE__, #call, (unsigned)result_, eseal_result_message(result_), \
                    (unsigned)(expected));                                             \
            failures++;                                                                \
        }                                                                              \
    } while (0)

struct buffer {
    uint8_t *data;
    size_t len;
};

static struct buffer read_file(const char *path) {
    struct buffer buffer = {NULL, 0};
    FILE *file = fopen(path, "rb");
    if (file == NULL) {
        return buffer;
    }
    if (fseek(file, 0, SEEK_END) == 0) {
        long size = ftell(file);
        if (size >= 0 && fseek(file, 0, SEEK_SET) == 0) {
            buffer.data = malloc((size_t)size + 1);
            if (buffer.data != NULL) {
                buffer.len = fread(buffer.data, 1, (size_t)size, file);
            }
        }
    }
    fclose(file);
    return buffer;
}

static struct buffer read_vector(const char *vectors, const char *relative) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", vectors, relative);
    struct buffer buffer = read_file(path);
    if (buffer.data == NULL) {
        fprintf(stderr, "cannot read %s\n", path);
        exit(2);
    }
    return buffer;
}

static eseal_private_key *load_key(const char *vectors, const char *name) {
    struct buffer pem = read_vector(vectors, name);
    eseal_private_key *key = NULL;
    EXPECT_RESULT(eseal_private_key_from_bytes(pem.data, pem.len, &key), ESEAL_RESULT_OK);
    free(pem.data);
    return key;
}

static eseal_certificate *load_cert(const char *vectors, const char *name) {
    struct buffer pem = read_vector(vectors, name);
    eseal_certificate *cert = NULL;
    EXPECT_RESULT(eseal_certificate_from_bytes(pem.data, pem.len, &cert), ESEAL_RESULT_OK);
    free(pem.data);
    return cert;
}

/* Returns the status of the check called `name`, or -1 when the report has none. */
static int check_status(const eseal_report *report, const char *name) {
    size_t count = 0;
    EXPECT_RESULT(eseal_report_check_count(report, &count), ESEAL_RESULT_OK);
    for (size_t i = 0; i < count; i++) {
        const char *check_name = NULL;
        const char *message = NULL;
        const char *message_zh = NULL;
        eseal_check_status status;
        EXPECT_RESULT(eseal_report_check(report, i, &check_name, &status, &message, &message_zh),
                      ESEAL_RESULT_OK);
        if (strcmp(check_name, name) == 0) {
            EXPECT(strlen(message) > 0 && strlen(message_zh) > 0);
            return (int)status;
        }
    }
    return -1;
}

static bool report_valid(const eseal_report *report) {
    bool valid = false;
    EXPECT_RESULT(eseal_report_valid(report, &valid), ESEAL_RESULT_OK);
    return valid;
}

/* Makes a V4 seal with the SealBuilder keys, authorising `signer`, with the picture of UserV4.esl. */
static eseal_seal *make_seal(const char *vectors, const eseal_private_key *maker_key,
                             const eseal_certificate *maker_cert, const eseal_certificate *signer) {
    struct buffer template_der = read_vector(vectors, "seals/UserV4.esl");
    eseal_seal *template_seal = NULL;
    EXPECT_RESULT(eseal_seal_from_der(template_der.data, template_der.len, &template_seal),
                  ESEAL_RESULT_OK);
    free(template_der.data);

    /* The PNG picture starts at its signature inside the stored seal. */
    const uint8_t *der = NULL;
    size_t der_len = 0;
    EXPECT_RESULT(eseal_seal_der(template_seal, &der, &der_len), ESEAL_RESULT_OK);
    const uint8_t png_magic[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    size_t start = 0;
    while (start + 8 <= der_len && memcmp(der + start, png_magic, 8) != 0) {
        start++;
    }
    EXPECT(start + 8 <= der_len);
    /* The OCTET STRING length before the picture is 82 LL LL (15693 bytes). */
    size_t picture_len = ((size_t)der[start - 2] << 8) | der[start - 1];

    eseal_seal_builder *builder = NULL;
    EXPECT_RESULT(eseal_seal_builder_new("C-ABI-0001", "C 接口测试章", &builder), ESEAL_RESULT_OK);
    EXPECT_RESULT(eseal_seal_builder_set_vendor_and_type(builder, "eseal-c-test", 1), ESEAL_RESULT_OK);
    EXPECT_RESULT(eseal_seal_builder_set_validity(builder, VALID_START, VALID_END), ESEAL_RESULT_OK);
    EXPECT_RESULT(eseal_seal_builder_set_picture(builder, der + start, picture_len, 40, 40),
                  ESEAL_RESULT_OK);
    EXPECT_RESULT(eseal_seal_builder_add_signer(builder, signer, false), ESEAL_RESULT_OK);
    eseal_seal *seal = NULL;
    EXPECT_RESULT(eseal_seal_builder_sign(builder, maker_key, maker_cert, &seal), ESEAL_RESULT_OK);
    eseal_seal_builder_free(builder);
    eseal_seal_free(template_seal);
    return seal;
}

static void test_make_sign_verify(const char *vectors) {
    eseal_private_key *maker_key = load_key(vectors, "keys/SealBuilder.key.pem");
    eseal_certificate *maker_cert = load_cert(vectors, "keys/SealBuilder.cert.pem");
    eseal_private_key *user_key = load_key(vectors, "keys/USER.key.pem");
    eseal_certificate *user_cert = load_cert(vectors, "keys/USER.cert.pem");

    const char *subject = NULL;
    EXPECT_RESULT(eseal_certificate_names(user_cert, &subject, NULL, NULL), ESEAL_RESULT_OK);
    EXPECT(subject != NULL && strstr(subject, "CN=Test Certificate") != NULL);

    eseal_seal *seal = make_seal(vectors, maker_key, maker_cert, user_cert);
    uint32_t version = 0;
    const char *es_id = NULL;
    EXPECT_RESULT(eseal_seal_info(seal, &version, &es_id, NULL), ESEAL_RESULT_OK);
    EXPECT(version == 4);
    EXPECT(es_id != NULL && strcmp(es_id, "C-ABI-0001") == 0);

    eseal_report *seal_report = NULL;
    EXPECT_RESULT(eseal_seal_verify(seal, SIGNING_TIME, &seal_report), ESEAL_RESULT_OK);
    EXPECT(report_valid(seal_report));
    eseal_report_free(seal_report);

    const uint8_t document[] = "transcript of Zhang San";
    eseal_signature *signature = NULL;
    EXPECT_RESULT(eseal_sign(seal, user_key, user_cert, SIGNING_TIME, "transcript.txt", document,
                             sizeof document, &signature),
                  ESEAL_RESULT_OK);
    eseal_report *report = NULL;
    EXPECT_RESULT(eseal_signature_verify(signature, document, sizeof document, &report),
                  ESEAL_RESULT_OK);
    EXPECT(report_valid(report));
    EXPECT(check_status(report, "signature.data_hash") == ESEAL_CHECK_STATUS_PASSED);
    EXPECT(check_status(report, "signature.signer_certificate_chain") ==
           ESEAL_CHECK_STATUS_NOT_CHECKED);

    /* The JSON copy: exactly large enough succeeds, one byte less is too small. */
    size_t json_len = 0;
    EXPECT_RESULT(eseal_report_json_length(report, &json_len), ESEAL_RESULT_OK);
    char *copy = malloc(json_len + 1);
    size_t written = 12345;
    EXPECT_RESULT(eseal_report_json_copy(report, copy, json_len, &written),
                  ESEAL_RESULT_BUFFER_TOO_SMALL);
    EXPECT(written == 12345);
    EXPECT_RESULT(eseal_report_json_copy(report, copy, json_len + 1, &written), ESEAL_RESULT_OK);
    EXPECT(written == json_len && copy[json_len] == '\0');
    const char *json = NULL;
    EXPECT_RESULT(eseal_report_json(report, &json), ESEAL_RESULT_OK);
    EXPECT(strcmp(json, copy) == 0);
    EXPECT(strstr(json, "\"kind\": \"signature\"") != NULL);
    free(copy);
    eseal_report_free(report);

    /* Tampered data. */
    const uint8_t tampered[] = "transcript of Zhang Sam";
    EXPECT_RESULT(eseal_signature_verify(signature, tampered, sizeof tampered, &report),
                  ESEAL_RESULT_OK);
    EXPECT(!report_valid(report));
    EXPECT(check_status(report, "signature.data_hash") == ESEAL_CHECK_STATUS_FAILED);
    eseal_report_free(report);

    /* No data: dataHash is not checked. */
    EXPECT_RESULT(eseal_signature_verify(signature, NULL, 0, &report), ESEAL_RESULT_OK);
    EXPECT(check_status(report, "signature.data_hash") == ESEAL_CHECK_STATUS_NOT_CHECKED);
    eseal_report_free(report);

    /* A round trip through DER, and a flipped bit in the stored signature. */
    const uint8_t *der = NULL;
    size_t der_len = 0;
    EXPECT_RESULT(eseal_signature_der(signature, &der, &der_len), ESEAL_RESULT_OK);
    uint8_t *flipped = malloc(der_len);
    memcpy(flipped, der, der_len);
    flipped[der_len - 3] ^= 0x01;
    eseal_signature *bad = NULL;
    EXPECT_RESULT(eseal_signature_from_der(flipped, der_len, &bad), ESEAL_RESULT_OK);
    EXPECT_RESULT(eseal_signature_verify(bad, document, sizeof document, &report), ESEAL_RESULT_OK);
    EXPECT(!report_valid(report));
    EXPECT(check_status(report, "signature.signer_signature") == ESEAL_CHECK_STATUS_FAILED);
    eseal_report_free(report);
    eseal_signature_free(bad);
    free(flipped);

    /* Signature facts and SM3. */
    uint32_t signature_version = 0;
    int64_t signing_time = 0;
    const char *property_info = NULL;
    EXPECT_RESULT(eseal_signature_info(signature, &signature_version, &signing_time, &property_info),
                  ESEAL_RESULT_OK);
    EXPECT(signature_version == 4 && signing_time == SIGNING_TIME);
    EXPECT(property_info != NULL && strcmp(property_info, "transcript.txt") == 0);
    uint8_t digest[32];
    EXPECT_RESULT(eseal_sm3((const uint8_t *)"abc", 3, digest), ESEAL_RESULT_OK);
    EXPECT(digest[0] == 0x66 && digest[1] == 0xc7 && digest[31] == 0xe0);
    EXPECT_RESULT(eseal_sm3(document, sizeof document, digest), ESEAL_RESULT_OK);
    EXPECT_RESULT(eseal_signature_verify_digest(signature, digest, &report), ESEAL_RESULT_OK);
    EXPECT(report_valid(report));
    eseal_report_free(report);

    /* Streamed signing gives the same verification. */
    eseal_signer *signer = NULL;
    EXPECT_RESULT(eseal_signer_new(seal, user_cert, SIGNING_TIME, NULL, &signer), ESEAL_RESULT_OK);
    EXPECT_RESULT(eseal_signer_update(signer, document, 10), ESEAL_RESULT_OK);
    EXPECT_RESULT(eseal_signer_update(signer, document + 10, sizeof document - 10), ESEAL_RESULT_OK);
    eseal_signature *streamed = NULL;
    EXPECT_RESULT(eseal_signer_finish(signer, user_key, &streamed), ESEAL_RESULT_OK);
    EXPECT_RESULT(eseal_signer_update(signer, document, 1), ESEAL_RESULT_INVALID_ARGUMENT);
    eseal_signature *again = NULL;
    EXPECT_RESULT(eseal_signer_finish(signer, user_key, &again), ESEAL_RESULT_INVALID_ARGUMENT);
    EXPECT(again == NULL);
    eseal_signer_free(signer);
    EXPECT_RESULT(eseal_signature_verify(streamed, document, sizeof document, &report),
                  ESEAL_RESULT_OK);
    EXPECT(report_valid(report));
    eseal_report_free(report);
    eseal_signature_free(streamed);

    /* Refusals: wrong key for the certificate, signer not authorised, outside validity. */
    eseal_signature *refused = NULL;
    EXPECT_RESULT(eseal_sign(seal, maker_key, user_cert, SIGNING_TIME, NULL, document,
                             sizeof document, &refused),
                  ESEAL_RESULT_KEY_CERTIFICATE_MISMATCH);
    EXPECT_RESULT(eseal_sign(seal, maker_key, maker_cert, SIGNING_TIME, NULL, document,
                             sizeof document, &refused),
                  ESEAL_RESULT_SIGNER_NOT_IN_CERT_LIST);
    EXPECT_RESULT(eseal_sign(seal, user_key, user_cert, VALID_END + 86400, NULL, document,
                             sizeof document, &refused),
                  ESEAL_RESULT_SEAL_NOT_VALID_AT_TIME);
    EXPECT(refused == NULL);

    eseal_signature_free(signature);
    eseal_seal_free(seal);
    eseal_certificate_free(user_cert);
    eseal_private_key_free(user_key);
    eseal_certificate_free(maker_cert);
    eseal_private_key_free(maker_key);
}

static void test_error_paths(void) {
    eseal_seal *seal = NULL;
    const uint8_t garbage[] = {0x30, 0x03, 0x02, 0x01, 0x04};
    EXPECT_RESULT(eseal_seal_from_der(garbage, sizeof garbage, &seal), ESEAL_RESULT_PARSE_ERROR);
    EXPECT(seal == NULL);
    /* The detailed message names the structure, the field and the byte offset. */
    EXPECT(strstr(eseal_last_error_message(), "byte offset") != NULL);
    EXPECT_RESULT(eseal_seal_from_der(NULL, 10, &seal), ESEAL_RESULT_NULL_ARGUMENT);
    EXPECT_RESULT(eseal_seal_from_der(garbage, sizeof garbage, NULL), ESEAL_RESULT_NULL_ARGUMENT);
    EXPECT_RESULT(eseal_seal_verify(NULL, ESEAL_TIME_NOW, NULL), ESEAL_RESULT_NULL_ARGUMENT);

    eseal_signature *signature = NULL;
    EXPECT_RESULT(eseal_signature_from_der(garbage, 0, &signature), ESEAL_RESULT_PARSE_ERROR);
    EXPECT_RESULT(eseal_signature_verify(NULL, NULL, 0, NULL), ESEAL_RESULT_NULL_ARGUMENT);

    eseal_private_key *key = NULL;
    const uint8_t not_a_key[] = "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n";
    EXPECT_RESULT(eseal_private_key_from_bytes(not_a_key, sizeof not_a_key - 1, &key),
                  ESEAL_RESULT_KEY_INVALID);
    EXPECT(key == NULL);
    eseal_certificate *cert = NULL;
    EXPECT_RESULT(eseal_certificate_from_bytes(garbage, sizeof garbage, &cert),
                  ESEAL_RESULT_CERTIFICATE_INVALID);

    eseal_seal_builder *builder = NULL;
    EXPECT_RESULT(eseal_seal_builder_new(NULL, "name", &builder), ESEAL_RESULT_NULL_ARGUMENT);
    const char not_utf8[] = {'\xff', '\xfe', 0};
    EXPECT_RESULT(eseal_seal_builder_new("id", not_utf8, &builder), ESEAL_RESULT_INVALID_ARGUMENT);
    EXPECT_RESULT(eseal_seal_builder_new("id", "name", &builder), ESEAL_RESULT_OK);
    EXPECT_RESULT(eseal_seal_builder_set_version(builder, 3), ESEAL_RESULT_INVALID_ARGUMENT);
    EXPECT_RESULT(eseal_seal_builder_set_validity(builder, -5, 10), ESEAL_RESULT_INVALID_ARGUMENT);
    const uint8_t text[] = "not a picture";
    EXPECT_RESULT(eseal_seal_builder_set_picture(builder, text, sizeof text, 40, 40),
                  ESEAL_RESULT_PICTURE_INVALID);
    eseal_seal_builder_free(builder);

    eseal_report *report = NULL;
    EXPECT_RESULT(eseal_report_check_count(report, NULL), ESEAL_RESULT_NULL_ARGUMENT);

    /* A panic inside the library comes back as a result code, and the library still works. */
    EXPECT_RESULT(eseal_debug_panic(), ESEAL_RESULT_PANIC);
    EXPECT_RESULT(eseal_private_key_generate(&key), ESEAL_RESULT_OK);
    eseal_private_key_free(key);

    EXPECT(strcmp(eseal_result_message(ESEAL_RESULT_OK), "success") == 0);
    EXPECT(strstr(eseal_result_message(99999), "unknown") != NULL);
    EXPECT(strlen(eseal_version()) > 0);

    /* Every _free accepts NULL. */
    eseal_seal_free(NULL);
    eseal_signature_free(NULL);
    eseal_report_free(NULL);
    eseal_private_key_free(NULL);
    eseal_certificate_free(NULL);
    eseal_seal_builder_free(NULL);
    eseal_signer_free(NULL);
}

/* Expected overall validity of each folder in VECTORS/signatures (see its README). */
static const struct {
    const char *folder;
    bool valid;
} SIGNATURE_VECTORS[] = {
    {"dianju-c9ca0b828683", true},
    {"gomain-0f95f074ddc4", true},
    {"gomain-dc10a090ea5f", true},
    {"koal-0949ab5880fe", true},
    {"koal-561ad032f380", true},
    {"ofdr-wtest-3c2f8c595f20", true},
    /* Signed in 2026 with a seal and certificates that expired in 2022. */
    {"ofdr-wtest-d176968e31d8", false},
    {"ofdrw-v4-zero-hash", true},
    {"ofdrw-v5-zero-hash", false},
    {"suwell-sdk-ba0963d2b707", true},
    {"suwell-t-58945b137af8", true},
};

/* Expected overall validity of each OFD document in VECTORS/ofd. */
static const struct {
    const char *name;
    bool valid;
} OFD_VECTORS[] = {
    {"gomain-invoice", true},
    {"gomain-permit-edited-after-signing", false},
    {"kinggrid-invoice-relative-baseloc", true},
    {"koal-tampered-content", false},
    {"koal-three-signatures", true},
    /* Signed in 2026 with a seal and certificates that expired in 2022. */
    {"ofdrw-hello", false},
    {"ofdrw-riding-seal-two-signatures", false},
};

static void test_ofd(const char *vectors, const char *json_dir) {
    for (size_t i = 0; i < sizeof OFD_VECTORS / sizeof OFD_VECTORS[0]; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/ofd/%s.ofd", vectors, OFD_VECTORS[i].name);
        eseal_report *report = NULL;
        EXPECT_RESULT(eseal_ofd_verify_file(path, &report), ESEAL_RESULT_OK);
        if (report == NULL) {
            continue;
        }
        if (report_valid(report) != OFD_VECTORS[i].valid) {
            fprintf(stderr, "%s: OFD validity differs from the expected result\n", OFD_VECTORS[i].name);
            failures++;
        }
        const char *json = NULL;
        EXPECT_RESULT(eseal_report_json(report, &json), ESEAL_RESULT_OK);
        char out_path[4096];
        snprintf(out_path, sizeof out_path, "%s/ofd-%s.json", json_dir, OFD_VECTORS[i].name);
        FILE *out = fopen(out_path, "w");
        if (out != NULL) {
            fprintf(out, "%s\n", json);
            fclose(out);
        }
        eseal_report_free(report);
    }

    /* Sign ofdrw-hello.ofd in memory with the test keys, then verify the result. */
    struct buffer document = read_vector(vectors, "ofd/ofdrw-hello.ofd");
    struct buffer seal_der = read_vector(vectors, "seals/UserV4.esl");
    eseal_seal *seal = NULL;
    EXPECT_RESULT(eseal_seal_from_der(seal_der.data, seal_der.len, &seal), ESEAL_RESULT_OK);
    eseal_private_key *key = load_key(vectors, "keys/USER.key.pem");
    eseal_certificate *cert = load_cert(vectors, "keys/USER.cert.pem");
    eseal_stamp stamp = {1, 100.0, 150.0, 40.0, 40.0, false, 0, 0, 0, 0};
    eseal_buffer *signed_document = NULL;
    EXPECT_RESULT(eseal_ofd_sign(document.data, document.len, seal, key, cert, SIGNING_TIME, &stamp, 1,
                                 false, &signed_document),
                  ESEAL_RESULT_OK);
    const uint8_t *signed_data = NULL;
    size_t signed_len = 0;
    EXPECT_RESULT(eseal_buffer_data(signed_document, &signed_data, &signed_len), ESEAL_RESULT_OK);
    eseal_report *report = NULL;
    EXPECT_RESULT(eseal_ofd_verify(signed_data, signed_len, &report), ESEAL_RESULT_OK);
    const char *json = NULL;
    EXPECT_RESULT(eseal_report_json(report, &json), ESEAL_RESULT_OK);
    /* The original signature stays invalid (expired seal); the new one, ID 3, is valid. */
    EXPECT(json != NULL && strstr(json, "\"id\": \"3\"") != NULL);
    eseal_report_free(report);
    eseal_buffer_free(signed_document);

    /* A page that does not exist, and no stamp at all. */
    eseal_stamp missing_page = {9, 10.0, 10.0, 40.0, 40.0, false, 0, 0, 0, 0};
    EXPECT_RESULT(eseal_ofd_sign(document.data, document.len, seal, key, cert, SIGNING_TIME,
                                 &missing_page, 1, false, &signed_document),
                  ESEAL_RESULT_ENCODE_FAILED);
    EXPECT(strstr(eseal_last_error_message(), "page 9") != NULL);
    EXPECT_RESULT(eseal_ofd_sign(document.data, document.len, seal, key, cert, SIGNING_TIME, &stamp, 0,
                                 false, &signed_document),
                  ESEAL_RESULT_ENCODE_FAILED);
    EXPECT_RESULT(eseal_ofd_sign(document.data, document.len, seal, key, cert, SIGNING_TIME, NULL, 1,
                                 false, &signed_document),
                  ESEAL_RESULT_NULL_ARGUMENT);
    eseal_stamp not_finite = {1, 0.0 / 0.0, 10.0, 40.0, 40.0, false, 0, 0, 0, 0};
    EXPECT_RESULT(eseal_ofd_sign(document.data, document.len, seal, key, cert, SIGNING_TIME,
                                 &not_finite, 1, false, &signed_document),
                  ESEAL_RESULT_ENCODE_FAILED);
    /* Signing a file onto itself is refused and leaves it intact. */
    char copy_path[4096];
    snprintf(copy_path, sizeof copy_path, "%s/self.ofd", json_dir);
    FILE *copy = fopen(copy_path, "wb");
    if (copy != NULL) {
        fwrite(document.data, 1, document.len, copy);
        fclose(copy);
    }
    char alias_path[4096];
    snprintf(alias_path, sizeof alias_path, "%s/../json/self.ofd", json_dir);
    EXPECT_RESULT(eseal_ofd_sign_file(copy_path, alias_path, seal, key, cert, SIGNING_TIME, &stamp, 1,
                                      false),
                  ESEAL_RESULT_ENCODE_FAILED);
    struct buffer intact = read_file(copy_path);
    EXPECT(intact.len == document.len);
    free(intact.data);
    remove(copy_path);
    const uint8_t not_zip[] = "not a zip";
    EXPECT_RESULT(eseal_ofd_verify(not_zip, sizeof not_zip, &report), ESEAL_RESULT_OFD_INVALID);
    eseal_buffer_free(NULL);

    eseal_certificate_free(cert);
    eseal_private_key_free(key);
    eseal_seal_free(seal);
    free(seal_der.data);
    free(document.data);
}

/* An external signer backed by an eseal key, as a USB key driver would be. */
static uint32_t key_signer(void *context, const uint8_t *digest, uint8_t *signature_out) {
    return (uint32_t)eseal_private_key_sign_digest((const eseal_private_key *)context, digest,
                                                   signature_out);
}

/* An external signer that answers with a signature of nothing. */
static uint32_t wrong_signer(void *context, const uint8_t *digest, uint8_t *signature_out) {
    (void)context;
    (void)digest;
    memset(signature_out, 0x42, 64);
    return 0;
}

static uint32_t failing_signer(void *context, const uint8_t *digest, uint8_t *signature_out) {
    (void)context;
    (void)digest;
    (void)signature_out;
    return 7;
}

/* An online revocation check that reports every certificate revoked at 2021-01-01. */
static uint32_t revoking_checker(void *context, const uint8_t *cert, size_t cert_len,
                                 const uint8_t *issuer, size_t issuer_len, int64_t unix_time,
                                 int64_t *revoked_at_out) {
    (void)cert;
    (void)issuer;
    (void)unix_time;
    int *calls = context;
    (*calls)++;
    EXPECT(cert_len > 0 && issuer_len > 0);
    *revoked_at_out = 1609459200;
    return ESEAL_REVOCATION_STATUS_REVOKED;
}

static void test_trust_and_external_signers(const char *vectors) {
    struct buffer der = read_vector(vectors, "signatures/ofdr-wtest-3c2f8c595f20/SignedValue.dat");
    struct buffer xml = read_vector(vectors, "signatures/ofdr-wtest-3c2f8c595f20/Signature.xml");
    struct buffer root = read_vector(vectors, "keys/ROOT.cert.pem");
    eseal_signature *signature = NULL;
    EXPECT_RESULT(eseal_signature_from_der(der.data, der.len, &signature), ESEAL_RESULT_OK);
    eseal_trust *trust = NULL;
    EXPECT_RESULT(eseal_trust_new(&trust), ESEAL_RESULT_OK);
    EXPECT_RESULT(eseal_trust_add_certificates(trust, root.data, root.len), ESEAL_RESULT_OK);
    eseal_report *report = NULL;
    EXPECT_RESULT(eseal_signature_verify_with_trust(signature, xml.data, xml.len, trust, &report),
                  ESEAL_RESULT_OK);
    EXPECT(report_valid(report));
    EXPECT(check_status(report, "signature.signer_certificate_chain") == ESEAL_CHECK_STATUS_PASSED);
    EXPECT(check_status(report, "seal.maker_certificate_chain") == ESEAL_CHECK_STATUS_PASSED);
    eseal_report_free(report);

    int calls = 0;
    EXPECT_RESULT(eseal_trust_set_revocation_callback(trust, revoking_checker, &calls), ESEAL_RESULT_OK);
    EXPECT_RESULT(eseal_signature_verify_with_trust(signature, xml.data, xml.len, trust, &report),
                  ESEAL_RESULT_OK);
    EXPECT(!report_valid(report));
    EXPECT(check_status(report, "signature.signer_certificate_revocation") == ESEAL_CHECK_STATUS_FAILED);
    EXPECT(calls >= 2);
    eseal_report_free(report);
    eseal_trust_free(trust);

    /* Sign through external signer callbacks. */
    struct buffer seal_der = read_vector(vectors, "seals/UserV4.esl");
    eseal_seal *seal = NULL;
    EXPECT_RESULT(eseal_seal_from_der(seal_der.data, seal_der.len, &seal), ESEAL_RESULT_OK);
    eseal_private_key *key = load_key(vectors, "keys/USER.key.pem");
    eseal_certificate *cert = load_cert(vectors, "keys/USER.cert.pem");
    const uint8_t document[] = "signed by a USB key";
    eseal_signature *external = NULL;
    EXPECT_RESULT(eseal_sign_with_callback(seal, cert, SIGNING_TIME, NULL, document, sizeof document,
                                           key_signer, key, &external),
                  ESEAL_RESULT_OK);
    EXPECT_RESULT(eseal_signature_verify(external, document, sizeof document, &report), ESEAL_RESULT_OK);
    EXPECT(report_valid(report));
    eseal_report_free(report);
    eseal_signature_free(external);
    external = NULL;
    EXPECT_RESULT(eseal_sign_with_callback(seal, cert, SIGNING_TIME, NULL, document, sizeof document,
                                           wrong_signer, NULL, &external),
                  ESEAL_RESULT_SIGNATURE_INVALID);
    EXPECT_RESULT(eseal_sign_with_callback(seal, cert, SIGNING_TIME, NULL, document, sizeof document,
                                           failing_signer, NULL, &external),
                  ESEAL_RESULT_SIGNER_FAILED);
    EXPECT_RESULT(eseal_sign_with_callback(seal, cert, SIGNING_TIME, NULL, document, sizeof document,
                                           NULL, NULL, &external),
                  ESEAL_RESULT_NULL_ARGUMENT);
    EXPECT(external == NULL);

    eseal_certificate_free(cert);
    eseal_private_key_free(key);
    eseal_seal_free(seal);
    eseal_signature_free(signature);
    free(seal_der.data);
    free(root.data);
    free(xml.data);
    free(der.data);
}

static void test_signature_vectors(const char *vectors, const char *json_dir) {
    for (size_t i = 0; i < sizeof SIGNATURE_VECTORS / sizeof SIGNATURE_VECTORS[0]; i++) {
        const char *folder = SIGNATURE_VECTORS[i].folder;
        char relative[512];
        snprintf(relative, sizeof relative, "signatures/%s/SignedValue.dat", folder);
        struct buffer der = read_vector(vectors, relative);
        char xml_path[4096];
        snprintf(xml_path, sizeof xml_path, "%s/signatures/%s/Signature.xml", vectors, folder);
        struct buffer xml = read_file(xml_path);

        eseal_signature *signature = NULL;
        EXPECT_RESULT(eseal_signature_from_der(der.data, der.len, &signature), ESEAL_RESULT_OK);
        eseal_report *report = NULL;
        EXPECT_RESULT(eseal_signature_verify(signature, xml.data, xml.len, &report), ESEAL_RESULT_OK);
        if (report_valid(report) != SIGNATURE_VECTORS[i].valid) {
            fprintf(stderr, "%s: validity differs from the expected result\n", folder);
            failures++;
        }
        EXPECT(check_status(report, "signature.signer_signature") == ESEAL_CHECK_STATUS_PASSED);
        EXPECT(check_status(report, "seal.maker_signature") == ESEAL_CHECK_STATUS_PASSED);

        const char *json = NULL;
        EXPECT_RESULT(eseal_report_json(report, &json), ESEAL_RESULT_OK);
        char out_path[4096];
        snprintf(out_path, sizeof out_path, "%s/%s.json", json_dir, folder);
        FILE *out = fopen(out_path, "w");
        if (out == NULL) {
            fprintf(stderr, "cannot write %s\n", out_path);
            failures++;
        } else {
            fprintf(out, "%s\n", json);
            fclose(out);
        }
        eseal_report_free(report);
        eseal_signature_free(signature);
        free(der.data);
        free(xml.data);
    }
}

/* What a time stamp callback does: ask the test authority (examples/time_stamp_authority.rs,
 * whose folder is the context) for a token over the value or over other bytes, return garbage,
 * report a token longer than its buffer, or fail. */
enum stamp_mode {
    STAMP_AUTHORITY,
    STAMP_OTHER_BYTES,
    STAMP_GARBAGE,
    STAMP_OVERSIZED,
    STAMP_FAILS
};

struct stamping {
    enum stamp_mode mode;
    const char *authority;
    const char *folder;
    int calls;
};

static uint32_t stamp_callback(void *context, const uint8_t *data, size_t len, uint8_t *token_out,
                               size_t token_capacity, size_t *token_len_out) {
    struct stamping *stamping = context;
    stamping->calls++;
    if (stamping->mode == STAMP_FAILS) {
        return 9;
    }
    if (stamping->mode == STAMP_GARBAGE) {
        static const uint8_t garbage[] = {0x30, 0x03, 0x02, 0x01, 0x01};
        memcpy(token_out, garbage, sizeof garbage);
        *token_len_out = sizeof garbage;
        return 0;
    }
    if (stamping->mode == STAMP_OVERSIZED) {
        *token_len_out = token_capacity + 1;
        return 0;
    }
    static const uint8_t other_bytes[] = "other bytes";
    if (stamping->mode == STAMP_OTHER_BYTES) {
        data = other_bytes;
        len = sizeof other_bytes - 1;
    }
    char value_path[4096];
    char token_path[4096];
    char command[16384];
    snprintf(value_path, sizeof value_path, "%s/value.der", stamping->folder);
    snprintf(token_path, sizeof token_path, "%s/token.der", stamping->folder);
    FILE *value = fopen(value_path, "wb");
    if (value == NULL || fwrite(data, 1, len, value) != len) {
        if (value != NULL) {
            fclose(value);
        }
        return 1;
    }
    fclose(value);
    snprintf(command, sizeof command, "'%s' stamp '%s' 2021-06-01T00:05:00Z < '%s' > '%s'",
             stamping->authority, stamping->folder, value_path, token_path);
    if (system(command) != 0) {
        return 2;
    }
    struct buffer token = read_file(token_path);
    if (token.data == NULL || token.len > token_capacity) {
        free(token.data);
        return 3;
    }
    memcpy(token_out, token.data, token.len);
    *token_len_out = token.len;
    free(token.data);
    return 0;
}

/* Password-protected keys, signing with a time stamp, trust from memory and the result codes of
 * CRLs and seal revocation lists. `authority` is the test time stamp authority and `folder` an
 * empty folder for its files. */
static void test_protected_keys_and_time_stamps(const char *vectors, const char *repository,
                                                const char *authority, const char *folder) {
    struct buffer p12 = read_vector(vectors, "keys/USER.p12");
    eseal_private_key *key = NULL;
    eseal_certificate *cert = NULL;
    const char *password = "777777";
    EXPECT_RESULT(eseal_pkcs12_open(p12.data, p12.len, (const uint8_t *)password, strlen(password),
                                    &key, &cert),
                  ESEAL_RESULT_OK);
    EXPECT(key != NULL && cert != NULL);

    /* The certificate from the file equals USER.cert.pem, byte for byte. */
    eseal_certificate *expected = load_cert(vectors, "keys/USER.cert.pem");
    const uint8_t *der = NULL;
    const uint8_t *expected_der = NULL;
    size_t der_len = 0;
    size_t expected_len = 0;
    EXPECT_RESULT(eseal_certificate_der(cert, &der, &der_len), ESEAL_RESULT_OK);
    EXPECT_RESULT(eseal_certificate_der(expected, &expected_der, &expected_len), ESEAL_RESULT_OK);
    EXPECT(der_len == expected_len && der_len > 0 && memcmp(der, expected_der, der_len) == 0);
    EXPECT_RESULT(eseal_certificate_der(cert, NULL, &der_len), ESEAL_RESULT_NULL_ARGUMENT);

    /* The key and certificate from the file sign a signature that verifies. */
    struct buffer seal_der = read_vector(vectors, "seals/UserV4.esl");
    eseal_seal *seal = NULL;
    EXPECT_RESULT(eseal_seal_from_der(seal_der.data, seal_der.len, &seal), ESEAL_RESULT_OK);
    const uint8_t document[] = "signed with a key from a PKCS#12 file";
    eseal_signature *signature = NULL;
    EXPECT_RESULT(eseal_sign(seal, key, cert, SIGNING_TIME, NULL, document, sizeof document,
                             &signature),
                  ESEAL_RESULT_OK);
    eseal_report *report = NULL;
    EXPECT_RESULT(eseal_signature_verify(signature, document, sizeof document, &report),
                  ESEAL_RESULT_OK);
    EXPECT(report_valid(report));
    eseal_report_free(report);
    eseal_signature_free(signature);
    eseal_private_key_free(key);
    eseal_certificate_free(cert);

    /* A wrong password, a truncated file and NULL arguments. */
    eseal_private_key *failed_key = NULL;
    eseal_certificate *failed_cert = NULL;
    EXPECT_RESULT(eseal_pkcs12_open(p12.data, p12.len, (const uint8_t *)"123456", 6, &failed_key,
                                    &failed_cert),
                  ESEAL_RESULT_WRONG_PASSWORD);
    EXPECT(strstr(eseal_last_error_message(), "123456") == NULL);
    EXPECT_RESULT(eseal_private_key_from_bytes_with_password(p12.data, p12.len, NULL, 0,
                                                             &failed_key),
                  ESEAL_RESULT_WRONG_PASSWORD);
    EXPECT_RESULT(eseal_pkcs12_open(p12.data, p12.len / 2, (const uint8_t *)password,
                                    strlen(password), &failed_key, NULL),
                  ESEAL_RESULT_KEY_INVALID);
    EXPECT_RESULT(eseal_pkcs12_open(p12.data, p12.len, NULL, 6, &failed_key, NULL),
                  ESEAL_RESULT_NULL_ARGUMENT);
    EXPECT_RESULT(eseal_pkcs12_open(p12.data, p12.len, (const uint8_t *)password,
                                    strlen(password), NULL, NULL),
                  ESEAL_RESULT_NULL_ARGUMENT);
    EXPECT(failed_key == NULL && failed_cert == NULL);

    /* Encrypted PKCS#8 from another tool. */
    char path[4096];
    snprintf(path, sizeof path, "%s/tests/vectors/encrypted-keys/openssl-aes256-sha256.pem",
             repository);
    struct buffer encrypted = read_file(path);
    EXPECT(encrypted.data != NULL);
    const char *test_password = "eseal-test";
    EXPECT_RESULT(eseal_private_key_from_bytes_with_password(
                      encrypted.data, encrypted.len, (const uint8_t *)test_password,
                      strlen(test_password), &key),
                  ESEAL_RESULT_OK);
    uint8_t digest[32] = {0};
    uint8_t raw[64];
    EXPECT_RESULT(eseal_private_key_sign_digest(key, digest, raw), ESEAL_RESULT_OK);
    eseal_private_key_free(key);
    EXPECT_RESULT(eseal_private_key_from_bytes_with_password(
                      encrypted.data, encrypted.len, (const uint8_t *)"eseal-tesT", 10,
                      &failed_key),
                  ESEAL_RESULT_WRONG_PASSWORD);
    EXPECT_RESULT(eseal_private_key_from_bytes(encrypted.data, encrypted.len, &failed_key),
                  ESEAL_RESULT_KEY_INVALID);
    free(encrypted.data);

    /* Signing with a time stamp from the test authority, trusted and untrusted. */
    char command[8192];
    snprintf(command, sizeof command, "'%s' init '%s'", authority, folder);
    EXPECT(system(command) == 0);
    snprintf(path, sizeof path, "%s/root.der", folder);
    struct buffer authority_root = read_file(path);
    EXPECT(authority_root.data != NULL);
    key = load_key(vectors, "keys/USER.key.pem");
    struct stamping stamping = {STAMP_AUTHORITY, authority, folder, 0};
    EXPECT_RESULT(eseal_sign_with_time_stamp(seal, key, expected, SIGNING_TIME, NULL, document,
                                             sizeof document, stamp_callback, &stamping,
                                             &signature),
                  ESEAL_RESULT_OK);
    EXPECT(stamping.calls == 1);
    struct buffer root = read_vector(vectors, "keys/ROOT.cert.pem");
    eseal_trust *trust = NULL;
    size_t count = 0;
    EXPECT_RESULT(eseal_trust_new(&trust), ESEAL_RESULT_OK);
    EXPECT_RESULT(eseal_trust_add_certificates_with_count(trust, root.data, root.len, &count),
                  ESEAL_RESULT_OK);
    EXPECT(count == 1);
    EXPECT_RESULT(eseal_signature_verify_with_trust(signature, document, sizeof document, trust,
                                                    &report),
                  ESEAL_RESULT_OK);
    EXPECT(check_status(report, "signature.time_stamp") == ESEAL_CHECK_STATUS_FAILED);
    EXPECT(!report_valid(report));
    eseal_report_free(report);
    if (authority_root.data != NULL) {
        EXPECT_RESULT(eseal_trust_add_certificates_with_count(trust, authority_root.data,
                                                              authority_root.len, &count),
                      ESEAL_RESULT_OK);
        EXPECT(count == 1);
    }
    EXPECT_RESULT(eseal_signature_verify_with_trust(signature, document, sizeof document, trust,
                                                    &report),
                  ESEAL_RESULT_OK);
    EXPECT(check_status(report, "signature.time_stamp") == ESEAL_CHECK_STATUS_PASSED);
    EXPECT(report_valid(report));
    eseal_report_free(report);
    eseal_signature_free(signature);

    /* The same from the data's SM3 digest. */
    uint8_t document_digest[32];
    EXPECT_RESULT(eseal_sm3(document, sizeof document, document_digest), ESEAL_RESULT_OK);
    signature = NULL;
    stamping.calls = 0;
    EXPECT_RESULT(eseal_sign_digest_with_time_stamp(seal, key, expected, SIGNING_TIME, NULL,
                                                    document_digest, stamp_callback, &stamping,
                                                    &signature),
                  ESEAL_RESULT_OK);
    EXPECT(stamping.calls == 1);
    EXPECT_RESULT(eseal_signature_verify_digest_with_trust(signature, document_digest, trust,
                                                           &report),
                  ESEAL_RESULT_OK);
    EXPECT(check_status(report, "signature.time_stamp") == ESEAL_CHECK_STATUS_PASSED);
    EXPECT(report_valid(report));
    eseal_report_free(report);
    eseal_signature_free(signature);
    signature = NULL;
    stamping.mode = STAMP_FAILS;
    EXPECT_RESULT(eseal_sign_digest_with_time_stamp(seal, key, expected, SIGNING_TIME, NULL,
                                                    document_digest, stamp_callback, &stamping,
                                                    &signature),
                  ESEAL_RESULT_TIME_STAMP_FAILED);
    EXPECT_RESULT(eseal_sign_digest_with_time_stamp(seal, key, expected, SIGNING_TIME, NULL,
                                                    document_digest, NULL, NULL, &signature),
                  ESEAL_RESULT_NULL_ARGUMENT);
    EXPECT_RESULT(eseal_sign_digest_with_time_stamp(seal, key, expected, SIGNING_TIME, NULL, NULL,
                                                    stamp_callback, &stamping, &signature),
                  ESEAL_RESULT_NULL_ARGUMENT);
    EXPECT(signature == NULL);
    stamping.mode = STAMP_AUTHORITY;

    /* A failing callback, a garbage token, a V1 seal and a missing callback output nothing. */
    signature = NULL;
    stamping.mode = STAMP_FAILS;
    EXPECT_RESULT(eseal_sign_with_time_stamp(seal, key, expected, SIGNING_TIME, NULL, document,
                                             sizeof document, stamp_callback, &stamping,
                                             &signature),
                  ESEAL_RESULT_TIME_STAMP_FAILED);
    stamping.mode = STAMP_GARBAGE;
    EXPECT_RESULT(eseal_sign_with_time_stamp(seal, key, expected, SIGNING_TIME, NULL, document,
                                             sizeof document, stamp_callback, &stamping,
                                             &signature),
                  ESEAL_RESULT_TIME_STAMP_INVALID);
    EXPECT_RESULT(eseal_sign_with_time_stamp(seal, key, expected, SIGNING_TIME, NULL, document,
                                             sizeof document, NULL, NULL, &signature),
                  ESEAL_RESULT_NULL_ARGUMENT);
    EXPECT(signature == NULL);
    struct buffer v1_der = read_vector(vectors, "seals/UserV1.esl");
    eseal_seal *v1_seal = NULL;
    EXPECT_RESULT(eseal_seal_from_der(v1_der.data, v1_der.len, &v1_seal), ESEAL_RESULT_OK);
    stamping.mode = STAMP_AUTHORITY;
    EXPECT_RESULT(eseal_sign_with_time_stamp(v1_seal, key, expected, SIGNING_TIME, NULL, document,
                                             sizeof document, stamp_callback, &stamping,
                                             &signature),
                  ESEAL_RESULT_ENCODE_FAILED);
    EXPECT(signature == NULL);
    eseal_seal_free(v1_seal);
    free(v1_der.data);

    /* Trust from memory: an OFD document and a digest. */
    struct buffer ofd = read_vector(vectors, "ofd/ofdrw-hello.ofd");
    EXPECT_RESULT(eseal_ofd_verify_with_trust(ofd.data, ofd.len, trust, &report), ESEAL_RESULT_OK);
    EXPECT(check_status(report, "signature.signer_certificate_chain") == ESEAL_CHECK_STATUS_PASSED);
    EXPECT(check_status(report, "seal.maker_certificate_chain") == ESEAL_CHECK_STATUS_PASSED);
    eseal_report_free(report);
    EXPECT_RESULT(eseal_ofd_verify_with_trust(ofd.data, ofd.len, NULL, &report), ESEAL_RESULT_OK);
    EXPECT(check_status(report, "signature.signer_certificate_chain") ==
           ESEAL_CHECK_STATUS_NOT_CHECKED);
    eseal_report_free(report);
    EXPECT_RESULT(eseal_ofd_verify_with_trust(ofd.data, 10, trust, &report),
                  ESEAL_RESULT_OFD_INVALID);
    struct buffer vector_der =
        read_vector(vectors, "signatures/ofdr-wtest-3c2f8c595f20/SignedValue.dat");
    struct buffer xml = read_vector(vectors, "signatures/ofdr-wtest-3c2f8c595f20/Signature.xml");
    eseal_signature *vector_signature = NULL;
    EXPECT_RESULT(eseal_signature_from_der(vector_der.data, vector_der.len, &vector_signature),
                  ESEAL_RESULT_OK);
    uint8_t xml_digest[32];
    EXPECT_RESULT(eseal_sm3(xml.data, xml.len, xml_digest), ESEAL_RESULT_OK);
    EXPECT_RESULT(eseal_signature_verify_digest_with_trust(vector_signature, xml_digest, trust,
                                                           &report),
                  ESEAL_RESULT_OK);
    EXPECT(report_valid(report));
    EXPECT(check_status(report, "signature.signer_certificate_chain") == ESEAL_CHECK_STATUS_PASSED);
    eseal_report_free(report);
    EXPECT_RESULT(eseal_signature_verify_digest_with_trust(vector_signature, NULL, trust, &report),
                  ESEAL_RESULT_NULL_ARGUMENT);

    /* Unreadable CRLs and seal revocation lists have their own codes. */
    static const uint8_t not_a_list[] = {0x30, 0x03, 0x02, 0x01, 0x01};
    EXPECT_RESULT(eseal_trust_add_crl(trust, not_a_list, sizeof not_a_list),
                  ESEAL_RESULT_CRL_INVALID);
    EXPECT_RESULT(eseal_trust_add_seal_revocation_list(trust, not_a_list, sizeof not_a_list),
                  ESEAL_RESULT_SEAL_REVOCATION_LIST_INVALID);
    EXPECT_RESULT(eseal_trust_add_crl(trust, root.data, root.len), ESEAL_RESULT_CRL_INVALID);
    EXPECT(strcmp(eseal_result_message(ESEAL_RESULT_CRL_INVALID), "the CRL is invalid") == 0);
    EXPECT_RESULT(eseal_trust_add_certificates_with_count(trust, not_a_list, sizeof not_a_list,
                                                          &count),
                  ESEAL_RESULT_CERTIFICATE_INVALID);
    EXPECT(count == 1);

    eseal_signature_free(vector_signature);
    eseal_trust_free(trust);
    eseal_private_key_free(key);
    eseal_certificate_free(expected);
    eseal_seal_free(seal);
    free(vector_der.data);
    free(xml.data);
    free(ofd.data);
    free(root.data);
    free(authority_root.data);
    free(seal_der.data);
    free(p12.data);
}

/* An external signer that counts its calls: a USB key backed by an eseal key, one that returns
 * 64 bytes that are not a signature of the digest, or one that fails. */
enum device_mode { DEVICE_SIGNS, DEVICE_WRONG_SIGNATURE, DEVICE_FAILS };

struct device {
    enum device_mode mode;
    const eseal_private_key *key;
    int calls;
};

static uint32_t device_signer(void *context, const uint8_t *digest, uint8_t *signature_out) {
    struct device *device = context;
    device->calls++;
    if (device->mode == DEVICE_FAILS) {
        return 7;
    }
    if (device->mode == DEVICE_WRONG_SIGNATURE) {
        memset(signature_out, 0x42, 64);
        return 0;
    }
    return (uint32_t)eseal_private_key_sign_digest(device->key, digest, signature_out);
}

/* Calls eseal_sign_with_callback_and_time_stamp with `device` and `stamping` after resetting
 * their call counts, and checks that nothing is output on failure. */
static eseal_result sign_with_device_and_time_stamp(const eseal_seal *seal,
                                                    const eseal_certificate *cert,
                                                    const uint8_t *document, size_t len,
                                                    struct device *device,
                                                    struct stamping *stamping,
                                                    eseal_signature **signature_out) {
    device->calls = 0;
    stamping->calls = 0;
    *signature_out = NULL;
    eseal_result result = eseal_sign_with_callback_and_time_stamp(
        seal, cert, SIGNING_TIME, "/Doc_0/Signs/Sign_0/Signature.xml", document, len,
        device_signer, device, stamp_callback, stamping, signature_out);
    if (result != ESEAL_RESULT_OK) {
        EXPECT(*signature_out == NULL);
    }
    return result;
}

/* Signing with an external signer and a time stamp at once, as a deployment with a USB key and
 * a time stamp service does. `authority` is the test time stamp authority and `folder` an empty
 * folder for its files. */
static void test_external_signer_and_time_stamp(const char *vectors, const char *authority,
                                                const char *folder) {
    char authority_folder[4096];
    char command[16384];
    snprintf(authority_folder, sizeof authority_folder, "%s/external-signer", folder);
    snprintf(command, sizeof command, "'%s' init '%s'", authority, authority_folder);
    EXPECT(system(command) == 0);
    char path[8192];
    snprintf(path, sizeof path, "%s/root.der", authority_folder);
    struct buffer authority_root = read_file(path);
    EXPECT(authority_root.data != NULL);

    struct buffer seal_der = read_vector(vectors, "seals/UserV4.esl");
    eseal_seal *seal = NULL;
    EXPECT_RESULT(eseal_seal_from_der(seal_der.data, seal_der.len, &seal), ESEAL_RESULT_OK);
    eseal_private_key *key = load_key(vectors, "keys/USER.key.pem");
    eseal_certificate *cert = load_cert(vectors, "keys/USER.cert.pem");
    struct device device = {DEVICE_SIGNS, key, 0};
    struct stamping stamping = {STAMP_AUTHORITY, authority, authority_folder, 0};
    const uint8_t document[] = "signed by a USB key, time-stamped by the campus service";

    /* Success: the signature and its time stamp verify with both roots trusted. */
    eseal_signature *signature = NULL;
    EXPECT_RESULT(sign_with_device_and_time_stamp(seal, cert, document, sizeof document, &device,
                                                  &stamping, &signature),
                  ESEAL_RESULT_OK);
    EXPECT(device.calls == 1);
    EXPECT(stamping.calls == 1);
    struct buffer root = read_vector(vectors, "keys/ROOT.cert.pem");
    eseal_trust *trust = NULL;
    EXPECT_RESULT(eseal_trust_new(&trust), ESEAL_RESULT_OK);
    EXPECT_RESULT(eseal_trust_add_certificates(trust, root.data, root.len), ESEAL_RESULT_OK);
    if (authority_root.data != NULL) {
        EXPECT_RESULT(eseal_trust_add_certificates(trust, authority_root.data, authority_root.len),
                      ESEAL_RESULT_OK);
    }
    eseal_report *report = NULL;
    EXPECT_RESULT(eseal_signature_verify_with_trust(signature, document, sizeof document, trust,
                                                    &report),
                  ESEAL_RESULT_OK);
    EXPECT(check_status(report, "signature.signer_signature") == ESEAL_CHECK_STATUS_PASSED);
    EXPECT(check_status(report, "signature.time_stamp") == ESEAL_CHECK_STATUS_PASSED);
    EXPECT(check_status(report, "signature.data_hash") == ESEAL_CHECK_STATUS_PASSED);
    EXPECT(report_valid(report));
    const char *json = NULL;
    EXPECT_RESULT(eseal_report_json(report, &json), ESEAL_RESULT_OK);
    /* With the authority trusted, genTime replaces timeInfo as the signing time. */
    EXPECT(json != NULL && strstr(json, "2021-06-01T00:05:00") != NULL);
    eseal_report_free(report);
    uint32_t version = 0;
    const char *property_info = NULL;
    EXPECT_RESULT(eseal_signature_info(signature, &version, NULL, &property_info), ESEAL_RESULT_OK);
    EXPECT(version == 4);
    EXPECT(property_info != NULL &&
           strcmp(property_info, "/Doc_0/Signs/Sign_0/Signature.xml") == 0);
    eseal_signature_free(signature);

    /* A signer failure is caught before the time stamp service is called. */
    device.mode = DEVICE_WRONG_SIGNATURE;
    EXPECT_RESULT(sign_with_device_and_time_stamp(seal, cert, document, sizeof document, &device,
                                                  &stamping, &signature),
                  ESEAL_RESULT_SIGNATURE_INVALID);
    EXPECT(device.calls == 1);
    EXPECT(stamping.calls == 0);
    device.mode = DEVICE_FAILS;
    EXPECT_RESULT(sign_with_device_and_time_stamp(seal, cert, document, sizeof document, &device,
                                                  &stamping, &signature),
                  ESEAL_RESULT_SIGNER_FAILED);
    EXPECT(stamping.calls == 0);

    /* Time stamp failures after a good signature. */
    device.mode = DEVICE_SIGNS;
    stamping.mode = STAMP_FAILS;
    EXPECT_RESULT(sign_with_device_and_time_stamp(seal, cert, document, sizeof document, &device,
                                                  &stamping, &signature),
                  ESEAL_RESULT_TIME_STAMP_FAILED);
    EXPECT(device.calls == 1);
    EXPECT(stamping.calls == 1);
    stamping.mode = STAMP_OVERSIZED;
    EXPECT_RESULT(sign_with_device_and_time_stamp(seal, cert, document, sizeof document, &device,
                                                  &stamping, &signature),
                  ESEAL_RESULT_TIME_STAMP_FAILED);
    EXPECT(strstr(eseal_last_error_message(), "65537-byte token") != NULL);
    stamping.mode = STAMP_OTHER_BYTES;
    EXPECT_RESULT(sign_with_device_and_time_stamp(seal, cert, document, sizeof document, &device,
                                                  &stamping, &signature),
                  ESEAL_RESULT_TIME_STAMP_INVALID);
    EXPECT(strstr(eseal_last_error_message(), "messageImprint") != NULL);
    EXPECT(stamping.calls == 1);
    stamping.mode = STAMP_GARBAGE;
    EXPECT_RESULT(sign_with_device_and_time_stamp(seal, cert, document, sizeof document, &device,
                                                  &stamping, &signature),
                  ESEAL_RESULT_TIME_STAMP_INVALID);

    /* A V1 seal has no timeStamp field: rejected before the signer is called. */
    struct buffer v1_der = read_vector(vectors, "seals/UserV1.esl");
    eseal_seal *v1_seal = NULL;
    EXPECT_RESULT(eseal_seal_from_der(v1_der.data, v1_der.len, &v1_seal), ESEAL_RESULT_OK);
    stamping.mode = STAMP_AUTHORITY;
    EXPECT_RESULT(sign_with_device_and_time_stamp(v1_seal, cert, document, sizeof document,
                                                  &device, &stamping, &signature),
                  ESEAL_RESULT_ENCODE_FAILED);
    EXPECT(device.calls == 0);
    EXPECT(stamping.calls == 0);
    eseal_seal_free(v1_seal);
    free(v1_der.data);

    /* NULL callbacks, handles and output. */
    signature = NULL;
    EXPECT_RESULT(eseal_sign_with_callback_and_time_stamp(seal, cert, SIGNING_TIME, NULL, document,
                                                          sizeof document, NULL, &device,
                                                          stamp_callback, &stamping, &signature),
                  ESEAL_RESULT_NULL_ARGUMENT);
    EXPECT_RESULT(eseal_sign_with_callback_and_time_stamp(seal, cert, SIGNING_TIME, NULL, document,
                                                          sizeof document, device_signer, &device,
                                                          NULL, &stamping, &signature),
                  ESEAL_RESULT_NULL_ARGUMENT);
    EXPECT_RESULT(eseal_sign_with_callback_and_time_stamp(NULL, cert, SIGNING_TIME, NULL, document,
                                                          sizeof document, device_signer, &device,
                                                          stamp_callback, &stamping, &signature),
                  ESEAL_RESULT_NULL_ARGUMENT);
    EXPECT_RESULT(eseal_sign_with_callback_and_time_stamp(seal, NULL, SIGNING_TIME, NULL, document,
                                                          sizeof document, device_signer, &device,
                                                          stamp_callback, &stamping, &signature),
                  ESEAL_RESULT_NULL_ARGUMENT);
    EXPECT_RESULT(eseal_sign_with_callback_and_time_stamp(seal, cert, SIGNING_TIME, NULL, NULL, 5,
                                                          device_signer, &device, stamp_callback,
                                                          &stamping, &signature),
                  ESEAL_RESULT_NULL_ARGUMENT);
    EXPECT_RESULT(eseal_sign_with_callback_and_time_stamp(seal, cert, SIGNING_TIME, NULL, document,
                                                          sizeof document, device_signer, &device,
                                                          stamp_callback, &stamping, NULL),
                  ESEAL_RESULT_NULL_ARGUMENT);
    EXPECT(signature == NULL);
    EXPECT(device.calls == 0);
    EXPECT(stamping.calls == 0);

    eseal_trust_free(trust);
    eseal_certificate_free(cert);
    eseal_private_key_free(key);
    eseal_seal_free(seal);
    free(root.data);
    free(seal_der.data);
    free(authority_root.data);
}

/* Signs `document` in two chunks with a streaming signer that has `stamping` as its time stamp
 * callback, after resetting the call count. */
static eseal_result sign_streaming_with_time_stamp(const eseal_seal *seal,
                                                   const eseal_private_key *key,
                                                   const eseal_certificate *cert,
                                                   const uint8_t *document, size_t len,
                                                   struct stamping *stamping,
                                                   eseal_signature **signature_out) {
    stamping->calls = 0;
    *signature_out = NULL;
    eseal_signer *signer = NULL;
    EXPECT_RESULT(eseal_signer_new(seal, cert, SIGNING_TIME, NULL, &signer), ESEAL_RESULT_OK);
    size_t half = len / 2;
    EXPECT_RESULT(eseal_signer_update(signer, document, half), ESEAL_RESULT_OK);
    EXPECT_RESULT(eseal_signer_update(signer, document + half, len - half), ESEAL_RESULT_OK);
    EXPECT_RESULT(eseal_signer_set_time_stamp_callback(signer, stamp_callback, stamping),
                  ESEAL_RESULT_OK);
    eseal_result result = eseal_signer_finish(signer, key, signature_out);
    if (result != ESEAL_RESULT_OK) {
        EXPECT(*signature_out == NULL);
    }
    eseal_signer_free(signer);
    return result;
}

/* Streaming signing with a time stamp, as for a large PDF transcript. `authority` is the test
 * time stamp authority and `folder` an empty folder for its files. */
static void test_streaming_time_stamp(const char *vectors, const char *authority,
                                      const char *folder) {
    char authority_folder[4096];
    char command[16384];
    snprintf(authority_folder, sizeof authority_folder, "%s/streaming", folder);
    snprintf(command, sizeof command, "'%s' init '%s'", authority, authority_folder);
    EXPECT(system(command) == 0);
    char path[8192];
    snprintf(path, sizeof path, "%s/root.der", authority_folder);
    struct buffer authority_root = read_file(path);
    EXPECT(authority_root.data != NULL);

    struct buffer seal_der = read_vector(vectors, "seals/UserV4.esl");
    eseal_seal *seal = NULL;
    EXPECT_RESULT(eseal_seal_from_der(seal_der.data, seal_der.len, &seal), ESEAL_RESULT_OK);
    eseal_private_key *key = load_key(vectors, "keys/USER.key.pem");
    eseal_certificate *cert = load_cert(vectors, "keys/USER.cert.pem");
    struct stamping stamping = {STAMP_AUTHORITY, authority, authority_folder, 0};
    const uint8_t document[] = "a transcript signed in chunks, time-stamped by the campus service";

    /* Success: the signature covers the whole document and its time stamp verifies. */
    eseal_signature *signature = NULL;
    EXPECT_RESULT(sign_streaming_with_time_stamp(seal, key, cert, document, sizeof document,
                                                 &stamping, &signature),
                  ESEAL_RESULT_OK);
    EXPECT(stamping.calls == 1);
    struct buffer root = read_vector(vectors, "keys/ROOT.cert.pem");
    eseal_trust *trust = NULL;
    EXPECT_RESULT(eseal_trust_new(&trust), ESEAL_RESULT_OK);
    EXPECT_RESULT(eseal_trust_add_certificates(trust, root.data, root.len), ESEAL_RESULT_OK);
    if (authority_root.data != NULL) {
        EXPECT_RESULT(eseal_trust_add_certificates(trust, authority_root.data, authority_root.len),
                      ESEAL_RESULT_OK);
    }
    eseal_report *report = NULL;
    EXPECT_RESULT(eseal_signature_verify_with_trust(signature, document, sizeof document, trust,
                                                    &report),
                  ESEAL_RESULT_OK);
    EXPECT(check_status(report, "signature.time_stamp") == ESEAL_CHECK_STATUS_PASSED);
    EXPECT(check_status(report, "signature.data_hash") == ESEAL_CHECK_STATUS_PASSED);
    EXPECT(report_valid(report));
    const char *json = NULL;
    EXPECT_RESULT(eseal_report_json(report, &json), ESEAL_RESULT_OK);
    /* With the authority trusted, genTime replaces timeInfo as the signing time. */
    EXPECT(json != NULL && strstr(json, "2021-06-01T00:05:00") != NULL);
    eseal_report_free(report);
    EXPECT_RESULT(eseal_signature_verify_with_trust(signature, document, sizeof document - 1,
                                                    trust, &report),
                  ESEAL_RESULT_OK);
    EXPECT(check_status(report, "signature.data_hash") == ESEAL_CHECK_STATUS_FAILED);
    EXPECT(!report_valid(report));
    eseal_report_free(report);
    eseal_signature_free(signature);

    /* Time stamp failures output nothing. */
    stamping.mode = STAMP_FAILS;
    EXPECT_RESULT(sign_streaming_with_time_stamp(seal, key, cert, document, sizeof document,
                                                 &stamping, &signature),
                  ESEAL_RESULT_TIME_STAMP_FAILED);
    EXPECT(stamping.calls == 1);
    EXPECT(strstr(eseal_last_error_message(), "returned 9") != NULL);
    stamping.mode = STAMP_OVERSIZED;
    EXPECT_RESULT(sign_streaming_with_time_stamp(seal, key, cert, document, sizeof document,
                                                 &stamping, &signature),
                  ESEAL_RESULT_TIME_STAMP_FAILED);
    EXPECT(strstr(eseal_last_error_message(), "65537-byte token") != NULL);
    stamping.mode = STAMP_OTHER_BYTES;
    EXPECT_RESULT(sign_streaming_with_time_stamp(seal, key, cert, document, sizeof document,
                                                 &stamping, &signature),
                  ESEAL_RESULT_TIME_STAMP_INVALID);
    EXPECT(strstr(eseal_last_error_message(), "messageImprint") != NULL);
    EXPECT(stamping.calls == 1);
    stamping.mode = STAMP_GARBAGE;
    EXPECT_RESULT(sign_streaming_with_time_stamp(seal, key, cert, document, sizeof document,
                                                 &stamping, &signature),
                  ESEAL_RESULT_TIME_STAMP_INVALID);

    /* A V1 seal has no timeStamp field: rejected before the callback is called. */
    struct buffer v1_der = read_vector(vectors, "seals/UserV1.esl");
    eseal_seal *v1_seal = NULL;
    EXPECT_RESULT(eseal_seal_from_der(v1_der.data, v1_der.len, &v1_seal), ESEAL_RESULT_OK);
    stamping.mode = STAMP_AUTHORITY;
    EXPECT_RESULT(sign_streaming_with_time_stamp(v1_seal, key, cert, document, sizeof document,
                                                 &stamping, &signature),
                  ESEAL_RESULT_ENCODE_FAILED);
    EXPECT(stamping.calls == 0);
    eseal_seal_free(v1_seal);
    free(v1_der.data);

    /* NULL signer or callback, and a call after finish. */
    stamping.calls = 0;
    EXPECT_RESULT(eseal_signer_set_time_stamp_callback(NULL, stamp_callback, &stamping),
                  ESEAL_RESULT_NULL_ARGUMENT);
    eseal_signer *signer = NULL;
    EXPECT_RESULT(eseal_signer_new(seal, cert, SIGNING_TIME, NULL, &signer), ESEAL_RESULT_OK);
    EXPECT_RESULT(eseal_signer_set_time_stamp_callback(signer, NULL, &stamping),
                  ESEAL_RESULT_NULL_ARGUMENT);
    EXPECT_RESULT(eseal_signer_update(signer, document, sizeof document), ESEAL_RESULT_OK);
    EXPECT_RESULT(eseal_signer_finish(signer, key, &signature), ESEAL_RESULT_OK);
    EXPECT_RESULT(eseal_signer_set_time_stamp_callback(signer, stamp_callback, &stamping),
                  ESEAL_RESULT_INVALID_ARGUMENT);
    EXPECT(stamping.calls == 0);
    eseal_signature_free(signature);
    eseal_signer_free(signer);

    eseal_trust_free(trust);
    eseal_certificate_free(cert);
    eseal_private_key_free(key);
    eseal_seal_free(seal);
    free(root.data);
    free(seal_der.data);
    free(authority_root.data);
}

/* A verifier keeps its cache between calls: twenty verifications of signatures by one signer
 * (its key table is built at the eighth), each report equal to what eseal_signature_verify
 * gives, and the tampered ones after the table still fail. */
static void test_verifier(const char *vectors) {
    eseal_private_key *maker_key = load_key(vectors, "keys/SealBuilder.key.pem");
    eseal_certificate *maker_cert = load_cert(vectors, "keys/SealBuilder.cert.pem");
    eseal_private_key *user_key = load_key(vectors, "keys/USER.key.pem");
    eseal_certificate *user_cert = load_cert(vectors, "keys/USER.cert.pem");
    eseal_seal *seal = make_seal(vectors, maker_key, maker_cert, user_cert);

    eseal_verifier *verifier = NULL;
    EXPECT_RESULT(eseal_verifier_new(NULL), ESEAL_RESULT_NULL_ARGUMENT);
    EXPECT_RESULT(eseal_verifier_new(&verifier), ESEAL_RESULT_OK);
    /* An empty trust policy trusts no root: the same verifier then fails the chains. */
    eseal_trust *no_roots = NULL;
    EXPECT_RESULT(eseal_trust_new(&no_roots), ESEAL_RESULT_OK);
    for (int i = 0; i < 20; i++) {
        char document[64];
        int length = snprintf(document, sizeof document, "document %d of the archive", i);
        eseal_signature *signature = NULL;
        EXPECT_RESULT(eseal_sign(seal, user_key, user_cert, SIGNING_TIME, "archive.txt",
                                 (const uint8_t *)document, (size_t)length, &signature),
                      ESEAL_RESULT_OK);

        eseal_report *cached = NULL;
        eseal_report *alone = NULL;
        EXPECT_RESULT(eseal_verifier_verify(verifier, signature, (const uint8_t *)document,
                                            (size_t)length, NULL, &cached),
                      ESEAL_RESULT_OK);
        EXPECT_RESULT(eseal_signature_verify(signature, (const uint8_t *)document, (size_t)length,
                                             &alone),
                      ESEAL_RESULT_OK);
        EXPECT(report_valid(cached));
        const char *cached_json = NULL;
        const char *alone_json = NULL;
        EXPECT_RESULT(eseal_report_json(cached, &cached_json), ESEAL_RESULT_OK);
        EXPECT_RESULT(eseal_report_json(alone, &alone_json), ESEAL_RESULT_OK);
        EXPECT(cached_json != NULL && alone_json != NULL && strcmp(cached_json, alone_json) == 0);
        eseal_report_free(cached);
        eseal_report_free(alone);

        /* The digest form, and a changed document. */
        uint8_t digest[32];
        EXPECT_RESULT(eseal_sm3((const uint8_t *)document, (size_t)length, digest),
                      ESEAL_RESULT_OK);
        EXPECT_RESULT(eseal_verifier_verify_digest(verifier, signature, digest, NULL, &cached),
                      ESEAL_RESULT_OK);
        EXPECT(report_valid(cached));
        eseal_report_free(cached);
        EXPECT_RESULT(eseal_verifier_verify_digest(verifier, signature, digest, no_roots, &cached),
                      ESEAL_RESULT_OK);
        EXPECT(!report_valid(cached));
        EXPECT(check_status(cached, "signature.signer_certificate_chain") ==
               ESEAL_CHECK_STATUS_FAILED);
        EXPECT(check_status(cached, "signature.signer_signature") == ESEAL_CHECK_STATUS_PASSED);
        eseal_report_free(cached);
        document[0] ^= 0x01;
        EXPECT_RESULT(eseal_verifier_verify(verifier, signature, (const uint8_t *)document,
                                            (size_t)length, NULL, &cached),
                      ESEAL_RESULT_OK);
        EXPECT(!report_valid(cached));
        EXPECT(check_status(cached, "signature.data_hash") == ESEAL_CHECK_STATUS_FAILED);
        EXPECT(check_status(cached, "signature.signer_signature") == ESEAL_CHECK_STATUS_PASSED);
        eseal_report_free(cached);

        /* A flipped bit in the signer's signature value, the last bytes of the DER. */
        const uint8_t *der = NULL;
        size_t der_len = 0;
        EXPECT_RESULT(eseal_signature_der(signature, &der, &der_len), ESEAL_RESULT_OK);
        uint8_t *flipped = malloc(der_len);
        memcpy(flipped, der, der_len);
        flipped[der_len - 1] ^= 0x01;
        eseal_signature *forged = NULL;
        EXPECT_RESULT(eseal_signature_from_der(flipped, der_len, &forged), ESEAL_RESULT_OK);
        document[0] ^= 0x01;
        EXPECT_RESULT(eseal_verifier_verify(verifier, forged, (const uint8_t *)document,
                                            (size_t)length, NULL, &cached),
                      ESEAL_RESULT_OK);
        EXPECT(!report_valid(cached));
        EXPECT(check_status(cached, "signature.signer_signature") == ESEAL_CHECK_STATUS_FAILED);
        eseal_report_free(cached);
        eseal_signature_free(forged);
        free(flipped);

        EXPECT_RESULT(eseal_verifier_verify_digest(verifier, signature, NULL, NULL, &cached),
                      ESEAL_RESULT_NULL_ARGUMENT);
        eseal_signature_free(signature);
    }
    EXPECT_RESULT(eseal_verifier_verify(NULL, NULL, NULL, 0, NULL, NULL),
                  ESEAL_RESULT_NULL_ARGUMENT);
    eseal_verifier_free(verifier);
    eseal_trust_free(no_roots);
    eseal_verifier_free(NULL);
    eseal_seal_free(seal);
    eseal_private_key_free(maker_key);
    eseal_private_key_free(user_key);
    eseal_certificate_free(maker_cert);
    eseal_certificate_free(user_cert);
}

static int run_rounds(const char *vectors, long rounds) {
    eseal_private_key *maker_key = load_key(vectors, "keys/SealBuilder.key.pem");
    eseal_certificate *maker_cert = load_cert(vectors, "keys/SealBuilder.cert.pem");
    eseal_private_key *user_key = load_key(vectors, "keys/USER.key.pem");
    eseal_certificate *user_cert = load_cert(vectors, "keys/USER.cert.pem");
    const uint8_t document[] = "round document";
    for (long round = 0; round < rounds; round++) {
        eseal_seal *seal = make_seal(vectors, maker_key, maker_cert, user_cert);
        eseal_signature *signature = NULL;
        EXPECT_RESULT(eseal_sign(seal, user_key, user_cert, SIGNING_TIME, NULL, document,
                                 sizeof document, &signature),
                      ESEAL_RESULT_OK);
        eseal_report *report = NULL;
        EXPECT_RESULT(eseal_signature_verify(signature, document, sizeof document, &report),
                      ESEAL_RESULT_OK);
        EXPECT(report_valid(report));
        eseal_report_free(report);
        eseal_signature_free(signature);
        eseal_seal_free(seal);
        if (failures > 0) {
            break;
        }
    }
    eseal_certificate_free(user_cert);
    eseal_private_key_free(user_key);
    eseal_certificate_free(maker_cert);
    eseal_private_key_free(maker_key);
    printf("%ld rounds, %d failures\n", rounds, failures);
    return failures == 0 ? 0 : 1;
}

/* Counts the checks called `name` with `status`, over every signature of an OFD report. */
static int count_checks(const eseal_report *report, const char *name, eseal_check_status status) {
    size_t count = 0;
    int matches = 0;
    EXPECT_RESULT(eseal_report_check_count(report, &count), ESEAL_RESULT_OK);
    for (size_t i = 0; i < count; i++) {
        const char *check_name = NULL;
        const char *message = NULL;
        const char *message_zh = NULL;
        eseal_check_status check_status;
        EXPECT_RESULT(eseal_report_check(report, i, &check_name, &check_status, &message,
                                         &message_zh),
                      ESEAL_RESULT_OK);
        if (strcmp(check_name, name) == 0 && check_status == status) {
            matches++;
        }
    }
    return matches;
}

/* OFD signing with a time stamp, in memory and to a file. `authority` is the test time stamp
 * authority and `folder` an empty folder for its files. */
static void test_ofd_time_stamp(const char *vectors, const char *authority, const char *folder) {
    char authority_folder[4096];
    char command[16384];
    snprintf(authority_folder, sizeof authority_folder, "%s/ofd", folder);
    snprintf(command, sizeof command, "'%s' init '%s'", authority, authority_folder);
    EXPECT(system(command) == 0);
    char path[8192];
    snprintf(path, sizeof path, "%s/root.der", authority_folder);
    struct buffer authority_root = read_file(path);
    EXPECT(authority_root.data != NULL);

    struct buffer document = read_vector(vectors, "ofd/ofdrw-hello.ofd");
    struct buffer seal_der = read_vector(vectors, "seals/UserV4.esl");
    eseal_seal *seal = NULL;
    EXPECT_RESULT(eseal_seal_from_der(seal_der.data, seal_der.len, &seal), ESEAL_RESULT_OK);
    eseal_private_key *key = load_key(vectors, "keys/USER.key.pem");
    eseal_certificate *cert = load_cert(vectors, "keys/USER.cert.pem");
    eseal_stamp stamp = {1, 100.0, 150.0, 40.0, 40.0, false, 0, 0, 0, 0};
    struct stamping stamping = {STAMP_AUTHORITY, authority, authority_folder, 0};

    /* Success in memory: the new signature's time stamp passes once the authority is trusted. */
    eseal_buffer *signed_document = NULL;
    EXPECT_RESULT(eseal_ofd_sign_with_time_stamp(document.data, document.len, seal, key, cert,
                                                 SIGNING_TIME, &stamp, 1, false, stamp_callback,
                                                 &stamping, &signed_document),
                  ESEAL_RESULT_OK);
    EXPECT(stamping.calls == 1);
    const uint8_t *signed_data = NULL;
    size_t signed_len = 0;
    EXPECT_RESULT(eseal_buffer_data(signed_document, &signed_data, &signed_len), ESEAL_RESULT_OK);
    struct buffer root = read_vector(vectors, "keys/ROOT.cert.pem");
    eseal_trust *trust = NULL;
    EXPECT_RESULT(eseal_trust_new(&trust), ESEAL_RESULT_OK);
    EXPECT_RESULT(eseal_trust_add_certificates(trust, root.data, root.len), ESEAL_RESULT_OK);
    eseal_report *report = NULL;
    EXPECT_RESULT(eseal_ofd_verify_with_trust(signed_data, signed_len, trust, &report),
                  ESEAL_RESULT_OK);
    EXPECT(count_checks(report, "signature.time_stamp", ESEAL_CHECK_STATUS_PASSED) == 0);
    eseal_report_free(report);
    if (authority_root.data != NULL) {
        EXPECT_RESULT(eseal_trust_add_certificates(trust, authority_root.data, authority_root.len),
                      ESEAL_RESULT_OK);
    }
    EXPECT_RESULT(eseal_ofd_verify_with_trust(signed_data, signed_len, trust, &report),
                  ESEAL_RESULT_OK);
    EXPECT(count_checks(report, "signature.time_stamp", ESEAL_CHECK_STATUS_PASSED) == 1);
    eseal_report_free(report);
    eseal_buffer_free(signed_document);

    /* Failures in memory output nothing. */
    signed_document = NULL;
    stamping.mode = STAMP_OTHER_BYTES;
    EXPECT_RESULT(eseal_ofd_sign_with_time_stamp(document.data, document.len, seal, key, cert,
                                                 SIGNING_TIME, &stamp, 1, false, stamp_callback,
                                                 &stamping, &signed_document),
                  ESEAL_RESULT_TIME_STAMP_INVALID);
    EXPECT(strstr(eseal_last_error_message(), "messageImprint") != NULL);
    stamping.mode = STAMP_FAILS;
    EXPECT_RESULT(eseal_ofd_sign_with_time_stamp(document.data, document.len, seal, key, cert,
                                                 SIGNING_TIME, &stamp, 1, false, stamp_callback,
                                                 &stamping, &signed_document),
                  ESEAL_RESULT_TIME_STAMP_FAILED);
    EXPECT_RESULT(eseal_ofd_sign_with_time_stamp(document.data, document.len, seal, key, cert,
                                                 SIGNING_TIME, &stamp, 1, false, NULL, NULL,
                                                 &signed_document),
                  ESEAL_RESULT_NULL_ARGUMENT);
    EXPECT(signed_document == NULL);

    /* To a file: success writes the output, and a failing callback leaves no file behind. */
    char input_path[8192];
    char output_path[8192];
    snprintf(input_path, sizeof input_path, "%s/input.ofd", authority_folder);
    snprintf(output_path, sizeof output_path, "%s/signed.ofd", authority_folder);
    FILE *input = fopen(input_path, "wb");
    EXPECT(input != NULL);
    if (input != NULL) {
        fwrite(document.data, 1, document.len, input);
        fclose(input);
    }
    stamping.mode = STAMP_FAILS;
    EXPECT_RESULT(eseal_ofd_sign_file_with_time_stamp(input_path, output_path, seal, key, cert,
                                                      SIGNING_TIME, &stamp, 1, false,
                                                      stamp_callback, &stamping),
                  ESEAL_RESULT_TIME_STAMP_FAILED);
    FILE *output = fopen(output_path, "rb");
    EXPECT(output == NULL);
    if (output != NULL) {
        fclose(output);
    }
    EXPECT_RESULT(eseal_ofd_sign_file_with_time_stamp(input_path, output_path, seal, key, cert,
                                                      SIGNING_TIME, &stamp, 1, false, NULL, NULL),
                  ESEAL_RESULT_NULL_ARGUMENT);
    stamping.mode = STAMP_AUTHORITY;
    EXPECT_RESULT(eseal_ofd_sign_file_with_time_stamp(input_path, output_path, seal, key, cert,
                                                      SIGNING_TIME, &stamp, 1, false,
                                                      stamp_callback, &stamping),
                  ESEAL_RESULT_OK);
    struct buffer signed_file = read_file(output_path);
    EXPECT(signed_file.data != NULL);
    EXPECT_RESULT(eseal_ofd_verify_with_trust(signed_file.data, signed_file.len, trust, &report),
                  ESEAL_RESULT_OK);
    EXPECT(count_checks(report, "signature.time_stamp", ESEAL_CHECK_STATUS_PASSED) == 1);
    eseal_report_free(report);
    free(signed_file.data);
    remove(input_path);
    remove(output_path);

    eseal_trust_free(trust);
    eseal_certificate_free(cert);
    eseal_private_key_free(key);
    eseal_seal_free(seal);
    free(root.data);
    free(seal_der.data);
    free(document.data);
    free(authority_root.data);
}

int main(int argc, char **argv) {
    if (argc == 4 && strcmp(argv[2], "--rounds") == 0) {
        return run_rounds(argv[1], strtol(argv[3], NULL, 10));
    }
    if (argc != 6) {
        fprintf(stderr,
                "usage: %s VECTORS JSON_DIR REPOSITORY TIME_STAMP_AUTHORITY AUTHORITY_DIR | "
                "%s VECTORS --rounds N\n",
                argv[0], argv[0]);
        return 2;
    }
    test_make_sign_verify(argv[1]);
    test_error_paths();
    test_signature_vectors(argv[1], argv[2]);
    test_ofd(argv[1], argv[2]);
    test_trust_and_external_signers(argv[1]);
    test_verifier(argv[1]);
    test_protected_keys_and_time_stamps(argv[1], argv[3], argv[4], argv[5]);
    test_external_signer_and_time_stamp(argv[1], argv[4], argv[5]);
    test_streaming_time_stamp(argv[1], argv[4], argv[5]);
    test_ofd_time_stamp(argv[1], argv[4], argv[5]);
    if (failures == 0) {
        printf("C ABI tests passed\n");
        return 0;
    }
    fprintf(stderr, "%d C ABI checks failed\n", failures);
    return 1;
}
