package cn.eseal;

/**
 * A time stamp service (GB/T 20520, the RFC 3161 profile with SM2 and SM3), such as a client of
 * the application's time stamp authority. Used by
 * {@link Signer#signWithTimeStamp(Seal, PrivateKey, Certificate, byte[], TimeStamper,
 * java.time.Instant, String)} and, with an external signer,
 * {@link Signer#signWith(Seal, Certificate, byte[], ExternalSigner, TimeStamper,
 * java.time.Instant, String)}.
 */
@FunctionalInterface
public interface TimeStamper {
    /**
     * Returns a DER TimeStampToken over {@code value}: its messageImprint must be the SM3 digest
     * of {@code value}.
     *
     * @param value the DER SM2 signature value of the new signature
     * @return the token, at most {@link Signer#MAX_TIME_STAMP_TOKEN_LENGTH} bytes
     * @throws Exception any failure, which makes signing fail with
     *     {@link EsealException#TIME_STAMP_FAILED}
     */
    byte[] stamp(byte[] value) throws Exception;
}
