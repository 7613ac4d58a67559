package cn.eseal.internal;

import com.sun.jna.Native;
import com.sun.jna.ptr.ByReference;

/**
 * A C {@code size_t *} output argument for JNA. Internal to the eseal binding, not part of its
 * API.
 *
 * <p>JNA creates instances of argument types by reflection, so this class must be public.
 */
public final class SizeTByReference extends ByReference {
    /** Creates a reference holding zero. */
    public SizeTByReference() {
        super(Native.SIZE_T_SIZE);
        getPointer().setMemory(0, Native.SIZE_T_SIZE, (byte) 0);
    }

    /** Returns the value written by the native call, as an unsigned number. */
    public long getValue() {
        if (Native.SIZE_T_SIZE == 8) {
            return getPointer().getLong(0);
        }
        return getPointer().getInt(0) & 0xFFFF_FFFFL;
    }
}
