package cn.eseal;

/**
 * A failed eseal call. {@link #code()} is the C ABI's {@code eseal_result} value and
 * {@link #detail()} the library's detailed message, such as the structure, field and byte offset
 * of a parse error. The exception message names the C function, the text of
 * {@code eseal_result_message}, the code and the detail.
 *
 * <p>Arguments that Java can check before the call fail with the usual Java exceptions instead:
 * {@link NullPointerException} for a null argument that is required,
 * {@link IllegalArgumentException} for a value out of range, and {@link IllegalStateException}
 * for a closed handle.
 */
public final class EsealException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Success; never the code of an exception. */
    public static final int OK = 0;
    /** A required pointer argument is NULL. */
    public static final int NULL_ARGUMENT = 100;
    /** An argument is out of range or a string is not UTF-8. */
    public static final int INVALID_ARGUMENT = 101;
    /** The caller's buffer is too small. */
    public static final int BUFFER_TOO_SMALL = 102;
    /** eseal panicked; the call had no effect. */
    public static final int PANIC = 103;
    /** Reading data failed. */
    public static final int IO = 104;
    /** The bytes are not a well-formed seal or signature. */
    public static final int PARSE_ERROR = 200;
    /**
     * The OFD package cannot be read: not a ZIP, over a size limit, a missing or escaping path,
     * or malformed XML.
     */
    public static final int OFD_INVALID = 201;
    /** A private key could not be read or used. */
    public static final int KEY_INVALID = 300;
    /** A certificate could not be read. */
    public static final int CERTIFICATE_INVALID = 301;
    /** The system random number generator failed. */
    public static final int RNG_FAILED = 302;
    /**
     * The password of an encrypted private key or a PKCS#12 file is wrong. Damaged ciphertext
     * fails the same checks, so it gives this code too.
     */
    public static final int WRONG_PASSWORD = 303;
    /** The seal picture does not match its type or is not supported. */
    public static final int PICTURE_INVALID = 400;
    /** A value cannot be written as DER (for example a non-ASCII esID) or is missing. */
    public static final int ENCODE_FAILED = 401;
    /** Signing refused: the seal's maker signature does not verify. */
    public static final int SEAL_SIGNATURE_INVALID = 500;
    /** Signing refused: the signing time is outside the seal's validity. */
    public static final int SEAL_NOT_VALID_AT_TIME = 501;
    /** Signing refused: the signer's certificate is not in the seal's certList. */
    public static final int SIGNER_NOT_IN_CERT_LIST = 502;
    /** Signing refused: the signer's certificate is not valid at the signing time. */
    public static final int SIGNER_CERTIFICATE_NOT_VALID_AT_TIME = 503;
    /** Signing refused: the private key does not belong to the certificate. */
    public static final int KEY_CERTIFICATE_MISMATCH = 504;
    /** Signing refused: the seal's version cannot be used in the requested signature version. */
    public static final int VERSION_MISMATCH = 505;
    /** An SM2 signature could not be made or does not verify. */
    public static final int SIGNATURE_INVALID = 506;
    /** Signing refused: the seal maker's certificate is not valid at the signing time. */
    public static final int MAKER_CERTIFICATE_NOT_VALID_AT_TIME = 507;
    /** An external signer reported a failure. */
    public static final int SIGNER_FAILED = 508;
    /** The time stamp service failed or returned more bytes than fit. */
    public static final int TIME_STAMP_FAILED = 509;
    /**
     * The time stamp service returned bytes that are not a time stamp token, or a token that
     * does not cover the signature value.
     */
    public static final int TIME_STAMP_INVALID = 510;
    /** A CRL cannot be read: not PEM or DER, or not a well-formed X.509 CRL. */
    public static final int CRL_INVALID = 600;
    /** A seal revocation list cannot be read: not PEM or DER, or not well-formed. */
    public static final int SEAL_REVOCATION_LIST_INVALID = 601;

    private final int code;
    private final String function;
    private final String detail;

    /**
     * Creates the exception of a failed call.
     *
     * @param detail the text of {@code eseal_last_error_message} read right after the call; an
     *     empty text is replaced by the result code's message
     */
    EsealException(int code, String function, String detail) {
        this(code, function, describe(code), detail);
    }

    private EsealException(int code, String function, String codeMessage, String detail) {
        super(message(code, function, codeMessage, detail));
        this.code = code;
        this.function = function;
        this.detail = detail == null || detail.isEmpty() ? codeMessage : detail;
    }

    private static String message(int code, String function, String codeMessage, String detail) {
        String message = function + " failed: " + codeMessage + " (code " + code + ")";
        if (detail == null || detail.isEmpty() || detail.equals(codeMessage)) {
            return message;
        }
        return message + ": " + detail;
    }

    /** Returns the {@code eseal_result} code, such as {@link #PARSE_ERROR}. */
    public int code() {
        return code;
    }

    /** Returns the name of the C function that failed, such as {@code eseal_sign}. */
    public String function() {
        return function;
    }

    /**
     * Returns the library's detailed English message of the failure, such as
     * {@code page 9 does not exist; the document has 5 pages} or the structure, field and byte
     * offset of a parse error. Where the library gives no further detail, this is the result
     * code's message.
     */
    public String detail() {
        return detail;
    }

    /** Returns the English text of {@code eseal_result_message} for a result code. */
    public static String describe(int code) {
        EsealNative library = LibraryLoader.get();
        return NativeCalls.readString(library.eseal_result_message(code), "eseal_result_message");
    }
}
