package cn.eseal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** External signers: Signer.signWith over eseal_sign_with_callback, and PrivateKey.signDigest. */
class ExternalSignerTest {
    private static final Instant SIGNING_TIME = Instant.parse("2021-06-01T00:00:00Z");
    private static final byte[] DOCUMENT =
            "外部签名 external signer test".getBytes(StandardCharsets.UTF_8);
    private static final String PROPERTY_INFO = "/Doc_0/Signs/Sign_0/Signature.xml";

    /** Reads UserV4.esl, which authorises USER.cert.pem. */
    private static Seal vectorSeal() throws IOException {
        return Seal.fromDer(Files.readAllBytes(
                TestFiles.vectors().resolve("seals").resolve("UserV4.esl")));
    }

    @Test
    void softwareSignerVerifies() throws IOException {
        List<byte[]> digests = new ArrayList<>();
        try (Seal seal = vectorSeal();
                PrivateKey key = TestSeals.userKey();
                Certificate cert = TestSeals.userCert();
                Signature signature = Signer.signWith(seal, cert, DOCUMENT, digest -> {
                    digests.add(digest);
                    return key.signDigest(digest);
                }, SIGNING_TIME, PROPERTY_INFO)) {
            VerificationReport report = signature.verify(DOCUMENT);

            assertTrue(report.isValid(), report.json());
            assertEquals(CheckStatus.PASSED,
                    report.findCheck("signature.signer_signature").status());
            assertEquals(SIGNING_TIME, signature.signingTime());
            assertEquals(PROPERTY_INFO, signature.propertyInfo());
            assertEquals(1, digests.size());
            assertEquals(32, digests.get(0).length);
        }
    }

    @Test
    void externalEqualsKeySigning() throws IOException {
        try (Seal seal = vectorSeal();
                PrivateKey key = TestSeals.userKey();
                Certificate cert = TestSeals.userCert();
                Signature external = Signer.signWith(
                        seal, cert, DOCUMENT, key::signDigest, SIGNING_TIME, PROPERTY_INFO);
                Signature withKey =
                        Signer.sign(seal, key, cert, DOCUMENT, SIGNING_TIME, PROPERTY_INFO)) {
            assertEquals(withKey.verify(DOCUMENT).json(), external.verify(DOCUMENT).json());
        }
    }

    @Test
    void externalSignatureTrustedMatchesTool(@TempDir Path directory) throws Exception {
        Path root = TestFiles.vectors().resolve("keys").resolve("ROOT.cert.pem");
        try (Seal seal = vectorSeal();
                PrivateKey key = TestSeals.userKey();
                Certificate cert = TestSeals.userCert();
                TrustPolicy policy = new TrustPolicy().addCertificates(root);
                Signature signature = Signer.signWith(
                        seal, cert, DOCUMENT, key::signDigest, SIGNING_TIME, null)) {
            VerificationReport report = signature.verify(DOCUMENT, policy);
            assertTrue(report.isValid(), report.json());
            assertEquals(CheckStatus.PASSED,
                    report.findCheck("signature.signer_certificate_chain").status());

            Path signedValue = directory.resolve("SignedValue.dat");
            Path data = directory.resolve("document");
            Files.write(signedValue, signature.der());
            Files.write(data, DOCUMENT);
            TestFiles.ProcessResult tool = TestFiles.run(Arrays.asList(
                    TestFiles.cli().toString(), "verify", signedValue.toString(),
                    "--data", data.toString(), "--trust", root.toString(), "--json"));
            assertEquals(0, tool.exitCode, tool.stderr);
            assertArrayEquals(report.json().concat("\n").getBytes(StandardCharsets.UTF_8),
                    tool.stdout);
        }
    }

    @Test
    void zeroSignatureInvalid() throws IOException {
        try (Seal seal = vectorSeal(); Certificate cert = TestSeals.userCert()) {
            EsealException invalid = assertThrows(EsealException.class, () -> Signer.signWith(
                    seal, cert, DOCUMENT, digest -> new byte[64], SIGNING_TIME, null));

            assertEquals(EsealException.SIGNATURE_INVALID, invalid.code());
            assertEquals("eseal_sign_with_callback", invalid.function());
            assertNull(invalid.getCause());
        }
    }

    @Test
    void otherKeySignatureInvalid() throws IOException {
        // A USB key holding another key than the certificate's.
        try (Seal seal = vectorSeal();
                Certificate cert = TestSeals.userCert();
                PrivateKey makerKey = TestSeals.makerKey()) {
            EsealException invalid = assertThrows(EsealException.class, () -> Signer.signWith(
                    seal, cert, DOCUMENT, makerKey::signDigest, SIGNING_TIME, null));

            assertEquals(EsealException.SIGNATURE_INVALID, invalid.code());
        }
    }

    @Test
    void throwingSignerFailed() throws IOException {
        try (Seal seal = vectorSeal(); Certificate cert = TestSeals.userCert()) {
            EsealException failed = assertThrows(EsealException.class, () -> Signer.signWith(
                    seal, cert, DOCUMENT, digest -> {
                        throw new IOException("USB key removed");
                    }, SIGNING_TIME, null));

            assertEquals(EsealException.SIGNER_FAILED, failed.code());
            assertTrue(failed.getCause() instanceof IOException);
            assertTrue(failed.getMessage().contains("USB key removed"), failed.getMessage());
            assertTrue(failed.detail().contains("IOException"), failed.detail());
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 0, 32, 63, 65})
    void wrongLengthFailed(int length) throws IOException {
        try (Seal seal = vectorSeal(); Certificate cert = TestSeals.userCert()) {
            EsealException failed = assertThrows(EsealException.class, () -> Signer.signWith(
                    seal, cert, DOCUMENT, digest -> length < 0 ? null : new byte[length],
                    SIGNING_TIME, null));

            assertEquals(EsealException.SIGNER_FAILED, failed.code());
            assertTrue(failed.getCause() instanceof IllegalStateException);
            assertTrue(failed.getCause().getMessage().contains("instead of 64 bytes"),
                    failed.getCause().getMessage());
        }
    }

    @Test
    void signerErrorThrownAsIs() throws IOException {
        AssertionError error = new AssertionError("device driver bug");
        try (Seal seal = vectorSeal(); Certificate cert = TestSeals.userCert()) {
            AssertionError thrown = assertThrows(AssertionError.class, () -> Signer.signWith(
                    seal, cert, DOCUMENT, digest -> {
                        throw error;
                    }, SIGNING_TIME, null));

            assertSame(error, thrown);
        }
    }

    @Test
    void refusedBeforeSignerCalled() throws IOException {
        AtomicInteger calls = new AtomicInteger();
        try (Seal seal = vectorSeal();
                PrivateKey key = TestSeals.userKey();
                Certificate cert = TestSeals.userCert();
                Certificate makerCert = TestSeals.makerCert()) {
            ExternalSigner counting = digest -> {
                calls.incrementAndGet();
                return key.signDigest(digest);
            };
            EsealException expired = assertThrows(EsealException.class, () -> Signer.signWith(
                    seal, cert, DOCUMENT, counting, Instant.parse("2023-01-01T00:00:00Z"), null));
            assertEquals(EsealException.SEAL_NOT_VALID_AT_TIME, expired.code());
            EsealException notListed = assertThrows(EsealException.class, () -> Signer.signWith(
                    seal, makerCert, DOCUMENT, counting, SIGNING_TIME, null));
            assertEquals(EsealException.SIGNER_NOT_IN_CERT_LIST, notListed.code());
            EsealException nonAscii = assertThrows(EsealException.class, () -> Signer.signWith(
                    seal, cert, DOCUMENT, counting, SIGNING_TIME, "/签章.xml"));
            assertEquals(EsealException.ENCODE_FAILED, nonAscii.code());

            assertEquals(0, calls.get());
        }
    }

    @Test
    void signWithArguments() throws IOException {
        try (Seal seal = vectorSeal();
                PrivateKey key = TestSeals.userKey();
                Certificate cert = TestSeals.userCert()) {
            ExternalSigner signer = key::signDigest;
            assertThrows(NullPointerException.class,
                    () -> Signer.signWith(null, cert, DOCUMENT, signer, SIGNING_TIME, null));
            assertThrows(NullPointerException.class,
                    () -> Signer.signWith(seal, null, DOCUMENT, signer, SIGNING_TIME, null));
            assertThrows(NullPointerException.class,
                    () -> Signer.signWith(seal, cert, null, signer, SIGNING_TIME, null));
            assertThrows(NullPointerException.class,
                    () -> Signer.signWith(seal, cert, DOCUMENT, null, SIGNING_TIME, null));
            assertThrows(IllegalArgumentException.class, () -> Signer.signWith(seal, cert,
                    DOCUMENT, signer, Instant.parse("1969-01-01T00:00:00Z"), null));
            assertThrows(IllegalArgumentException.class, () -> Signer.signWith(seal, cert,
                    DOCUMENT, signer, SIGNING_TIME, "a\0b"));
        }
    }

    @Test
    void signWithClosedSeal() throws IOException {
        Seal seal = vectorSeal();
        seal.close();
        try (PrivateKey key = TestSeals.userKey(); Certificate cert = TestSeals.userCert()) {
            assertThrows(IllegalStateException.class, () -> Signer.signWith(
                    seal, cert, DOCUMENT, key::signDigest, SIGNING_TIME, null));
        }
    }

    @Test
    void signWithEmptyData() throws IOException {
        try (Seal seal = vectorSeal();
                PrivateKey key = TestSeals.userKey();
                Certificate cert = TestSeals.userCert();
                Signature signature = Signer.signWith(
                        seal, cert, new byte[0], key::signDigest, SIGNING_TIME, null)) {
            assertTrue(signature.verify(new byte[0]).isValid());
            assertFalse(signature.verify(new byte[1]).isValid());
        }
    }

    @Test
    void eightThreadsSignExternally() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try (Seal seal = vectorSeal();
                PrivateKey key = TestSeals.userKey();
                Certificate cert = TestSeals.userCert()) {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                byte[] document = (new String(DOCUMENT, StandardCharsets.UTF_8) + i)
                        .getBytes(StandardCharsets.UTF_8);
                results.add(pool.submit(() -> {
                    try (Signature signature = Signer.signWith(
                            seal, cert, document, key::signDigest, SIGNING_TIME, null)) {
                        return signature.verify(document).isValid();
                    }
                }));
            }
            List<Boolean> valid = new ArrayList<>();
            for (Future<Boolean> result : results) {
                valid.add(result.get(5, TimeUnit.MINUTES));
            }
            assertEquals(Collections.nCopies(32, true), valid);
        } finally {
            pool.shutdownNow();
            assertTrue(pool.awaitTermination(1, TimeUnit.MINUTES));
        }
    }

    @Test
    void keySignDigest() throws IOException {
        byte[] digest = new byte[32];
        for (int i = 0; i < digest.length; i++) {
            digest[i] = (byte) i;
        }
        try (PrivateKey key = TestSeals.userKey()) {
            byte[] first = key.signDigest(digest);
            byte[] second = key.signDigest(digest);

            assertEquals(Signer.SIGNATURE_VALUE_LENGTH, first.length);
            // SM2 signing takes a fresh random k each time.
            assertFalse(Arrays.equals(first, second));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 31, 33, 64})
    void keySignDigestLength(int length) throws IOException {
        try (PrivateKey key = TestSeals.userKey()) {
            assertThrows(IllegalArgumentException.class, () -> key.signDigest(new byte[length]));
        }
    }

    @Test
    void keySignDigestClosedOrNull() throws IOException {
        PrivateKey key = TestSeals.userKey();
        assertThrows(NullPointerException.class, () -> key.signDigest(null));
        key.close();

        assertThrows(IllegalStateException.class, () -> key.signDigest(new byte[32]));
    }
}
