package cn.eseal.internal;

import com.sun.jna.Callback;
import com.sun.jna.Pointer;

/**
 * The C type {@code eseal_sign_callback}. Internal to the eseal binding, not part of its API.
 *
 * <p>JNA calls the method by reflection, so this interface must be public.
 */
public interface SignCallback extends Callback {
    /**
     * Signs the 32 bytes at {@code digest} and writes r || s, 64 bytes, to
     * {@code signatureOut}. Returns 0 on success and any other value on failure.
     */
    int invoke(Pointer context, Pointer digest, Pointer signatureOut);
}
