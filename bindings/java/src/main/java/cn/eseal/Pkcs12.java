package cn.eseal;

import static cn.eseal.NativeCalls.check;
import static cn.eseal.NativeCalls.copyToNative;
import static cn.eseal.NativeCalls.lib;
import static cn.eseal.NativeCalls.size;

import com.sun.jna.Memory;
import com.sun.jna.ptr.PointerByReference;
import java.util.Objects;

/**
 * The SM2 private key of a PKCS#12 file (.p12 or .pfx) and the key's certificate, enough to
 * sign with a seal that lists the certificate. Closing it closes both.
 */
public final class Pkcs12 implements AutoCloseable {
    private final PrivateKey privateKey;
    private final Certificate certificate;

    private Pkcs12(PrivateKey privateKey, Certificate certificate) {
        this.privateKey = privateKey;
        this.certificate = certificate;
    }

    /**
     * Opens a PKCS#12 file, DER or BER, with its password. The password is passed to the
     * library as UTF-8, and the native copy is overwritten after the call; clear
     * {@code password} when you no longer need it.
     *
     * @throws EsealException with {@link EsealException#WRONG_PASSWORD} for a wrong password, and
     *     {@link EsealException#KEY_INVALID} for a malformed or truncated file, one without
     *     exactly one private key, or an unsupported algorithm
     * @throws IllegalArgumentException when {@code password} has an unpaired surrogate
     */
    public static Pkcs12 open(byte[] data, char[] password) {
        Objects.requireNonNull(data, "data must not be null");
        PointerByReference keyOut = new PointerByReference();
        PointerByReference certOut = new PointerByReference();
        try (Memory memory = copyToNative(data);
                NativePassword secret = new NativePassword(password)) {
            check(lib().eseal_pkcs12_open(memory, size(data.length), secret.pointer(),
                    size(secret.length()), keyOut, certOut), "eseal_pkcs12_open");
        }
        PrivateKey key = new PrivateKey(keyOut);
        Certificate cert = certOut.getValue() == null ? null : new Certificate(certOut);
        return new Pkcs12(key, cert);
    }

    /** Returns the private key. */
    public PrivateKey privateKey() {
        return privateKey;
    }

    /** Returns the key's certificate, or null when the file does not contain it. */
    public Certificate certificate() {
        return certificate;
    }

    @Override
    public void close() {
        privateKey.close();
        if (certificate != null) {
            certificate.close();
        }
    }

    @Override
    public String toString() {
        // Never shows key material.
        return "Pkcs12[" + (certificate == null ? "no certificate" : certificate) + "]";
    }
}
