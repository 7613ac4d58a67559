package cn.eseal;

import static cn.eseal.NativeCalls.check;
import static cn.eseal.NativeCalls.copyToNative;
import static cn.eseal.NativeCalls.instant;
import static cn.eseal.NativeCalls.lib;
import static cn.eseal.NativeCalls.readBytes;
import static cn.eseal.NativeCalls.readString;
import static cn.eseal.NativeCalls.size;

import cn.eseal.internal.SizeTByReference;
import com.sun.jna.Memory;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;
import java.time.Instant;
import java.util.Objects;

/**
 * An X.509 certificate with an SM2 public key.
 *
 * <p>Thread-safe. Close it when done, best with try-with-resources (see {@link NativeHandle} for
 * what happens otherwise).
 */
public final class Certificate extends NativeHandle {
    Certificate(PointerByReference handle) {
        super(handle.getValue(), "Certificate", EsealNative::eseal_certificate_free);
    }

    /**
     * Reads a certificate, PEM or DER.
     *
     * @throws EsealException with {@link EsealException#CERTIFICATE_INVALID} when the bytes are
     *     not a certificate
     */
    public static Certificate fromBytes(byte[] data) {
        Objects.requireNonNull(data, "data must not be null");
        PointerByReference out = new PointerByReference();
        try (Memory memory = copyToNative(data)) {
            check(lib().eseal_certificate_from_bytes(memory, size(data.length), out),
                    "eseal_certificate_from_bytes");
        }
        return new Certificate(out);
    }

    /** Returns the certificate's DER bytes as stored. */
    public byte[] der() {
        PointerByReference data = new PointerByReference();
        SizeTByReference length = new SizeTByReference();
        try (Lease cert = lease()) {
            check(lib().eseal_certificate_der(cert.pointer(), data, length),
                    "eseal_certificate_der");
            return readBytes(data.getValue(), length.getValue(), "eseal_certificate_der");
        }
    }

    /** Returns the subject's distinguished name, as eseal prints it. */
    public String subject() {
        return names()[0];
    }

    /** Returns the issuer's distinguished name, as eseal prints it. */
    public String issuer() {
        return names()[1];
    }

    /** Returns the serial number in hexadecimal. */
    public String serial() {
        return names()[2];
    }

    /** Returns the start of the validity period (notBefore). */
    public Instant notBefore() {
        return validity()[0];
    }

    /** Returns the end of the validity period (notAfter). */
    public Instant notAfter() {
        return validity()[1];
    }

    private String[] names() {
        PointerByReference subject = new PointerByReference();
        PointerByReference issuer = new PointerByReference();
        PointerByReference serial = new PointerByReference();
        String function = "eseal_certificate_names";
        try (Lease cert = lease()) {
            check(lib().eseal_certificate_names(cert.pointer(), subject, issuer, serial),
                    function);
            // The strings belong to the certificate, so they are copied under the lease.
            return new String[] {
                readString(subject.getValue(), function),
                readString(issuer.getValue(), function),
                readString(serial.getValue(), function),
            };
        }
    }

    private Instant[] validity() {
        LongByReference notBefore = new LongByReference();
        LongByReference notAfter = new LongByReference();
        try (Lease cert = lease()) {
            check(lib().eseal_certificate_validity(cert.pointer(), notBefore, notAfter),
                    "eseal_certificate_validity");
        }
        return new Instant[] {instant(notBefore.getValue()), instant(notAfter.getValue())};
    }

    @Override
    public String toString() {
        try {
            return "Certificate[subject=" + subject() + ", serial=" + serial() + "]";
        } catch (IllegalStateException closed) {
            return "Certificate[closed]";
        }
    }
}
