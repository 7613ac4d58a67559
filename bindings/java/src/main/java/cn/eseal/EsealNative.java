package cn.eseal;

import cn.eseal.internal.RevocationCallback;
import cn.eseal.internal.SignCallback;
import cn.eseal.internal.TimeStampCallback;
import cn.eseal.internal.SizeT;
import cn.eseal.internal.SizeTByReference;
import com.sun.jna.Library;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.ByteByReference;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;

/**
 * The C ABI of libeseal as declared in {@code include/eseal.h}, mapped with JNA.
 *
 * <p>Type mapping: {@code eseal_result}, {@code eseal_check_status} and {@code uint32_t} are
 * {@code int}; {@code int64_t} is {@code long}; {@code bool} is {@code byte} because C
 * {@code bool} is one byte and JNA maps Java {@code boolean} to a four-byte int; input strings
 * are NUL-terminated UTF-8 {@code byte[]}; input bytes are {@link Pointer}s to native memory, so
 * that empty data is a non-NULL pointer with length 0; an {@code eseal_stamp} array is a
 * {@link Pointer} to native memory laid out by {@link cn.eseal.internal.StampStruct}; the
 * callback types are {@link RevocationCallback}, {@link SignCallback} and
 * {@link TimeStampCallback}.
 */
interface EsealNative extends Library {
    Pointer eseal_last_error_message();

    int eseal_debug_panic();

    int eseal_private_key_from_bytes(Pointer data, SizeT len, PointerByReference keyOut);

    int eseal_private_key_from_bytes_with_password(
            Pointer data,
            SizeT len,
            Pointer password,
            SizeT passwordLen,
            PointerByReference keyOut);

    int eseal_pkcs12_open(
            Pointer data,
            SizeT len,
            Pointer password,
            SizeT passwordLen,
            PointerByReference keyOut,
            PointerByReference certOut);

    int eseal_private_key_generate(PointerByReference keyOut);

    void eseal_private_key_free(Pointer key);

    int eseal_certificate_from_bytes(Pointer data, SizeT len, PointerByReference certOut);

    int eseal_certificate_names(
            Pointer cert,
            PointerByReference subjectOut,
            PointerByReference issuerOut,
            PointerByReference serialOut);

    int eseal_certificate_der(Pointer cert, PointerByReference derOut, SizeTByReference lenOut);

    int eseal_certificate_validity(
            Pointer cert, LongByReference notBeforeOut, LongByReference notAfterOut);

    void eseal_certificate_free(Pointer cert);

    int eseal_buffer_data(Pointer buffer, PointerByReference dataOut, SizeTByReference lenOut);

    void eseal_buffer_free(Pointer buffer);

    int eseal_ofd_verify(Pointer data, SizeT len, PointerByReference reportOut);

    int eseal_ofd_verify_file(byte[] path, PointerByReference reportOut);

    int eseal_ofd_sign(
            Pointer data,
            SizeT len,
            Pointer seal,
            Pointer key,
            Pointer cert,
            long unixTime,
            Pointer stamps,
            SizeT stampCount,
            byte protectSignatureList,
            PointerByReference signedOut);

    int eseal_ofd_sign_file(
            byte[] inputPath,
            byte[] outputPath,
            Pointer seal,
            Pointer key,
            Pointer cert,
            long unixTime,
            Pointer stamps,
            SizeT stampCount,
            byte protectSignatureList);

    int eseal_ofd_sign_with_time_stamp(
            Pointer data,
            SizeT len,
            Pointer seal,
            Pointer key,
            Pointer cert,
            long unixTime,
            Pointer stamps,
            SizeT stampCount,
            byte protectSignatureList,
            TimeStampCallback callback,
            Pointer context,
            PointerByReference signedOut);

    int eseal_ofd_sign_file_with_time_stamp(
            byte[] inputPath,
            byte[] outputPath,
            Pointer seal,
            Pointer key,
            Pointer cert,
            long unixTime,
            Pointer stamps,
            SizeT stampCount,
            byte protectSignatureList,
            TimeStampCallback callback,
            Pointer context);

    int eseal_report_valid(Pointer report, ByteByReference validOut);

    int eseal_report_json(Pointer report, PointerByReference jsonOut);

    int eseal_report_json_length(Pointer report, SizeTByReference lengthOut);

    int eseal_report_check_count(Pointer report, SizeTByReference countOut);

    int eseal_report_check(
            Pointer report,
            SizeT index,
            PointerByReference nameOut,
            IntByReference statusOut,
            PointerByReference messageOut,
            PointerByReference messageZhOut);

    int eseal_report_finding_count(Pointer report, SizeTByReference countOut);

    int eseal_report_finding(
            Pointer report,
            SizeT index,
            PointerByReference codeOut,
            PointerByReference messageOut,
            PointerByReference messageZhOut);

    void eseal_report_free(Pointer report);

    Pointer eseal_result_message(int result);

    Pointer eseal_version();

    int eseal_seal_from_der(Pointer der, SizeT len, PointerByReference sealOut);

    int eseal_seal_der(Pointer seal, PointerByReference derOut, SizeTByReference lenOut);

    int eseal_seal_info(
            Pointer seal,
            IntByReference versionOut,
            PointerByReference esIdOut,
            PointerByReference nameOut);

    int eseal_seal_verify(Pointer seal, long unixTime, PointerByReference reportOut);

    void eseal_seal_free(Pointer seal);

    int eseal_seal_builder_new(byte[] esId, byte[] name, PointerByReference builderOut);

    int eseal_seal_builder_set_version(Pointer builder, int version);

    int eseal_seal_builder_set_vendor_and_type(Pointer builder, byte[] vendorId, long sealType);

    int eseal_seal_builder_set_validity(Pointer builder, long validStart, long validEnd);

    int eseal_seal_builder_set_picture(
            Pointer builder, Pointer data, SizeT len, long widthMm, long heightMm);

    int eseal_seal_builder_add_signer(Pointer builder, Pointer cert, byte byDigest);

    int eseal_seal_builder_sign(
            Pointer builder, Pointer makerKey, Pointer makerCert, PointerByReference sealOut);

    void eseal_seal_builder_free(Pointer builder);

    int eseal_signature_from_der(Pointer der, SizeT len, PointerByReference signatureOut);

    int eseal_signature_der(Pointer signature, PointerByReference derOut, SizeTByReference lenOut);

    int eseal_signature_info(
            Pointer signature,
            IntByReference versionOut,
            LongByReference unixTimeOut,
            PointerByReference propertyInfoOut);

    int eseal_sm3(Pointer data, SizeT len, Pointer digestOut);

    int eseal_signature_verify(
            Pointer signature, Pointer data, SizeT len, PointerByReference reportOut);

    int eseal_signature_verify_digest(
            Pointer signature, Pointer digest, PointerByReference reportOut);

    void eseal_signature_free(Pointer signature);

    int eseal_verifier_new(PointerByReference verifierOut);

    int eseal_verifier_verify(
            Pointer verifier,
            Pointer signature,
            Pointer data,
            SizeT len,
            Pointer trust,
            PointerByReference reportOut);

    int eseal_verifier_verify_digest(
            Pointer verifier,
            Pointer signature,
            Pointer digest,
            Pointer trust,
            PointerByReference reportOut);

    void eseal_verifier_free(Pointer verifier);

    int eseal_sign(
            Pointer seal,
            Pointer key,
            Pointer cert,
            long unixTime,
            byte[] propertyInfo,
            Pointer data,
            SizeT len,
            PointerByReference signatureOut);

    int eseal_sign_digest(
            Pointer seal,
            Pointer key,
            Pointer cert,
            long unixTime,
            byte[] propertyInfo,
            Pointer digest,
            PointerByReference signatureOut);

    int eseal_signer_new(
            Pointer seal,
            Pointer cert,
            long unixTime,
            byte[] propertyInfo,
            PointerByReference signerOut);

    int eseal_signer_update(Pointer signer, Pointer data, SizeT len);

    int eseal_signer_set_time_stamp_callback(
            Pointer signer, TimeStampCallback callback, Pointer context);

    int eseal_signer_finish(Pointer signer, Pointer key, PointerByReference signatureOut);

    void eseal_signer_free(Pointer signer);

    int eseal_sign_with_callback(
            Pointer seal,
            Pointer cert,
            long unixTime,
            byte[] propertyInfo,
            Pointer data,
            SizeT len,
            SignCallback callback,
            Pointer context,
            PointerByReference signatureOut);

    int eseal_private_key_sign_digest(Pointer key, Pointer digest, Pointer signatureOut);

    int eseal_trust_new(PointerByReference trustOut);

    int eseal_trust_add_certificates(Pointer trust, Pointer data, SizeT len);

    int eseal_trust_add_certificates_with_count(
            Pointer trust, Pointer data, SizeT len, SizeTByReference countOut);

    int eseal_trust_add_crl(Pointer trust, Pointer data, SizeT len);

    int eseal_trust_add_seal_revocation_list(Pointer trust, Pointer data, SizeT len);

    int eseal_trust_set_revocation_callback(
            Pointer trust, RevocationCallback callback, Pointer context);

    void eseal_trust_free(Pointer trust);

    int eseal_signature_verify_with_trust(
            Pointer signature, Pointer data, SizeT len, Pointer trust, PointerByReference reportOut);

    int eseal_seal_verify_with_trust(
            Pointer seal, long unixTime, Pointer trust, PointerByReference reportOut);

    int eseal_ofd_verify_file_with_trust(byte[] path, Pointer trust, PointerByReference reportOut);

    int eseal_ofd_verify_with_trust(
            Pointer data, SizeT len, Pointer trust, PointerByReference reportOut);

    int eseal_signature_verify_digest_with_trust(
            Pointer signature, Pointer digest, Pointer trust, PointerByReference reportOut);

    int eseal_sign_with_time_stamp(
            Pointer seal,
            Pointer key,
            Pointer cert,
            long unixTime,
            byte[] propertyInfo,
            Pointer data,
            SizeT len,
            TimeStampCallback callback,
            Pointer context,
            PointerByReference signatureOut);

    int eseal_sign_digest_with_time_stamp(
            Pointer seal,
            Pointer key,
            Pointer cert,
            long unixTime,
            byte[] propertyInfo,
            Pointer digest,
            TimeStampCallback callback,
            Pointer context,
            PointerByReference signatureOut);

    int eseal_sign_with_callback_and_time_stamp(
            Pointer seal,
            Pointer cert,
            long unixTime,
            byte[] propertyInfo,
            Pointer data,
            SizeT len,
            SignCallback signCallback,
            Pointer signContext,
            TimeStampCallback timeStampCallback,
            Pointer timeStampContext,
            PointerByReference signatureOut);
}
