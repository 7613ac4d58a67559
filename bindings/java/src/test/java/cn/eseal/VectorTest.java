package cn.eseal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The real-world vectors: every signature folder and every seal, compared with the expected
 * validity and with the JSON that the eseal tool prints.
 */
class VectorTest {
    /** Signature folders that are invalid: signed after the seal or certificates expired. */
    private static final Set<String> INVALID_SIGNATURES = new HashSet<>(Arrays.asList(
            "ofdr-wtest-d176968e31d8", "ofdrw-v5-zero-hash"));

    /** Seals verified at this time, which is within the validity of the ofdrw test seals. */
    private static final String SEAL_TIME = "2021-06-01T00:00:00Z";

    /** Seals whose maker signature does not verify. */
    private static final Set<String> INVALID_SEALS =
            new HashSet<>(Collections.singletonList("hebeigede-v4.esl"));

    private static final int THREADS = 8;

    static Stream<String> signatureFolderNames() throws IOException {
        List<String> names = new ArrayList<>();
        for (Path folder : TestFiles.signatureFolders()) {
            names.add(folder.getFileName().toString());
        }
        return names.stream();
    }

    static Stream<String> sealFileNames() throws IOException {
        List<String> names = new ArrayList<>();
        try (Stream<Path> files = Files.list(TestFiles.vectors().resolve("seals"))) {
            files.filter(file -> file.toString().endsWith(".esl"))
                    .forEach(file -> names.add(file.getFileName().toString()));
        }
        Collections.sort(names);
        assertTrue(!names.isEmpty(), "no .esl files in vectors/seals");
        return names.stream();
    }

    /** Verifies a signature folder with its Signature.xml, when it has one, as data. */
    private static VerificationReport verifyFolder(Path folder) throws IOException {
        byte[] der = Files.readAllBytes(folder.resolve("SignedValue.dat"));
        try (Signature signature = Signature.fromDer(der)) {
            return signature.verify(TestFiles.signedData(folder));
        }
    }

    @Test
    void knownInvalidFoldersPresent() throws IOException {
        Set<String> names = new HashSet<>();
        signatureFolderNames().forEach(names::add);
        assertTrue(names.containsAll(INVALID_SIGNATURES), names.toString());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("signatureFolderNames")
    void signatureFolderMatchesTool(String name) throws Exception {
        Path folder = TestFiles.vectors().resolve("signatures").resolve(name);
        VerificationReport report = verifyFolder(folder);
        boolean expectedValid = !INVALID_SIGNATURES.contains(name);
        assertEquals(expectedValid, report.isValid(), report.json());

        String signedValue = folder.resolve("SignedValue.dat").toString();
        List<String> command = new ArrayList<>(
                Arrays.asList(TestFiles.cli().toString(), "verify", signedValue));
        if (Files.isRegularFile(folder.resolve("Signature.xml"))) {
            command.add("--data");
            command.add(folder.resolve("Signature.xml").toString());
            assertEquals(CheckStatus.PASSED, report.findCheck("signature.data_hash").status(),
                    report.json());
        } else {
            assertEquals(CheckStatus.NOT_CHECKED,
                    report.findCheck("signature.data_hash").status(), report.json());
        }
        command.add("--json");
        assertJsonMatchesTool(report, command, expectedValid);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("signatureFolderNames")
    void signatureInfoMatchesTool(String name) throws Exception {
        Path signedValue = TestFiles.vectors().resolve("signatures").resolve(name)
                .resolve("SignedValue.dat");
        List<String> command = Arrays.asList(
                TestFiles.cli().toString(), "verify", signedValue.toString(), "--json");
        TestFiles.ProcessResult tool = TestFiles.run(command);
        @SuppressWarnings("unchecked")
        Map<String, Object> root = (Map<String, Object>)
                JsonReader.parse(new String(tool.stdout, StandardCharsets.UTF_8));
        @SuppressWarnings("unchecked")
        Map<String, Object> entry =
                ((List<Map<String, Object>>) root.get("signatures")).get(0);

        try (Signature signature = Signature.fromDer(Files.readAllBytes(signedValue))) {
            assertEquals(((Long) entry.get("version")).intValue(), signature.version());
            assertEquals(java.time.Instant.parse((String) entry.get("signing_time")),
                    signature.signingTime());
            assertEquals(entry.get("property_info"), signature.propertyInfo());
        }
    }

    @Test
    void signatureInfoOfKnownVector() throws IOException {
        Path folder = TestFiles.vectors().resolve("signatures").resolve("ofdrw-v5-zero-hash");
        try (Signature signature =
                Signature.fromDer(Files.readAllBytes(folder.resolve("SignedValue.dat")))) {
            assertEquals(5, signature.version());
            assertEquals(java.time.Instant.parse("2026-04-24T08:53:26Z"),
                    signature.signingTime());
            assertEquals("/Doc_0/Signs/Sign_0/Signature.xml", signature.propertyInfo());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("signatureFolderNames")
    void sm3OfDataVerifiesAsDigest(String name) throws IOException {
        Path folder = TestFiles.vectors().resolve("signatures").resolve(name);
        byte[] data = TestFiles.signedData(folder);
        if (data == null) {
            return;
        }
        try (Signature signature =
                Signature.fromDer(Files.readAllBytes(folder.resolve("SignedValue.dat")))) {
            assertEquals(signature.verify(data).json(),
                    signature.verifyDigest(Eseal.sm3(data)).json());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sealFileNames")
    void sealMatchesTool(String name) throws Exception {
        Path file = TestFiles.vectors().resolve("seals").resolve(name);
        VerificationReport report;
        try (Seal seal = Seal.fromDer(Files.readAllBytes(file))) {
            assertArrayEquals(Files.readAllBytes(file), seal.der());
            report = seal.verify(java.time.Instant.parse(SEAL_TIME));
        }
        List<String> command = Arrays.asList(TestFiles.cli().toString(), "verify",
                file.toString(), "--at", SEAL_TIME, "--json");
        assertJsonMatchesTool(report, command, report.isValid());
        if (INVALID_SEALS.contains(name)) {
            assertEquals(CheckStatus.FAILED, report.findCheck("seal.maker_signature").status());
        } else {
            assertEquals(CheckStatus.PASSED, report.findCheck("seal.maker_signature").status(),
                    report.json());
        }
    }

    /**
     * Runs the tool and checks that its stdout is the report's JSON and a newline, byte for byte,
     * and that its exit status is 0 for a valid report and 1 for an invalid one.
     */
    private static void assertJsonMatchesTool(
            VerificationReport report, List<String> command, boolean expectedValid)
            throws Exception {
        TestFiles.ProcessResult tool = TestFiles.run(command);
        assertEquals(expectedValid ? 0 : 1, tool.exitCode, command + "\n" + tool.stderr);
        byte[] expected = report.json().concat("\n").getBytes(StandardCharsets.UTF_8);
        assertArrayEquals(expected, tool.stdout,
                "JSON differs from " + command + ":\n"
                        + new String(tool.stdout, StandardCharsets.UTF_8));
    }

    @Test
    void eightThreadsMatchOneThread() throws Exception {
        List<Path> folders = TestFiles.signatureFolders();
        Map<String, String> expected = new LinkedHashMap<>();
        for (Path folder : folders) {
            expected.put(folder.getFileName().toString(), verifyFolder(folder).json());
        }

        // Half of the work shares one Signature per folder between all threads, the other half
        // decodes its own copy.
        Map<String, Signature> shared = new LinkedHashMap<>();
        Map<String, byte[]> data = new LinkedHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            for (Path folder : folders) {
                String name = folder.getFileName().toString();
                shared.put(name, Signature.fromDer(
                        Files.readAllBytes(folder.resolve("SignedValue.dat"))));
                data.put(name, TestFiles.signedData(folder));
            }
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Map<String, String>>> results = new ArrayList<>();
            for (int thread = 0; thread < THREADS; thread++) {
                boolean useShared = thread % 2 == 0;
                Callable<Map<String, String>> task = () -> {
                    start.await();
                    Map<String, String> jsons = new LinkedHashMap<>();
                    for (int round = 0; round < 3; round++) {
                        for (Path folder : folders) {
                            String name = folder.getFileName().toString();
                            String json = useShared
                                    ? shared.get(name).verify(data.get(name)).json()
                                    : verifyFolder(folder).json();
                            String previous = jsons.put(name, json);
                            assertTrue(previous == null || previous.equals(json), name);
                        }
                    }
                    return jsons;
                };
                results.add(pool.submit(task));
            }
            start.countDown();
            for (Future<Map<String, String>> result : results) {
                assertEquals(expected, result.get(5, TimeUnit.MINUTES));
            }
        } finally {
            pool.shutdownNow();
            assertTrue(pool.awaitTermination(1, TimeUnit.MINUTES));
            for (Signature signature : shared.values()) {
                signature.close();
            }
        }
    }
}
