package cn.eseal;

import static cn.eseal.NativeCalls.check;
import static cn.eseal.NativeCalls.copyToNative;
import static cn.eseal.NativeCalls.cString;
import static cn.eseal.NativeCalls.lib;
import static cn.eseal.NativeCalls.readBytes;
import static cn.eseal.NativeCalls.size;
import static cn.eseal.NativeCalls.unixSeconds;

import cn.eseal.NativeHandle.Lease;
import cn.eseal.internal.SizeTByReference;
import cn.eseal.internal.StampStruct;
import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Verifies and signs OFD documents (GB/T 33190-2016) with seal signatures (GB/T 38540-2020).
 *
 * <p>The methods are static and thread-safe; threads may verify and sign at once, also with the
 * same {@link Seal}, {@link PrivateKey} and {@link Certificate}. Documents given as
 * {@code byte[]} are copied to native memory, and a signed document is copied back, so memory
 * use is a few times the document's size. The {@link Path} methods let the library read and
 * write the files itself, and verifying a file streams its entries.
 *
 * <p>A document that is not a ZIP package, exceeds the library's size limits or has malformed
 * XML fails with {@link EsealException#OFD_INVALID}. A signature that cannot be checked, such as
 * a tampered one, is no error: it is reported invalid.
 */
public final class OfdDocument {
    private OfdDocument() {}

    /**
     * Verifies every signature of an OFD document held in memory.
     *
     * @throws EsealException with {@link EsealException#OFD_INVALID} when the bytes are not a
     *     readable OFD package
     */
    public static OfdVerificationReport verify(byte[] document) {
        Objects.requireNonNull(document, "document must not be null");
        PointerByReference report = new PointerByReference();
        try (Memory memory = copyToNative(document)) {
            check(lib().eseal_ofd_verify(memory, size(document.length), report),
                    "eseal_ofd_verify");
        }
        return OfdVerificationReport.takeOwnership(report.getValue());
    }

    /**
     * Verifies every signature of an OFD document held in memory as {@link #verify(byte[])}
     * does and, with a trust policy, also the certificate chains, key usage and revocation of
     * each signature.
     *
     * @param trust the trust policy, or null to check without one
     * @throws EsealException as {@link #verify(byte[])}
     */
    public static OfdVerificationReport verify(byte[] document, TrustPolicy trust) {
        if (trust == null) {
            return verify(document);
        }
        Objects.requireNonNull(document, "document must not be null");
        PointerByReference report = new PointerByReference();
        try (Memory memory = copyToNative(document); Lease policy = trust.lease()) {
            check(lib().eseal_ofd_verify_with_trust(
                    memory, size(document.length), policy.pointer(), report),
                    "eseal_ofd_verify_with_trust");
        }
        return OfdVerificationReport.takeOwnership(report.getValue());
    }

    /**
     * Verifies every signature of an OFD file, reading its entries one at a time so that memory
     * stays bounded for large documents.
     *
     * @throws EsealException with {@link EsealException#IO} when the file cannot be read, or
     *     {@link EsealException#OFD_INVALID} when it is not a readable OFD package
     * @throws IllegalArgumentException when {@code file} belongs to a file system other than the
     *     default one, such as a ZIP file system, which the native library cannot open; read it
     *     into a byte array instead
     */
    public static OfdVerificationReport verify(Path file) {
        byte[] path = nativePath(file, "file");
        PointerByReference report = new PointerByReference();
        check(lib().eseal_ofd_verify_file(path, report), "eseal_ofd_verify_file");
        return OfdVerificationReport.takeOwnership(report.getValue());
    }

    /**
     * Verifies every signature of an OFD file as {@link #verify(Path)} does and, with a trust
     * policy, also the certificate chains, key usage and revocation of each signature.
     *
     * @param trust the trust policy, or null to check without one
     * @throws EsealException and {@link IllegalArgumentException} as {@link #verify(Path)}
     */
    public static OfdVerificationReport verify(Path file, TrustPolicy trust) {
        if (trust == null) {
            return verify(file);
        }
        byte[] path = nativePath(file, "file");
        PointerByReference report = new PointerByReference();
        try (Lease policy = trust.lease()) {
            check(lib().eseal_ofd_verify_file_with_trust(path, policy.pointer(), report),
                    "eseal_ofd_verify_file_with_trust");
        }
        return OfdVerificationReport.takeOwnership(report.getValue());
    }

    /**
     * Adds a seal signature to an OFD document held in memory and returns the signed document.
     * The new signature gets the next free ID of Signatures.xml and references every file of
     * the package; the other entries are copied unchanged.
     *
     * @param stamps where the seal appears, at least one
     * @param time the signing time, truncated to whole seconds; null means now
     * @param protectSignatureList whether the signature also protects Signatures.xml. Any later
     *     signature then makes this one invalid, so pass true only for the last signature the
     *     document will get.
     * @throws IllegalArgumentException when {@code stamps} is empty or {@code time} is before
     *     1970
     * @throws EsealException with {@link EsealException#OFD_INVALID} when the document is not a
     *     readable OFD package; {@link EsealException#ENCODE_FAILED} when a stamp names a page
     *     the document does not have; a 5xx code when signing is refused, as in
     *     {@link Signer#sign}
     */
    public static byte[] sign(
            byte[] document,
            Seal seal,
            PrivateKey key,
            Certificate cert,
            List<Stamp> stamps,
            Instant time,
            boolean protectSignatureList) {
        Objects.requireNonNull(document, "document must not be null");
        requireSigningHandles(seal, key, cert);
        List<Stamp> placements = copyStamps(stamps);
        long unixTime = unixSeconds(time, "time");
        PointerByReference signed = new PointerByReference();
        try (Memory memory = copyToNative(document);
                Memory stampArray = toNative(placements);
                Lease sealLease = seal.lease();
                Lease keyLease = key.lease();
                Lease certLease = cert.lease()) {
            check(lib().eseal_ofd_sign(memory, size(document.length), sealLease.pointer(),
                    keyLease.pointer(), certLease.pointer(), unixTime, stampArray,
                    size(placements.size()), flag(protectSignatureList), signed),
                    "eseal_ofd_sign");
        }
        return takeBuffer(signed.getValue(), "eseal_ofd_sign");
    }

    /**
     * Signs an OFD document held in memory as {@link #sign(byte[], Seal, PrivateKey,
     * Certificate, List, Instant, boolean)} does and adds a time stamp token from
     * {@code stamper} to the new signature, called and checked as in
     * {@link Signer#signWithTimeStamp}.
     *
     * @throws EsealException with {@link EsealException#TIME_STAMP_FAILED} when the stamper
     *     throws (the cause) or returns null or too many bytes,
     *     {@link EsealException#TIME_STAMP_INVALID} when the token fails the checks, and
     *     {@link EsealException#ENCODE_FAILED} for a V1 seal; otherwise as the method without
     *     a stamper
     * @throws Error an {@link Error} thrown by the stamper, after the native call has returned
     */
    public static byte[] sign(
            byte[] document,
            Seal seal,
            PrivateKey key,
            Certificate cert,
            List<Stamp> stamps,
            Instant time,
            boolean protectSignatureList,
            TimeStamper stamper) {
        Objects.requireNonNull(document, "document must not be null");
        requireSigningHandles(seal, key, cert);
        Objects.requireNonNull(stamper, "stamper must not be null");
        List<Stamp> placements = copyStamps(stamps);
        long unixTime = unixSeconds(time, "time");
        Signer.StamperCallback callback = new Signer.StamperCallback(stamper);
        PointerByReference signed = new PointerByReference();
        String function = "eseal_ofd_sign_with_time_stamp";
        try (Memory memory = copyToNative(document);
                Memory stampArray = toNative(placements);
                Lease sealLease = seal.lease();
                Lease keyLease = key.lease();
                Lease certLease = cert.lease()) {
            int code = lib().eseal_ofd_sign_with_time_stamp(memory, size(document.length),
                    sealLease.pointer(), keyLease.pointer(), certLease.pointer(), unixTime,
                    stampArray, size(placements.size()), flag(protectSignatureList), callback,
                    null, signed);
            // Reading the callback after the call also keeps it reachable during the call.
            Signer.throwFailure(code, function, "time stamper", callback.failure);
        }
        return takeBuffer(signed.getValue(), function);
    }

    /**
     * Adds a seal signature to the OFD file {@code input} and writes the signed document to
     * {@code output}, as {@link #sign(byte[], Seal, PrivateKey, Certificate, List, Instant,
     * boolean)} does, streaming the entries.
     *
     * <p>An existing {@code output} file is replaced. The library writes to a temporary file
     * beside {@code output} and renames it into place only on success, so when signing fails a
     * file that was there before is left as it was.
     *
     * @throws IllegalArgumentException when {@code input} and {@code output} are the same file,
     *     when a path belongs to a file system other than the default one, or for the reasons
     *     of the byte array method
     * @throws EsealException with {@link EsealException#IO} when a file cannot be read or
     *     written, and as the byte array method does
     */
    public static void sign(
            Path input,
            Path output,
            Seal seal,
            PrivateKey key,
            Certificate cert,
            List<Stamp> stamps,
            Instant time,
            boolean protectSignatureList) {
        byte[] inputPath = nativePath(input, "input");
        byte[] outputPath = nativePath(output, "output");
        if (isSameFile(input, output)) {
            throw new IllegalArgumentException(
                    "input and output are the same file, " + input.toAbsolutePath()
                            + "; write the signed document to another path");
        }
        requireSigningHandles(seal, key, cert);
        List<Stamp> placements = copyStamps(stamps);
        long unixTime = unixSeconds(time, "time");
        try (Memory stampArray = toNative(placements);
                Lease sealLease = seal.lease();
                Lease keyLease = key.lease();
                Lease certLease = cert.lease()) {
            check(lib().eseal_ofd_sign_file(inputPath, outputPath, sealLease.pointer(),
                    keyLease.pointer(), certLease.pointer(), unixTime, stampArray,
                    size(placements.size()), flag(protectSignatureList)),
                    "eseal_ofd_sign_file");
        }
    }

    /**
     * Signs the OFD file {@code input} into {@code output} as {@link #sign(Path, Path, Seal,
     * PrivateKey, Certificate, List, Instant, boolean)} does and adds a time stamp token from
     * {@code stamper}, as {@link #sign(byte[], Seal, PrivateKey, Certificate, List, Instant,
     * boolean, TimeStamper)} does, with the same exceptions.
     */
    public static void sign(
            Path input,
            Path output,
            Seal seal,
            PrivateKey key,
            Certificate cert,
            List<Stamp> stamps,
            Instant time,
            boolean protectSignatureList,
            TimeStamper stamper) {
        byte[] inputPath = nativePath(input, "input");
        byte[] outputPath = nativePath(output, "output");
        if (isSameFile(input, output)) {
            throw new IllegalArgumentException(
                    "input and output are the same file, " + input.toAbsolutePath()
                            + "; write the signed document to another path");
        }
        requireSigningHandles(seal, key, cert);
        Objects.requireNonNull(stamper, "stamper must not be null");
        List<Stamp> placements = copyStamps(stamps);
        long unixTime = unixSeconds(time, "time");
        Signer.StamperCallback callback = new Signer.StamperCallback(stamper);
        try (Memory stampArray = toNative(placements);
                Lease sealLease = seal.lease();
                Lease keyLease = key.lease();
                Lease certLease = cert.lease()) {
            int code = lib().eseal_ofd_sign_file_with_time_stamp(inputPath, outputPath,
                    sealLease.pointer(), keyLease.pointer(), certLease.pointer(), unixTime,
                    stampArray, size(placements.size()), flag(protectSignatureList), callback,
                    null);
            // Reading the callback after the call also keeps it reachable during the call.
            Signer.throwFailure(code, "eseal_ofd_sign_file_with_time_stamp", "time stamper",
                    callback.failure);
        }
    }

    private static void requireSigningHandles(Seal seal, PrivateKey key, Certificate cert) {
        Objects.requireNonNull(seal, "seal must not be null");
        Objects.requireNonNull(key, "key must not be null");
        Objects.requireNonNull(cert, "cert must not be null");
    }

    /**
     * Copies the list once, so that a list changed by another thread cannot make the count and
     * the array disagree.
     */
    private static List<Stamp> copyStamps(List<Stamp> stamps) {
        Objects.requireNonNull(stamps, "stamps must not be null");
        List<Stamp> copy = new ArrayList<>(stamps);
        if (copy.isEmpty()) {
            throw new IllegalArgumentException(
                    "stamps must contain at least one Stamp: the seal has to appear on a page");
        }
        for (Stamp stamp : copy) {
            Objects.requireNonNull(stamp, "stamps must not contain null");
        }
        return copy;
    }

    /** Lays the stamps out as a C array of {@code eseal_stamp}. */
    private static Memory toNative(List<Stamp> stamps) {
        int structSize = new StampStruct().size();
        Memory memory = new Memory((long) structSize * stamps.size());
        for (int i = 0; i < stamps.size(); i++) {
            Stamp stamp = stamps.get(i);
            StampStruct element = new StampStruct(memory.share((long) structSize * i));
            element.page = stamp.page();
            element.x = stamp.x();
            element.y = stamp.y();
            element.width = stamp.width();
            element.height = stamp.height();
            if (stamp.clip().isPresent()) {
                Stamp.Clip clip = stamp.clip().get();
                element.clipped = 1;
                element.clipX = clip.x();
                element.clipY = clip.y();
                element.clipWidth = clip.width();
                element.clipHeight = clip.height();
            }
            element.write();
        }
        return memory;
    }

    private static byte flag(boolean value) {
        return (byte) (value ? 1 : 0);
    }

    /**
     * Encodes a path for the C ABI as an absolute path, because the native library resolves a
     * relative path against the process's working directory, which need not be Java's
     * {@code user.dir}.
     */
    private static byte[] nativePath(Path path, String parameter) {
        Objects.requireNonNull(path, parameter + " must not be null");
        if (path.getFileSystem() != FileSystems.getDefault()) {
            throw new IllegalArgumentException(
                    parameter + " " + path.toUri() + " is not on the default file system, so"
                            + " the native library cannot open it; pass the bytes instead");
        }
        return cString(path.toAbsolutePath().toString(), parameter);
    }

    /**
     * Tells whether two existing paths name the same file, through links too. A path that does
     * not exist or cannot be examined counts as different; the native call then reports the
     * problem.
     */
    private static boolean isSameFile(Path first, Path second) {
        if (!Files.exists(first) || !Files.exists(second)) {
            return false;
        }
        try {
            return Files.isSameFile(first, second);
        } catch (IOException e) {
            return false;
        }
    }

    /** Copies the bytes of a native buffer and frees it, also when copying fails. */
    private static byte[] takeBuffer(Pointer buffer, String function) {
        if (buffer == null) {
            throw new IllegalStateException(function + " returned success but no buffer");
        }
        EsealNative library = lib();
        try {
            PointerByReference data = new PointerByReference();
            SizeTByReference length = new SizeTByReference();
            check(library.eseal_buffer_data(buffer, data, length), "eseal_buffer_data");
            return readBytes(data.getValue(), length.getValue(), "eseal_buffer_data");
        } finally {
            library.eseal_buffer_free(buffer);
        }
    }
}
