package cn.eseal;

import static cn.eseal.TestFiles.SIGNING_TIME;
import static cn.eseal.TestFiles.VALID_FROM;
import static cn.eseal.TestFiles.VALID_TO;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Bad input, refused signing, misuse of handles and panics. */
class ErrorTest {
    private static final byte[] DOCUMENT = "contract".getBytes(StandardCharsets.UTF_8);
    private static final byte[] GARBAGE = {0x30, 0x03, 0x02, 0x01};

    /** After USER.cert.pem and SealBuilder.cert.pem expired, before sign_cert.pem did. */
    private static final Instant AFTER_USER_EXPIRY = Instant.parse("2022-06-01T00:00:00Z");

    private static EsealException assertCode(int expected, Executable call) {
        EsealException error = assertThrows(EsealException.class, call);
        assertEquals(expected, error.code(), error.getMessage());
        assertTrue(error.getMessage().contains(EsealException.describe(expected)),
                error.getMessage());
        assertTrue(error.getMessage().contains("(code " + expected + ")"), error.getMessage());
        assertFalse(error.detail().isEmpty(), error.getMessage());
        assertTrue(error.getMessage().contains(error.detail()), error.getMessage());
        return error;
    }

    private static void assertNullRejected(String parameter, Executable call) {
        NullPointerException error = assertThrows(NullPointerException.class, call);
        assertEquals(parameter + " must not be null", error.getMessage());
    }

    @Test
    void badBytesRejectedAsParseError() throws IOException {
        EsealException error = assertCode(EsealException.PARSE_ERROR, () -> Seal.fromDer(GARBAGE));
        assertEquals("eseal_seal_from_der", error.function());
        assertCode(EsealException.PARSE_ERROR, () -> Seal.fromDer(new byte[0]));
        assertCode(EsealException.PARSE_ERROR, () -> Signature.fromDer(GARBAGE));
        assertCode(EsealException.PARSE_ERROR, () -> Signature.fromDer(new byte[0]));
        byte[] certificatePem = TestFiles.key("USER.cert.pem");
        assertCode(EsealException.PARSE_ERROR, () -> Signature.fromDer(certificatePem));
        try (Seal made = TestSeals.userSeal()) {
            byte[] sealDer = made.der();
            assertCode(EsealException.PARSE_ERROR, () -> Signature.fromDer(sealDer));
        }
    }

    @Test
    void parseErrorDetailNamesOffset() throws IOException {
        EsealException seal = assertCode(EsealException.PARSE_ERROR, () -> Seal.fromDer(GARBAGE));
        assertTrue(seal.detail().contains("byte offset"), seal.detail());
        assertTrue(seal.detail().contains("SESeal"), seal.detail());
        assertTrue(seal.getMessage().endsWith(": " + seal.detail()), seal.getMessage());

        byte[] certificatePem = TestFiles.key("USER.cert.pem");
        EsealException signature =
                assertCode(EsealException.PARSE_ERROR, () -> Signature.fromDer(certificatePem));
        assertTrue(signature.detail().contains("byte offset"), signature.detail());
    }

    @Test
    void detailWithoutMoreNotRepeated() throws IOException {
        try (SealBuilder builder = TestSeals.builder()) {
            EsealException error =
                    assertCode(EsealException.INVALID_ARGUMENT, () -> builder.version(2));
            String message = error.getMessage();
            assertEquals(message.indexOf(error.detail()), message.lastIndexOf(error.detail()),
                    message);
        }
    }

    @Test
    void detailBelongsToFailingThread() throws Exception {
        // The library keeps the last message per thread, so concurrent failures of different
        // kinds must not swap their details.
        byte[] document = Files.readAllBytes(TestFiles.vectors().resolve("ofd/ofdrw-hello.ofd"));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try (Seal seal = Seal.fromDer(Files.readAllBytes(
                        TestFiles.vectors().resolve("seals/UserV4.esl")));
                PrivateKey key = TestSeals.userKey();
                Certificate cert = TestSeals.userCert()) {
            CyclicBarrier barrier = new CyclicBarrier(4);
            List<Future<String>> results = new ArrayList<>();
            for (int thread = 0; thread < 4; thread++) {
                boolean parse = thread % 2 == 0;
                results.add(pool.submit(() -> {
                    // Every thread runs all rounds, so that none waits at the barrier alone.
                    StringBuilder problems = new StringBuilder();
                    for (int round = 0; round < 50; round++) {
                        barrier.await(1, TimeUnit.MINUTES);
                        try {
                            if (parse) {
                                Seal.fromDer(GARBAGE);
                            } else {
                                OfdDocument.sign(document, seal, key, cert,
                                        Collections.singletonList(new Stamp(5, 1, 1, 40, 40)),
                                        SIGNING_TIME, false);
                            }
                            problems.append("no exception; ");
                        } catch (EsealException e) {
                            String expected = parse ? "byte offset" : "page 5";
                            if (!e.detail().contains(expected)) {
                                problems.append(e.detail()).append("; ");
                            }
                        }
                    }
                    return problems.toString();
                }));
            }
            for (Future<String> result : results) {
                assertEquals("", result.get(5, TimeUnit.MINUTES));
            }
        } finally {
            pool.shutdownNow();
            assertTrue(pool.awaitTermination(1, TimeUnit.MINUTES));
        }
    }

    @Test
    void badKeyAndCertificateBytes() throws IOException {
        assertCode(EsealException.KEY_INVALID, () -> PrivateKey.fromBytes(GARBAGE));
        assertCode(EsealException.KEY_INVALID, () -> PrivateKey.fromBytes(new byte[0]));
        byte[] certificatePem = TestFiles.key("USER.cert.pem");
        assertCode(EsealException.KEY_INVALID, () -> PrivateKey.fromBytes(certificatePem));
        assertCode(EsealException.CERTIFICATE_INVALID, () -> Certificate.fromBytes(GARBAGE));
        byte[] keyPem = TestFiles.key("USER.key.pem");
        assertCode(EsealException.CERTIFICATE_INVALID, () -> Certificate.fromBytes(keyPem));
    }

    @Test
    void wrongKeyRejected() throws IOException {
        try (Seal seal = TestSeals.userSeal();
                PrivateKey makerKey = TestSeals.makerKey();
                Certificate userCert = TestSeals.userCert()) {
            EsealException error = assertCode(EsealException.KEY_CERTIFICATE_MISMATCH,
                    () -> Signer.sign(seal, makerKey, userCert, DOCUMENT, SIGNING_TIME, null));
            assertEquals("eseal_sign", error.function());
        }
    }

    @Test
    void signerNotInCertList() throws IOException {
        try (Seal seal = TestSeals.userSeal();
                PrivateKey makerKey = TestSeals.makerKey();
                Certificate makerCert = TestSeals.makerCert()) {
            assertCode(EsealException.SIGNER_NOT_IN_CERT_LIST,
                    () -> Signer.sign(seal, makerKey, makerCert, DOCUMENT, SIGNING_TIME, null));
        }
    }

    @Test
    void signingOutsideSealValidity() throws IOException {
        try (Seal seal = TestSeals.userSeal();
                PrivateKey key = TestSeals.userKey();
                Certificate cert = TestSeals.userCert()) {
            Instant afterSeal = Instant.parse("2022-02-01T00:00:00Z");
            assertCode(EsealException.SEAL_NOT_VALID_AT_TIME,
                    () -> Signer.sign(seal, key, cert, DOCUMENT, afterSeal, null));
            assertCode(EsealException.SEAL_NOT_VALID_AT_TIME,
                    () -> Signer.sign(seal, key, cert, DOCUMENT, null, null));
        }
    }

    @Test
    void signingWithExpiredSignerCertificate() throws IOException {
        // sign_cert.pem is valid until 2023-07-29 and USER.cert.pem until 2022-04-21.
        try (PrivateKey makerKey = PrivateKey.fromBytes(TestFiles.key("sign_key.pem"));
                Certificate makerCert = Certificate.fromBytes(TestFiles.key("sign_cert.pem"));
                PrivateKey userKey = TestSeals.userKey();
                Certificate userCert = TestSeals.userCert();
                SealBuilder builder = TestSeals.builder()) {
            builder.validity(Instant.parse("2021-08-01T00:00:00Z"),
                    Instant.parse("2023-01-01T00:00:00Z")).addSigner(userCert);
            try (Seal seal = builder.sign(makerKey, makerCert)) {
                Instant beforeUserExpiry = Instant.parse("2021-09-01T00:00:00Z");
                try (Signature signature = Signer.sign(
                        seal, userKey, userCert, DOCUMENT, beforeUserExpiry, null)) {
                    assertTrue(signature.verify(DOCUMENT).isValid());
                }
                assertCode(EsealException.SIGNER_CERTIFICATE_NOT_VALID_AT_TIME,
                        () -> Signer.sign(seal, userKey, userCert, DOCUMENT, AFTER_USER_EXPIRY,
                                null));
            }
        }
    }

    @Test
    void signingWithExpiredMakerCertificate() throws IOException {
        try (PrivateKey makerKey = TestSeals.makerKey();
                Certificate makerCert = TestSeals.makerCert();
                PrivateKey signKey = PrivateKey.fromBytes(TestFiles.key("sign_key.pem"));
                Certificate signCert = Certificate.fromBytes(TestFiles.key("sign_cert.pem"));
                SealBuilder builder = TestSeals.builder()) {
            builder.validity(VALID_FROM, Instant.parse("2030-01-01T00:00:00Z"))
                    .addSigner(signCert);
            try (Seal seal = builder.sign(makerKey, makerCert)) {
                assertCode(EsealException.MAKER_CERTIFICATE_NOT_VALID_AT_TIME,
                        () -> Signer.sign(seal, signKey, signCert, DOCUMENT, AFTER_USER_EXPIRY,
                                null));
            }
        }
    }

    @Test
    void incompleteSealRejected() throws IOException {
        try (PrivateKey makerKey = TestSeals.makerKey();
                Certificate makerCert = TestSeals.makerCert();
                Certificate userCert = TestSeals.userCert()) {
            // No signer authorised.
            try (SealBuilder builder = TestSeals.builder()) {
                assertCode(EsealException.ENCODE_FAILED, () -> builder.sign(makerKey, makerCert));
            }
            // No validity period.
            try (SealBuilder builder = new SealBuilder(TestSeals.ES_ID, TestSeals.NAME)) {
                builder.picture(TestSeals.PICTURE, 40, 40).addSigner(userCert);
                assertCode(EsealException.ENCODE_FAILED, () -> builder.sign(makerKey, makerCert));
            }
            // No picture.
            try (SealBuilder builder = new SealBuilder(TestSeals.ES_ID, TestSeals.NAME)) {
                builder.validity(VALID_FROM, VALID_TO).addSigner(userCert);
                assertCode(EsealException.ENCODE_FAILED, () -> builder.sign(makerKey, makerCert));
            }
            // The end of the validity period before its start.
            try (SealBuilder builder = TestSeals.builder()) {
                builder.validity(VALID_TO, VALID_FROM).addSigner(userCert);
                assertCode(EsealException.ENCODE_FAILED, () -> builder.sign(makerKey, makerCert));
            }
            // Empty esID and empty name.
            try (SealBuilder builder = new SealBuilder("", TestSeals.NAME)) {
                builder.validity(VALID_FROM, VALID_TO).picture(TestSeals.PICTURE, 40, 40)
                        .addSigner(userCert);
                assertCode(EsealException.ENCODE_FAILED, () -> builder.sign(makerKey, makerCert));
            }
            try (SealBuilder builder = new SealBuilder(TestSeals.ES_ID, "")) {
                builder.validity(VALID_FROM, VALID_TO).picture(TestSeals.PICTURE, 40, 40)
                        .addSigner(userCert);
                assertCode(EsealException.ENCODE_FAILED, () -> builder.sign(makerKey, makerCert));
            }
            // A non-ASCII vendor ID.
            try (SealBuilder builder = TestSeals.builder()) {
                builder.vendorAndType("供应商", 1).addSigner(userCert);
                assertCode(EsealException.ENCODE_FAILED, () -> builder.sign(makerKey, makerCert));
            }
            // A V1 seal cannot list signers by digest.
            try (SealBuilder builder = TestSeals.builder()) {
                builder.version(1).addSignerByDigest(userCert);
                assertCode(EsealException.ENCODE_FAILED, () -> builder.sign(makerKey, makerCert));
            }
        }
    }

    @Test
    void makerKeyMustMatchMakerCertificate() throws IOException {
        try (PrivateKey userKey = TestSeals.userKey();
                Certificate makerCert = TestSeals.makerCert();
                Certificate userCert = TestSeals.userCert();
                SealBuilder builder = TestSeals.builder()) {
            builder.addSigner(userCert);
            assertCode(EsealException.KEY_CERTIFICATE_MISMATCH, () -> builder.sign(userKey, makerCert));
        }
    }

    @Test
    void mixedSignerKindsRejected() throws IOException {
        try (PrivateKey makerKey = TestSeals.makerKey();
                Certificate makerCert = TestSeals.makerCert();
                Certificate userCert = TestSeals.userCert();
                Certificate signCert = Certificate.fromBytes(TestFiles.key("sign_cert.pem"));
                SealBuilder builder = TestSeals.builder()) {
            builder.addSigner(userCert).addSignerByDigest(signCert);
            EsealException error = assertCode(EsealException.ENCODE_FAILED,
                    () -> builder.sign(makerKey, makerCert));
            assertEquals("eseal_seal_builder_sign", error.function());
            assertTrue(error.detail().contains("certList"), error.detail());
        }
    }

    @Test
    void pictureSizeLimits() throws IOException {
        try (SealBuilder builder = TestSeals.builder()) {
            assertCode(EsealException.PICTURE_INVALID,
                    () -> builder.picture(TestSeals.PICTURE, 0, 40));
            assertCode(EsealException.PICTURE_INVALID,
                    () -> builder.picture(TestSeals.PICTURE, 40, 1001));
            assertCode(EsealException.PICTURE_INVALID,
                    () -> builder.picture(TestSeals.PICTURE, -40, 40));
            assertCode(EsealException.PICTURE_INVALID, () -> builder.picture(new byte[0], 40, 40));
            byte[] huge = new byte[8 * 1024 * 1024 + 1];
            System.arraycopy(TestSeals.PICTURE, 0, huge, 0, TestSeals.PICTURE.length);
            assertCode(EsealException.PICTURE_INVALID, () -> builder.picture(huge, 40, 40));
            builder.picture(TestSeals.PICTURE, 1, 1000);
        }
    }

    @Test
    void streamingSignerRefusalFinishesIt() throws IOException {
        try (Seal seal = TestSeals.userSeal();
                PrivateKey makerKey = TestSeals.makerKey();
                PrivateKey userKey = TestSeals.userKey();
                Certificate userCert = TestSeals.userCert();
                Signer signer = new Signer(seal, userCert, SIGNING_TIME, null)) {
            signer.update(DOCUMENT);
            EsealException error = assertCode(EsealException.KEY_CERTIFICATE_MISMATCH,
                    () -> signer.finish(makerKey));
            assertEquals("eseal_signer_finish", error.function());
            assertThrows(IllegalStateException.class, () -> signer.finish(userKey));
            assertThrows(IllegalStateException.class, () -> signer.update(DOCUMENT));
        }
    }

    @Test
    void streamingSignerFinishesOnce() throws IOException {
        try (Seal seal = TestSeals.userSeal();
                PrivateKey key = TestSeals.userKey();
                Certificate cert = TestSeals.userCert();
                Signer signer = new Signer(seal, cert, SIGNING_TIME, null)) {
            signer.update(DOCUMENT).finish(key).close();
            IllegalStateException error =
                    assertThrows(IllegalStateException.class, () -> signer.finish(key));
            assertTrue(error.getMessage().contains("already finished"), error.getMessage());
            assertThrows(IllegalStateException.class, () -> signer.update(DOCUMENT));
            assertThrows(IndexOutOfBoundsException.class, () -> signer.update(DOCUMENT, 5, 10));
        }
    }

    @Test
    void nullArgumentsRejected() throws IOException {
        assertNullRejected("der", () -> Seal.fromDer(null));
        assertNullRejected("der", () -> Signature.fromDer(null));
        assertNullRejected("data", () -> PrivateKey.fromBytes(null));
        assertNullRejected("data", () -> Certificate.fromBytes(null));
        assertNullRejected("esId", () -> new SealBuilder(null, "name"));
        assertNullRejected("name", () -> new SealBuilder("1", null));
        try (Seal seal = TestSeals.userSeal();
                PrivateKey key = TestSeals.userKey();
                Certificate cert = TestSeals.userCert();
                SealBuilder builder = TestSeals.builder();
                Signature signature = Signer.sign(seal, key, cert, DOCUMENT, SIGNING_TIME, null)) {
            assertNullRejected("seal",
                    () -> Signer.sign(null, key, cert, DOCUMENT, SIGNING_TIME, null));
            assertNullRejected("key",
                    () -> Signer.sign(seal, null, cert, DOCUMENT, SIGNING_TIME, null));
            assertNullRejected("cert",
                    () -> Signer.sign(seal, key, null, DOCUMENT, SIGNING_TIME, null));
            assertNullRejected("data",
                    () -> Signer.sign(seal, key, cert, null, SIGNING_TIME, null));
            assertNullRejected("digest",
                    () -> Signer.signDigest(seal, key, cert, null, SIGNING_TIME, null));
            assertNullRejected("seal", () -> new Signer(null, cert, SIGNING_TIME, null));
            assertNullRejected("cert", () -> new Signer(seal, null, SIGNING_TIME, null));
            assertNullRejected("cert", () -> builder.addSigner(null));
            assertNullRejected("cert", () -> builder.addSignerByDigest(null));
            assertNullRejected("vendorId", () -> builder.vendorAndType(null, 1));
            assertNullRejected("start", () -> builder.validity(null, VALID_TO));
            assertNullRejected("end", () -> builder.validity(VALID_FROM, null));
            assertNullRejected("data", () -> builder.picture(null, 40, 40));
            assertNullRejected("makerKey", () -> builder.sign(null, cert));
            assertNullRejected("makerCert", () -> builder.sign(key, null));
            assertNullRejected("digest", () -> signature.verifyDigest(null));
            try (Signer signer = new Signer(seal, cert, SIGNING_TIME, null)) {
                assertNullRejected("data", () -> signer.update((byte[]) null));
                assertNullRejected("input", () -> signer.update((java.io.InputStream) null));
                assertNullRejected("key", () -> signer.finish(null));
                // The rejected calls left the signer usable.
                try (Signature signed = signer.update(DOCUMENT).finish(key)) {
                    assertTrue(signed.verify(DOCUMENT).isValid());
                }
            }
        }
    }

    @Test
    void invalidArgumentsRejected() throws IOException {
        try (Seal seal = TestSeals.userSeal();
                PrivateKey key = TestSeals.userKey();
                Certificate cert = TestSeals.userCert();
                Signature signature = Signer.sign(seal, key, cert, DOCUMENT, SIGNING_TIME, null);
                SealBuilder builder = TestSeals.builder()) {
            assertThrows(IllegalArgumentException.class,
                    () -> signature.verifyDigest(new byte[31]));
            assertThrows(IllegalArgumentException.class,
                    () -> signature.verifyDigest(new byte[33]));
            assertThrows(IllegalArgumentException.class,
                    () -> Signer.signDigest(seal, key, cert, new byte[0], SIGNING_TIME, null));

            Instant beforeEpoch = Instant.parse("1969-12-31T23:59:59Z");
            assertThrows(IllegalArgumentException.class, () -> seal.verify(beforeEpoch));
            assertThrows(IllegalArgumentException.class,
                    () -> Signer.sign(seal, key, cert, DOCUMENT, beforeEpoch, null));
            assertThrows(IllegalArgumentException.class,
                    () -> builder.validity(beforeEpoch, VALID_TO));

            assertThrows(IllegalArgumentException.class, () -> new SealBuilder("1\u00002", "n"));
            assertThrows(IllegalArgumentException.class, () -> new SealBuilder("1", "\ud800"));
            assertThrows(IllegalArgumentException.class,
                    () -> Signer.sign(seal, key, cert, DOCUMENT, SIGNING_TIME, "a\u0000b"));

            assertCode(EsealException.INVALID_ARGUMENT, () -> builder.version(2));
            assertCode(EsealException.INVALID_ARGUMENT, () -> builder.version(-1));
            assertCode(EsealException.PICTURE_INVALID,
                    () -> builder.picture(new byte[] {1, 2, 3}, 40, 40));
        }
    }

    @Test
    void failedSetterKeepsBuilder() throws IOException {
        try (PrivateKey makerKey = TestSeals.makerKey();
                Certificate makerCert = TestSeals.makerCert();
                Certificate userCert = TestSeals.userCert();
                SealBuilder builder = TestSeals.builder()) {
            builder.addSigner(userCert);
            assertCode(EsealException.PICTURE_INVALID, () -> builder.picture(GARBAGE, 40, 40));
            assertCode(EsealException.INVALID_ARGUMENT, () -> builder.version(3));
            try (Seal seal = builder.sign(makerKey, makerCert)) {
                assertEquals(4, seal.version());
                assertTrue(seal.verify(SIGNING_TIME).isValid());
            }
        }
    }

    @Test
    void nonAsciiEsIdFailsToEncode() throws IOException {
        try (PrivateKey makerKey = TestSeals.makerKey();
                Certificate makerCert = TestSeals.makerCert();
                Certificate userCert = TestSeals.userCert();
                SealBuilder builder = new SealBuilder("印章编码", TestSeals.NAME)) {
            builder.validity(VALID_FROM, VALID_TO).picture(TestSeals.PICTURE, 40, 40)
                    .addSigner(userCert);
            assertCode(EsealException.ENCODE_FAILED, () -> builder.sign(makerKey, makerCert));
        }
    }

    @Test
    void closedHandlesRejectUse() throws IOException {
        Seal seal = TestSeals.userSeal();
        PrivateKey key = TestSeals.userKey();
        Certificate cert = TestSeals.userCert();
        Signature signature = Signer.sign(seal, key, cert, DOCUMENT, SIGNING_TIME, null);
        SealBuilder builder = TestSeals.builder();
        for (NativeHandle handle : new NativeHandle[] {seal, key, cert, signature, builder}) {
            assertFalse(handle.isClosed());
            handle.close();
            assertTrue(handle.isClosed());
            handle.close();
        }
        IllegalStateException error = assertThrows(IllegalStateException.class, seal::esId);
        assertEquals("This Seal is closed.", error.getMessage());
        assertThrows(IllegalStateException.class, seal::der);
        assertThrows(IllegalStateException.class, () -> seal.verify(SIGNING_TIME));
        assertThrows(IllegalStateException.class, cert::subject);
        assertThrows(IllegalStateException.class, () -> signature.verify(DOCUMENT));
        assertThrows(IllegalStateException.class, () -> builder.version(1));
        assertThrows(IllegalStateException.class,
                () -> Signer.sign(seal, key, cert, DOCUMENT, SIGNING_TIME, null));
        assertEquals("Seal[closed]", seal.toString());
        assertEquals("Certificate[closed]", cert.toString());
    }

    @Test
    void closedArgumentRejected() throws IOException {
        try (Seal seal = TestSeals.userSeal(); Certificate cert = TestSeals.userCert()) {
            PrivateKey key = TestSeals.userKey();
            key.close();
            assertThrows(IllegalStateException.class,
                    () -> Signer.sign(seal, key, cert, DOCUMENT, SIGNING_TIME, null));
            try (Signer signer = new Signer(seal, cert, SIGNING_TIME, null)) {
                signer.update(DOCUMENT);
                assertThrows(IllegalStateException.class, () -> signer.finish(key));
            }
        }
    }

    @Test
    void debugPanicThrowsAndJvmGoesOn() throws IOException {
        for (int i = 0; i < 3; i++) {
            EsealException error = assertCode(EsealException.PANIC, Eseal::debugPanic);
            assertEquals("eseal_debug_panic", error.function());
        }
        // The library still works after the panics.
        try (Seal seal = TestSeals.userSeal()) {
            assertTrue(seal.verify(SIGNING_TIME).isValid());
        }
    }

    @Test
    void resultCodesMatchLibrary() throws IllegalAccessException {
        Map<Integer, String> named = new TreeMap<>();
        for (Field field : EsealException.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == int.class) {
                named.put(field.getInt(null), field.getName());
            }
        }
        String unknown = EsealException.describe(9999);
        for (int code = 0; code < 1000; code++) {
            boolean known = !EsealException.describe(code).equals(unknown);
            assertEquals(known, named.containsKey(code),
                    "code " + code + " (" + EsealException.describe(code) + "): the library"
                            + " and the EsealException constants " + named + " disagree");
        }
    }

    @Test
    void resultMessages() {
        assertEquals("success", EsealException.describe(EsealException.OK));
        assertEquals("unknown result code", EsealException.describe(9999));
        assertEquals("unknown result code", EsealException.describe(-1));
        assertTrue(EsealException.describe(EsealException.SIGNER_NOT_IN_CERT_LIST)
                .contains("certList"));
    }
}
