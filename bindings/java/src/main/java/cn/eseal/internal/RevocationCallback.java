package cn.eseal.internal;

import com.sun.jna.Callback;
import com.sun.jna.Pointer;

/**
 * The C type {@code eseal_revocation_callback}. Internal to the eseal binding, not part of its
 * API.
 *
 * <p>JNA calls the method by reflection, so this interface must be public.
 */
public interface RevocationCallback extends Callback {
    /**
     * Returns an {@code ESEAL_REVOCATION_STATUS_*} value for the certificate at
     * {@code certDer}, and for a revoked one writes the revocation time in seconds since
     * 1970-01-01T00:00:00Z to {@code revokedAtOut}.
     */
    int invoke(
            Pointer context,
            Pointer certDer,
            SizeT certLen,
            Pointer issuerDer,
            SizeT issuerLen,
            long unixTime,
            Pointer revokedAtOut);
}
