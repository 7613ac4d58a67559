package cn.eseal;

import static cn.eseal.TestFiles.SIGNING_TIME;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Memory;
import com.sun.jna.ptr.PointerByReference;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * OFD documents: the vectors of vectors/ofd verified from memory and from files and compared
 * with the eseal tool, signing with the ofdrw test seal, riding seals, and bad input.
 */
class OfdTest {
    /** Expected validity of every document in vectors/ofd. */
    private static final Map<String, Boolean> EXPECTED_VALIDITY = new TreeMap<>();

    static {
        EXPECTED_VALIDITY.put("gomain-invoice.ofd", true);
        EXPECTED_VALIDITY.put("kinggrid-invoice-relative-baseloc.ofd", true);
        EXPECTED_VALIDITY.put("koal-three-signatures.ofd", true);
        EXPECTED_VALIDITY.put("gomain-permit-edited-after-signing.ofd", false);
        EXPECTED_VALIDITY.put("koal-tampered-content.ofd", false);
        // Signed after its seal and certificates expired.
        EXPECTED_VALIDITY.put("ofdrw-hello.ofd", false);
        // The second signature changed Signatures.xml, which the first one protects.
        EXPECTED_VALIDITY.put("ofdrw-riding-seal-two-signatures.ofd", false);
    }

    private static final String HELLO = "ofdrw-hello.ofd";
    private static final String RIDING = "ofdrw-riding-seal-two-signatures.ofd";
    private static final String SIGNATURE_LIST = "/Doc_0/Signs/Signatures.xml";
    private static final int THREADS = 8;

    static Stream<String> ofdFileNames() throws IOException {
        List<String> names = new ArrayList<>();
        for (Path file : TestFiles.ofdFiles()) {
            names.add(file.getFileName().toString());
        }
        return names.stream();
    }

    private static Path ofd(String name) {
        return TestFiles.vectors().resolve("ofd").resolve(name);
    }

    private static byte[] readOfd(String name) throws IOException {
        return Files.readAllBytes(ofd(name));
    }

    private static Seal userV4Seal() throws IOException {
        return Seal.fromDer(Files.readAllBytes(
                TestFiles.vectors().resolve("seals").resolve("UserV4.esl")));
    }

    private static List<Stamp> pageOne() {
        return Collections.singletonList(new Stamp(1, 10, 20, 40, 40));
    }

    /** Signs with UserV4.esl, USER.key.pem and USER.cert.pem at 2021-06-01T00:00:00Z. */
    private static byte[] signAsUser(byte[] document, List<Stamp> stamps, boolean protect)
            throws IOException {
        try (Seal seal = userV4Seal();
                PrivateKey key = TestSeals.userKey();
                Certificate cert = TestSeals.userCert()) {
            return OfdDocument.sign(document, seal, key, cert, stamps, SIGNING_TIME, protect);
        }
    }

    private static EsealException assertCode(int expected, Executable call) {
        EsealException error = assertThrows(EsealException.class, call);
        assertEquals(expected, error.code(), error.getMessage());
        assertTrue(error.getMessage().contains(error.detail()), error.getMessage());
        return error;
    }

    /** Parses the report JSON into maps and lists, as the binding does. */
    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> jsonSignatures(OfdVerificationReport report) {
        Map<String, Object> root = (Map<String, Object>) JsonReader.parse(report.json());
        return (List<Map<String, Object>>) (List<?>) root.get("signatures");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> stampAnnots(
            OfdVerificationReport report, String id) {
        for (Map<String, Object> signature : jsonSignatures(report)) {
            if (id.equals(signature.get("id"))) {
                return (List<Map<String, Object>>) (List<?>) signature.get("stamp_annots");
            }
        }
        throw new AssertionError("no signature " + id + " in " + report.json());
    }

    /** Reads every entry of a ZIP package into a map from entry name to bytes. */
    private static Map<String, byte[]> unzip(byte[] zip) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipInputStream input = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry entry; (entry = input.getNextEntry()) != null; ) {
                ByteArrayOutputStream content = new ByteArrayOutputStream();
                byte[] buffer = new byte[8192];
                for (int read; (read = input.read(buffer)) != -1; ) {
                    content.write(buffer, 0, read);
                }
                entries.put(entry.getName(), content.toByteArray());
            }
        }
        return entries;
    }

    /** Makes ofdrw-hello.ofd without its signatures: no Doc_0/Signs and no list in OFD.xml. */
    private static byte[] unsignedHello() throws IOException {
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        try (ZipOutputStream output = new ZipOutputStream(zip)) {
            for (Map.Entry<String, byte[]> entry : unzip(readOfd(HELLO)).entrySet()) {
                if (entry.getKey().startsWith("Doc_0/Signs/")) {
                    continue;
                }
                byte[] content = entry.getValue();
                if (entry.getKey().equals("OFD.xml")) {
                    String text = new String(content, StandardCharsets.UTF_8);
                    String list = "<ofd:Signatures>" + SIGNATURE_LIST + "</ofd:Signatures>";
                    assertTrue(text.contains(list), text);
                    content = text.replace(list, "").getBytes(StandardCharsets.UTF_8);
                }
                output.putNextEntry(new ZipEntry(entry.getKey()));
                output.write(content);
                output.closeEntry();
            }
        }
        return zip.toByteArray();
    }

    /**
     * Runs {@code eseal verify FILE --json} and checks that it prints the report's JSON and a
     * newline, byte for byte, and exits with 0 for a valid document and 1 for an invalid one.
     */
    private static void assertJsonMatchesTool(OfdVerificationReport report, Path file)
            throws Exception {
        List<String> command = Arrays.asList(
                TestFiles.cli().toString(), "verify", file.toString(), "--json");
        TestFiles.ProcessResult tool = TestFiles.run(command);
        assertEquals(report.isValid() ? 0 : 1, tool.exitCode, command + "\n" + tool.stderr);
        byte[] expected = report.json().concat("\n").getBytes(StandardCharsets.UTF_8);
        assertArrayEquals(expected, tool.stdout,
                "JSON differs from " + command + ":\n"
                        + new String(tool.stdout, StandardCharsets.UTF_8));
    }

    @Test
    void expectedVectorsPresent() throws IOException {
        List<String> names = new ArrayList<>();
        ofdFileNames().forEach(names::add);
        assertEquals(new ArrayList<>(EXPECTED_VALIDITY.keySet()), names);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ofdFileNames")
    void vectorMatchesTool(String name) throws Exception {
        assertTrue(EXPECTED_VALIDITY.containsKey(name), "no expected validity for " + name);
        boolean expectedValid = EXPECTED_VALIDITY.get(name);

        OfdVerificationReport fromBytes = OfdDocument.verify(readOfd(name));
        assertEquals(expectedValid, fromBytes.isValid(), fromBytes.json());
        assertJsonMatchesTool(fromBytes, ofd(name));

        OfdVerificationReport fromFile = OfdDocument.verify(ofd(name));
        assertEquals(expectedValid, fromFile.isValid(), fromFile.json());
        assertEquals(fromBytes.json(), fromFile.json());

        assertFalse(fromBytes.signatures().isEmpty());
        boolean allValid = true;
        for (OfdSignatureReport signature : fromBytes.signatures()) {
            allValid &= signature.isValid();
            assertTrue(signature.references() > 0, signature.toString());
            assertTrue(signature.path().endsWith("/Signature.xml"), signature.path());
            assertEquals("Seal", signature.type());
            assertTrue(signature.errors().isEmpty(), signature.errors().toString());
            assertNotNull(signature.findCheck("ofd.references"), signature.toString());
            CheckStatus references = signature.failedReferences().isEmpty()
                    ? CheckStatus.PASSED : CheckStatus.FAILED;
            assertEquals(references, signature.findCheck("ofd.references").status());
        }
        assertEquals(expectedValid, allValid);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ofdFileNames")
    void signatureSplitMatchesNativeLists(String name) throws IOException {
        byte[] document = readOfd(name);
        OfdVerificationReport report = OfdDocument.verify(document);

        // The C ABI lists every signature's checks and findings one after another.
        PointerByReference out = new PointerByReference();
        try (Memory memory = NativeCalls.copyToNative(document)) {
            NativeCalls.check(NativeCalls.lib().eseal_ofd_verify(
                    memory, NativeCalls.size(document.length), out), "eseal_ofd_verify");
        }
        VerificationReport flat = VerificationReport.takeOwnership(out.getValue());

        List<Check> checks = new ArrayList<>();
        List<Finding> findings = new ArrayList<>();
        for (OfdSignatureReport signature : report.signatures()) {
            checks.addAll(signature.checks());
            findings.addAll(signature.findings());
        }
        assertEquals(flat.checks(), checks);
        assertEquals(flat.findings(), findings);
        assertEquals(flat.isValid(), report.isValid());
        assertTrue(report.json().contains("\"valid\": " + report.isValid() + "\n}"),
                report.json());
    }

    @Test
    void ridingVectorFirstSignatureInvalid() throws IOException {
        OfdVerificationReport report = OfdDocument.verify(ofd(RIDING));
        assertFalse(report.isValid());
        assertEquals(2, report.signatures().size());

        OfdSignatureReport first = report.signatures().get(0);
        assertEquals("s001", first.id());
        assertFalse(first.isValid());
        assertEquals(Collections.singletonList(SIGNATURE_LIST), first.failedReferences());
        assertEquals(CheckStatus.FAILED, first.findCheck("ofd.references").status());
        assertEquals(CheckStatus.PASSED, first.findCheck("signature.data_hash").status());

        OfdSignatureReport second = report.signatures().get(1);
        assertEquals("s007", second.id());
        assertTrue(second.isValid(), report.json());
        assertTrue(second.failedReferences().isEmpty());
        assertEquals(second, report.findSignature("s007"));
        assertEquals(null, report.findSignature("s002"));
    }

    @Test
    void ridingVectorStampsMatchRiding() throws IOException {
        // ofdrw split its seal as Stamp.riding does: 40 mm over pages 1 to 5 of a 210 mm page.
        OfdVerificationReport report = OfdDocument.verify(ofd(RIDING));
        List<Map<String, Object>> annots = stampAnnots(report, "s001");
        List<Stamp> stamps = Stamp.riding(1, 5, 210, 128.5, 40, 40);
        assertEquals(annots.size(), stamps.size());
        for (int i = 0; i < stamps.size(); i++) {
            assertEquals(annots.get(i).get("boundary"), boundary(stamps.get(i)));
            assertEquals(annots.get(i).get("clip"), clip(stamps.get(i)));
        }
    }

    /** Formats a stamp's box as the library writes a Boundary, for whole-millimetre values. */
    private static String boundary(Stamp stamp) {
        return millimetres(stamp.x(), stamp.y(), stamp.width(), stamp.height());
    }

    private static String clip(Stamp stamp) {
        Stamp.Clip clip = stamp.clip().get();
        return millimetres(clip.x(), clip.y(), clip.width(), clip.height());
    }

    private static String millimetres(double... values) {
        List<String> parts = new ArrayList<>();
        for (double value : values) {
            String text = Double.toString(value);
            parts.add(text.endsWith(".0") ? text.substring(0, text.length() - 2) : text);
        }
        return String.join(" ", parts);
    }

    @Test
    void tamperedContentNamesFile() throws IOException {
        OfdVerificationReport report = OfdDocument.verify(ofd("koal-tampered-content.ofd"));
        assertEquals(1, report.signatures().size());
        OfdSignatureReport signature = report.signatures().get(0);
        assertFalse(signature.isValid());
        assertEquals(Collections.singletonList("/Doc_0/Pages/Page_0/Content.xml"),
                signature.failedReferences());
    }

    @Test
    void expiredHelloSignatureFailsValidity() throws IOException {
        OfdVerificationReport report = OfdDocument.verify(ofd(HELLO));
        OfdSignatureReport signature = report.findSignature("1");
        assertNotNull(signature, report.json());
        assertFalse(signature.isValid());
        assertTrue(signature.failedReferences().isEmpty());
        assertEquals(CheckStatus.FAILED, signature.findCheck("seal.validity").status());
        assertEquals(CheckStatus.PASSED, signature.findCheck("ofd.references").status());
    }

    @Test
    void signHelloOnPageOne() throws Exception {
        byte[] signed = signAsUser(readOfd(HELLO), pageOne(), false);
        OfdVerificationReport report = OfdDocument.verify(signed);
        assertEquals(2, report.signatures().size());
        // The old signature stays invalid, so the document is.
        assertFalse(report.isValid());
        assertFalse(report.findSignature("1").isValid());

        OfdSignatureReport added = report.findSignature("3");
        assertNotNull(added, report.json());
        assertTrue(added.isValid(), report.json());
        assertTrue(added.failedReferences().isEmpty());
        assertEquals(CheckStatus.PASSED, added.findCheck("ofd.seal_file").status());
        List<Map<String, Object>> annots = stampAnnots(report, "3");
        assertEquals(1, annots.size());
        assertEquals("10 20 40 40", annots.get(0).get("boundary"));
        assertEquals(null, annots.get(0).get("clip"));

        // The package contains the seal and a signature over Signature.xml with the facts given.
        Map<String, byte[]> entries = unzip(signed);
        String folder = added.path().substring(1, added.path().lastIndexOf('/') + 1);
        try (Seal seal = userV4Seal();
                Signature signature =
                        Signature.fromDer(entries.get(folder + "SignedValue.dat"))) {
            assertArrayEquals(seal.der(), entries.get(folder + "Seal.esl"));
            assertEquals(4, signature.version());
            assertEquals(SIGNING_TIME, signature.signingTime());
            assertEquals(added.path(), signature.propertyInfo());
            byte[] signatureXml = entries.get(folder + "Signature.xml");
            assertTrue(signature.verify(signatureXml).isValid());
            assertTrue(signature.verifyDigest(Eseal.sm3(signatureXml)).isValid());
        }
        // Every entry of the input is kept.
        assertTrue(entries.keySet().containsAll(unzip(readOfd(HELLO)).keySet()));
    }

    @Test
    void signedDocumentMatchesTool(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("signed.ofd");
        Files.write(file, signAsUser(readOfd(HELLO), pageOne(), false));
        OfdVerificationReport report = OfdDocument.verify(file);
        assertTrue(report.findSignature("3").isValid(), report.json());
        assertJsonMatchesTool(report, file);
    }

    @Test
    void signTwiceKeepsBothValid() throws IOException {
        byte[] once = signAsUser(readOfd(HELLO), pageOne(), false);
        byte[] twice = signAsUser(once, Collections.singletonList(new Stamp(1, 60, 20, 40, 40)),
                false);
        OfdVerificationReport report = OfdDocument.verify(twice);
        assertEquals(3, report.signatures().size());
        assertTrue(report.findSignature("3").isValid(), report.json());
        assertTrue(report.findSignature("4").isValid(), report.json());
        assertEquals("60 20 40 40", stampAnnots(report, "4").get(0).get("boundary"));
    }

    @Test
    void protectedListBrokenByLaterSignature() throws IOException {
        byte[] once = signAsUser(readOfd(HELLO), pageOne(), true);
        OfdVerificationReport first = OfdDocument.verify(once);
        assertTrue(first.findSignature("3").isValid(), first.json());

        byte[] twice = signAsUser(once, pageOne(), false);
        OfdVerificationReport report = OfdDocument.verify(twice);
        OfdSignatureReport protecting = report.findSignature("3");
        assertFalse(protecting.isValid());
        assertEquals(Collections.singletonList(SIGNATURE_LIST), protecting.failedReferences());
        assertTrue(report.findSignature("4").isValid(), report.json());
    }

    @Test
    void unsignedDocumentInvalidUntilSigned() throws IOException {
        byte[] unsigned = unsignedHello();
        OfdVerificationReport report = OfdDocument.verify(unsigned);
        assertFalse(report.isValid());
        assertTrue(report.signatures().isEmpty());

        OfdVerificationReport signed = OfdDocument.verify(signAsUser(unsigned, pageOne(), false));
        assertTrue(signed.isValid(), signed.json());
        assertEquals(1, signed.signatures().size());
        assertEquals("1", signed.signatures().get(0).id());
    }

    @Test
    void ridingSealOverFivePages() throws IOException {
        List<Stamp> stamps = Stamp.riding(1, 5, 210, 128.5, 40, 40);
        byte[] signed = signAsUser(readOfd(RIDING), stamps, false);
        OfdVerificationReport report = OfdDocument.verify(signed);
        assertEquals(3, report.signatures().size());
        OfdSignatureReport added = report.signatures().get(2);
        assertTrue(added.isValid(), report.json());
        // The second vector signature does not protect Signatures.xml, so it stays valid.
        assertTrue(report.signatures().get(1).isValid(), report.json());

        List<Map<String, Object>> annots = stampAnnots(report, added.id());
        assertEquals(5, annots.size());
        assertEquals("202 128.5 40 40", annots.get(0).get("boundary"));
        assertEquals("0 0 8 40", annots.get(0).get("clip"));
        assertEquals("170 128.5 40 40", annots.get(4).get("boundary"));
        assertEquals("32 0 8 40", annots.get(4).get("clip"));
        List<Object> pages = new ArrayList<>();
        for (Map<String, Object> annot : annots) {
            pages.add(annot.get("page_ref"));
        }
        // The same page objects as the vector's own riding seal.
        List<Object> vectorPages = new ArrayList<>();
        for (Map<String, Object> annot : stampAnnots(report, "s001")) {
            vectorPages.add(annot.get("page_ref"));
        }
        assertEquals(vectorPages, pages);
    }

    @Test
    void signFileToFile(@TempDir Path dir) throws IOException {
        Path input = dir.resolve("hello.ofd");
        Path output = dir.resolve("hello.signed.ofd");
        Files.write(input, readOfd(HELLO));
        try (Seal seal = userV4Seal();
                PrivateKey key = TestSeals.userKey();
                Certificate cert = TestSeals.userCert()) {
            OfdDocument.sign(input, output, seal, key, cert, pageOne(), SIGNING_TIME, false);
        }
        assertArrayEquals(readOfd(HELLO), Files.readAllBytes(input));
        OfdVerificationReport report = OfdDocument.verify(output);
        assertTrue(report.findSignature("3").isValid(), report.json());
        assertEquals(report.json(), OfdDocument.verify(Files.readAllBytes(output)).json());
    }

    @Test
    void signFileRelativePaths(@TempDir Path dir) throws IOException {
        // Relative paths are resolved against user.dir, as elsewhere in Java.
        Path input = dir.resolve("hello.ofd");
        Files.write(input, readOfd(HELLO));
        Path workingDirectory = java.nio.file.Paths.get("").toAbsolutePath();
        Path relativeInput = workingDirectory.relativize(input);
        Path relativeOutput = workingDirectory.relativize(dir.resolve("out.ofd"));
        try (Seal seal = userV4Seal();
                PrivateKey key = TestSeals.userKey();
                Certificate cert = TestSeals.userCert()) {
            OfdDocument.sign(relativeInput, relativeOutput, seal, key, cert, pageOne(),
                    SIGNING_TIME, false);
        }
        assertTrue(OfdDocument.verify(relativeOutput).findSignature("3").isValid());
    }

    @Test
    void signFileRejectsSameFile(@TempDir Path dir) throws IOException {
        Path input = dir.resolve("hello.ofd");
        Files.write(input, readOfd(HELLO));
        Path link = dir.resolve("link.ofd");
        Files.createSymbolicLink(link, input);
        Path dotted = dir.resolve(".").resolve("hello.ofd");
        try (Seal seal = userV4Seal();
                PrivateKey key = TestSeals.userKey();
                Certificate cert = TestSeals.userCert()) {
            for (Path output : Arrays.asList(input, dotted, link)) {
                IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                        () -> OfdDocument.sign(input, output, seal, key, cert, pageOne(),
                                SIGNING_TIME, false));
                assertTrue(error.getMessage().contains("same file"), error.getMessage());
            }
        }
        // Signing onto the input itself would have truncated it.
        assertArrayEquals(readOfd(HELLO), Files.readAllBytes(input));
    }

    @Test
    void signFileFailureLeavesNoOutput(@TempDir Path dir) throws IOException {
        Path input = dir.resolve("hello.ofd");
        Path output = dir.resolve("out.ofd");
        Files.write(input, readOfd(HELLO));
        try (Seal seal = userV4Seal();
                PrivateKey key = TestSeals.userKey();
                Certificate cert = TestSeals.userCert()) {
            List<Stamp> pageNine = Collections.singletonList(new Stamp(9, 10, 20, 40, 40));
            EsealException error = assertCode(EsealException.ENCODE_FAILED,
                    () -> OfdDocument.sign(input, output, seal, key, cert, pageNine,
                            SIGNING_TIME, false));
            assertEquals("eseal_ofd_sign_file", error.function());
            assertTrue(error.detail().contains("page 9"), error.detail());
            assertFalse(Files.exists(output));

            Path missing = dir.resolve("missing.ofd");
            error = assertCode(EsealException.IO,
                    () -> OfdDocument.sign(missing, output, seal, key, cert, pageOne(),
                            SIGNING_TIME, false));
            assertFalse(Files.exists(output));

            Path noDirectory = dir.resolve("no-such-directory").resolve("out.ofd");
            assertCode(EsealException.IO,
                    () -> OfdDocument.sign(input, noDirectory, seal, key, cert, pageOne(),
                            SIGNING_TIME, false));
        }
    }

    @Test
    void notZipRejected(@TempDir Path dir) throws IOException {
        byte[] notZip = "<ofd:OFD/>".getBytes(StandardCharsets.UTF_8);
        EsealException error = assertCode(EsealException.OFD_INVALID,
                () -> OfdDocument.verify(notZip));
        assertEquals("eseal_ofd_verify", error.function());
        assertTrue(error.detail().contains("ZIP"), error.detail());
        assertCode(EsealException.OFD_INVALID, () -> OfdDocument.verify(new byte[0]));

        Path file = dir.resolve("not-zip.ofd");
        Files.write(file, notZip);
        error = assertCode(EsealException.OFD_INVALID, () -> OfdDocument.verify(file));
        assertEquals("eseal_ofd_verify_file", error.function());

        try (Seal seal = userV4Seal();
                PrivateKey key = TestSeals.userKey();
                Certificate cert = TestSeals.userCert()) {
            assertCode(EsealException.OFD_INVALID,
                    () -> OfdDocument.sign(notZip, seal, key, cert, pageOne(), SIGNING_TIME,
                            false));
        }
    }

    @Test
    void truncatedDocumentRejected() throws IOException {
        byte[] document = readOfd(HELLO);
        byte[] truncated = Arrays.copyOf(document, document.length / 2);
        assertCode(EsealException.OFD_INVALID, () -> OfdDocument.verify(truncated));
    }

    @Test
    void missingFileIsIoError(@TempDir Path dir) {
        Path missing = dir.resolve("missing.ofd");
        EsealException error = assertCode(EsealException.IO, () -> OfdDocument.verify(missing));
        assertTrue(error.detail().contains("No such file"), error.detail());

        // NOTE: the library opens a directory and then fails to read it as a ZIP. It reports
        // OFD_INVALID (201) here rather than IO (104), so either code is accepted.
        EsealException directory =
                assertThrows(EsealException.class, () -> OfdDocument.verify(dir));
        assertTrue(directory.code() == EsealException.IO
                        || directory.code() == EsealException.OFD_INVALID,
                directory.getMessage());
    }

    @Test
    void pageOutOfRangeRejected() throws IOException {
        byte[] document = readOfd(HELLO);
        try (Seal seal = userV4Seal();
                PrivateKey key = TestSeals.userKey();
                Certificate cert = TestSeals.userCert()) {
            List<Stamp> pageTwo = Collections.singletonList(new Stamp(2, 10, 20, 40, 40));
            EsealException error = assertCode(EsealException.ENCODE_FAILED,
                    () -> OfdDocument.sign(document, seal, key, cert, pageTwo, SIGNING_TIME,
                            false));
            assertEquals("eseal_ofd_sign", error.function());
            assertTrue(error.detail().contains("page"), error.detail());
            assertTrue(error.detail().contains("1 pages"), error.detail());

            // One bad page among good ones fails the whole call.
            List<Stamp> mixed = Arrays.asList(new Stamp(1, 10, 20, 40, 40),
                    new Stamp(7, 10, 20, 40, 40));
            assertCode(EsealException.ENCODE_FAILED,
                    () -> OfdDocument.sign(document, seal, key, cert, mixed, SIGNING_TIME,
                            false));
            List<Stamp> riding = Stamp.riding(1, 6, 210, 128.5, 40, 40);
            byte[] ridingDocument = readOfd(RIDING);
            error = assertCode(EsealException.ENCODE_FAILED,
                    () -> OfdDocument.sign(ridingDocument, seal, key, cert, riding,
                            SIGNING_TIME, false));
            assertTrue(error.detail().contains("page 6"), error.detail());
        }
    }

    @Test
    void badStampListsRejected() throws IOException {
        byte[] document = readOfd(HELLO);
        try (Seal seal = userV4Seal();
                PrivateKey key = TestSeals.userKey();
                Certificate cert = TestSeals.userCert()) {
            IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                    () -> OfdDocument.sign(document, seal, key, cert,
                            Collections.<Stamp>emptyList(), SIGNING_TIME, false));
            assertTrue(empty.getMessage().contains("at least one"), empty.getMessage());

            NullPointerException nullList = assertThrows(NullPointerException.class,
                    () -> OfdDocument.sign(document, seal, key, cert, null, SIGNING_TIME,
                            false));
            assertEquals("stamps must not be null", nullList.getMessage());

            List<Stamp> withNull = Arrays.asList(new Stamp(1, 10, 20, 40, 40), null);
            NullPointerException nullStamp = assertThrows(NullPointerException.class,
                    () -> OfdDocument.sign(document, seal, key, cert, withNull, SIGNING_TIME,
                            false));
            assertEquals("stamps must not contain null", nullStamp.getMessage());
        }
    }

    @Test
    void nullAndInvalidArgumentsRejected(@TempDir Path dir) throws IOException {
        byte[] document = readOfd(HELLO);
        Path output = dir.resolve("out.ofd");
        try (Seal seal = userV4Seal();
                PrivateKey key = TestSeals.userKey();
                Certificate cert = TestSeals.userCert()) {
            assertNullRejected("document", () -> OfdDocument.verify((byte[]) null));
            assertNullRejected("file", () -> OfdDocument.verify((Path) null));
            assertNullRejected("document", () -> OfdDocument.sign((byte[]) null, seal, key,
                    cert, pageOne(), SIGNING_TIME, false));
            assertNullRejected("seal", () -> OfdDocument.sign(document, null, key, cert,
                    pageOne(), SIGNING_TIME, false));
            assertNullRejected("key", () -> OfdDocument.sign(document, seal, null, cert,
                    pageOne(), SIGNING_TIME, false));
            assertNullRejected("cert", () -> OfdDocument.sign(document, seal, key, null,
                    pageOne(), SIGNING_TIME, false));
            assertNullRejected("input", () -> OfdDocument.sign(null, output, seal, key, cert,
                    pageOne(), SIGNING_TIME, false));
            assertNullRejected("output", () -> OfdDocument.sign(ofd(HELLO), null, seal, key,
                    cert, pageOne(), SIGNING_TIME, false));

            Instant beforeEpoch = Instant.parse("1969-12-31T23:59:59Z");
            assertThrows(IllegalArgumentException.class, () -> OfdDocument.sign(document,
                    seal, key, cert, pageOne(), beforeEpoch, false));
        }
        assertFalse(Files.exists(output));
    }

    private static void assertNullRejected(String parameter, Executable call) {
        NullPointerException error = assertThrows(NullPointerException.class, call);
        assertEquals(parameter + " must not be null", error.getMessage());
    }

    @Test
    void otherFileSystemRejected(@TempDir Path dir) throws IOException {
        URI zipUri = URI.create("jar:" + dir.resolve("archive.zip").toUri());
        Map<String, String> options = new HashMap<>();
        options.put("create", "true");
        try (FileSystem zip = FileSystems.newFileSystem(zipUri, options)) {
            Path inside = zip.getPath("/hello.ofd");
            Files.write(inside, readOfd(HELLO));
            IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                    () -> OfdDocument.verify(inside));
            assertTrue(error.getMessage().contains("default file system"), error.getMessage());
            // The bytes can be read through the file system and verified.
            assertFalse(OfdDocument.verify(Files.readAllBytes(inside)).isValid());
        }
    }

    @Test
    void signingRefusedLikeSigner() throws IOException {
        byte[] document = readOfd(HELLO);
        try (Seal seal = userV4Seal();
                PrivateKey userKey = TestSeals.userKey();
                Certificate userCert = TestSeals.userCert();
                PrivateKey makerKey = TestSeals.makerKey();
                Certificate makerCert = TestSeals.makerCert()) {
            // The seal expired in 2022.
            assertCode(EsealException.SEAL_NOT_VALID_AT_TIME, () -> OfdDocument.sign(
                    document, seal, userKey, userCert, pageOne(), null, false));
            assertCode(EsealException.KEY_CERTIFICATE_MISMATCH, () -> OfdDocument.sign(
                    document, seal, makerKey, userCert, pageOne(), SIGNING_TIME, false));
            assertCode(EsealException.SIGNER_NOT_IN_CERT_LIST, () -> OfdDocument.sign(
                    document, seal, makerKey, makerCert, pageOne(), SIGNING_TIME, false));
        }
    }

    @Test
    void closedHandleRejected() throws IOException {
        byte[] document = readOfd(HELLO);
        Seal seal = userV4Seal();
        seal.close();
        try (PrivateKey key = TestSeals.userKey(); Certificate cert = TestSeals.userCert()) {
            assertThrows(IllegalStateException.class, () -> OfdDocument.sign(
                    document, seal, key, cert, pageOne(), SIGNING_TIME, false));
        }
    }

    @Test
    void eightThreadsMatchOneThread() throws Exception {
        List<Path> files = TestFiles.ofdFiles();
        Map<String, String> expected = new LinkedHashMap<>();
        Map<String, byte[]> documents = new LinkedHashMap<>();
        for (Path file : files) {
            String name = file.getFileName().toString();
            documents.put(name, Files.readAllBytes(file));
            expected.put(name, OfdDocument.verify(documents.get(name)).json());
        }

        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Map<String, String>>> results = new ArrayList<>();
            for (int thread = 0; thread < THREADS; thread++) {
                // Half of the threads verify files, the other half bytes.
                boolean fromFiles = thread % 2 == 0;
                Callable<Map<String, String>> task = () -> {
                    start.await();
                    Map<String, String> reports = new LinkedHashMap<>();
                    for (int round = 0; round < 3; round++) {
                        for (Path file : files) {
                            String name = file.getFileName().toString();
                            OfdVerificationReport report = fromFiles
                                    ? OfdDocument.verify(file)
                                    : OfdDocument.verify(documents.get(name));
                            String previous = reports.put(name, report.json());
                            if (previous != null && !previous.equals(report.json())) {
                                throw new AssertionError(name + " changed between rounds");
                            }
                        }
                    }
                    return reports;
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
        }
    }

    @Test
    void threadsSignWithSharedHandles() throws Exception {
        byte[] document = readOfd(HELLO);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try (Seal seal = userV4Seal();
                PrivateKey key = TestSeals.userKey();
                Certificate cert = TestSeals.userCert()) {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int thread = 0; thread < THREADS; thread++) {
                results.add(pool.submit(() -> {
                    byte[] signed = OfdDocument.sign(document, seal, key, cert, pageOne(),
                            SIGNING_TIME, false);
                    return OfdDocument.verify(signed).findSignature("3").isValid();
                }));
            }
            for (Future<Boolean> result : results) {
                assertTrue(result.get(5, TimeUnit.MINUTES));
            }
        } finally {
            pool.shutdownNow();
            assertTrue(pool.awaitTermination(1, TimeUnit.MINUTES));
        }
    }
}
