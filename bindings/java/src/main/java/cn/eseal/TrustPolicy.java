package cn.eseal;

import static cn.eseal.NativeCalls.check;
import static cn.eseal.NativeCalls.copyToNative;
import static cn.eseal.NativeCalls.instant;
import static cn.eseal.NativeCalls.lastErrorMessage;
import static cn.eseal.NativeCalls.lib;
import static cn.eseal.NativeCalls.size;

import cn.eseal.internal.RevocationCallback;
import cn.eseal.internal.SizeT;
import cn.eseal.internal.SizeTByReference;
import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The trust used to verify: trusted roots and intermediate CA certificates, CRLs, seal
 * revocation lists (注销列表) and an optional online {@link RevocationChecker}.
 *
 * <p>With a policy, verification checks certificate chains, key usage and revocation, and the
 * seal against the revocation lists; without one these checks are reported as not checked. An
 * empty policy trusts no root, so every chain check fails.
 *
 * <p>Thread-safe. Threads may verify with one policy at once; a change or {@link #close()} waits
 * until the verifications running with it end. Close it when done, best with try-with-resources
 * (see {@link NativeHandle} for what happens otherwise).
 */
public final class TrustPolicy extends NativeHandle {
    private static final Logger LOGGER = Logger.getLogger(TrustPolicy.class.getName());

    /** File name endings read from a folder, as {@code eseal verify --trust} reads them. */
    private static final List<String> CERTIFICATE_SUFFIXES = Collections.unmodifiableList(
            java.util.Arrays.asList(".pem", ".crt", ".cer", ".der"));

    private volatile CheckerCallback checkerCallback;

    private final AtomicLong certificateCount = new AtomicLong();

    /** Makes an empty policy. */
    public TrustPolicy() {
        super(create(), "TrustPolicy", EsealNative::eseal_trust_free);
    }

    private static Pointer create() {
        PointerByReference out = new PointerByReference();
        check(lib().eseal_trust_new(out), "eseal_trust_new");
        return out.getValue();
    }

    /**
     * Adds CA certificates: self-issued ones become trusted roots, the others intermediates
     * that build paths to a root.
     *
     * @param data one DER certificate, or PEM text with one or more
     * @throws EsealException with {@link EsealException#CERTIFICATE_INVALID} when the data
     *     contains no certificate
     */
    public TrustPolicy addCertificates(byte[] data) {
        return add(data, null, Kind.CERTIFICATES);
    }

    /**
     * Adds the CA certificates of a file, as {@link #addCertificates(byte[])} does, or of every
     * {@code .pem}, {@code .crt}, {@code .cer} and {@code .der} file in a folder (not in its
     * subfolders), as {@code eseal verify --trust} does.
     *
     * @throws IOException when a file cannot be read
     * @throws IllegalArgumentException when the folder has no such file
     * @throws EsealException with {@link EsealException#CERTIFICATE_INVALID} when a file
     *     contains no certificate; the detail names the file
     */
    public TrustPolicy addCertificates(Path fileOrFolder) throws IOException {
        Objects.requireNonNull(fileOrFolder, "fileOrFolder must not be null");
        if (!Files.isDirectory(fileOrFolder)) {
            return add(Files.readAllBytes(fileOrFolder), fileOrFolder, Kind.CERTIFICATES);
        }
        List<Path> files = certificateFiles(fileOrFolder);
        if (files.isEmpty()) {
            throw new IllegalArgumentException(
                    "The folder " + fileOrFolder + " has no .pem, .crt, .cer or .der file; give"
                            + " the folder or file with the CA certificates");
        }
        for (Path file : files) {
            add(Files.readAllBytes(file), file, Kind.CERTIFICATES);
        }
        return this;
    }

    private static List<Path> certificateFiles(Path folder) throws IOException {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString().toLowerCase(Locale.ROOT);
                boolean certificateName = false;
                for (String suffix : CERTIFICATE_SUFFIXES) {
                    certificateName |= name.endsWith(suffix);
                }
                if (certificateName && Files.isRegularFile(entry)) {
                    files.add(entry);
                }
            }
        }
        Collections.sort(files);
        return files;
    }

    /**
     * Adds an X.509 CRL, PEM or DER. It is used only when its signature verifies with a
     * certificate of the policy and its thisUpdate is not after the time checked.
     *
     * @throws EsealException with {@link EsealException#CRL_INVALID} when the data is not a
     *     well-formed CRL
     */
    public TrustPolicy addCrl(byte[] data) {
        return add(data, null, Kind.CRL);
    }

    /**
     * Adds the CRL of a file, as {@link #addCrl(byte[])} does.
     *
     * @throws IOException when the file cannot be read
     */
    public TrustPolicy addCrl(Path file) throws IOException {
        Objects.requireNonNull(file, "file must not be null");
        return add(Files.readAllBytes(file), file, Kind.CRL);
    }

    /**
     * Adds a seal revocation list (PEM label {@code ESEAL REVOCATION LIST}, or DER), such as
     * {@code eseal revocation create} writes. A list whose signature or signer does not verify
     * makes the {@code seal.revocation} check fail during verification.
     *
     * @throws EsealException with {@link EsealException#SEAL_REVOCATION_LIST_INVALID} when the
     *     data is not a well-formed list
     */
    public TrustPolicy addSealRevocationList(byte[] data) {
        return add(data, null, Kind.SEAL_REVOCATION_LIST);
    }

    /**
     * Adds the seal revocation list of a file, as {@link #addSealRevocationList(byte[])} does.
     *
     * @throws IOException when the file cannot be read
     */
    public TrustPolicy addSealRevocationList(Path file) throws IOException {
        Objects.requireNonNull(file, "file must not be null");
        return add(Files.readAllBytes(file), file, Kind.SEAL_REVOCATION_LIST);
    }

    /**
     * Returns the number of certificates that {@code addCertificates} has added to the policy
     * so far.
     */
    public long certificateCount() {
        return certificateCount.get();
    }

    /** The kinds of data a policy takes, with the C function that adds each. */
    private enum Kind {
        CERTIFICATES("eseal_trust_add_certificates_with_count"),
        CRL("eseal_trust_add_crl"),
        SEAL_REVOCATION_LIST("eseal_trust_add_seal_revocation_list");

        final String function;

        Kind(String function) {
            this.function = function;
        }

        int add(EsealNative library, Pointer trust, Memory data, SizeT length,
                SizeTByReference count) {
            switch (this) {
                case CERTIFICATES:
                    return library.eseal_trust_add_certificates_with_count(
                            trust, data, length, count);
                case CRL:
                    return library.eseal_trust_add_crl(trust, data, length);
                default:
                    return library.eseal_trust_add_seal_revocation_list(trust, data, length);
            }
        }
    }

    private TrustPolicy add(byte[] data, Path file, Kind kind) {
        Objects.requireNonNull(data, "data must not be null");
        try (Memory memory = copyToNative(data); Lease trust = exclusiveLease()) {
            SizeTByReference count = new SizeTByReference();
            int code = kind.add(lib(), trust.pointer(), memory, size(data.length), count);
            if (code != EsealException.OK) {
                String detail = lastErrorMessage();
                throw new EsealException(code, kind.function,
                        file == null ? detail : file + ": " + detail);
            }
            certificateCount.addAndGet(count.getValue());
        }
        return this;
    }

    /**
     * Sets the online revocation checker, replacing an earlier one; null removes it. The policy
     * keeps the checker until it is replaced or the policy is freed.
     *
     * <p>An exception thrown by the checker, or a null status, counts as
     * {@link RevocationStatus#UNKNOWN}: the verification goes on and reports the certificate's
     * revocation as not checked. Such failures are logged to the {@code cn.eseal.TrustPolicy}
     * logger, the first of a checker as a warning and later ones at level FINE, and counted by
     * {@link #revocationCheckerErrors()}.
     *
     * <p>NOTE: the checker stays reachable until the native policy is freed. A checker that
     * refers to this policy therefore keeps an unclosed policy from ever being freed by the
     * garbage collector, so close such a policy.
     */
    public TrustPolicy setRevocationChecker(RevocationChecker checker) {
        CheckerCallback callback = checker == null ? null : new CheckerCallback(checker);
        try (Lease trust = exclusiveLease()) {
            check(lib().eseal_trust_set_revocation_callback(trust.pointer(), callback, null),
                    "eseal_trust_set_revocation_callback");
            // No verification runs now, so the earlier callback may be collected.
            setAttachment(callback);
            checkerCallback = callback;
        }
        return this;
    }

    /** Counts the failed calls of the current revocation checker, each returning UNKNOWN. */
    public long revocationCheckerErrors() {
        CheckerCallback callback = checkerCallback;
        return callback == null ? 0 : callback.errors.get();
    }

    @Override
    public String toString() {
        return isClosed() ? "TrustPolicy[closed]" : "TrustPolicy";
    }

    /** Calls a {@link RevocationChecker} for the C library and never throws. */
    private static final class CheckerCallback implements RevocationCallback {
        private final RevocationChecker checker;
        private final AtomicLong errors = new AtomicLong();

        CheckerCallback(RevocationChecker checker) {
            this.checker = checker;
        }

        @Override
        public int invoke(
                Pointer context,
                Pointer certDer,
                SizeT certLen,
                Pointer issuerDer,
                SizeT issuerLen,
                long unixTime,
                Pointer revokedAtOut) {
            // A Throwable must not reach JNA, which would print it and return 0, which is GOOD.
            try {
                RevocationStatus status = checker.check(
                        certDer.getByteArray(0, certLen.intValue()),
                        issuerDer.getByteArray(0, issuerLen.intValue()),
                        instant(unixTime));
                if (status == null) {
                    logFailure("returned null", null);
                    return RevocationStatus.UNKNOWN.code();
                }
                if (status.isRevoked()) {
                    revokedAtOut.setLong(0, status.revocationUnixSeconds());
                }
                return status.code();
            } catch (Throwable e) {
                logFailure("threw " + e, e);
                return RevocationStatus.UNKNOWN.code();
            }
        }

        /**
         * Counts a failure and logs it: the first of the checker as a warning, later ones at
         * level FINE. Never throws, not even when a log handler does.
         */
        private void logFailure(String what, Throwable error) {
            long count = errors.incrementAndGet();
            Level level = count == 1 ? Level.WARNING : Level.FINE;
            try {
                LOGGER.log(level, "Revocation checker " + checker + " " + what + " (failure "
                        + count + "); the certificate's revocation is reported as not checked",
                        error);
            } catch (Throwable ignored) {
                // The failure is counted, and the verification reports the revocation as not
                // checked whether or not the log line was written.
            }
        }
    }
}
