/*
 * Measures GmSSL's SM2 signing and verification and its SM3 throughput, each for a fixed
 * wall-clock time, and prints the rates in the format of eseal's `speed` example:
 *
 *   sm2_sign <ops/s> ops/s cpu <ops/s> ops/s
 *   sm2_verify <ops/s> ops/s cpu <ops/s> ops/s
 *   sm3_1MiB <MB/s> MB/s cpu <MB/s> MB/s        (MB = 10^6 bytes)
 *
 * The first rate divides by the wall-clock time, the second by the thread's CPU time
 * (CLOCK_THREAD_CPUTIME_ID), which leaves out time spent waiting while other processes run.
 *
 * One SM2 operation does the work of one eseal `sign` or `verify` call on a 32-byte message:
 * Z for the ID 1234567812345678 (sm2_compute_z), e = SM3(Z || M), then sm2_sign (with DER
 * encoding) or sm2_verify (with DER decoding). The SM2_SIGN_CTX and SM2_VERIFY_CTX interfaces
 * are not used because their init precomputes 32 signing nonces or a 16-point table of the
 * public key, which pays off only when one context handles many messages. One SM3 operation
 * is sm3_init, sm3_update over 1 MiB and sm3_finish.
 *
 * Usage: gmssl_bench KEY.pem [SECONDS]   (KEY.pem: an unencrypted PKCS#8 SM2 private key)
 * Build: cc -O2 -I$GMSSL_DIR/include -o gmssl_bench gmssl_bench.c -L$GMSSL_DIR/lib -lgmssl
 * Written against the GmSSL 3.x headers (sm2.h, sm3.h, version.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gmssl/sm2.h>
#include <gmssl/sm3.h>
#include <gmssl/version.h>

#define MESSAGE_BYTES 32
#define SM3_INPUT_BYTES (1 << 20)

struct state {
    SM2_KEY key;
    uint8_t message[MESSAGE_BYTES];
    uint8_t signature[SM2_MAX_SIGNATURE_SIZE];
    size_t signature_length;
    uint8_t *sm3_input;
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
    fprintf(stderr, "gmssl_bench: %s failed\n", operation);
    exit(1);
}

/* Computes e = SM3(Z || M) for the key's public point and the default ID. */
static void message_digest(const struct state *s, uint8_t e[SM3_DIGEST_SIZE])
{
    uint8_t z[SM3_DIGEST_SIZE];
    SM3_CTX context;

    if (sm2_compute_z(z, &s->key.public_key, SM2_DEFAULT_ID, SM2_DEFAULT_ID_LENGTH) != 1)
        fail("sm2_compute_z");
    sm3_init(&context);
    sm3_update(&context, z, sizeof(z));
    sm3_update(&context, s->message, MESSAGE_BYTES);
    sm3_finish(&context, e);
}

static void sign_once(struct state *s)
{
    uint8_t e[SM3_DIGEST_SIZE];

    message_digest(s, e);
    if (sm2_sign(&s->key, e, s->signature, &s->signature_length) != 1)
        fail("sm2_sign");
}

static void verify_once(struct state *s)
{
    uint8_t e[SM3_DIGEST_SIZE];

    message_digest(s, e);
    if (sm2_verify(&s->key, e, s->signature, s->signature_length) != 1)
        fail("sm2_verify");
}

static void sm3_once(struct state *s)
{
    uint8_t digest[SM3_DIGEST_SIZE];
    SM3_CTX context;

    sm3_init(&context);
    sm3_update(&context, s->sm3_input, SM3_INPUT_BYTES);
    sm3_finish(&context, digest);
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
        fprintf(stderr, "usage: gmssl_bench KEY.pem [SECONDS]\n");
        return 2;
    }
    double seconds = argc == 3 ? atof(argv[2]) : 2.0;
    if (seconds <= 0) {
        fprintf(stderr, "gmssl_bench: SECONDS must be a positive number, not %s\n", argv[2]);
        return 2;
    }

    FILE *file = fopen(argv[1], "r");
    if (file == NULL) {
        perror(argv[1]);
        return 2;
    }
    struct state s;
    memset(&s, 0, sizeof(s));
    if (sm2_private_key_info_from_pem(&s.key, file) != 1)
        fail("reading the private key (sm2_private_key_info_from_pem)");
    fclose(file);

    for (int i = 0; i < MESSAGE_BYTES; i++)
        s.message[i] = (uint8_t)i;
    s.sm3_input = malloc(SM3_INPUT_BYTES);
    if (s.sm3_input == NULL)
        fail("malloc");
    for (long i = 0; i < SM3_INPUT_BYTES; i++)
        s.sm3_input[i] = (uint8_t)(i * 31 + 7);

    sign_once(&s);
    verify_once(&s);

    printf("# %s\n", gmssl_version_str());
    print_rates("sm2_sign", measure(sign_once, &s, seconds), 1, "ops/s");
    print_rates("sm2_verify", measure(verify_once, &s, seconds), 1, "ops/s");
    print_rates("sm3_1MiB", measure(sm3_once, &s, seconds), SM3_INPUT_BYTES / 1e6, "MB/s");

    free(s.sm3_input);
    return 0;
}
