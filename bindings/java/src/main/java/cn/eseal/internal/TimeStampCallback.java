package cn.eseal.internal;

import com.sun.jna.Callback;
import com.sun.jna.Pointer;

/**
 * The C type {@code eseal_time_stamp_callback}. Internal to the eseal binding, not part of its
 * API.
 *
 * <p>JNA calls the method by reflection, so this interface must be public.
 */
public interface TimeStampCallback extends Callback {
    /**
     * Writes a DER time stamp token over the {@code len} bytes at {@code data} to
     * {@code tokenOut} (at most {@code tokenCapacity} bytes) and its length, a {@code size_t}, to
     * {@code tokenLenOut}. Returns 0 on success and any other value on failure.
     */
    int invoke(
            Pointer context,
            Pointer data,
            SizeT len,
            Pointer tokenOut,
            SizeT tokenCapacity,
            Pointer tokenLenOut);
}
