package cn.eseal;

import java.time.Instant;

/**
 * An online revocation check, such as an OCSP client or a query to a seal server, set with
 * {@link TrustPolicy#setRevocationChecker}.
 *
 * <p>eseal calls it for each certificate of a path that no CRL of the policy covers. It may be
 * called from several threads at once, one for each verification with the policy, so it must be
 * thread-safe.
 */
@FunctionalInterface
public interface RevocationChecker {
    /**
     * Looks up whether {@code certificate} was revoked at {@code at}.
     *
     * @param certificate the certificate, DER
     * @param issuer the certificate of its issuer, DER
     * @param at the time checked: the signing time of a signature, or the time a seal is
     *     verified at
     * @return the status. Null counts as {@link RevocationStatus#UNKNOWN}.
     * @throws Exception any failure, which counts as {@link RevocationStatus#UNKNOWN} and is
     *     logged; it does not end the verification
     */
    RevocationStatus check(byte[] certificate, byte[] issuer, Instant at) throws Exception;
}
