package cn.eseal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Trust policies: chains to ROOT, revocation checkers, CRLs, seal revocation lists, threads. */
class TrustTest {
    /** An ofdrw signature whose signer and seal maker are issued by keys/ROOT.cert.pem. */
    private static final String OFDRW_FOLDER = "ofdr-wtest-3c2f8c595f20";

    private static final Instant OFDRW_SIGNING_TIME = Instant.parse("2021-05-19T12:53:44Z");
    private static final String OFDRW_SEAL_ES_ID = "51f044b76510434e9bc67a1185c2fba5";

    /** A Koal signature from another PKI, which does not chain to ROOT. */
    private static final String KOAL_FOLDER = "koal-0949ab5880fe";

    /** The serial number of USER.cert.pem, the ofdrw signer's certificate. */
    private static final String USER_SERIAL = "01719D2DAB60";

    private static final String SIGNER_CHAIN = "signature.signer_certificate_chain";
    private static final String MAKER_CHAIN = "seal.maker_certificate_chain";
    private static final String SIGNER_REVOCATION = "signature.signer_certificate_revocation";
    private static final String MAKER_REVOCATION = "seal.maker_certificate_revocation";

    private static Path rootCert() {
        return TestFiles.vectors().resolve("keys").resolve("ROOT.cert.pem");
    }

    private static Path folder(String name) {
        return TestFiles.vectors().resolve("signatures").resolve(name);
    }

    private static TrustPolicy rootPolicy() throws IOException {
        TrustPolicy policy = new TrustPolicy();
        try {
            return policy.addCertificates(rootCert());
        } catch (IOException | RuntimeException e) {
            policy.close();
            throw e;
        }
    }

    /** Verifies a signature folder with its Signature.xml and a trust policy. */
    private static VerificationReport verifyFolder(String name, TrustPolicy trust)
            throws IOException {
        Path folder = folder(name);
        try (Signature signature =
                Signature.fromDer(Files.readAllBytes(folder.resolve("SignedValue.dat")))) {
            return signature.verify(Files.readAllBytes(folder.resolve("Signature.xml")), trust);
        }
    }

    private static CheckStatus status(VerificationReport report, String check) {
        Check found = report.findCheck(check);
        assertNotNull(found, check + " missing from " + report.json());
        return found.status();
    }

    /** Returns the DER bytes of the first PEM block of a file. */
    private static byte[] pemToDer(Path file) throws IOException {
        String text = new String(Files.readAllBytes(file), StandardCharsets.US_ASCII);
        String body = text.split("-----")[2];
        return Base64.getMimeDecoder().decode(body);
    }

    /** Runs {@code eseal verify ... --json} and returns its result. */
    private static TestFiles.ProcessResult tool(String... arguments) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(TestFiles.cli().toString());
        command.add("verify");
        command.addAll(Arrays.asList(arguments));
        command.add("--json");
        return TestFiles.run(command);
    }

    private static void assertJsonEquals(VerificationReport report, TestFiles.ProcessResult tool) {
        assertArrayEquals(report.json().concat("\n").getBytes(StandardCharsets.UTF_8), tool.stdout,
                new String(tool.stdout, StandardCharsets.UTF_8) + tool.stderr);
    }

    /** Makes a seal revocation list signed by ROOT that cancels the ofdrw seal at 2021-01-01. */
    private static Path revocationList(Path directory) throws Exception {
        Path keys = TestFiles.vectors().resolve("keys");
        Path output = directory.resolve("list.pem");
        TestFiles.ProcessResult result = TestFiles.run(Arrays.asList(
                TestFiles.cli().toString(), "revocation", "create",
                "--key", keys.resolve("ROOT.key.pem").toString(),
                "--cert", keys.resolve("ROOT.cert.pem").toString(),
                "--issuer-name", "Test",
                "--revoke", OFDRW_SEAL_ES_ID + "@2021-01-01",
                "--out", output.toString()));
        assertEquals(0, result.exitCode, result.stderr);
        return output;
    }

    /**
     * Makes a CRL of ROOT with OpenSSL 3 that revokes USER.cert.pem at 2021-01-01. thisUpdate
     * is 2021-02-01, before the ofdrw signing time, because eseal uses only CRLs issued by the
     * time checked. OpenSSL 3.0 signs with the default SM2 ID only when it is given as distid.
     */
    private static Path crl(Path directory) throws Exception {
        Files.write(directory.resolve("index.txt"), ("R\t220421143908Z\t210101000000Z\t"
                + USER_SERIAL + "\tunknown\t/CN=Test Certificate\n")
                .getBytes(StandardCharsets.US_ASCII));
        Files.write(directory.resolve("crlnumber"), "01\n".getBytes(StandardCharsets.US_ASCII));
        Path config = directory.resolve("ca.cnf");
        Files.write(config, ("[ca]\ndefault_ca = test\n[test]\n"
                + "database = " + directory.resolve("index.txt") + "\n"
                + "crlnumber = " + directory.resolve("crlnumber") + "\n"
                + "default_md = sm3\n").getBytes(StandardCharsets.US_ASCII));
        Path keys = TestFiles.vectors().resolve("keys");
        Path output = directory.resolve("root.crl.pem");
        TestFiles.ProcessResult result = TestFiles.run(Arrays.asList(
                "openssl", "ca", "-config", config.toString(), "-gencrl",
                "-keyfile", keys.resolve("ROOT.key.pem").toString(),
                "-cert", keys.resolve("ROOT.cert.pem").toString(),
                "-crl_lastupdate", "20210201000000Z", "-crl_nextupdate", "20310101000000Z",
                "-sigopt", "distid:1234567812345678",
                "-out", output.toString()));
        assertEquals(0, result.exitCode, "openssl (OpenSSL 3) makes the test CRL: "
                + result.stderr);
        return output;
    }

    @Test
    void rootTrustPassesChains() throws IOException {
        try (TrustPolicy policy = rootPolicy()) {
            VerificationReport report = verifyFolder(OFDRW_FOLDER, policy);

            assertTrue(report.isValid(), report.json());
            assertEquals(CheckStatus.PASSED, status(report, SIGNER_CHAIN));
            assertEquals(CheckStatus.PASSED, status(report, MAKER_CHAIN));
            assertEquals(CheckStatus.PASSED,
                    status(report, "signature.signer_certificate_key_usage"));
            assertEquals(CheckStatus.NOT_CHECKED, status(report, SIGNER_REVOCATION));
            assertEquals(CheckStatus.NOT_CHECKED, status(report, "seal.revocation"));
        }
    }

    @Test
    void noTrustLeavesChainsNotChecked() throws IOException {
        VerificationReport report = verifyFolder(OFDRW_FOLDER, null);

        assertTrue(report.isValid());
        assertEquals(CheckStatus.NOT_CHECKED, status(report, SIGNER_CHAIN));
        assertEquals(CheckStatus.NOT_CHECKED, status(report, MAKER_CHAIN));
    }

    @Test
    void trustJsonMatchesTool() throws Exception {
        try (TrustPolicy policy = rootPolicy()) {
            VerificationReport report = verifyFolder(OFDRW_FOLDER, policy);

            TestFiles.ProcessResult result = tool(
                    folder(OFDRW_FOLDER).resolve("SignedValue.dat").toString(),
                    "--data", folder(OFDRW_FOLDER).resolve("Signature.xml").toString(),
                    "--trust", rootCert().toString());
            assertEquals(0, result.exitCode, result.stderr);
            assertJsonEquals(report, result);
        }
    }

    @Test
    void otherPkiFailsChain() throws IOException {
        try (TrustPolicy policy = rootPolicy()) {
            VerificationReport report = verifyFolder(KOAL_FOLDER, policy);

            assertFalse(report.isValid());
            assertEquals(CheckStatus.FAILED, status(report, SIGNER_CHAIN));
        }
        assertTrue(verifyFolder(KOAL_FOLDER, null).isValid());
    }

    @Test
    void emptyPolicyFailsChains() throws IOException {
        try (TrustPolicy empty = new TrustPolicy()) {
            VerificationReport report = verifyFolder(OFDRW_FOLDER, empty);

            assertFalse(report.isValid());
            assertEquals(CheckStatus.FAILED, status(report, SIGNER_CHAIN));
            assertEquals(CheckStatus.FAILED, status(report, MAKER_CHAIN));
        }
    }

    @Test
    void checkerRevokedFails() throws IOException {
        try (TrustPolicy policy = rootPolicy()) {
            policy.setRevocationChecker((cert, issuer, at) ->
                    RevocationStatus.revoked(Instant.parse("2021-01-01T00:00:00Z")));
            VerificationReport report = verifyFolder(OFDRW_FOLDER, policy);

            assertFalse(report.isValid());
            Check signer = report.findCheck(SIGNER_REVOCATION);
            assertEquals(CheckStatus.FAILED, signer.status());
            assertTrue(signer.message().contains("2021-01-01T00:00:00Z"), signer.message());
            assertEquals(CheckStatus.FAILED, status(report, MAKER_REVOCATION));
            Set<String> failed = new HashSet<>();
            for (Check check : report.checks()) {
                if (check.status() == CheckStatus.FAILED) {
                    failed.add(check.name());
                }
            }
            assertEquals(new HashSet<>(Arrays.asList(SIGNER_REVOCATION, MAKER_REVOCATION)),
                    failed);
        }
    }

    @Test
    void checkerGoodPasses() throws IOException {
        try (TrustPolicy policy = rootPolicy()) {
            policy.setRevocationChecker((cert, issuer, at) -> RevocationStatus.GOOD);
            VerificationReport report = verifyFolder(OFDRW_FOLDER, policy);

            assertTrue(report.isValid(), report.json());
            assertEquals(CheckStatus.PASSED, status(report, SIGNER_REVOCATION));
            assertEquals(CheckStatus.PASSED, status(report, MAKER_REVOCATION));
        }
    }

    @Test
    void checkerArguments() throws IOException {
        List<byte[]> certificates = Collections.synchronizedList(new ArrayList<byte[]>());
        List<byte[]> issuers = Collections.synchronizedList(new ArrayList<byte[]>());
        List<Instant> times = Collections.synchronizedList(new ArrayList<Instant>());
        try (TrustPolicy policy = rootPolicy()) {
            policy.setRevocationChecker((cert, issuer, at) -> {
                certificates.add(cert);
                issuers.add(issuer);
                times.add(at);
                return RevocationStatus.GOOD;
            });
            verifyFolder(OFDRW_FOLDER, policy);
        }

        Path keys = TestFiles.vectors().resolve("keys");
        // One call for the signer's certificate and one for the maker's; the root is trusted
        // as given.
        assertEquals(2, certificates.size());
        Set<String> expected = new HashSet<>(Arrays.asList(
                Base64.getEncoder().encodeToString(pemToDer(keys.resolve("USER.cert.pem"))),
                Base64.getEncoder().encodeToString(
                        pemToDer(keys.resolve("SealBuilder.cert.pem")))));
        Set<String> actual = new HashSet<>();
        for (byte[] cert : certificates) {
            actual.add(Base64.getEncoder().encodeToString(cert));
        }
        assertEquals(expected, actual);
        for (byte[] issuer : issuers) {
            assertArrayEquals(pemToDer(rootCert()), issuer);
        }
        assertEquals(Arrays.asList(OFDRW_SIGNING_TIME, OFDRW_SIGNING_TIME), times);
    }

    @Test
    void checkerRevokedAfterSigningPasses() throws IOException {
        try (TrustPolicy policy = rootPolicy()) {
            policy.setRevocationChecker((cert, issuer, at) ->
                    RevocationStatus.revoked(OFDRW_SIGNING_TIME.plusSeconds(1)));
            VerificationReport report = verifyFolder(OFDRW_FOLDER, policy);

            assertTrue(report.isValid(), report.json());
            assertEquals(CheckStatus.PASSED, status(report, SIGNER_REVOCATION));
        }
    }

    @Test
    void checkerRevokedWithoutTime() throws IOException {
        // An unknown revocation time is read as revoked since 1970, before any signature.
        try (TrustPolicy policy = rootPolicy()) {
            policy.setRevocationChecker((cert, issuer, at) -> RevocationStatus.revoked(null));
            VerificationReport report = verifyFolder(OFDRW_FOLDER, policy);

            assertFalse(report.isValid());
            assertEquals(CheckStatus.FAILED, status(report, SIGNER_REVOCATION));
        }
    }

    @Test
    void checkerExceptionIsUnknown() throws IOException {
        Logger logger = Logger.getLogger(TrustPolicy.class.getName());
        List<LogRecord> records = Collections.synchronizedList(new ArrayList<LogRecord>());
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                records.add(record);
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        Level previousLevel = logger.getLevel();
        logger.setLevel(Level.FINE);
        logger.addHandler(handler);
        try (TrustPolicy policy = rootPolicy()) {
            policy.setRevocationChecker((cert, issuer, at) -> {
                throw new IOException("OCSP responder unreachable");
            });
            VerificationReport first = verifyFolder(OFDRW_FOLDER, policy);
            VerificationReport second = verifyFolder(OFDRW_FOLDER, policy);

            for (VerificationReport report : Arrays.asList(first, second)) {
                assertTrue(report.isValid(), report.json());
                assertEquals(CheckStatus.NOT_CHECKED, status(report, SIGNER_REVOCATION));
                assertEquals(CheckStatus.NOT_CHECKED, status(report, MAKER_REVOCATION));
            }
            assertEquals(4, policy.revocationCheckerErrors());
            // The process goes on, and the policy still verifies.
            policy.setRevocationChecker(null);
            assertEquals(0, policy.revocationCheckerErrors());
            assertTrue(verifyFolder(OFDRW_FOLDER, policy).isValid());
        } finally {
            logger.removeHandler(handler);
            logger.setLevel(previousLevel);
        }

        assertEquals(4, records.size());
        assertEquals(Level.WARNING, records.get(0).getLevel());
        assertTrue(records.get(0).getThrown() instanceof IOException);
        for (LogRecord record : records.subList(1, 4)) {
            assertEquals(Level.FINE, record.getLevel());
        }
    }

    @Test
    void failingLogHandlerKeepsUnknown() throws IOException {
        Logger logger = Logger.getLogger(TrustPolicy.class.getName());
        Handler failing = new Handler() {
            @Override
            public void publish(LogRecord record) {
                throw new IllegalStateException("log disk full");
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        logger.addHandler(failing);
        try (TrustPolicy policy = rootPolicy()) {
            policy.setRevocationChecker((cert, issuer, at) -> {
                throw new IOException("OCSP responder unreachable");
            });
            VerificationReport report = verifyFolder(OFDRW_FOLDER, policy);

            assertEquals(CheckStatus.NOT_CHECKED, status(report, SIGNER_REVOCATION));
            assertEquals(CheckStatus.NOT_CHECKED, status(report, MAKER_REVOCATION));
            assertEquals(2, policy.revocationCheckerErrors());
        } finally {
            logger.removeHandler(failing);
        }
    }

    @Test
    void checkerNullAndErrorAreUnknown() throws IOException {
        List<RevocationChecker> checkers = Arrays.asList(
                (cert, issuer, at) -> null,
                (cert, issuer, at) -> {
                    throw new AssertionError("checker bug");
                },
                (cert, issuer, at) -> {
                    throw new IllegalStateException("no answer");
                });
        for (RevocationChecker checker : checkers) {
            try (TrustPolicy policy = rootPolicy()) {
                policy.setRevocationChecker(checker);
                VerificationReport report = verifyFolder(OFDRW_FOLDER, policy);

                assertEquals(CheckStatus.NOT_CHECKED, status(report, SIGNER_REVOCATION));
                assertTrue(report.isValid());
                assertEquals(2, policy.revocationCheckerErrors());
            }
        }
    }

    @Test
    void revokedStatusRejectsTimeBefore1970() {
        assertThrows(IllegalArgumentException.class,
                () -> RevocationStatus.revoked(Instant.parse("1969-12-31T23:59:59Z")));
        assertTrue(RevocationStatus.revoked(null).isRevoked());
        assertFalse(RevocationStatus.GOOD.isRevoked());
        assertEquals(RevocationStatus.revoked(OFDRW_SIGNING_TIME),
                RevocationStatus.revoked(OFDRW_SIGNING_TIME));
        assertNotEquals(RevocationStatus.GOOD, RevocationStatus.UNKNOWN);
    }

    @Test
    void checkerReplacedAndRemoved() throws IOException {
        try (TrustPolicy policy = rootPolicy()) {
            policy.setRevocationChecker((cert, issuer, at) -> RevocationStatus.revoked(null));
            policy.setRevocationChecker((cert, issuer, at) -> RevocationStatus.GOOD);
            assertEquals(CheckStatus.PASSED,
                    status(verifyFolder(OFDRW_FOLDER, policy), SIGNER_REVOCATION));

            assertSame(policy, policy.setRevocationChecker(null));
            assertEquals(CheckStatus.NOT_CHECKED,
                    status(verifyFolder(OFDRW_FOLDER, policy), SIGNER_REVOCATION));
        }
    }

    @Test
    void checkerKeptAliveByPolicy() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        try (TrustPolicy policy = rootPolicy()) {
            setCountingChecker(policy, calls);
            // Only the policy refers to the checker and its JNA callback now.
            for (int i = 0; i < 5; i++) {
                System.gc();
                Thread.sleep(20);
            }

            assertTrue(verifyFolder(OFDRW_FOLDER, policy).isValid());
            assertEquals(2, calls.get());
        }
    }

    private static void setCountingChecker(TrustPolicy policy, AtomicInteger calls) {
        policy.setRevocationChecker((cert, issuer, at) -> {
            calls.incrementAndGet();
            return RevocationStatus.GOOD;
        });
    }

    @Test
    void checkerCannotChangeOwnPolicy() throws IOException {
        List<Throwable> errors = Collections.synchronizedList(new ArrayList<Throwable>());
        try (TrustPolicy policy = rootPolicy()) {
            policy.setRevocationChecker((cert, issuer, at) -> {
                try {
                    policy.addCertificates(rootCert());
                } catch (IllegalStateException e) {
                    errors.add(e);
                    throw e;
                }
                return RevocationStatus.GOOD;
            });
            VerificationReport report = verifyFolder(OFDRW_FOLDER, policy);

            // The change is rejected instead of waiting forever for the verification to end.
            assertEquals(CheckStatus.NOT_CHECKED, status(report, SIGNER_REVOCATION));
            assertEquals(2, errors.size());
            assertTrue(errors.get(0).getMessage().contains("while this thread is using it"),
                    errors.get(0).getMessage());
        }
    }

    @Test
    void checkerCannotCloseOwnPolicy() throws IOException {
        AtomicBoolean rejected = new AtomicBoolean();
        TrustPolicy policy = rootPolicy();
        try {
            policy.setRevocationChecker((cert, issuer, at) -> {
                try {
                    policy.close();
                } catch (IllegalStateException e) {
                    rejected.set(true);
                }
                return RevocationStatus.GOOD;
            });

            assertTrue(verifyFolder(OFDRW_FOLDER, policy).isValid());
            assertTrue(rejected.get());
            assertFalse(policy.isClosed());
        } finally {
            policy.close();
        }
    }

    @Test
    void checkerMayVerifyWithOwnPolicy() throws IOException {
        List<Boolean> inner = Collections.synchronizedList(new ArrayList<Boolean>());
        try (TrustPolicy policy = rootPolicy()) {
            policy.setRevocationChecker((cert, issuer, at) -> {
                if (inner.isEmpty()) {
                    inner.add(verifyFolder(KOAL_FOLDER, policy).isValid());
                }
                return RevocationStatus.GOOD;
            });

            assertTrue(verifyFolder(OFDRW_FOLDER, policy).isValid());
            assertEquals(Collections.singletonList(false), inner);
        }
    }

    @Test
    void sealRevocationListFailsSeal(@TempDir Path directory) throws Exception {
        Path list = revocationList(directory);
        try (TrustPolicy policy = rootPolicy()) {
            assertSame(policy, policy.addSealRevocationList(list));
            VerificationReport report = verifyFolder(OFDRW_FOLDER, policy);

            assertFalse(report.isValid());
            Check revocation = report.findCheck("seal.revocation");
            assertEquals(CheckStatus.FAILED, revocation.status());
            assertTrue(revocation.message().contains(OFDRW_SEAL_ES_ID), revocation.message());

            TestFiles.ProcessResult result = tool(
                    folder(OFDRW_FOLDER).resolve("SignedValue.dat").toString(),
                    "--data", folder(OFDRW_FOLDER).resolve("Signature.xml").toString(),
                    "--trust", rootCert().toString(), "--revoked", list.toString());
            assertEquals(1, result.exitCode, result.stderr);
            assertJsonEquals(report, result);
        }
    }

    @Test
    void sealRevocationListOtherSealPasses(@TempDir Path directory) throws Exception {
        Path list = revocationList(directory);
        try (TrustPolicy policy = rootPolicy()) {
            policy.addSealRevocationList(Files.readAllBytes(list));

            assertEquals(CheckStatus.PASSED,
                    status(verifyFolder(KOAL_FOLDER, policy), "seal.revocation"));
        }
    }

    @Test
    void sealRevocationListOnSeal(@TempDir Path directory) throws Exception {
        Path list = revocationList(directory);
        Path sealFile = TestFiles.vectors().resolve("seals").resolve("UserV4.esl");
        try (TrustPolicy policy = rootPolicy();
                Seal seal = Seal.fromDer(Files.readAllBytes(sealFile))) {
            policy.addSealRevocationList(list);
            assertEquals(OFDRW_SEAL_ES_ID, seal.esId());
            VerificationReport before =
                    seal.verify(Instant.parse("2020-12-31T23:59:59Z"), policy);
            VerificationReport atRevocation =
                    seal.verify(Instant.parse("2021-01-01T00:00:00Z"), policy);

            // The list cancels the seal at 2021-01-01T00:00:00Z.
            assertEquals(CheckStatus.PASSED, status(before, "seal.revocation"));
            assertEquals(CheckStatus.FAILED, status(atRevocation, "seal.revocation"));
            assertFalse(atRevocation.isValid());
        }
    }

    @Test
    void sealVerifyWithTrustMatchesTool() throws Exception {
        Path sealFile = TestFiles.vectors().resolve("seals").resolve("UserV4.esl");
        Instant at = Instant.parse("2021-06-01T00:00:00Z");
        try (TrustPolicy policy = rootPolicy();
                Seal seal = Seal.fromDer(Files.readAllBytes(sealFile));
                Seal koal = Seal.fromDer(Files.readAllBytes(
                        TestFiles.vectors().resolve("seals").resolve("koal-v4.esl")))) {
            VerificationReport trusted = seal.verify(at, policy);

            assertTrue(trusted.isValid(), trusted.json());
            assertEquals(CheckStatus.PASSED, status(trusted, MAKER_CHAIN));
            assertEquals(CheckStatus.NOT_CHECKED, status(seal.verify(at, null), MAKER_CHAIN));
            assertEquals(CheckStatus.FAILED,
                    status(koal.verify(Instant.parse("2024-01-01T00:00:00Z"), policy),
                            MAKER_CHAIN));
            TestFiles.ProcessResult result = tool(sealFile.toString(),
                    "--at", "2021-06-01T00:00:00Z", "--trust", rootCert().toString());
            assertEquals(0, result.exitCode, result.stderr);
            assertJsonEquals(trusted, result);
        }
    }

    @Test
    void crlRevokesSigner(@TempDir Path directory) throws Exception {
        Path crl = crl(directory);
        AtomicInteger checkerCalls = new AtomicInteger();
        try (TrustPolicy policy = rootPolicy()) {
            policy.addCrl(crl);
            policy.setRevocationChecker((cert, issuer, at) -> {
                checkerCalls.incrementAndGet();
                return RevocationStatus.GOOD;
            });
            VerificationReport report = verifyFolder(OFDRW_FOLDER, policy);

            assertFalse(report.isValid());
            Check signer = report.findCheck(SIGNER_REVOCATION);
            assertEquals(CheckStatus.FAILED, signer.status());
            assertTrue(signer.message().contains(USER_SERIAL), signer.message());
            // The CRL covers the maker's certificate too, so the checker is not asked.
            assertEquals(CheckStatus.PASSED, status(report, MAKER_REVOCATION));
            assertEquals(0, checkerCalls.get());

            TestFiles.ProcessResult result = tool(
                    folder(OFDRW_FOLDER).resolve("SignedValue.dat").toString(),
                    "--data", folder(OFDRW_FOLDER).resolve("Signature.xml").toString(),
                    "--trust", rootCert().toString(), "--crl", crl.toString());
            assertEquals(1, result.exitCode, result.stderr);
            assertJsonEquals(report, result);
        }
    }

    @Test
    void crlFromBytesAndDer(@TempDir Path directory) throws Exception {
        Path crl = crl(directory);
        for (byte[] data : Arrays.asList(Files.readAllBytes(crl), pemToDer(crl))) {
            try (TrustPolicy policy = rootPolicy()) {
                policy.addCrl(data);

                assertEquals(CheckStatus.FAILED,
                        status(verifyFolder(OFDRW_FOLDER, policy), SIGNER_REVOCATION));
            }
        }
    }

    @Test
    void addCertificatesForms(@TempDir Path directory) throws IOException {
        Path folder = Files.createDirectory(directory.resolve("roots"));
        Files.copy(rootCert(), folder.resolve("root.CRT"));
        Files.write(folder.resolve("notes.txt"), "not a certificate".getBytes(StandardCharsets.UTF_8));
        Path nested = Files.createDirectory(folder.resolve("nested"));
        Files.write(nested.resolve("broken.pem"),
                "not read: subfolders are skipped".getBytes(StandardCharsets.UTF_8));

        String expected = null;
        for (Object source : Arrays.asList(rootCert(), Files.readAllBytes(rootCert()),
                pemToDer(rootCert()), folder)) {
            try (TrustPolicy policy = new TrustPolicy()) {
                TrustPolicy returned = source instanceof Path
                        ? policy.addCertificates((Path) source)
                        : policy.addCertificates((byte[]) source);
                assertSame(policy, returned);
                String json = verifyFolder(OFDRW_FOLDER, policy).json();
                if (expected == null) {
                    expected = json;
                }
                assertEquals(expected, json, source.toString());
            }
        }
    }

    @Test
    void addCertificatesSeveralPem() throws IOException {
        Path keys = TestFiles.vectors().resolve("keys");
        byte[] user = Files.readAllBytes(keys.resolve("USER.cert.pem"));
        byte[] root = Files.readAllBytes(rootCert());
        byte[] bundle = Arrays.copyOf(user, user.length + root.length);
        System.arraycopy(root, 0, bundle, user.length, root.length);
        try (TrustPolicy policy = new TrustPolicy()) {
            policy.addCertificates(bundle);

            assertEquals(CheckStatus.PASSED,
                    status(verifyFolder(OFDRW_FOLDER, policy), SIGNER_CHAIN));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "hello", "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n"})
    void addInvalidData(String text) throws IOException {
        byte[] data = text.getBytes(StandardCharsets.US_ASCII);
        try (TrustPolicy policy = new TrustPolicy()) {
            EsealException certificates =
                    assertThrows(EsealException.class, () -> policy.addCertificates(data));
            assertEquals(EsealException.CERTIFICATE_INVALID, certificates.code());
            assertEquals("eseal_trust_add_certificates_with_count", certificates.function());
            EsealException crl = assertThrows(EsealException.class, () -> policy.addCrl(data));
            assertEquals(EsealException.CRL_INVALID, crl.code());
            EsealException list =
                    assertThrows(EsealException.class, () -> policy.addSealRevocationList(data));
            assertEquals(EsealException.SEAL_REVOCATION_LIST_INVALID, list.code());
            // A failed addition leaves the policy usable.
            policy.addCertificates(rootCert());
            assertTrue(verifyFolder(OFDRW_FOLDER, policy).isValid());
        }
    }

    @Test
    void addWrongKindOfFile() throws IOException {
        Path keys = TestFiles.vectors().resolve("keys");
        try (TrustPolicy policy = new TrustPolicy()) {
            EsealException key = assertThrows(EsealException.class,
                    () -> policy.addCertificates(keys.resolve("USER.key.pem")));
            assertEquals(EsealException.CERTIFICATE_INVALID, key.code());
            assertTrue(key.detail().contains("USER.key.pem"), key.detail());
            EsealException crl = assertThrows(EsealException.class,
                    () -> policy.addCrl(rootCert()));
            assertEquals(EsealException.CRL_INVALID, crl.code());
            assertTrue(crl.detail().contains("X509 CRL"), crl.detail());
            assertTrue(crl.detail().contains("ROOT.cert.pem"), crl.detail());
            EsealException list = assertThrows(EsealException.class,
                    () -> policy.addSealRevocationList(pemToDer(rootCert())));
            assertEquals(EsealException.SEAL_REVOCATION_LIST_INVALID, list.code());
        }
    }

    @Test
    void addMissingAndWrongArguments(@TempDir Path directory) throws IOException {
        try (TrustPolicy policy = new TrustPolicy()) {
            assertThrows(NoSuchFileException.class,
                    () -> policy.addCertificates(directory.resolve("missing.pem")));
            assertThrows(NoSuchFileException.class,
                    () -> policy.addCrl(directory.resolve("missing.crl")));
            assertThrows(NoSuchFileException.class,
                    () -> policy.addSealRevocationList(directory.resolve("missing.pem")));
            IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                    () -> policy.addCertificates(directory));
            assertTrue(empty.getMessage().contains("has no .pem"), empty.getMessage());
            assertThrows(NullPointerException.class, () -> policy.addCertificates((Path) null));
            assertThrows(NullPointerException.class,
                    () -> policy.addCertificates((byte[]) null));
            assertThrows(NullPointerException.class, () -> policy.addCrl((byte[]) null));
            assertThrows(NullPointerException.class,
                    () -> policy.addSealRevocationList((Path) null));
        }
    }

    @Test
    void closedPolicy() throws IOException {
        TrustPolicy policy = rootPolicy();
        policy.close();
        policy.close();

        assertTrue(policy.isClosed());
        IllegalStateException closed = assertThrows(IllegalStateException.class,
                () -> verifyFolder(OFDRW_FOLDER, policy));
        assertTrue(closed.getMessage().contains("TrustPolicy is closed"), closed.getMessage());
        assertThrows(IllegalStateException.class, () -> policy.addCertificates(rootCert()));
        assertThrows(IllegalStateException.class, () -> policy.setRevocationChecker(null));
        assertEquals("TrustPolicy[closed]", policy.toString());
    }

    @Test
    void ofdFileWithTrustMatchesTool() throws Exception {
        Path document = TestFiles.vectors().resolve("ofd").resolve("ofdrw-hello.ofd");
        try (TrustPolicy policy = rootPolicy()) {
            OfdVerificationReport report = OfdDocument.verify(document, policy);

            assertFalse(report.signatures().isEmpty());
            for (OfdSignatureReport signature : report.signatures()) {
                for (Check check : signature.checks()) {
                    if (check.name().equals(SIGNER_CHAIN) || check.name().equals(MAKER_CHAIN)) {
                        assertEquals(CheckStatus.PASSED, check.status(), check.name());
                    }
                }
            }
            TestFiles.ProcessResult result =
                    tool(document.toString(), "--trust", rootCert().toString());
            assertEquals(report.isValid() ? 0 : 1, result.exitCode, result.stderr);
            assertArrayEquals(report.json().concat("\n").getBytes(StandardCharsets.UTF_8),
                    result.stdout);
            assertNotEquals(OfdDocument.verify(document).json(), report.json());
            assertEquals(OfdDocument.verify(document).json(),
                    OfdDocument.verify(document, null).json());
        }
    }

    @Test
    void ofdMissingFileWithTrust(@TempDir Path directory) throws IOException {
        try (TrustPolicy policy = rootPolicy()) {
            EsealException missing = assertThrows(EsealException.class,
                    () -> OfdDocument.verify(directory.resolve("missing.ofd"), policy));
            assertEquals(EsealException.IO, missing.code());
        }
    }

    @Test
    void eightThreadsSharePolicy(@TempDir Path directory) throws Exception {
        List<String> folders = Arrays.asList(
                OFDRW_FOLDER, KOAL_FOLDER, "ofdr-wtest-d176968e31d8", "dianju-c9ca0b828683");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try (TrustPolicy policy = rootPolicy()) {
            policy.addSealRevocationList(revocationList(directory));
            policy.setRevocationChecker((cert, issuer, at) -> RevocationStatus.GOOD);
            Map<String, String> expected = new LinkedHashMap<>();
            for (String name : folders) {
                expected.put(name, verifyFolder(name, policy).json());
            }
            assertTrue(expected.get(OFDRW_FOLDER).contains("\"status\": \"failed\""));

            CountDownLatch start = new CountDownLatch(1);
            List<Future<Map<String, String>>> results = new ArrayList<>();
            for (int thread = 0; thread < 8; thread++) {
                results.add(pool.submit(() -> {
                    start.await();
                    Map<String, String> jsons = new LinkedHashMap<>();
                    for (int round = 0; round < 3; round++) {
                        for (String name : folders) {
                            String json = verifyFolder(name, policy).json();
                            String previous = jsons.put(name, json);
                            assertTrue(previous == null || previous.equals(json), name);
                        }
                    }
                    return jsons;
                }));
            }
            start.countDown();
            for (Future<Map<String, String>> result : results) {
                assertEquals(expected, result.get(5, TimeUnit.MINUTES));
            }
        } finally {
            pool.shutdownNow();
            assertTrue(pool.awaitTermination(1, TimeUnit.MINUTES));
        }
    }

    @Test
    void changeWaitsForRunningVerifications() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean checkerReturned = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (TrustPolicy policy = rootPolicy()) {
            policy.setRevocationChecker((cert, issuer, at) -> {
                started.countDown();
                release.await(10, TimeUnit.SECONDS);
                checkerReturned.set(true);
                return RevocationStatus.GOOD;
            });
            Future<VerificationReport> verification =
                    pool.submit(() -> verifyFolder(OFDRW_FOLDER, policy));
            assertTrue(started.await(10, TimeUnit.SECONDS));
            Future<Boolean> change = pool.submit(() -> {
                policy.setRevocationChecker(null);
                return checkerReturned.get();
            });
            // Time for a change that did not wait to finish early.
            Thread.sleep(200);
            assertFalse(change.isDone());
            release.countDown();

            VerificationReport report = verification.get(30, TimeUnit.SECONDS);
            assertTrue(change.get(30, TimeUnit.SECONDS));
            assertEquals(CheckStatus.PASSED, status(report, SIGNER_REVOCATION));
        } finally {
            pool.shutdownNow();
            assertTrue(pool.awaitTermination(1, TimeUnit.MINUTES));
        }
    }
}
