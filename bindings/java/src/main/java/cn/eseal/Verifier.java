package cn.eseal;

import static cn.eseal.NativeCalls.check;
import static cn.eseal.NativeCalls.copyToNative;
import static cn.eseal.NativeCalls.lib;
import static cn.eseal.NativeCalls.size;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import java.util.Objects;

/**
 * A verifier that keeps, between calls, what verifications repeat. It keeps each seal's maker
 * check, the certificates it has read and the SM3 state after a seal for each signer. It also
 * keeps tables of the keys that come back, built at a key's eighth verification. All of these
 * have fixed bounds.
 *
 * <p>Use one for a service or a loop that verifies document after document: with the seals of
 * one seal system, each verification is several times faster than {@link
 * Signature#verify(byte[])}. The reports are the same.
 *
 * <p>Thread-safe: threads may verify with one verifier at once. Close it when done, best with
 * try-with-resources (see {@link NativeHandle} for what happens otherwise).
 */
public final class Verifier extends NativeHandle {
    /** Makes a verifier with an empty cache. */
    public Verifier() {
        super(create(), "Verifier", EsealNative::eseal_verifier_free);
    }

    private static Pointer create() {
        PointerByReference out = new PointerByReference();
        check(lib().eseal_verifier_new(out), "eseal_verifier_new");
        return out.getValue();
    }

    /**
     * Verifies a signature as {@link Signature#verify(byte[])} does, with the cache.
     *
     * @param data the signed data, or null for none (dataHash is then not checked)
     */
    public VerificationReport verify(Signature signature, byte[] data) {
        return verify(signature, data, null);
    }

    /**
     * Verifies a signature as {@link Signature#verify(byte[], TrustPolicy)} does, with the
     * cache.
     *
     * @param data the signed data, or null for none
     * @param trust the trust policy, or null for none
     */
    public VerificationReport verify(Signature signature, byte[] data, TrustPolicy trust) {
        Objects.requireNonNull(signature, "signature must not be null");
        PointerByReference report = new PointerByReference();
        try (Memory memory = data == null ? null : copyToNative(data);
                Lease verifier = lease();
                Lease signed = signature.lease();
                Lease policy = trust == null ? null : trust.lease()) {
            check(lib().eseal_verifier_verify(verifier.pointer(), signed.pointer(), memory,
                    size(data == null ? 0 : data.length),
                    policy == null ? null : policy.pointer(), report),
                    "eseal_verifier_verify");
        }
        return VerificationReport.takeOwnership(report.getValue());
    }

    /**
     * Verifies a signature against the 32-byte SM3 digest of the data, as {@link
     * Signature#verifyDigest(byte[], TrustPolicy)} does, with the cache.
     *
     * @param trust the trust policy, or null for none
     */
    public VerificationReport verifyDigest(Signature signature, byte[] digest, TrustPolicy trust) {
        Objects.requireNonNull(signature, "signature must not be null");
        Signature.requireDigest(digest);
        PointerByReference report = new PointerByReference();
        try (Memory memory = copyToNative(digest);
                Lease verifier = lease();
                Lease signed = signature.lease();
                Lease policy = trust == null ? null : trust.lease()) {
            check(lib().eseal_verifier_verify_digest(verifier.pointer(), signed.pointer(), memory,
                    policy == null ? null : policy.pointer(), report),
                    "eseal_verifier_verify_digest");
        }
        return VerificationReport.takeOwnership(report.getValue());
    }
}
