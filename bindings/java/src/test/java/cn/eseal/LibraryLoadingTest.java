package cn.eseal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Native;
import com.sun.jna.Platform;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each way of finding the native library, in a new JVM that runs {@code cn.eseal.Eseal}, which
 * prints the library version.
 */
class LibraryLoadingTest {
    @TempDir
    Path temporary;

    /** Returns the library file that this JVM loaded through jna.library.path. */
    private static Path loadedLibrary() {
        File file = Eseal.libraryFile();
        assertTrue(file != null, "JNA did not report the library file");
        assertTrue(file.isFile(), "JNA reported " + file + ", which is not a file");
        return file.toPath();
    }

    /** Returns the class path entries of the binding and JNA, without the test classes. */
    private static List<String> classPath() throws Exception {
        List<String> entries = new ArrayList<>();
        for (Class<?> type : Arrays.asList(Eseal.class, Native.class)) {
            entries.add(Paths.get(type.getProtectionDomain().getCodeSource().getLocation()
                    .toURI()).toString());
        }
        return entries;
    }

    private static TestFiles.ProcessResult runEseal(List<String> classPath, String... properties)
            throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(Arrays.asList(properties));
        command.add("-cp");
        command.add(String.join(File.pathSeparator, classPath));
        command.add("cn.eseal.Eseal");
        return TestFiles.run(command);
    }

    private static String stdout(TestFiles.ProcessResult result) {
        return new String(result.stdout, StandardCharsets.UTF_8);
    }

    @Test
    void propertyNamesFile() throws Exception {
        Path library = loadedLibrary();
        TestFiles.ProcessResult result =
                runEseal(classPath(), "-Deseal.library.path=" + library);
        assertEquals(0, result.exitCode, result.stderr);
        assertEquals("eseal " + Eseal.version() + " loaded from " + library + "\n",
                stdout(result));
    }

    @Test
    void propertyNamesDirectory() throws Exception {
        Path library = loadedLibrary();
        TestFiles.ProcessResult result =
                runEseal(classPath(), "-Deseal.library.path=" + library.getParent());
        assertEquals(0, result.exitCode, result.stderr);
        assertTrue(stdout(result).startsWith("eseal " + Eseal.version() + " loaded from "),
                stdout(result));
    }

    @Test
    void bundledResourceOnClassPath() throws Exception {
        Path resources = temporary.resolve("resources");
        Path bundled = resources.resolve(Platform.RESOURCE_PREFIX)
                .resolve(loadedLibrary().getFileName().toString());
        Files.createDirectories(bundled.getParent());
        Files.copy(loadedLibrary(), bundled);

        List<String> classPath = classPath();
        classPath.add(resources.toString());
        TestFiles.ProcessResult result = runEseal(classPath);
        assertEquals(0, result.exitCode, result.stderr);
        assertTrue(stdout(result).startsWith("eseal " + Eseal.version() + " loaded from "),
                stdout(result));
    }

    @Test
    void missingLibraryExplained() throws Exception {
        TestFiles.ProcessResult result = runEseal(classPath(), "-Djna.library.path=" + temporary);
        assertNotEquals(0, result.exitCode);
        assertTrue(result.stderr.contains("Cannot load the eseal native library"), result.stderr);
        assertTrue(result.stderr.contains("eseal.library.path"), result.stderr);
        assertTrue(result.stderr.contains(Platform.RESOURCE_PREFIX), result.stderr);
    }

    @Test
    void propertyNamingNothingExplained() throws Exception {
        Path absent = temporary.resolve("absent");
        TestFiles.ProcessResult result =
                runEseal(classPath(), "-Deseal.library.path=" + absent);
        assertNotEquals(0, result.exitCode);
        assertTrue(result.stderr.contains("neither a file nor a directory"), result.stderr);
        assertTrue(result.stderr.contains(absent.toString()), result.stderr);
    }
}
