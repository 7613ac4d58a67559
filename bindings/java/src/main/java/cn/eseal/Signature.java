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
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;
import java.time.Instant;
import java.util.Objects;

/**
 * An electronic signature (SES_Signature), such as the SignedValue.dat of a signed OFD file.
 * Immutable.
 *
 * <p>Thread-safe: threads may verify the same signature at once. Close it when done, best with
 * try-with-resources (see {@link NativeHandle} for what happens otherwise).
 */
public final class Signature extends NativeHandle {
    /** The length of an SM3 digest in bytes. */
    public static final int SM3_DIGEST_LENGTH = 32;

    Signature(PointerByReference handle) {
        super(handle.getValue(), "Signature", EsealNative::eseal_signature_free);
    }

    /**
     * Decodes a signature from DER, tolerating the deviations that real producers write; the
     * report of {@link #verify} lists them as findings.
     *
     * @throws EsealException with {@link EsealException#PARSE_ERROR} when the bytes are not a
     *     signature
     */
    public static Signature fromDer(byte[] der) {
        Objects.requireNonNull(der, "der must not be null");
        PointerByReference out = new PointerByReference();
        try (Memory memory = copyToNative(der)) {
            check(lib().eseal_signature_from_der(memory, size(der.length), out),
                    "eseal_signature_from_der");
        }
        return new Signature(out);
    }

    /** Returns a copy of the signature's DER bytes, exactly as stored. */
    public byte[] der() {
        PointerByReference der = new PointerByReference();
        SizeTByReference length = new SizeTByReference();
        try (Lease signature = lease()) {
            check(lib().eseal_signature_der(signature.pointer(), der, length),
                    "eseal_signature_der");
            return readBytes(der.getValue(), length.getValue(), "eseal_signature_der");
        }
    }

    /** Returns the version: 1 (GM/T 0031-2014), 4 (GB/T 38540-2020) or 5. */
    public int version() {
        IntByReference version = new IntByReference();
        try (Lease signature = lease()) {
            check(lib().eseal_signature_info(signature.pointer(), version, null, null),
                    "eseal_signature_info");
        }
        return version.getValue();
    }

    /**
     * Returns the signing time (TBS_Sign.timeInfo). It is the signer's own claim, not a time
     * stamp.
     */
    public Instant signingTime() {
        LongByReference unixTime = new LongByReference();
        try (Lease signature = lease()) {
            check(lib().eseal_signature_info(signature.pointer(), null, unixTime, null),
                    "eseal_signature_info");
        }
        return instant(unixTime.getValue());
    }

    /**
     * Returns TBS_Sign.propertyInfo, such as the path of the signed Signature.xml in an OFD
     * document; empty when the signer wrote none.
     */
    public String propertyInfo() {
        PointerByReference propertyInfo = new PointerByReference();
        try (Lease signature = lease()) {
            check(lib().eseal_signature_info(signature.pointer(), null, null, propertyInfo),
                    "eseal_signature_info");
            // The string belongs to the signature, so it is copied under the lease.
            return readString(propertyInfo.getValue(), "eseal_signature_info");
        }
    }

    /**
     * Verifies the signature: the embedded seal, the signer's SM2 signature, the signer's place
     * in the seal's certificate list, validity at the signing time, and the dataHash against
     * {@code data}. Certificate chains and revocation are reported as not checked; see
     * {@link #verify(byte[], TrustPolicy)}.
     *
     * @param data the signed data, such as the Signature.xml of an OFD signature. Null means that
     *     the data is not available, and the dataHash check is then reported as not checked. An
     *     empty array is empty data.
     */
    public VerificationReport verify(byte[] data) {
        PointerByReference report = new PointerByReference();
        if (data == null) {
            try (Lease signature = lease()) {
                check(lib().eseal_signature_verify(signature.pointer(), null, size(0), report),
                        "eseal_signature_verify");
            }
        } else {
            try (Memory memory = copyToNative(data); Lease signature = lease()) {
                check(lib().eseal_signature_verify(
                        signature.pointer(), memory, size(data.length), report),
                        "eseal_signature_verify");
            }
        }
        return VerificationReport.takeOwnership(report.getValue());
    }

    /**
     * Verifies the signature as {@link #verify(byte[])} does and, with a trust policy, also the
     * certificate chains, key usage and revocation of the signer and the seal maker at the
     * signing time, and the seal against the policy's revocation lists.
     *
     * @param data the signed data, or null when it is not available
     * @param trust the trust policy, or null to check without one
     */
    public VerificationReport verify(byte[] data, TrustPolicy trust) {
        if (trust == null) {
            return verify(data);
        }
        PointerByReference report = new PointerByReference();
        try (Memory memory = data == null ? null : copyToNative(data);
                Lease signature = lease();
                Lease policy = trust.lease()) {
            check(lib().eseal_signature_verify_with_trust(signature.pointer(), memory,
                    size(data == null ? 0 : data.length), policy.pointer(), report),
                    "eseal_signature_verify_with_trust");
        }
        return VerificationReport.takeOwnership(report.getValue());
    }

    /**
     * Verifies the signature as {@link #verify(byte[])} does, given the SM3 digest of the signed
     * data instead of the data. Certificate chains and revocation are reported as not checked;
     * see {@link #verifyDigest(byte[], TrustPolicy)}.
     *
     * @throws IllegalArgumentException unless {@code digest} is 32 bytes long
     */
    public VerificationReport verifyDigest(byte[] digest) {
        requireDigest(digest);
        PointerByReference report = new PointerByReference();
        try (Memory memory = copyToNative(digest); Lease signature = lease()) {
            check(lib().eseal_signature_verify_digest(signature.pointer(), memory, report),
                    "eseal_signature_verify_digest");
        }
        return VerificationReport.takeOwnership(report.getValue());
    }

    /**
     * Verifies the signature as {@link #verify(byte[], TrustPolicy)} does, given the SM3 digest
     * of the signed data instead of the data.
     *
     * @param trust the trust policy, or null to check without one
     * @throws IllegalArgumentException unless {@code digest} is 32 bytes long
     */
    public VerificationReport verifyDigest(byte[] digest, TrustPolicy trust) {
        if (trust == null) {
            return verifyDigest(digest);
        }
        requireDigest(digest);
        PointerByReference report = new PointerByReference();
        try (Memory memory = copyToNative(digest);
                Lease signature = lease();
                Lease policy = trust.lease()) {
            check(lib().eseal_signature_verify_digest_with_trust(
                    signature.pointer(), memory, policy.pointer(), report),
                    "eseal_signature_verify_digest_with_trust");
        }
        return VerificationReport.takeOwnership(report.getValue());
    }

    static void requireDigest(byte[] digest) {
        Objects.requireNonNull(digest, "digest must not be null");
        if (digest.length != SM3_DIGEST_LENGTH) {
            throw new IllegalArgumentException(
                    "digest must be a " + SM3_DIGEST_LENGTH + "-byte SM3 digest, but it is "
                            + digest.length + " bytes long");
        }
    }

    @Override
    public String toString() {
        return isClosed() ? "Signature[closed]" : "Signature";
    }
}
