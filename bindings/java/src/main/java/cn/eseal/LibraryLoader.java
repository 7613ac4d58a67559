package cn.eseal;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import java.io.File;
import java.util.Collections;
import java.util.Map;

/**
 * Finds and loads libeseal once per class loader.
 *
 * <p>Search order: the system property {@value #PATH_PROPERTY} (a library file, or a directory
 * that contains it); then JNA's own search for the name {@code eseal}, which tries
 * {@code jna.library.path}, the system library paths ({@code LD_LIBRARY_PATH} on Linux) and a
 * library bundled on the class path under JNA's platform prefix, such as
 * {@code linux-x86-64/libeseal.so}.
 */
final class LibraryLoader {
    /** System property naming the native library file or the directory that contains it. */
    static final String PATH_PROPERTY = "eseal.library.path";

    private static final String NAME = "eseal";
    private static final Map<String, Object> OPTIONS =
            Collections.<String, Object>singletonMap(
                    com.sun.jna.Library.OPTION_STRING_ENCODING, "UTF-8");

    private static volatile EsealNative library;
    private static volatile File libraryFile;

    private LibraryLoader() {}

    /**
     * Returns the loaded library, loading it on first use.
     *
     * @throws UnsatisfiedLinkError when the library is not found; later calls try again
     */
    static EsealNative get() {
        EsealNative loaded = library;
        if (loaded != null) {
            return loaded;
        }
        synchronized (LibraryLoader.class) {
            if (library == null) {
                load();
            }
            return library;
        }
    }

    /** Returns the file the library was loaded from, loading it on first use. */
    static File file() {
        get();
        return libraryFile;
    }

    /** Loads the library; called once, holding the class lock, until it succeeds. */
    private static void load() {
        String nameOrPath = NAME;
        String configured = System.getProperty(PATH_PROPERTY);
        if (configured != null && !configured.isEmpty()) {
            File location = new File(configured).getAbsoluteFile();
            if (location.isFile()) {
                nameOrPath = location.getPath();
            } else if (location.isDirectory()) {
                NativeLibrary.addSearchPath(NAME, location.getPath());
            } else {
                throw new UnsatisfiedLinkError(
                        "The system property " + PATH_PROPERTY + " is " + configured
                                + ", which is neither a file nor a directory. Set it to the"
                                + " path of " + System.mapLibraryName(NAME)
                                + " or the directory that contains it.");
            }
        }

        try {
            NativeLibrary nativeLibrary = NativeLibrary.getInstance(nameOrPath, OPTIONS);
            EsealNative loaded = Native.load(nameOrPath, EsealNative.class, OPTIONS);
            libraryFile = nativeLibrary.getFile();
            library = loaded;
        } catch (UnsatisfiedLinkError e) {
            UnsatisfiedLinkError error = new UnsatisfiedLinkError(
                    "Cannot load the eseal native library " + System.mapLibraryName(NAME)
                            + ". Build it with `cargo build --release`, then set the system"
                            + " property " + PATH_PROPERTY + " or jna.library.path to the"
                            + " directory that contains it (such as target/release), or bundle"
                            + " it on the class path as " + Platform.RESOURCE_PREFIX + "/"
                            + System.mapLibraryName(NAME) + ". JNA reported: " + e.getMessage());
            error.initCause(e);
            throw error;
        }
    }
}
