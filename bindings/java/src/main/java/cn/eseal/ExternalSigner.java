package cn.eseal;

/**
 * A device or service that stores an SM2 private key and signs with it, such as a USB key (SKF),
 * an HSM (SDF) or a seal server. Used by
 * {@link Signer#signWith(Seal, Certificate, byte[], ExternalSigner, java.time.Instant, String)},
 * and with a time stamp by {@link Signer#signWith(Seal, Certificate, byte[], ExternalSigner,
 * TimeStamper, java.time.Instant, String)}.
 *
 * <p>{@link PrivateKey#signDigest} is a software signer with the same contract, for tests.
 */
@FunctionalInterface
public interface ExternalSigner {
    /**
     * Signs a prehashed value e = SM3(Z || M), which eseal computes with the certificate's
     * public key and the default SM2 ID.
     *
     * @param digest the 32 bytes of e
     * @return the signature r || s, 64 bytes, each half big-endian
     * @throws Exception any failure, which makes signing fail with
     *     {@link EsealException#SIGNER_FAILED}
     */
    byte[] sign(byte[] digest) throws Exception;
}
