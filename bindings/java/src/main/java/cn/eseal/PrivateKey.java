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
    PrivateKey(PointerByReference handle) {
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

    /**
     * Reads an SM2 private key that may be password-protected: an encrypted PKCS#8 key (PEM
     * {@code ENCRYPTED PRIVATE KEY} or DER), the key of a PKCS#12 file, or an unencrypted key as
     * {@link #fromBytes(byte[])} reads it, for which the password is not used. To get the
     * certificate of a PKCS#12 file too, use {@link Pkcs12#open}.
     *
     * <p>The password is passed to the library as UTF-8. The native copy is overwritten after
     * the call; clear {@code password} when you no longer need it.
     *
     * @throws EsealException with {@link EsealException#WRONG_PASSWORD} for a wrong password, and
     *     {@link EsealException#KEY_INVALID} for a malformed or truncated file or an unsupported
     *     algorithm
     * @throws IllegalArgumentException when {@code password} has an unpaired surrogate
     */
    public static PrivateKey fromBytes(byte[] data, char[] password) {
        Objects.requireNonNull(data, "data must not be null");
        PointerByReference out = new PointerByReference();
        try (Memory memory = copyToNative(data);
                NativePassword secret = new NativePassword(password)) {
            check(lib().eseal_private_key_from_bytes_with_password(memory, size(data.length),
                    secret.pointer(), size(secret.length()), out),
                    "eseal_private_key_from_bytes_with_password");
        }
        return new PrivateKey(out);
    }

    /** Generates a new SM2 private key with the system random number generator. */
    public static PrivateKey generate() {
        PointerByReference out = new PointerByReference();
        check(lib().eseal_private_key_generate(out), "eseal_private_key_generate");
        return new PrivateKey(out);
    }

    /**
     * Signs a prehashed value e = SM3(Z || M) and returns r || s, 64 bytes: what an
     * {@link ExternalSigner} does, so {@code key::signDigest} can stand in for a USB key or HSM
     * in tests. {@code digest} is e, not the SM3 digest of the data that
     * {@link Signer#signDigest} takes.
     *
     * @throws IllegalArgumentException unless {@code digest} is 32 bytes long
     */
    public byte[] signDigest(byte[] digest) {
        Signature.requireDigest(digest);
        try (Memory input = copyToNative(digest);
                Memory output = new Memory(Signer.SIGNATURE_VALUE_LENGTH);
                Lease key = lease()) {
            check(lib().eseal_private_key_sign_digest(key.pointer(), input, output),
                    "eseal_private_key_sign_digest");
            return output.getByteArray(0, Signer.SIGNATURE_VALUE_LENGTH);
        }
    }

    @Override
    public String toString() {
        // Never shows key material.
        return isClosed() ? "PrivateKey[closed]" : "PrivateKey[SM2]";
    }
}
