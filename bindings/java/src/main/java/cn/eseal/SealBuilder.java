package cn.eseal;

import static cn.eseal.NativeCalls.check;
import static cn.eseal.NativeCalls.copyToNative;
import static cn.eseal.NativeCalls.cString;
import static cn.eseal.NativeCalls.lib;
import static cn.eseal.NativeCalls.size;
import static cn.eseal.NativeCalls.unixSeconds;

import com.sun.jna.Memory;
import com.sun.jna.ptr.PointerByReference;
import java.time.Instant;
import java.util.Objects;

/**
 * Makes a seal (制章): set its contents, authorise signers, then {@link #sign} with the maker's
 * key and certificate.
 *
 * <p>A setter that fails leaves the builder as it was. The builder stays usable after
 * {@code sign}, for example to make several seals that differ in one field. Calls from several
 * threads are serialized. Close it when done, best with try-with-resources (see
 * {@link NativeHandle} for what happens otherwise).
 */
public final class SealBuilder extends NativeHandle {
    /**
     * Starts a V4 seal.
     *
     * @param esId the seal code (esID); must be ASCII by the time the seal is signed
     * @param name the seal name, such as 合同专用章
     */
    public SealBuilder(String esId, String name) {
        super(create(esId, name), "SealBuilder", EsealNative::eseal_seal_builder_free);
    }

    private static com.sun.jna.Pointer create(String esId, String name) {
        byte[] esIdText = cString(esId, "esId");
        byte[] nameText = cString(name, "name");
        PointerByReference out = new PointerByReference();
        check(lib().eseal_seal_builder_new(esIdText, nameText, out), "eseal_seal_builder_new");
        return out.getValue();
    }

    /**
     * Sets the version: 1 (GM/T 0031-2014), 4 (GB/T 38540-2020, the default) or 5.
     *
     * <p>NOTE: {@code include/eseal.h} documents only 1 and 4, but the library also makes V5
     * seals, and the tests sign and verify with one.
     *
     * @throws EsealException with {@link EsealException#INVALID_ARGUMENT} for another number
     */
    public SealBuilder version(int version) {
        try (Lease builder = exclusiveLease()) {
            check(lib().eseal_seal_builder_set_version(builder.pointer(), version),
                    "eseal_seal_builder_set_version");
        }
        return this;
    }

    /**
     * Sets the vendor ID (SES_Header.Vid, ASCII) and the seal type (SES_ESPropertyInfo.type).
     */
    public SealBuilder vendorAndType(String vendorId, long sealType) {
        byte[] vendorText = cString(vendorId, "vendorId");
        try (Lease builder = exclusiveLease()) {
            check(lib().eseal_seal_builder_set_vendor_and_type(
                    builder.pointer(), vendorText, sealType),
                    "eseal_seal_builder_set_vendor_and_type");
        }
        return this;
    }

    /**
     * Sets the validity period (validStart, validEnd), truncated to whole seconds.
     *
     * @throws IllegalArgumentException when a time is before 1970
     */
    public SealBuilder validity(Instant start, Instant end) {
        Objects.requireNonNull(start, "start must not be null");
        Objects.requireNonNull(end, "end must not be null");
        long startSeconds = unixSeconds(start, "start");
        long endSeconds = unixSeconds(end, "end");
        try (Lease builder = exclusiveLease()) {
            check(lib().eseal_seal_builder_set_validity(
                    builder.pointer(), startSeconds, endSeconds),
                    "eseal_seal_builder_set_validity");
        }
        return this;
    }

    /**
     * Sets the seal picture. Its type is detected from the bytes: PNG, JPEG, GIF, BMP, SVG or
     * OFD. The bytes are copied.
     *
     * @param widthMm the printed width in millimetres
     * @param heightMm the printed height in millimetres
     * @throws EsealException with {@link EsealException#PICTURE_INVALID} when the type is not
     *     recognised
     */
    public SealBuilder picture(byte[] data, long widthMm, long heightMm) {
        Objects.requireNonNull(data, "data must not be null");
        try (Memory memory = copyToNative(data); Lease builder = exclusiveLease()) {
            check(lib().eseal_seal_builder_set_picture(
                    builder.pointer(), memory, size(data.length), widthMm, heightMm),
                    "eseal_seal_builder_set_picture");
        }
        return this;
    }

    /** Authorises a signer by its whole certificate (certListType 1). */
    public SealBuilder addSigner(Certificate cert) {
        return addSigner(cert, false);
    }

    /** Authorises a signer by the SM3 digest of its certificate (certListType 2). */
    public SealBuilder addSignerByDigest(Certificate cert) {
        return addSigner(cert, true);
    }

    private SealBuilder addSigner(Certificate cert, boolean byDigest) {
        Objects.requireNonNull(cert, "cert must not be null");
        try (Lease builder = exclusiveLease(); Lease certificate = cert.lease()) {
            check(lib().eseal_seal_builder_add_signer(
                    builder.pointer(), certificate.pointer(), (byte) (byDigest ? 1 : 0)),
                    "eseal_seal_builder_add_signer");
        }
        return this;
    }

    /**
     * Signs the seal with the maker's (制章者) key and certificate.
     *
     * @throws EsealException for example {@link EsealException#ENCODE_FAILED} when the esID is
     *     not ASCII or a required field is missing
     */
    public Seal sign(PrivateKey makerKey, Certificate makerCert) {
        Objects.requireNonNull(makerKey, "makerKey must not be null");
        Objects.requireNonNull(makerCert, "makerCert must not be null");
        PointerByReference out = new PointerByReference();
        try (Lease builder = exclusiveLease();
                Lease key = makerKey.lease();
                Lease cert = makerCert.lease()) {
            check(lib().eseal_seal_builder_sign(
                    builder.pointer(), key.pointer(), cert.pointer(), out),
                    "eseal_seal_builder_sign");
        }
        return new Seal(out);
    }
}
