package cn.eseal;

import static cn.eseal.NativeCalls.check;
import static cn.eseal.NativeCalls.copyToNative;
import static cn.eseal.NativeCalls.lib;
import static cn.eseal.NativeCalls.size;

import com.sun.jna.Memory;
import com.sun.jna.ptr.PointerByReference;
import java.util.Objects;

/**
 * An SM2 private key. The native copy is zeroized when the key is closed.
 *
 * <p>Thread-safe: threads may sign with the same key at once. Close it when done, best with
 * try-with-resources (see {@link NativeHandle} for what happens otherwise).
 */
public final class PrivateKey extends NativeHandle {
    private PrivateKey(PointerByReference handle) {
        super(handle.getValue(), "PrivateKey", EsealNative::eseal_private_key_free);
    }

    /**
     * Reads an unencrypted SM2 private key: PKCS#8 or SEC1, PEM or DER.
     *
     * @throws EsealException with {@link EsealException#KEY_INVALID} when the bytes are not such
     *     a key
     */
    public static PrivateKey fromBytes(byte[] data) {
        Objects.requireNonNull(data, "data must not be null");
        PointerByReference out = new PointerByReference();
        try (Memory memory = copyToNative(data)) {
            check(lib().eseal_private_key_from_bytes(memory, size(data.length), out),
                    "eseal_private_key_from_bytes");
        }
        return new PrivateKey(out);
    }

    /** Generates a new SM2 private key with the system random number generator. */
    public static PrivateKey generate() {
        PointerByReference out = new PointerByReference();
        check(lib().eseal_private_key_generate(out), "eseal_private_key_generate");
        return new PrivateKey(out);
    }

    @Override
    public String toString() {
        // Never shows key material.
        return isClosed() ? "PrivateKey[closed]" : "PrivateKey[SM2]";
    }
}
