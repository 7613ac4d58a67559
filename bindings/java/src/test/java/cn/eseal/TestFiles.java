package cn.eseal;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Locations of the shared vectors and the eseal tool, and helpers to read them. */
final class TestFiles {
    /** The test certificates expired in 2022, so seals made in tests use this period. */
    static final Instant VALID_FROM = Instant.parse("2021-01-01T00:00:00Z");

    static final Instant VALID_TO = Instant.parse("2022-01-01T00:00:00Z");
    static final Instant SIGNING_TIME = Instant.parse("2021-06-01T00:00:00Z");

    private TestFiles() {}

    /**
     * Returns the repository root: the nearest directory above the working directory that has
     * Cargo.toml and include/eseal.h.
     */
    static Path repositoryRoot() {
        Path start = Paths.get("").toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("Cargo.toml"))
                    && Files.isRegularFile(dir.resolve("include/eseal.h"))) {
                return dir;
            }
        }
        throw new IllegalStateException(
                "No eseal repository (Cargo.toml and include/eseal.h) above " + start);
    }

    /** Reads a setting from a system property, then the environment variable of that name. */
    static String setting(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isEmpty()) {
            value = System.getenv(name);
        }
        return value == null || value.isEmpty() ? null : value;
    }

    /**
     * Returns the vectors folder: ESEAL_VECTORS, else shared/vectors beside the repository root.
     * A missing folder fails the calling test.
     */
    static Path vectors() {
        String configured = setting("ESEAL_VECTORS");
        Path dir = configured != null
                ? Paths.get(configured)
                : repositoryRoot().resolve("../shared/vectors").normalize();
        assertTrue(Files.isDirectory(dir.resolve("signatures")),
                "test vectors not found at " + dir
                        + "; set ESEAL_VECTORS (system property or environment variable)");
        return dir;
    }

    /** Returns the eseal command-line tool: ESEAL_CLI, else target/release/eseal. */
    static Path cli() {
        String configured = setting("ESEAL_CLI");
        Path tool = configured != null
                ? Paths.get(configured)
                : repositoryRoot().resolve("target/release/eseal");
        assertTrue(Files.isExecutable(tool),
                "eseal tool not found at " + tool
                        + "; run cargo build --release or set ESEAL_CLI");
        return tool;
    }

    static byte[] key(String fileName) throws IOException {
        return Files.readAllBytes(vectors().resolve("keys").resolve(fileName));
    }

    /** Lists the folders of vectors/signatures, sorted by name. */
    static List<Path> signatureFolders() throws IOException {
        List<Path> folders = new ArrayList<>();
        try (java.util.stream.Stream<Path> entries =
                Files.list(vectors().resolve("signatures"))) {
            entries.filter(Files::isDirectory).forEach(folders::add);
        }
        Collections.sort(folders);
        assertTrue(!folders.isEmpty(), "no folders in " + vectors().resolve("signatures"));
        return folders;
    }

    /** Lists the .ofd files of vectors/ofd, sorted by name. */
    static List<Path> ofdFiles() throws IOException {
        List<Path> files = new ArrayList<>();
        try (java.util.stream.Stream<Path> entries = Files.list(vectors().resolve("ofd"))) {
            entries.filter(file -> file.toString().endsWith(".ofd")).forEach(files::add);
        }
        Collections.sort(files);
        assertTrue(!files.isEmpty(), "no .ofd files in " + vectors().resolve("ofd"));
        return files;
    }

    /** Reads the Signature.xml of a folder, or returns null when it has none. */
    static byte[] signedData(Path folder) throws IOException {
        Path data = folder.resolve("Signature.xml");
        return Files.isRegularFile(data) ? Files.readAllBytes(data) : null;
    }

    /** The output of a finished process. */
    static final class ProcessResult {
        final int exitCode;
        final byte[] stdout;
        final String stderr;

        ProcessResult(int exitCode, byte[] stdout, String stderr) {
            this.exitCode = exitCode;
            this.stdout = stdout;
            this.stderr = stderr;
        }
    }

    /**
     * Runs a command with the locale variables removed, so that the eseal tool writes English,
     * and without LD_LIBRARY_PATH, so that a child JVM finds libeseal only through its own
     * arguments. Fails the test when the command runs longer than two minutes.
     */
    static ProcessResult run(List<String> command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> environment = builder.environment();
        environment.remove("LC_ALL");
        environment.remove("LC_MESSAGES");
        environment.remove("LANG");
        environment.remove("LD_LIBRARY_PATH");
        File stdoutFile = File.createTempFile("eseal-test-", ".stdout");
        File stderrFile = File.createTempFile("eseal-test-", ".stderr");
        try {
            builder.redirectOutput(stdoutFile);
            builder.redirectError(stderrFile);
            Process process = builder.start();
            process.getOutputStream().close();
            if (!process.waitFor(2, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                fail("timed out after two minutes: " + command);
            }
            byte[] stdout = Files.readAllBytes(stdoutFile.toPath());
            String stderr = new String(Files.readAllBytes(stderrFile.toPath()),
                    StandardCharsets.UTF_8);
            return new ProcessResult(process.exitValue(), stdout, stderr);
        } finally {
            Files.deleteIfExists(stdoutFile.toPath());
            Files.deleteIfExists(stderrFile.toPath());
        }
    }
}
