package cn.eseal;

import static cn.eseal.NativeCalls.check;
import static cn.eseal.NativeCalls.copyToNative;
import static cn.eseal.NativeCalls.lastErrorMessage;
import static cn.eseal.NativeCalls.lib;
import static cn.eseal.NativeCalls.optionalCString;
import static cn.eseal.NativeCalls.size;
import static cn.eseal.NativeCalls.unixSeconds;

import cn.eseal.internal.SignCallback;
import cn.eseal.internal.SizeT;
import cn.eseal.internal.TimeStampCallback;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.Objects;

/**
 * Signs data with a seal (签章): in one call with {@link #sign}, or in chunks with a
 * {@code Signer} instance.
 *
 * <p>Signing is refused with an {@link EsealException} when a verifier would reject the result:
 * {@link EsealException#SEAL_NOT_VALID_AT_TIME}, {@link EsealException#SIGNER_NOT_IN_CERT_LIST},
 * {@link EsealException#SIGNER_CERTIFICATE_NOT_VALID_AT_TIME},
 * {@link EsealException#MAKER_CERTIFICATE_NOT_VALID_AT_TIME},
 * {@link EsealException#KEY_CERTIFICATE_MISMATCH} and the other 5xx codes.
 *
 * <p>A {@code Signer} instance copies the seal and certificate when it starts, so they may be
 * closed afterwards. It finishes once, successfully or not. Calls from several threads are
 * serialized. Close it when done, best with try-with-resources (see {@link NativeHandle} for
 * what happens otherwise).
 */
public final class Signer extends NativeHandle {
    /** The length of an SM2 signature value r || s in bytes, as an external signer returns it. */
    public static final int SIGNATURE_VALUE_LENGTH = 64;

    /**
     * The maximum length in bytes of a time stamp token, the C ABI's
     * {@code ESEAL_MAX_TIME_STAMP_TOKEN_LEN}.
     */
    public static final int MAX_TIME_STAMP_TOKEN_LENGTH = 65_536;

    private static final int STREAM_CHUNK_SIZE = 64 * 1024;

    private boolean finished;

    /** The time stamp callback given to the C signer, kept reachable until {@link #finish}. */
    private StamperCallback stamperCallback;

    /**
     * Starts a signature over data given later with {@code update}.
     *
     * @param time the signing time (timeInfo), truncated to whole seconds; null means now
     * @param propertyInfo the propertyInfo text; null means empty
     * @throws IllegalArgumentException when {@code time} is before 1970
     */
    public Signer(Seal seal, Certificate cert, Instant time, String propertyInfo) {
        super(create(seal, cert, time, propertyInfo), "Signer", EsealNative::eseal_signer_free);
    }

    /**
     * Starts a signature over data given later with {@code update}, to which {@link #finish}
     * adds a time stamp token from {@code stamper}, with the checks and exceptions of
     * {@link #signWithTimeStamp}. The stamper is called once, from {@code finish}.
     *
     * @param time the signing time (timeInfo), truncated to whole seconds; null means now
     * @param propertyInfo the propertyInfo text; null means empty
     * @throws IllegalArgumentException when {@code time} is before 1970
     * @throws NullPointerException when {@code stamper} is null
     */
    public Signer(
            Seal seal, Certificate cert, Instant time, String propertyInfo, TimeStamper stamper) {
        super(create(seal, cert, time, propertyInfo, stamper), "Signer",
                EsealNative::eseal_signer_free);
        StamperCallback callback = new StamperCallback(stamper);
        try (Lease signer = exclusiveLease()) {
            check(lib().eseal_signer_set_time_stamp_callback(signer.pointer(), callback, null),
                    "eseal_signer_set_time_stamp_callback");
        }
        stamperCallback = callback;
    }

    /** Checks {@code stamper} before the native signer exists, so that no signer leaks. */
    private static Pointer create(
            Seal seal, Certificate cert, Instant time, String propertyInfo, TimeStamper stamper) {
        Objects.requireNonNull(stamper, "stamper must not be null");
        return create(seal, cert, time, propertyInfo);
    }

    private static Pointer create(
            Seal seal, Certificate cert, Instant time, String propertyInfo) {
        Objects.requireNonNull(seal, "seal must not be null");
        Objects.requireNonNull(cert, "cert must not be null");
        long unixTime = unixSeconds(time, "time");
        byte[] propertyText = optionalCString(propertyInfo, "propertyInfo");
        PointerByReference out = new PointerByReference();
        try (Lease sealLease = seal.lease(); Lease certLease = cert.lease()) {
            check(lib().eseal_signer_new(
                    sealLease.pointer(), certLease.pointer(), unixTime, propertyText, out),
                    "eseal_signer_new");
        }
        return out.getValue();
    }

    /**
     * Signs {@code data} in one call.
     *
     * @param data the data to sign; an empty array is empty data
     * @param time the signing time (timeInfo), truncated to whole seconds; null means now
     * @param propertyInfo the propertyInfo text; null means empty
     * @throws IllegalArgumentException when {@code time} is before 1970
     */
    public static Signature sign(
            Seal seal,
            PrivateKey key,
            Certificate cert,
            byte[] data,
            Instant time,
            String propertyInfo) {
        requireSigningHandles(seal, key, cert);
        Objects.requireNonNull(data, "data must not be null");
        long unixTime = unixSeconds(time, "time");
        byte[] propertyText = optionalCString(propertyInfo, "propertyInfo");
        PointerByReference out = new PointerByReference();
        try (Memory memory = copyToNative(data);
                Lease sealLease = seal.lease();
                Lease keyLease = key.lease();
                Lease certLease = cert.lease()) {
            check(lib().eseal_sign(sealLease.pointer(), keyLease.pointer(), certLease.pointer(),
                    unixTime, propertyText, memory, size(data.length), out), "eseal_sign");
        }
        return new Signature(out);
    }

    /**
     * Signs data given by its 32-byte SM3 digest, as {@link #sign} does.
     *
     * @throws IllegalArgumentException unless {@code digest} is 32 bytes long, or when
     *     {@code time} is before 1970
     */
    public static Signature signDigest(
            Seal seal,
            PrivateKey key,
            Certificate cert,
            byte[] digest,
            Instant time,
            String propertyInfo) {
        requireSigningHandles(seal, key, cert);
        Signature.requireDigest(digest);
        long unixTime = unixSeconds(time, "time");
        byte[] propertyText = optionalCString(propertyInfo, "propertyInfo");
        PointerByReference out = new PointerByReference();
        try (Memory memory = copyToNative(digest);
                Lease sealLease = seal.lease();
                Lease keyLease = key.lease();
                Lease certLease = cert.lease()) {
            check(lib().eseal_sign_digest(sealLease.pointer(), keyLease.pointer(),
                    certLease.pointer(), unixTime, propertyText, memory, out),
                    "eseal_sign_digest");
        }
        return new Signature(out);
    }

    /**
     * Signs {@code data} as {@link #sign} does, with the SM2 signature made by an external
     * signer, such as a USB key, an HSM or a seal server, that stores the private key of
     * {@code cert}.
     *
     * <p>eseal computes Z from the certificate's public key and e = SM3(Z || M), calls
     * {@code signer} once on this thread with the 32 bytes of e, and verifies the returned
     * r || s against {@code cert} before it returns the signature.
     *
     * @param time the signing time (timeInfo), truncated to whole seconds; null means now
     * @param propertyInfo the propertyInfo text; null means empty
     * @throws EsealException with {@link EsealException#SIGNATURE_INVALID} when the returned
     *     signature does not verify, and with {@link EsealException#SIGNER_FAILED} when the
     *     signer throws an exception (the exception's cause) or returns something other than
     *     64 bytes. Signing is refused with the codes of {@link #sign} before the signer is
     *     called.
     * @throws Error an {@link Error} thrown by the signer, such as {@link OutOfMemoryError},
     *     after the native call has returned
     * @throws IllegalArgumentException when {@code time} is before 1970
     */
    public static Signature signWith(
            Seal seal,
            Certificate cert,
            byte[] data,
            ExternalSigner signer,
            Instant time,
            String propertyInfo) {
        Objects.requireNonNull(seal, "seal must not be null");
        Objects.requireNonNull(cert, "cert must not be null");
        Objects.requireNonNull(data, "data must not be null");
        Objects.requireNonNull(signer, "signer must not be null");
        long unixTime = unixSeconds(time, "time");
        byte[] propertyText = optionalCString(propertyInfo, "propertyInfo");
        SignerCallback callback = new SignerCallback(signer);
        PointerByReference out = new PointerByReference();
        try (Memory memory = copyToNative(data);
                Lease sealLease = seal.lease();
                Lease certLease = cert.lease()) {
            int code = lib().eseal_sign_with_callback(sealLease.pointer(), certLease.pointer(),
                    unixTime, propertyText, memory, size(data.length), callback, null, out);
            // Reading the callback after the call also keeps it reachable during the call.
            throwFailure(code, "eseal_sign_with_callback", "external signer", callback.failure);
        }
        return new Signature(out);
    }

    /**
     * Signs {@code data} with the SM2 signature of an external signer, as
     * {@link #signWith(Seal, Certificate, byte[], ExternalSigner, Instant, String)} does, and
     * adds a time stamp token from {@code stamper}, as {@link #signWithTimeStamp} does.
     *
     * <p>eseal calls {@code signer} once, then {@code stamper} once after the signer's signature
     * has verified against {@code cert}, both on this thread. A failing signer therefore never
     * reaches the time stamp service.
     *
     * @param time the signing time (timeInfo), truncated to whole seconds; null means now
     * @param propertyInfo the propertyInfo text; null means empty
     * @throws EsealException with {@link EsealException#SIGNATURE_INVALID} or
     *     {@link EsealException#SIGNER_FAILED} for the signer, as {@code signWith} throws them;
     *     with {@link EsealException#TIME_STAMP_FAILED} or
     *     {@link EsealException#TIME_STAMP_INVALID} for the stamper, as
     *     {@code signWithTimeStamp} throws them; and with {@link EsealException#ENCODE_FAILED}
     *     for a V1 seal, whose signatures have no timeStamp field, before the signer is called.
     *     Signing is refused with the codes of {@link #sign} before either callback is called.
     * @throws Error an {@link Error} thrown by the signer or the stamper, after the native call
     *     has returned
     * @throws IllegalArgumentException when {@code time} is before 1970
     */
    public static Signature signWith(
            Seal seal,
            Certificate cert,
            byte[] data,
            ExternalSigner signer,
            TimeStamper stamper,
            Instant time,
            String propertyInfo) {
        Objects.requireNonNull(seal, "seal must not be null");
        Objects.requireNonNull(cert, "cert must not be null");
        Objects.requireNonNull(data, "data must not be null");
        Objects.requireNonNull(signer, "signer must not be null");
        Objects.requireNonNull(stamper, "stamper must not be null");
        long unixTime = unixSeconds(time, "time");
        byte[] propertyText = optionalCString(propertyInfo, "propertyInfo");
        SignerCallback signerCallback = new SignerCallback(signer);
        StamperCallback stamperCallback = new StamperCallback(stamper);
        PointerByReference out = new PointerByReference();
        try (Memory memory = copyToNative(data);
                Lease sealLease = seal.lease();
                Lease certLease = cert.lease()) {
            int code = lib().eseal_sign_with_callback_and_time_stamp(sealLease.pointer(),
                    certLease.pointer(), unixTime, propertyText, memory, size(data.length),
                    signerCallback, null, stamperCallback, null, out);
            // Reading the callbacks after the call also keeps them reachable during the call.
            // The stamper is not called when the signer fails, so at most one of them failed.
            String function = "eseal_sign_with_callback_and_time_stamp";
            if (signerCallback.failure != null) {
                throwFailure(code, function, "external signer", signerCallback.failure);
            }
            throwFailure(code, function, "time stamper", stamperCallback.failure);
        }
        return new Signature(out);
    }

    /**
     * Signs {@code data} as {@link #sign} does and adds a time stamp token from
     * {@code stamper} (SES_Signature.timeStamp).
     *
     * <p>eseal calls {@code stamper} once on this thread, after the signing checks pass, with
     * the DER SM2 signature value. It checks that the token's messageImprint is the SM3 digest
     * of that value and that the authority's SM2 signature verifies with the certificate in the
     * token. Whether the authority is trusted is checked when the signature is verified with a
     * {@link TrustPolicy}.
     *
     * @param time the signing time (timeInfo), truncated to whole seconds; null means now
     * @param propertyInfo the propertyInfo text; null means empty
     * @throws EsealException with {@link EsealException#TIME_STAMP_FAILED} when the stamper
     *     throws an exception (the exception's cause) or returns null or more than
     *     {@link #MAX_TIME_STAMP_TOKEN_LENGTH} bytes, with
     *     {@link EsealException#TIME_STAMP_INVALID} when the token fails the checks, and with
     *     {@link EsealException#ENCODE_FAILED} for a V1 seal, whose signatures have no
     *     timeStamp field. Signing is refused with the codes of {@link #sign} before the stamper
     *     is called.
     * @throws Error an {@link Error} thrown by the stamper, after the native call has returned
     * @throws IllegalArgumentException when {@code time} is before 1970
     */
    public static Signature signWithTimeStamp(
            Seal seal,
            PrivateKey key,
            Certificate cert,
            byte[] data,
            TimeStamper stamper,
            Instant time,
            String propertyInfo) {
        requireSigningHandles(seal, key, cert);
        Objects.requireNonNull(data, "data must not be null");
        Objects.requireNonNull(stamper, "stamper must not be null");
        long unixTime = unixSeconds(time, "time");
        byte[] propertyText = optionalCString(propertyInfo, "propertyInfo");
        StamperCallback callback = new StamperCallback(stamper);
        PointerByReference out = new PointerByReference();
        try (Memory memory = copyToNative(data);
                Lease sealLease = seal.lease();
                Lease keyLease = key.lease();
                Lease certLease = cert.lease()) {
            int code = lib().eseal_sign_with_time_stamp(sealLease.pointer(), keyLease.pointer(),
                    certLease.pointer(), unixTime, propertyText, memory, size(data.length),
                    callback, null, out);
            // Reading the callback after the call also keeps it reachable during the call.
            throwFailure(code, "eseal_sign_with_time_stamp", "time stamper", callback.failure);
        }
        return new Signature(out);
    }

    /**
     * Signs data given by its 32-byte SM3 digest, as {@link #signDigest} does, and adds a time
     * stamp token from {@code stamper}, as {@link #signWithTimeStamp} does, with the same
     * exceptions.
     *
     * @throws IllegalArgumentException unless {@code digest} is 32 bytes long, or when
     *     {@code time} is before 1970
     */
    public static Signature signDigestWithTimeStamp(
            Seal seal,
            PrivateKey key,
            Certificate cert,
            byte[] digest,
            TimeStamper stamper,
            Instant time,
            String propertyInfo) {
        requireSigningHandles(seal, key, cert);
        Signature.requireDigest(digest);
        Objects.requireNonNull(stamper, "stamper must not be null");
        long unixTime = unixSeconds(time, "time");
        byte[] propertyText = optionalCString(propertyInfo, "propertyInfo");
        StamperCallback callback = new StamperCallback(stamper);
        PointerByReference out = new PointerByReference();
        try (Memory memory = copyToNative(digest);
                Lease sealLease = seal.lease();
                Lease keyLease = key.lease();
                Lease certLease = cert.lease()) {
            int code = lib().eseal_sign_digest_with_time_stamp(sealLease.pointer(),
                    keyLease.pointer(), certLease.pointer(), unixTime, propertyText, memory,
                    callback, null, out);
            // Reading the callback after the call also keeps it reachable during the call.
            throwFailure(code, "eseal_sign_digest_with_time_stamp", "time stamper",
                    callback.failure);
        }
        return new Signature(out);
    }

    /**
     * Throws for a failed signing call with callbacks: the callback's Error as it is, else an
     * EsealException whose cause is what the callback threw, if anything. Returns when
     * {@code code} is {@link EsealException#OK}.
     *
     * @param role the callback's name in the message, such as "time stamper"
     */
    static void throwFailure(int code, String function, String role, Throwable failure) {
        if (code == EsealException.OK) {
            return;
        }
        String detail = lastErrorMessage();
        if (failure instanceof Error) {
            throw (Error) failure;
        }
        if (failure == null) {
            throw new EsealException(code, function, detail);
        }
        EsealException exception = new EsealException(code, function,
                detail + ": the " + role + " threw " + failure);
        exception.initCause(failure);
        throw exception;
    }

    /** Calls a {@link TimeStamper} for the C library and keeps what it threw. */
    static final class StamperCallback implements TimeStampCallback {
        private final TimeStamper stamper;
        Throwable failure;

        StamperCallback(TimeStamper stamper) {
            this.stamper = stamper;
        }

        @Override
        public int invoke(
                Pointer context,
                Pointer data,
                SizeT len,
                Pointer tokenOut,
                SizeT tokenCapacity,
                Pointer tokenLenOut) {
            // A Throwable must not reach JNA, which would print it and return 0, which is
            // success.
            try {
                byte[] token = stamper.stamp(data.getByteArray(0, len.intValue()));
                if (token == null || token.length > tokenCapacity.longValue()) {
                    throw new IllegalStateException("The time stamper returned "
                            + (token == null ? "null" : token.length + " bytes")
                            + "; give a token of at most " + tokenCapacity.longValue()
                            + " bytes");
                }
                tokenOut.write(0, token, 0, token.length);
                if (Native.SIZE_T_SIZE == 8) {
                    tokenLenOut.setLong(0, token.length);
                } else {
                    tokenLenOut.setInt(0, token.length);
                }
                return EsealException.OK;
            } catch (Throwable e) {
                failure = e;
                return EsealException.TIME_STAMP_FAILED;
            }
        }
    }

    /** Calls an {@link ExternalSigner} for the C library and keeps what it threw. */
    private static final class SignerCallback implements SignCallback {
        private final ExternalSigner signer;
        private Throwable failure;

        SignerCallback(ExternalSigner signer) {
            this.signer = signer;
        }

        @Override
        public int invoke(Pointer context, Pointer digest, Pointer signatureOut) {
            // A Throwable must not reach JNA, which would print it and return 0, which is
            // success.
            try {
                byte[] value = signer.sign(digest.getByteArray(0, Signature.SM3_DIGEST_LENGTH));
                if (value == null || value.length != SIGNATURE_VALUE_LENGTH) {
                    throw new IllegalStateException("The external signer returned "
                            + (value == null ? "null" : value.length + " bytes") + " instead of "
                            + SIGNATURE_VALUE_LENGTH + " bytes r || s");
                }
                signatureOut.write(0, value, 0, SIGNATURE_VALUE_LENGTH);
                return EsealException.OK;
            } catch (Throwable e) {
                failure = e;
                return EsealException.SIGNER_FAILED;
            }
        }
    }

    private static void requireSigningHandles(Seal seal, PrivateKey key, Certificate cert) {
        Objects.requireNonNull(seal, "seal must not be null");
        Objects.requireNonNull(key, "key must not be null");
        Objects.requireNonNull(cert, "cert must not be null");
    }

    /** Adds a chunk of the data to sign. */
    public Signer update(byte[] data) {
        Objects.requireNonNull(data, "data must not be null");
        return update(data, 0, data.length);
    }

    /**
     * Adds {@code length} bytes of {@code data} from {@code offset}.
     *
     * @throws IndexOutOfBoundsException when the range is outside the array
     * @throws IllegalStateException after {@link #finish}
     */
    public Signer update(byte[] data, int offset, int length) {
        Objects.requireNonNull(data, "data must not be null");
        if (offset < 0 || length < 0 || length > data.length - offset) {
            throw new IndexOutOfBoundsException(
                    "offset " + offset + " and length " + length + " are outside an array of "
                            + data.length + " bytes");
        }
        try (Memory memory = copyToNative(data, offset, length);
                Lease signer = exclusiveLease()) {
            requireNotFinished();
            check(lib().eseal_signer_update(signer.pointer(), memory, size(length)),
                    "eseal_signer_update");
        }
        return this;
    }

    /**
     * Adds everything that remains in {@code input}, which is not closed.
     *
     * @return the number of bytes added
     * @throws IOException when reading fails; the bytes read before stay added
     */
    public long update(InputStream input) throws IOException {
        Objects.requireNonNull(input, "input must not be null");
        byte[] buffer = new byte[STREAM_CHUNK_SIZE];
        long total = 0;
        int read;
        while ((read = input.read(buffer)) != -1) {
            update(buffer, 0, read);
            total += read;
        }
        return total;
    }

    /**
     * Signs everything added with the signer's private key. The signer is finished afterwards,
     * also when signing is refused.
     *
     * @throws IllegalStateException when the signer has already finished
     * @throws EsealException with the codes of {@link #sign}, and for a signer with a time
     *     stamper also with those of {@link #signWithTimeStamp}
     * @throws Error an {@link Error} thrown by the stamper, after the native call has returned
     */
    public Signature finish(PrivateKey key) {
        Objects.requireNonNull(key, "key must not be null");
        PointerByReference out = new PointerByReference();
        try (Lease signer = exclusiveLease(); Lease keyLease = key.lease()) {
            requireNotFinished();
            // The C signer is spent by this call even when it fails.
            finished = true;
            int code = lib().eseal_signer_finish(signer.pointer(), keyLease.pointer(), out);
            Throwable stamperFailure = stamperCallback == null ? null : stamperCallback.failure;
            throwFailure(code, "eseal_signer_finish", "time stamper", stamperFailure);
        }
        return new Signature(out);
    }

    private void requireNotFinished() {
        if (finished) {
            throw new IllegalStateException(
                    "This Signer has already finished; start a new Signer to sign again.");
        }
    }
}
