package cn.eseal;

import static cn.eseal.TestFiles.SIGNING_TIME;
import static cn.eseal.TestFiles.VALID_FROM;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Making seals, signing with them and verifying, with the test PKI of the vectors. */
class SealAndSignTest {
    private static final byte[] DOCUMENT =
            "transcript of Zhang San: mathematics 95".getBytes(StandardCharsets.UTF_8);

    @Test
    void certificateFields() throws IOException {
        try (Certificate cert = TestSeals.userCert()) {
            assertTrue(cert.subject().contains("Test Certificate"), cert.subject());
            assertTrue(cert.issuer().contains("ROOT Certificate"), cert.issuer());
            assertEquals("01719d2dab60", cert.serial().toLowerCase());
            assertEquals(Instant.parse("2020-04-21T14:39:08Z"), cert.notBefore());
            assertEquals(Instant.parse("2022-04-21T14:39:08Z"), cert.notAfter());
        }
    }

    @Test
    void madeSealHasFieldsAndVerifies() throws IOException {
        try (Seal seal = TestSeals.userSeal()) {
            assertEquals(4, seal.version());
            assertEquals(TestSeals.ES_ID, seal.esId());
            assertEquals(TestSeals.NAME, seal.name());

            VerificationReport report = seal.verify(SIGNING_TIME);
            assertTrue(report.isValid(), report.json());
            assertEquals(CheckStatus.PASSED, report.findCheck("seal.maker_signature").status());
            assertEquals(CheckStatus.PASSED, report.findCheck("seal.validity").status());
            assertTrue(report.json().contains("\"kind\": \"seal\""), report.json());
        }
    }

    @Test
    void sealExpiredNow() throws IOException {
        try (Seal seal = TestSeals.userSeal()) {
            VerificationReport report = seal.verify(null);
            assertFalse(report.isValid());
            assertEquals(CheckStatus.FAILED, report.findCheck("seal.validity").status());
            assertFalse(seal.verify().isValid());
        }
    }

    @Test
    void sealDerRoundTrip() throws IOException {
        try (Seal seal = TestSeals.userSeal()) {
            byte[] der = seal.der();
            assertEquals(0x30, der[0] & 0xff);
            try (Seal decoded = Seal.fromDer(der)) {
                assertArrayEquals(der, decoded.der());
                assertEquals(TestSeals.NAME, decoded.name());
                assertTrue(decoded.verify(SIGNING_TIME).isValid());
            }
        }
    }

    @Test
    void signedBytesVerify() throws IOException {
        try (Seal seal = TestSeals.userSeal();
                PrivateKey key = TestSeals.userKey();
                Certificate cert = TestSeals.userCert();
                Signature signature =
                        Signer.sign(seal, key, cert, DOCUMENT, SIGNING_TIME, "transcript.pdf")) {
            VerificationReport report = signature.verify(DOCUMENT);
            assertTrue(report.isValid(), report.json());
            assertEquals(CheckStatus.PASSED, report.findCheck("signature.data_hash").status());
            assertTrue(report.json().contains("\"signing_time\": \"2021-06-01T00:00:00Z\""),
                    report.json());
            assertTrue(report.findings().isEmpty(), report.findings().toString());
        }
    }

    @Test
    void tamperedDataInvalid() throws IOException {
        byte[] tampered = Arrays.copyOf(DOCUMENT, DOCUMENT.length);
        tampered[tampered.length - 1] = '4';
        try (Seal seal = TestSeals.userSeal();
                PrivateKey key = TestSeals.userKey();
                Certificate cert = TestSeals.userCert();
                Signature signature = Signer.sign(seal, key, cert, DOCUMENT, SIGNING_TIME, null)) {
            VerificationReport report = signature.verify(tampered);
            assertFalse(report.isValid());
            Check dataHash = report.findCheck("signature.data_hash");
            assertNotNull(dataHash, report.json());
            assertEquals(CheckStatus.FAILED, dataHash.status());
            assertFalse(dataHash.message().isEmpty());
            assertFalse(dataHash.messageZh().isEmpty());
            Check signerSignature = report.findCheck("signature.signer_signature");
            assertEquals(CheckStatus.PASSED, signerSignature.status(), report.json());
        }
    }

    @Test
    void verifyWithoutDataSkipsDataHash() throws IOException {
        try (Seal seal = TestSeals.userSeal();
                PrivateKey key = TestSeals.userKey();
                Certificate cert = TestSeals.userCert();
                Signature signature = Signer.sign(seal, key, cert, DOCUMENT, SIGNING_TIME, null)) {
            VerificationReport report = signature.verify(null);
            assertEquals(CheckStatus.NOT_CHECKED,
                    report.findCheck("signature.data_hash").status());
            assertTrue(report.isValid(), report.json());
        }
    }

    @Test
    void emptyDataIsNotMissingData() throws IOException {
        try (Seal seal = TestSeals.userSeal();
                PrivateKey key = TestSeals.userKey();
                Certificate cert = TestSeals.userCert();
                Signature signature =
                        Signer.sign(seal, key, cert, new byte[0], SIGNING_TIME, null)) {
            VerificationReport empty = signature.verify(new byte[0]);
            assertTrue(empty.isValid(), empty.json());
            assertEquals(CheckStatus.PASSED, empty.findCheck("signature.data_hash").status());

            VerificationReport other = signature.verify(new byte[] {0});
            assertEquals(CheckStatus.FAILED, other.findCheck("signature.data_hash").status());
        }
    }

    @Test
    void signatureDerRoundTrip() throws IOException {
        try (Seal seal = TestSeals.userSeal();
                PrivateKey key = TestSeals.userKey();
                Certificate cert = TestSeals.userCert();
                Signature signature = Signer.sign(seal, key, cert, DOCUMENT, SIGNING_TIME, "p")) {
            byte[] der = signature.der();
            try (Signature decoded = Signature.fromDer(der)) {
                assertArrayEquals(der, decoded.der());
                VerificationReport report = decoded.verify(DOCUMENT);
                assertTrue(report.isValid(), report.json());
                assertEquals(signature.verify(DOCUMENT).json(), report.json());
            }
        }
    }

    @Test
    void streamingSignerMatchesData() throws IOException {
        try (Seal seal = TestSeals.userSeal();
                PrivateKey key = TestSeals.userKey();
                Certificate cert = TestSeals.userCert();
                Signer signer = new Signer(seal, cert, SIGNING_TIME, "streamed")) {
            signer.update(Arrays.copyOfRange(DOCUMENT, 0, 10))
                    .update(DOCUMENT, 10, 5)
                    .update(new byte[0]);
            long added = signer.update(
                    new ByteArrayInputStream(DOCUMENT, 15, DOCUMENT.length - 15));
            assertEquals(DOCUMENT.length - 15, added);
            try (Signature signature = signer.finish(key)) {
                VerificationReport report = signature.verify(DOCUMENT);
                assertTrue(report.isValid(), report.json());
                assertFalse(signature.verify(Arrays.copyOf(DOCUMENT, 10)).isValid());
            }
        }
    }

    @Test
    void streamingSignerOutlivesItsSeal() throws IOException {
        Signer signer;
        try (Seal seal = TestSeals.userSeal(); Certificate cert = TestSeals.userCert()) {
            signer = new Signer(seal, cert, SIGNING_TIME, null);
        }
        try (Signer started = signer;
                PrivateKey key = TestSeals.userKey();
                Signature signature = started.update(DOCUMENT).finish(key)) {
            assertTrue(signature.verify(DOCUMENT).isValid());
        }
    }

    @Test
    void digestSignAndVerify() throws IOException {
        byte[] digest = new byte[Signature.SM3_DIGEST_LENGTH];
        Arrays.fill(digest, (byte) 0x5a);
        byte[] otherDigest = digest.clone();
        otherDigest[0] = 0;
        try (Seal seal = TestSeals.userSeal();
                PrivateKey key = TestSeals.userKey();
                Certificate cert = TestSeals.userCert();
                Signature signature =
                        Signer.signDigest(seal, key, cert, digest, SIGNING_TIME, null)) {
            assertTrue(signature.verifyDigest(digest).isValid());
            VerificationReport report = signature.verifyDigest(otherDigest);
            assertFalse(report.isValid());
            assertEquals(CheckStatus.FAILED, report.findCheck("signature.data_hash").status());
        }
    }

    @Test
    void digestMatchesOpensslSm3() throws Exception {
        TestFiles.ProcessResult sm3 = TestFiles.run(Arrays.asList(
                "openssl", "dgst", "-sm3", "-binary", "-out", "/dev/stdout",
                writeTemporary(DOCUMENT)));
        assertEquals(0, sm3.exitCode, sm3.stderr);
        assertEquals(Signature.SM3_DIGEST_LENGTH, sm3.stdout.length);

        try (Seal seal = TestSeals.userSeal();
                PrivateKey key = TestSeals.userKey();
                Certificate cert = TestSeals.userCert();
                Signature fromData = Signer.sign(seal, key, cert, DOCUMENT, SIGNING_TIME, null);
                Signature fromDigest =
                        Signer.signDigest(seal, key, cert, sm3.stdout, SIGNING_TIME, null)) {
            assertTrue(fromData.verifyDigest(sm3.stdout).isValid());
            assertTrue(fromDigest.verify(DOCUMENT).isValid());
        }
    }

    @Test
    void sm3KnownDigests() {
        // GB/T 32905-2016, example 1, and the digest of empty input.
        assertEquals("66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0",
                hex(Eseal.sm3("abc".getBytes(StandardCharsets.US_ASCII))));
        assertEquals("1ab21d8355cfa17f8e61194831e81a8f22bec8c728fefb747ed035eb5082aa2b",
                hex(Eseal.sm3(new byte[0])));
        NullPointerException error =
                assertThrows(NullPointerException.class, () -> Eseal.sm3(null));
        assertEquals("data must not be null", error.getMessage());
    }

    @Test
    void sm3MatchesOpenssl() throws Exception {
        byte[] data = new byte[200_000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 31 + 7);
        }
        TestFiles.ProcessResult sm3 = TestFiles.run(Arrays.asList(
                "openssl", "dgst", "-sm3", "-binary", "-out", "/dev/stdout",
                writeTemporary(data)));
        assertEquals(0, sm3.exitCode, sm3.stderr);
        assertArrayEquals(sm3.stdout, Eseal.sm3(data));
    }

    @Test
    void sm3DigestSignsAndVerifies() throws IOException {
        byte[] digest = Eseal.sm3(DOCUMENT);
        try (Seal seal = TestSeals.userSeal();
                PrivateKey key = TestSeals.userKey();
                Certificate cert = TestSeals.userCert();
                Signature fromDigest =
                        Signer.signDigest(seal, key, cert, digest, SIGNING_TIME, "sm3.txt")) {
            assertTrue(fromDigest.verify(DOCUMENT).isValid());
            assertEquals(4, fromDigest.version());
            assertEquals(SIGNING_TIME, fromDigest.signingTime());
            assertEquals("sm3.txt", fromDigest.propertyInfo());
        }
    }

    @Test
    void signatureInfoDefaults() throws IOException {
        Instant fractional = Instant.parse("2021-06-01T00:00:00.750Z");
        Signature signature;
        try (Seal seal = TestSeals.userSeal();
                PrivateKey key = TestSeals.userKey();
                Certificate cert = TestSeals.userCert()) {
            signature = Signer.sign(seal, key, cert, DOCUMENT, fractional, null);
        }
        assertEquals("", signature.propertyInfo());
        assertEquals(SIGNING_TIME, signature.signingTime());
        signature.close();
        assertThrows(IllegalStateException.class, signature::version);
        assertThrows(IllegalStateException.class, signature::signingTime);
        assertThrows(IllegalStateException.class, signature::propertyInfo);
    }

    private static String hex(byte[] bytes) {
        StringBuilder text = new StringBuilder();
        for (byte value : bytes) {
            text.append(String.format("%02x", value & 0xff));
        }
        return text.toString();
    }

    @ParameterizedTest(name = "V{0}")
    @ValueSource(ints = {1, 4, 5})
    void sealVersionSignsAndVerifies(int version) throws IOException {
        try (PrivateKey makerKey = TestSeals.makerKey();
                Certificate makerCert = TestSeals.makerCert();
                PrivateKey userKey = TestSeals.userKey();
                Certificate userCert = TestSeals.userCert();
                SealBuilder builder = TestSeals.builder()) {
            builder.version(version).addSigner(userCert);
            try (Seal seal = builder.sign(makerKey, makerCert);
                    Signature signature =
                            Signer.sign(seal, userKey, userCert, DOCUMENT, SIGNING_TIME, null)) {
                assertEquals(version, seal.version());
                assertTrue(seal.verify(SIGNING_TIME).isValid());
                VerificationReport report = signature.verify(DOCUMENT);
                assertTrue(report.isValid(), report.json());
            }
        }
    }

    @Test
    void signerAuthorisedByDigest() throws IOException {
        try (PrivateKey makerKey = TestSeals.makerKey();
                Certificate makerCert = TestSeals.makerCert();
                PrivateKey userKey = TestSeals.userKey();
                Certificate userCert = TestSeals.userCert();
                SealBuilder builder = TestSeals.builder()) {
            builder.addSignerByDigest(userCert);
            try (Seal seal = builder.sign(makerKey, makerCert);
                    Signature signature =
                            Signer.sign(seal, userKey, userCert, DOCUMENT, SIGNING_TIME, null)) {
                VerificationReport report = signature.verify(DOCUMENT);
                assertTrue(report.isValid(), report.json());
            }
        }
    }

    @Test
    void vendorAndTypeInJson() throws IOException {
        try (PrivateKey makerKey = TestSeals.makerKey();
                Certificate makerCert = TestSeals.makerCert();
                Certificate userCert = TestSeals.userCert();
                SealBuilder builder = TestSeals.builder()) {
            builder.vendorAndType("eseal-java", 3).addSigner(userCert);
            try (Seal seal = builder.sign(makerKey, makerCert)) {
                String json = seal.verify(SIGNING_TIME).json();
                assertTrue(json.contains("\"vendor_id\": \"eseal-java\""), json);
                assertTrue(json.contains("\"type\": 3"), json);
            }
        }
    }

    @Test
    void builderReusableAfterSign() throws IOException {
        Instant shorterEnd = Instant.parse("2021-12-01T00:00:00Z");
        Instant between = Instant.parse("2021-12-15T00:00:00Z");
        try (PrivateKey makerKey = TestSeals.makerKey();
                Certificate makerCert = TestSeals.makerCert();
                Certificate userCert = TestSeals.userCert();
                SealBuilder builder = TestSeals.builder()) {
            builder.addSigner(userCert);
            try (Seal first = builder.sign(makerKey, makerCert);
                    Seal second = builder.validity(VALID_FROM, shorterEnd)
                            .sign(makerKey, makerCert)) {
                assertTrue(first.verify(between).isValid());
                assertFalse(second.verify(between).isValid());
                assertTrue(second.verify(SIGNING_TIME).isValid());
            }
        }
    }

    @Test
    void generatedKeyMatchesNoCertificate() throws IOException {
        // The C ABI cannot make certificates or show a public key, so a generated key can
        // only be shown to be a key that the test certificates do not belong to.
        try (PrivateKey generated = PrivateKey.generate();
                Seal seal = TestSeals.userSeal();
                Certificate userCert = TestSeals.userCert()) {
            assertEquals("PrivateKey[SM2]", generated.toString());
            EsealException error = assertThrows(EsealException.class,
                    () -> Signer.sign(seal, generated, userCert, DOCUMENT, SIGNING_TIME, null));
            assertEquals(EsealException.KEY_CERTIFICATE_MISMATCH, error.code(),
                    error.getMessage());
        }
    }

    @Test
    void versionString() {
        assertTrue(Eseal.version().matches("\\d+\\.\\d+\\.\\d+.*"), Eseal.version());
        assertNotNull(Eseal.libraryFile());
    }

    private static String writeTemporary(byte[] data) throws IOException {
        java.nio.file.Path file = java.nio.file.Files.createTempFile("eseal-test-", ".bin");
        file.toFile().deleteOnExit();
        java.nio.file.Files.write(file, data);
        return file.toString();
    }
}
