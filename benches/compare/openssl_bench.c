/*
 * Measures OpenSSL's SM2 signing and verification and its SM3 throughput, each for a fixed
 * wall-clock time, and prints the rates in the format of eseal's `speed` example:
 *
 *   sm2_sign <ops/s> ops/s cpu <ops/s> ops/s
 *   sm2_verify <ops/s> ops/s cpu <ops/s> ops/s
 *   sm3_1MiB <MB/s> MB/s cpu <MB/s> MB/s        (MB = 10^6 bytes)
 *
 * The first rate divides by the wall-clock time, the second by the thread's CPU time
 * (CLOCK_THREAD_CPUTIME_ID), which leaves out time spent waiting while other processes run.
 *
 * One SM2 operation is a whole EVP_DigestSign or EVP_DigestVerify of a 32-byte message with
 * SM3 and the ID 1234567812345678: new contexts, Z, e = SM3(Z || M), the signature and its DER
 * encoding or decoding. One SM3 operation is EVP_Digest over 1 MiB.
 *
 * Usage: openssl_bench KEY.pem [SECONDS]   (KEY.pem: an unencrypted SM2 private key)
 * Build: cc -O2 -o openssl_bench openssl_bench.c -lcrypto
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

static const unsigned char SM2_ID[] = "1234567812345678";
#define SM2_ID_LENGTH 16
#define MESSAGE_BYTES 32
#define SM3_INPUT_BYTES (1 << 20)

struct state {
    EVP_PKEY *key;
    unsigned char message[MESSAGE_BYTES];
    unsigned char signature[128];
    size_t signature_length;
    unsigned char *sm3_input;
};

struct rates {
    double wall;
    double cpu;
};

static double seconds_now(clockid_t clock)
{
    struct timespec ts;
    clock_gettime(clock, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void fail(const char *operation)
{
    fprintf(stderr, "openssl_bench: %s failed\n", operation);
    ERR_print_errors_fp(stderr);
    exit(1);
}

/* Sets up an EVP_MD_CTX for SM2 with SM3 and the ID. The caller frees both contexts. */
static EVP_MD_CTX *sm2_context(EVP_PKEY *key, EVP_PKEY_CTX **pkey_context)
{
    EVP_MD_CTX *md_context = EVP_MD_CTX_new();
    *pkey_context = EVP_PKEY_CTX_new(key, NULL);
    if (md_context == NULL || *pkey_context == NULL)
        fail("context allocation");
    if (EVP_PKEY_CTX_set1_id(*pkey_context, SM2_ID, SM2_ID_LENGTH) <= 0)
        fail("EVP_PKEY_CTX_set1_id");
    EVP_MD_CTX_set_pkey_ctx(md_context, *pkey_context);
    return md_context;
}

static void sign_once(struct state *s)
{
    EVP_PKEY_CTX *pkey_context;
    EVP_MD_CTX *md_context = sm2_context(s->key, &pkey_context);

    s->signature_length = sizeof(s->signature);
    if (EVP_DigestSignInit(md_context, NULL, EVP_sm3(), NULL, s->key) != 1
        || EVP_DigestSign(md_context, s->signature, &s->signature_length, s->message,
                          MESSAGE_BYTES) != 1)
        fail("SM2 signing");
    EVP_MD_CTX_free(md_context);
    EVP_PKEY_CTX_free(pkey_context);
}

static void verify_once(struct state *s)
{
    EVP_PKEY_CTX *pkey_context;
    EVP_MD_CTX *md_context = sm2_context(s->key, &pkey_context);

    if (EVP_DigestVerifyInit(md_context, NULL, EVP_sm3(), NULL, s->key) != 1
        || EVP_DigestVerify(md_context, s->signature, s->signature_length, s->message,
                            MESSAGE_BYTES) != 1)
        fail("SM2 verification");
    EVP_MD_CTX_free(md_context);
    EVP_PKEY_CTX_free(pkey_context);
}

static void sm3_once(struct state *s)
{
    unsigned char digest[EVP_MAX_MD_SIZE];

    if (EVP_Digest(s->sm3_input, SM3_INPUT_BYTES, digest, NULL, EVP_sm3(), NULL) != 1)
        fail("SM3");
}

/* Runs `operation` for a tenth of `seconds` as a warm-up, then for `seconds` of wall-clock
 * time, and returns the operations per wall-clock second and per CPU second. */
static struct rates measure(void (*operation)(struct state *), struct state *s, double seconds)
{
    double start = seconds_now(CLOCK_MONOTONIC);
    while (seconds_now(CLOCK_MONOTONIC) - start < seconds / 10)
        operation(s);

    long count = 0;
    double elapsed;
    double cpu_start = seconds_now(CLOCK_THREAD_CPUTIME_ID);
    start = seconds_now(CLOCK_MONOTONIC);
    do {
        operation(s);
        count++;
        elapsed = seconds_now(CLOCK_MONOTONIC) - start;
    } while (elapsed < seconds);
    double cpu_elapsed = seconds_now(CLOCK_THREAD_CPUTIME_ID) - cpu_start;
    struct rates result = { (double)count / elapsed, (double)count / cpu_elapsed };
    return result;
}

static void print_rates(const char *name, struct rates rates, double scale, const char *unit)
{
    printf("%s %.1f %s cpu %.1f %s\n", name, rates.wall * scale, unit, rates.cpu * scale, unit);
}

int main(int argc, char **argv)
{
    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: openssl_bench KEY.pem [SECONDS]\n");
        return 2;
    }
    double seconds = argc == 3 ? atof(argv[2]) : 2.0;
    if (seconds <= 0) {
        fprintf(stderr, "openssl_bench: SECONDS must be a positive number, not %s\n", argv[2]);
        return 2;
    }

    FILE *file = fopen(argv[1], "r");
    if (file == NULL) {
        perror(argv[1]);
        return 2;
    }
    struct state s;
    s.key = PEM_read_PrivateKey(file, NULL, NULL, NULL);
    fclose(file);
    if (s.key == NULL)
        fail("reading the private key");
    if (!EVP_PKEY_is_a(s.key, "SM2")) {
        fprintf(stderr, "openssl_bench: %s is not an SM2 private key\n", argv[1]);
        return 2;
    }

    for (int i = 0; i < MESSAGE_BYTES; i++)
        s.message[i] = (unsigned char)i;
    s.sm3_input = malloc(SM3_INPUT_BYTES);
    if (s.sm3_input == NULL)
        fail("malloc");
    for (long i = 0; i < SM3_INPUT_BYTES; i++)
        s.sm3_input[i] = (unsigned char)(i * 31 + 7);

    sign_once(&s);
    verify_once(&s);

    printf("# %s\n", OpenSSL_version(OPENSSL_VERSION));
    print_rates("sm2_sign", measure(sign_once, &s, seconds), 1, "ops/s");
    print_rates("sm2_verify", measure(verify_once, &s, seconds), 1, "ops/s");
    print_rates("sm3_1MiB", measure(sm3_once, &s, seconds), SM3_INPUT_BYTES / 1e6, "MB/s");

    free(s.sm3_input);
    EVP_PKEY_free(s.key);
    return 0;
}
