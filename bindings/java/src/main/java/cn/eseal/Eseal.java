package cn.eseal;

import static cn.eseal.NativeCalls.check;
import static cn.eseal.NativeCalls.copyToNative;
import static cn.eseal.NativeCalls.lib;
import static cn.eseal.NativeCalls.readString;
import static cn.eseal.NativeCalls.size;

import com.sun.jna.Memory;
import java.io.File;
import java.util.Objects;

/**
 * Library-wide functions of the eseal binding.
 *
 * <p>Running this class prints the version and location of the native library, which checks
 * that it can be found: {@code java -cp eseal.jar:jna.jar cn.eseal.Eseal}.
 */
public final class Eseal {
    private Eseal() {}

    /**
     * Returns the version of the native library, such as {@code 0.1.0}.
     *
     * @throws UnsatisfiedLinkError when the native library cannot be loaded
     */
    public static String version() {
        return readString(lib().eseal_version(), "eseal_version");
    }

    /**
     * Returns the file that the native library was loaded from, or null when JNA does not know
     * it.
     */
    public static File libraryFile() {
        return LibraryLoader.file();
    }

    /**
     * Computes the SM3 digest (GB/T 32905-2016) of {@code data}, which the JDK cannot. The
     * result is what {@link Signer#signDigest} and {@link Signature#verifyDigest} take.
     *
     * <p>The C ABI hashes one array in one call, so the whole data must be in memory; to sign
     * a large stream, use {@link Signer#update(java.io.InputStream)} instead.
     *
     * @return the 32-byte digest
     */
    public static byte[] sm3(byte[] data) {
        Objects.requireNonNull(data, "data must not be null");
        try (Memory input = copyToNative(data);
                Memory digest = new Memory(Signature.SM3_DIGEST_LENGTH)) {
            check(lib().eseal_sm3(input, size(data.length), digest), "eseal_sm3");
            return digest.getByteArray(0, Signature.SM3_DIGEST_LENGTH);
        }
    }

    /**
     * Makes the native library panic inside its boundary guard. For tests of error handling:
     * it always throws, and the process goes on. The Rust panic message is printed to standard
     * error.
     *
     * @throws EsealException always, with {@link EsealException#PANIC}
     */
    public static void debugPanic() {
        check(lib().eseal_debug_panic(), "eseal_debug_panic");
        throw new IllegalStateException("eseal_debug_panic returned success instead of a panic");
    }

    /** Prints the native library's version and location. */
    public static void main(String[] args) {
        System.out.println("eseal " + version() + " loaded from " + libraryFile());
    }
}
