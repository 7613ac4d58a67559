package cn.eseal;

import static cn.eseal.NativeCalls.check;
import static cn.eseal.NativeCalls.copyToNative;
import static cn.eseal.NativeCalls.lib;
import static cn.eseal.NativeCalls.readBytes;
import static cn.eseal.NativeCalls.readString;
import static cn.eseal.NativeCalls.size;
import static cn.eseal.NativeCalls.unixSeconds;

import cn.eseal.internal.SizeTByReference;
import com.sun.jna.Memory;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.PointerByReference;
import java.time.Instant;
import java.util.Objects;

/**
 * An electronic seal (SESeal): V1 (GM/T 0031-2014), V4 (GB/T 38540-2020) or V5. Immutable.
 *
 * <p>Thread-safe. Close it when done, best with try-with-resources (see {@link NativeHandle} for
 * what happens otherwise).
 */
public final class Seal extends NativeHandle {
    Seal(PointerByReference handle) {
        super(handle.getValue(), "Seal", EsealNative::eseal_seal_free);
    }

    /**
     * Decodes a seal from DER, tolerating the deviations that real producers write; the report
     * of {@link #verify} lists them as findings.
     *
     * @throws EsealException with {@link EsealException#PARSE_ERROR} when the bytes are not a seal
     */
    public static Seal fromDer(byte[] der) {
        Objects.requireNonNull(der, "der must not be null");
        PointerByReference out = new PointerByReference();
        try (Memory memory = copyToNative(der)) {
            check(lib().eseal_seal_from_der(memory, size(der.length), out), "eseal_seal_from_der");
        }
        return new Seal(out);
    }

    /** Returns a copy of the seal's DER bytes, exactly as stored. */
    public byte[] der() {
        PointerByReference der = new PointerByReference();
        SizeTByReference length = new SizeTByReference();
        try (Lease seal = lease()) {
            check(lib().eseal_seal_der(seal.pointer(), der, length), "eseal_seal_der");
            return readBytes(der.getValue(), length.getValue(), "eseal_seal_der");
        }
    }

    /** Returns the version: 1, 4 or 5. */
    public int version() {
        IntByReference version = new IntByReference();
        try (Lease seal = lease()) {
            check(lib().eseal_seal_info(seal.pointer(), version, null, null), "eseal_seal_info");
        }
        return version.getValue();
    }

    /** Returns the seal code (esID). */
    public String esId() {
        PointerByReference esId = new PointerByReference();
        try (Lease seal = lease()) {
            check(lib().eseal_seal_info(seal.pointer(), null, esId, null), "eseal_seal_info");
            return readString(esId.getValue(), "eseal_seal_info");
        }
    }

    /** Returns the seal name, such as 合同专用章. */
    public String name() {
        PointerByReference name = new PointerByReference();
        try (Lease seal = lease()) {
            check(lib().eseal_seal_info(seal.pointer(), null, null, name), "eseal_seal_info");
            return readString(name.getValue(), "eseal_seal_info");
        }
    }

    /**
     * Verifies the seal on its own: its format, the maker's signature and the validity periods at
     * the given time, with the default SM2 ID.
     *
     * @param at the verification time, truncated to whole seconds; null means now
     * @throws IllegalArgumentException when {@code at} is before 1970
     */
    public VerificationReport verify(Instant at) {
        long unixTime = unixSeconds(at, "at");
        PointerByReference report = new PointerByReference();
        try (Lease seal = lease()) {
            check(lib().eseal_seal_verify(seal.pointer(), unixTime, report), "eseal_seal_verify");
        }
        return VerificationReport.takeOwnership(report.getValue());
    }

    /**
     * Verifies the seal as {@link #verify(Instant)} does and, with a trust policy, also the
     * maker certificate's chain, key usage and revocation at {@code at}, and the seal against
     * the policy's revocation lists.
     *
     * @param at the verification time, truncated to whole seconds; null means now
     * @param trust the trust policy, or null to check without one
     * @throws IllegalArgumentException when {@code at} is before 1970
     */
    public VerificationReport verify(Instant at, TrustPolicy trust) {
        if (trust == null) {
            return verify(at);
        }
        long unixTime = unixSeconds(at, "at");
        PointerByReference report = new PointerByReference();
        try (Lease seal = lease(); Lease policy = trust.lease()) {
            check(lib().eseal_seal_verify_with_trust(seal.pointer(), unixTime, policy.pointer(),
                    report), "eseal_seal_verify_with_trust");
        }
        return VerificationReport.takeOwnership(report.getValue());
    }

    /** Verifies the seal at the current time; see {@link #verify(Instant)}. */
    public VerificationReport verify() {
        return verify(null);
    }

    @Override
    public String toString() {
        try {
            return "Seal[version=" + version() + ", esId=" + esId() + ", name=" + name() + "]";
        } catch (IllegalStateException closed) {
            return "Seal[closed]";
        }
    }
}
