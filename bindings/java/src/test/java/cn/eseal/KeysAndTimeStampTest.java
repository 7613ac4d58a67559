package cn.eseal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Password-protected keys, signing with a time stamp (with a private key or an external
 * signer), trust from memory and the new result codes. Time stamp tokens come from the test
 * authority examples/time_stamp_authority.rs, which run-tests.sh builds.
 */
class KeysAndTimeStampTest {
    /** The USER.p12 password that the vectors' README gives. */
    private static final char[] USER_P12_PASSWORD = "777777".toCharArray();
    private static final char[] TEST_PASSWORD = "eseal-test".toCharArray();
    private static final String GEN_TIME = "2021-06-01T00:05:00Z";
    private static final byte[] DOCUMENT = "time-stamped document".getBytes(
            java.nio.charset.StandardCharsets.UTF_8);
    private static final String OFDRW_FOLDER = "ofdr-wtest-3c2f8c595f20";
    private static final String SIGNER_CHAIN = "signature.signer_certificate_chain";

    @TempDir
    static Path authorityFolder;

    private static Path authority() {
        String configured = TestFiles.setting("ESEAL_TSA");
        Path tool = configured != null
                ? Paths.get(configured)
                : TestFiles.repositoryRoot().resolve("target/release/examples/time_stamp_authority");
        assertTrue(Files.isExecutable(tool), "test time stamp authority not found at " + tool
                + "; run cargo build --release --example time_stamp_authority or set ESEAL_TSA");
        return tool;
    }

    @BeforeAll
    static void makeAuthority() throws IOException, InterruptedException {
        TestFiles.ProcessResult result = TestFiles.run(Arrays.asList(
                authority().toString(), "init", authorityFolder.toString()));
        assertEquals(0, result.exitCode, result.stderr);
    }

    /** Asks the test authority for a token over {@code covered}. */
    private static byte[] stamp(byte[] covered) throws IOException, InterruptedException {
        Path input = Files.createTempFile(authorityFolder, "covered-", ".der");
        Files.write(input, covered);
        ProcessBuilder builder = new ProcessBuilder(
                authority().toString(), "stamp", authorityFolder.toString(), GEN_TIME);
        builder.redirectInput(input.toFile());
        Path output = Files.createTempFile(authorityFolder, "token-", ".der");
        builder.redirectOutput(output.toFile());
        Process process = builder.start();
        assertEquals(0, process.waitFor());
        return Files.readAllBytes(output);
    }

    private static byte[] encryptedKey(String name) throws IOException {
        return Files.readAllBytes(
                TestFiles.repositoryRoot().resolve("tests/vectors/encrypted-keys").resolve(name));
    }

    private static Seal vectorSeal(String name) throws IOException {
        return Seal.fromDer(Files.readAllBytes(
                TestFiles.vectors().resolve("seals").resolve(name)));
    }

    private static boolean signsAndVerifies(PrivateKey key, Certificate cert) throws IOException {
        try (Seal seal = vectorSeal("UserV4.esl");
                Signature signature = Signer.sign(seal, key, cert, DOCUMENT,
                        TestFiles.SIGNING_TIME, null)) {
            return signature.verify(DOCUMENT).isValid();
        }
    }

    private static Signature signStamped(String sealName, TimeStamper stamper)
            throws IOException {
        try (Seal seal = vectorSeal(sealName);
                PrivateKey key = TestSeals.userKey();
                Certificate cert = TestSeals.userCert()) {
            return Signer.signWithTimeStamp(seal, key, cert, DOCUMENT, stamper,
                    TestFiles.SIGNING_TIME, null);
        }
    }

    /** Signs DOCUMENT in two chunks with a streaming signer that has {@code stamper}. */
    private static Signature signStreamed(String sealName, TimeStamper stamper)
            throws IOException {
        try (Seal seal = vectorSeal(sealName);
                PrivateKey key = TestSeals.userKey();
                Certificate cert = TestSeals.userCert();
                Signer signer = new Signer(seal, cert, TestFiles.SIGNING_TIME, null, stamper)) {
            signer.update(DOCUMENT, 0, 7);
            signer.update(DOCUMENT, 7, DOCUMENT.length - 7);
            return signer.finish(key);
        }
    }

    private static final String DEVICE_PROPERTY_INFO = "/Doc_0/Signs/Sign_0/Signature.xml";
    private static final String DEVICE_FUNCTION = "eseal_sign_with_callback_and_time_stamp";

    /** Signs DOCUMENT with an external signer and a time stamper, as with a USB key. */
    private static Signature signWithDevice(
            String sealName, ExternalSigner signer, TimeStamper stamper) throws IOException {
        try (Seal seal = vectorSeal(sealName); Certificate cert = TestSeals.userCert()) {
            return Signer.signWith(seal, cert, DOCUMENT, signer, stamper,
                    TestFiles.SIGNING_TIME, DEVICE_PROPERTY_INFO);
        }
    }

    private static TrustPolicy policy(boolean trustAuthority) throws IOException {
        TrustPolicy policy = new TrustPolicy();
        policy.addCertificates(TestFiles.vectors().resolve("keys/ROOT.cert.pem"));
        if (trustAuthority) {
            policy.addCertificates(authorityFolder.resolve("root.der"));
        }
        return policy;
    }

    @Test
    void pkcs12KeyAndCertificateSign() throws IOException {
        try (Pkcs12 opened = Pkcs12.open(TestFiles.key("USER.p12"), USER_P12_PASSWORD);
                Certificate expected = TestSeals.userCert()) {
            assertNotNull(opened.certificate());
            assertArrayEquals(expected.der(), opened.certificate().der());
            assertEquals(expected.serial(), opened.certificate().serial());
            assertTrue(signsAndVerifies(opened.privateKey(), opened.certificate()));
        }
    }

    @Test
    void pkcs12WrongPassword() throws IOException {
        EsealException error = assertThrows(EsealException.class,
                () -> Pkcs12.open(TestFiles.key("USER.p12"), "123456".toCharArray()));
        assertEquals(EsealException.WRONG_PASSWORD, error.code());
        assertEquals("eseal_pkcs12_open", error.function());
        assertFalse(error.getMessage().contains("123456"), error.getMessage());
        EsealException empty = assertThrows(EsealException.class,
                () -> PrivateKey.fromBytes(TestFiles.key("USER.p12"), new char[0]));
        assertEquals(EsealException.WRONG_PASSWORD, empty.code());
    }

    @Test
    void pkcs12Truncated() throws IOException {
        byte[] data = TestFiles.key("USER.p12");
        byte[] truncated = Arrays.copyOf(data, data.length / 2);
        EsealException error = assertThrows(EsealException.class,
                () -> Pkcs12.open(truncated, USER_P12_PASSWORD));
        assertEquals(EsealException.KEY_INVALID, error.code());
    }

    @Test
    void pkcs12Utf8Password() throws IOException {
        try (Pkcs12 opened = Pkcs12.open(encryptedKey("openssl3-3des-utf8-password.p12"),
                "证书-密码".toCharArray())) {
            assertTrue(opened.certificate().subject().contains("CN=eseal test signer"),
                    opened.certificate().subject());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "openssl-aes256-sha256.pem", "openssl-aes128-sha256.der", "gmssl-sm4-sm3.pem"})
    void encryptedPkcs8(String name) throws IOException {
        byte[] data = encryptedKey(name);
        try (PrivateKey key = PrivateKey.fromBytes(data, TEST_PASSWORD)) {
            assertEquals(64, key.signDigest(new byte[32]).length);
        }
        EsealException wrong = assertThrows(EsealException.class,
                () -> PrivateKey.fromBytes(data, "wrong-password".toCharArray()));
        assertEquals(EsealException.WRONG_PASSWORD, wrong.code());
        assertFalse(wrong.getMessage().contains("wrong-password"), wrong.getMessage());
    }

    @Test
    void encryptedPkcs8TruncatedAndWithoutPassword() throws IOException {
        byte[] data = encryptedKey("openssl-aes128-sha256.der");
        EsealException truncated = assertThrows(EsealException.class,
                () -> PrivateKey.fromBytes(Arrays.copyOf(data, data.length - 20), TEST_PASSWORD));
        assertEquals(EsealException.KEY_INVALID, truncated.code());
        EsealException missing = assertThrows(EsealException.class,
                () -> PrivateKey.fromBytes(data));
        assertEquals(EsealException.KEY_INVALID, missing.code());
        assertThrows(NullPointerException.class, () -> PrivateKey.fromBytes(data, null));
    }

    @Test
    void certificateDerRoundTrip() throws IOException {
        try (Certificate cert = TestSeals.userCert();
                Certificate again = Certificate.fromBytes(cert.der())) {
            assertEquals(0x30, cert.der()[0]);
            assertArrayEquals(cert.der(), again.der());
            assertEquals(cert.notAfter(), again.notAfter());
        }
    }

    @Test
    void trustedTimeStampSetsSigningTime() throws IOException {
        List<byte[]> values = new ArrayList<>();
        TimeStamper recording = value -> {
            values.add(value);
            return stamp(value);
        };
        try (Signature signature = signStamped("UserV4.esl", recording);
                TrustPolicy trusted = policy(true);
                TrustPolicy untrusted = policy(false)) {
            assertEquals(1, values.size());
            VerificationReport report = signature.verify(DOCUMENT, trusted);
            assertEquals(CheckStatus.PASSED, report.findCheck("signature.time_stamp").status());
            assertTrue(Pattern.compile("\"signing_time\":\\s*\"2021-06-01T00:05:00")
                    .matcher(report.json()).find(), report.json());
            assertTrue(report.isValid(), report.json());

            VerificationReport other = signature.verify(DOCUMENT, untrusted);
            Check check = other.findCheck("signature.time_stamp");
            assertEquals(CheckStatus.FAILED, check.status());
            assertTrue(check.message().contains("not trusted"), check.message());
            assertFalse(other.isValid());
        }
    }

    @Test
    void timeStampOverOtherBytes() {
        EsealException error = assertThrows(EsealException.class,
                () -> signStamped("UserV4.esl", value -> stamp("other bytes".getBytes(
                        java.nio.charset.StandardCharsets.US_ASCII))));
        assertEquals(EsealException.TIME_STAMP_INVALID, error.code());
        assertTrue(error.detail().contains("messageImprint"), error.detail());
    }

    @Test
    void timeStampGarbage() {
        EsealException error = assertThrows(EsealException.class,
                () -> signStamped("UserV4.esl", value -> new byte[] {0x30, 0x03, 0x02, 0x01, 0x01}));
        assertEquals(EsealException.TIME_STAMP_INVALID, error.code());
    }

    @Test
    void timeStamperThrows() {
        UncheckedIOException thrown = new UncheckedIOException(new IOException("unreachable"));
        EsealException error = assertThrows(EsealException.class,
                () -> signStamped("UserV4.esl", value -> {
                    throw thrown;
                }));
        assertEquals(EsealException.TIME_STAMP_FAILED, error.code());
        assertEquals(thrown, error.getCause());
    }

    @Test
    void timeStampTooLongOrNull() {
        EsealException tooLong = assertThrows(EsealException.class,
                () -> signStamped("UserV4.esl",
                        value -> new byte[Signer.MAX_TIME_STAMP_TOKEN_LENGTH + 1]));
        assertEquals(EsealException.TIME_STAMP_FAILED, tooLong.code());
        EsealException none = assertThrows(EsealException.class,
                () -> signStamped("UserV4.esl", value -> null));
        assertEquals(EsealException.TIME_STAMP_FAILED, none.code());
    }

    @Test
    void timeStampV1SealRefused() {
        EsealException error = assertThrows(EsealException.class,
                () -> signStamped("UserV1.esl", KeysAndTimeStampTest::stamp));
        assertEquals(EsealException.ENCODE_FAILED, error.code());
    }

    @Test
    void streamedTimeStampVerifies() throws IOException {
        List<byte[]> values = new ArrayList<>();
        TimeStamper recording = value -> {
            values.add(value);
            return stamp(value);
        };
        try (Signature signature = signStreamed("UserV4.esl", recording);
                TrustPolicy trusted = policy(true);
                TrustPolicy untrusted = policy(false)) {
            assertEquals(1, values.size());
            VerificationReport report = signature.verify(DOCUMENT, trusted);
            assertEquals(CheckStatus.PASSED, report.findCheck("signature.time_stamp").status());
            assertTrue(Pattern.compile("\"signing_time\":\\s*\"2021-06-01T00:05:00")
                    .matcher(report.json()).find(), report.json());
            assertTrue(report.isValid(), report.json());

            byte[] shorter = Arrays.copyOf(DOCUMENT, DOCUMENT.length - 1);
            assertFalse(signature.verify(shorter, trusted).isValid());
            VerificationReport other = signature.verify(DOCUMENT, untrusted);
            assertEquals(CheckStatus.FAILED, other.findCheck("signature.time_stamp").status());
            assertFalse(other.isValid());
        }
    }

    @Test
    void digestSigningWithTimeStamp() throws IOException {
        byte[] digest = Eseal.sm3(DOCUMENT);
        try (Seal seal = vectorSeal("UserV4.esl");
                PrivateKey key = TestSeals.userKey();
                Certificate cert = TestSeals.userCert();
                TrustPolicy trusted = policy(true)) {
            try (Signature signature = Signer.signDigestWithTimeStamp(seal, key, cert, digest,
                    KeysAndTimeStampTest::stamp, TestFiles.SIGNING_TIME, null)) {
                VerificationReport report = signature.verifyDigest(digest, trusted);
                assertEquals(CheckStatus.PASSED,
                        report.findCheck("signature.time_stamp").status());
                assertTrue(report.isValid(), report.json());
                assertTrue(signature.verify(DOCUMENT, trusted).isValid());
            }
            UncheckedIOException thrown = new UncheckedIOException(new IOException("unreachable"));
            EsealException failing = assertThrows(EsealException.class,
                    () -> Signer.signDigestWithTimeStamp(seal, key, cert, digest, value -> {
                        throw thrown;
                    }, TestFiles.SIGNING_TIME, null));
            assertEquals(EsealException.TIME_STAMP_FAILED, failing.code());
            assertThrows(IllegalArgumentException.class,
                    () -> Signer.signDigestWithTimeStamp(seal, key, cert, new byte[31],
                            KeysAndTimeStampTest::stamp, TestFiles.SIGNING_TIME, null));
        }
    }

    @Test
    void streamedTimeStampFailures() {
        EsealException otherBytes = assertThrows(EsealException.class,
                () -> signStreamed("UserV4.esl", value -> stamp("other bytes".getBytes(
                        java.nio.charset.StandardCharsets.US_ASCII))));
        assertEquals(EsealException.TIME_STAMP_INVALID, otherBytes.code());
        assertTrue(otherBytes.detail().contains("messageImprint"), otherBytes.detail());

        EsealException garbage = assertThrows(EsealException.class,
                () -> signStreamed("UserV4.esl", value -> new byte[] {0x30, 0x03, 0x02, 0x01, 0x01}));
        assertEquals(EsealException.TIME_STAMP_INVALID, garbage.code());

        UncheckedIOException thrown = new UncheckedIOException(new IOException("unreachable"));
        EsealException failing = assertThrows(EsealException.class,
                () -> signStreamed("UserV4.esl", value -> {
                    throw thrown;
                }));
        assertEquals(EsealException.TIME_STAMP_FAILED, failing.code());
        assertEquals(thrown, failing.getCause());

        EsealException tooLong = assertThrows(EsealException.class,
                () -> signStreamed("UserV4.esl",
                        value -> new byte[Signer.MAX_TIME_STAMP_TOKEN_LENGTH + 1]));
        assertEquals(EsealException.TIME_STAMP_FAILED, tooLong.code());
    }

    @Test
    void streamedTimeStampV1Seal() {
        List<byte[]> values = new ArrayList<>();
        EsealException error = assertThrows(EsealException.class,
                () -> signStreamed("UserV1.esl", value -> {
                    values.add(value);
                    return stamp(value);
                }));
        assertEquals(EsealException.ENCODE_FAILED, error.code());
        assertEquals(0, values.size());
    }

    @Test
    void streamedNullStamperRejected() {
        assertThrows(NullPointerException.class, () -> signStreamed("UserV4.esl", null));
    }

    @Test
    void signerAndTimeStampVerify() throws IOException {
        AtomicInteger signerCalls = new AtomicInteger();
        List<byte[]> values = new ArrayList<>();
        try (PrivateKey key = TestSeals.userKey()) {
            ExternalSigner usbKey = digest -> {
                signerCalls.incrementAndGet();
                return key.signDigest(digest);
            };
            TimeStamper recording = value -> {
                values.add(value);
                return stamp(value);
            };
            try (Signature signature = signWithDevice("UserV4.esl", usbKey, recording);
                    TrustPolicy trusted = policy(true);
                    TrustPolicy untrusted = policy(false)) {
                assertEquals(1, signerCalls.get());
                assertEquals(1, values.size());
                assertEquals(DEVICE_PROPERTY_INFO, signature.propertyInfo());

                VerificationReport report = signature.verify(DOCUMENT, trusted);
                assertEquals(CheckStatus.PASSED,
                        report.findCheck("signature.signer_signature").status());
                assertEquals(CheckStatus.PASSED,
                        report.findCheck("signature.time_stamp").status());
                assertTrue(Pattern.compile("\"signing_time\":\\s*\"2021-06-01T00:05:00")
                        .matcher(report.json()).find(), report.json());
                assertTrue(report.isValid(), report.json());

                assertFalse(signature.verify(new byte[] {1, 2, 3}, trusted).isValid());
                VerificationReport other = signature.verify(DOCUMENT, untrusted);
                assertEquals(CheckStatus.FAILED,
                        other.findCheck("signature.time_stamp").status());
                assertFalse(other.isValid());
            }
        }
    }

    @Test
    void signerWrongSignatureSkipsStamper() {
        AtomicInteger stamperCalls = new AtomicInteger();
        TimeStamper counting = value -> {
            stamperCalls.incrementAndGet();
            return stamp(value);
        };
        EsealException error = assertThrows(EsealException.class,
                () -> signWithDevice("UserV4.esl", digest -> new byte[64], counting));

        assertEquals(EsealException.SIGNATURE_INVALID, error.code());
        assertEquals(DEVICE_FUNCTION, error.function());
        assertNull(error.getCause());
        assertEquals(0, stamperCalls.get());
    }

    @Test
    void signerThrowsSkipsStamper() {
        AtomicInteger stamperCalls = new AtomicInteger();
        TimeStamper counting = value -> {
            stamperCalls.incrementAndGet();
            return stamp(value);
        };
        IOException removed = new IOException("USB key removed");
        EsealException error = assertThrows(EsealException.class,
                () -> signWithDevice("UserV4.esl", digest -> {
                    throw removed;
                }, counting));

        assertEquals(EsealException.SIGNER_FAILED, error.code());
        assertSame(removed, error.getCause());
        assertTrue(error.detail().contains("the external signer threw"), error.detail());
        assertEquals(0, stamperCalls.get());
    }

    @Test
    void signerWithThrowingStamper() throws IOException {
        UncheckedIOException unreachable =
                new UncheckedIOException(new IOException("time stamp server unreachable"));
        try (PrivateKey key = TestSeals.userKey()) {
            EsealException error = assertThrows(EsealException.class,
                    () -> signWithDevice("UserV4.esl", key::signDigest, value -> {
                        throw unreachable;
                    }));

            assertEquals(EsealException.TIME_STAMP_FAILED, error.code());
            assertEquals(DEVICE_FUNCTION, error.function());
            assertSame(unreachable, error.getCause());
            assertTrue(error.detail().contains("the time stamper threw"), error.detail());
        }
    }

    @Test
    void signerWithBadTokens() throws IOException {
        try (PrivateKey key = TestSeals.userKey()) {
            EsealException tooLong = assertThrows(EsealException.class,
                    () -> signWithDevice("UserV4.esl", key::signDigest,
                            value -> new byte[Signer.MAX_TIME_STAMP_TOKEN_LENGTH + 1]));
            assertEquals(EsealException.TIME_STAMP_FAILED, tooLong.code());
            assertTrue(tooLong.getCause() instanceof IllegalStateException);

            EsealException none = assertThrows(EsealException.class,
                    () -> signWithDevice("UserV4.esl", key::signDigest, value -> null));
            assertEquals(EsealException.TIME_STAMP_FAILED, none.code());

            EsealException garbage = assertThrows(EsealException.class,
                    () -> signWithDevice("UserV4.esl", key::signDigest,
                            value -> new byte[] {0x30, 0x03, 0x02, 0x01, 0x01}));
            assertEquals(EsealException.TIME_STAMP_INVALID, garbage.code());

            EsealException otherBytes = assertThrows(EsealException.class,
                    () -> signWithDevice("UserV4.esl", key::signDigest, value -> stamp(
                            "other bytes".getBytes(java.nio.charset.StandardCharsets.US_ASCII))));
            assertEquals(EsealException.TIME_STAMP_INVALID, otherBytes.code());
            assertTrue(otherBytes.detail().contains("messageImprint"), otherBytes.detail());
        }
    }

    @Test
    void signerTimeStampV1SealRejected() {
        AtomicInteger calls = new AtomicInteger();
        ExternalSigner signer = digest -> {
            calls.incrementAndGet();
            return new byte[64];
        };
        TimeStamper stamper = value -> {
            calls.incrementAndGet();
            return stamp(value);
        };
        EsealException error = assertThrows(EsealException.class,
                () -> signWithDevice("UserV1.esl", signer, stamper));

        assertEquals(EsealException.ENCODE_FAILED, error.code());
        assertEquals(0, calls.get());
    }

    @Test
    void signerTimeStampArguments() throws IOException {
        try (Seal seal = vectorSeal("UserV4.esl");
                PrivateKey key = TestSeals.userKey();
                Certificate cert = TestSeals.userCert()) {
            ExternalSigner signer = key::signDigest;
            TimeStamper stamper = KeysAndTimeStampTest::stamp;
            assertThrows(NullPointerException.class, () -> Signer.signWith(
                    seal, cert, DOCUMENT, signer, null, TestFiles.SIGNING_TIME, null));
            assertThrows(NullPointerException.class, () -> Signer.signWith(
                    seal, cert, DOCUMENT, null, stamper, TestFiles.SIGNING_TIME, null));
            assertThrows(NullPointerException.class, () -> Signer.signWith(
                    null, cert, DOCUMENT, signer, stamper, TestFiles.SIGNING_TIME, null));
            assertThrows(IllegalArgumentException.class, () -> Signer.signWith(seal, cert,
                    DOCUMENT, signer, stamper, java.time.Instant.parse("1969-01-01T00:00:00Z"),
                    null));
        }
    }

    @Test
    void signerStamperErrorThrownAsIs() throws IOException {
        AssertionError bug = new AssertionError("time stamp client bug");
        try (PrivateKey key = TestSeals.userKey()) {
            AssertionError thrown = assertThrows(AssertionError.class,
                    () -> signWithDevice("UserV4.esl", key::signDigest, value -> {
                        throw bug;
                    }));

            assertSame(bug, thrown);
        }
    }

    @Test
    void ofdBytesWithTrust() throws IOException {
        byte[] document = Files.readAllBytes(TestFiles.vectors().resolve("ofd/ofdrw-hello.ofd"));
        try (TrustPolicy trusted = policy(false); TrustPolicy empty = new TrustPolicy()) {
            OfdVerificationReport report = OfdDocument.verify(document, trusted);
            assertEquals(CheckStatus.PASSED,
                    report.signatures().get(0).findCheck(SIGNER_CHAIN).status());
            assertEquals(OfdDocument.verify(
                    TestFiles.vectors().resolve("ofd/ofdrw-hello.ofd"), trusted).json(),
                    report.json());
            assertEquals(CheckStatus.NOT_CHECKED,
                    OfdDocument.verify(document).signatures().get(0).findCheck(SIGNER_CHAIN)
                            .status());
            assertEquals(CheckStatus.FAILED, OfdDocument.verify(document, empty).signatures()
                    .get(0).findCheck(SIGNER_CHAIN).status());
        }
    }

    @Test
    void digestWithTrust() throws IOException {
        Path folder = TestFiles.vectors().resolve("signatures").resolve(OFDRW_FOLDER);
        byte[] data = Files.readAllBytes(folder.resolve("Signature.xml"));
        try (Signature signature =
                        Signature.fromDer(Files.readAllBytes(folder.resolve("SignedValue.dat")));
                TrustPolicy trusted = policy(false);
                TrustPolicy empty = new TrustPolicy()) {
            VerificationReport report = signature.verifyDigest(Eseal.sm3(data), trusted);
            assertEquals(CheckStatus.PASSED, report.findCheck(SIGNER_CHAIN).status());
            assertEquals(signature.verify(data, trusted).json(), report.json());
            VerificationReport failed = signature.verifyDigest(Eseal.sm3(data), empty);
            assertEquals(CheckStatus.FAILED, failed.findCheck(SIGNER_CHAIN).status());
            assertFalse(failed.isValid());
        }
    }

    @Test
    void certificateCount() throws IOException {
        Path keys = TestFiles.vectors().resolve("keys");
        try (TrustPolicy policy = new TrustPolicy()) {
            assertEquals(0, policy.certificateCount());
            policy.addCertificates(keys.resolve("ROOT.cert.pem"));
            assertEquals(1, policy.certificateCount());
            byte[] user = Files.readAllBytes(keys.resolve("USER.cert.pem"));
            byte[] maker = Files.readAllBytes(keys.resolve("SealBuilder.cert.pem"));
            byte[] both = Arrays.copyOf(user, user.length + maker.length);
            System.arraycopy(maker, 0, both, user.length, maker.length);
            policy.addCertificates(both);
            assertEquals(3, policy.certificateCount());
            assertThrows(EsealException.class,
                    () -> policy.addCertificates(new byte[] {1, 2, 3}));
            assertEquals(3, policy.certificateCount());
        }
    }

    @Test
    void newResultMessages() {
        assertTrue(EsealException.describe(EsealException.WRONG_PASSWORD).contains("password"));
        assertTrue(EsealException.describe(EsealException.TIME_STAMP_FAILED)
                .contains("time stamp"));
        assertTrue(EsealException.describe(EsealException.TIME_STAMP_INVALID)
                .contains("time stamp token"));
        assertTrue(EsealException.describe(EsealException.CRL_INVALID).contains("CRL"));
        assertTrue(EsealException.describe(EsealException.SEAL_REVOCATION_LIST_INVALID)
                .contains("seal revocation list"));
    }
    private static final Path HELLO_OFD = TestFiles.vectors().resolve("ofd/ofdrw-hello.ofd");
    private static final List<Stamp> OFD_STAMPS =
            Arrays.asList(new Stamp(1, 100.0, 150.0, 40.0, 40.0));

    /** Signs ofdrw-hello.ofd in memory with {@code stamper}. */
    private static byte[] signOfdStamped(String sealName, TimeStamper stamper) throws IOException {
        byte[] document = Files.readAllBytes(HELLO_OFD);
        try (Seal seal = vectorSeal(sealName);
                PrivateKey key = TestSeals.userKey();
                Certificate cert = TestSeals.userCert()) {
            return OfdDocument.sign(document, seal, key, cert, OFD_STAMPS, TestFiles.SIGNING_TIME,
                    false, stamper);
        }
    }

    /** Returns the status of the time stamp check of the signature that signing added. */
    private static CheckStatus newTimeStampStatus(byte[] signed, TrustPolicy trust) {
        List<String> oldIds = new ArrayList<>();
        for (OfdSignatureReport signature : OfdDocument.verify(HELLO_OFD).signatures()) {
            oldIds.add(signature.id());
        }
        List<OfdSignatureReport> added = new ArrayList<>();
        for (OfdSignatureReport signature : OfdDocument.verify(signed, trust).signatures()) {
            if (!oldIds.contains(signature.id())) {
                added.add(signature);
            }
        }
        assertEquals(1, added.size());
        return added.get(0).findCheck("signature.time_stamp").status();
    }

    @Test
    void ofdTimeStampVerifies() throws IOException {
        byte[] signed = signOfdStamped("UserV4.esl", KeysAndTimeStampTest::stamp);
        try (TrustPolicy trusted = policy(true); TrustPolicy untrusted = policy(false)) {
            assertEquals(CheckStatus.PASSED, newTimeStampStatus(signed, trusted));
            assertEquals(CheckStatus.FAILED, newTimeStampStatus(signed, untrusted));
        }
    }

    @Test
    void ofdTimeStampFailures() {
        UncheckedIOException thrown = new UncheckedIOException(new IOException("unreachable"));
        EsealException failed = assertThrows(EsealException.class,
                () -> signOfdStamped("UserV4.esl", value -> {
                    throw thrown;
                }));
        assertEquals(EsealException.TIME_STAMP_FAILED, failed.code());
        assertEquals(thrown, failed.getCause());

        EsealException invalid = assertThrows(EsealException.class,
                () -> signOfdStamped("UserV4.esl", value -> stamp("other bytes".getBytes(
                        java.nio.charset.StandardCharsets.US_ASCII))));
        assertEquals(EsealException.TIME_STAMP_INVALID, invalid.code());

        EsealException v1 = assertThrows(EsealException.class,
                () -> signOfdStamped("UserV1.esl", KeysAndTimeStampTest::stamp));
        assertEquals(EsealException.ENCODE_FAILED, v1.code());

        assertThrows(NullPointerException.class, () -> signOfdStamped("UserV4.esl", null));
    }

    @Test
    void ofdFileTimeStamp(@TempDir Path folder) throws IOException {
        Path output = folder.resolve("signed.ofd");
        try (Seal seal = vectorSeal("UserV4.esl");
                PrivateKey key = TestSeals.userKey();
                Certificate cert = TestSeals.userCert();
                TrustPolicy trusted = policy(true)) {
            EsealException failed = assertThrows(EsealException.class,
                    () -> OfdDocument.sign(HELLO_OFD, output, seal, key, cert, OFD_STAMPS,
                            TestFiles.SIGNING_TIME, false, value -> {
                                throw new UncheckedIOException(new IOException("unreachable"));
                            }));
            assertEquals(EsealException.TIME_STAMP_FAILED, failed.code());
            try (java.util.stream.Stream<Path> files = Files.list(folder)) {
                assertEquals(0, files.count());
            }

            // A failure leaves an existing output file as it was.
            byte[] earlier = "earlier output".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            Files.write(output, earlier);
            assertThrows(EsealException.class,
                    () -> OfdDocument.sign(HELLO_OFD, output, seal, key, cert, OFD_STAMPS,
                            TestFiles.SIGNING_TIME, false, value -> new byte[] {0x30, 0x00}));
            assertArrayEquals(earlier, Files.readAllBytes(output));
            try (java.util.stream.Stream<Path> files = Files.list(folder)) {
                assertEquals(1, files.count());
            }

            OfdDocument.sign(HELLO_OFD, output, seal, key, cert, OFD_STAMPS,
                    TestFiles.SIGNING_TIME, false, KeysAndTimeStampTest::stamp);
            assertEquals(CheckStatus.PASSED,
                    newTimeStampStatus(Files.readAllBytes(output), trusted));
        }
    }
}
