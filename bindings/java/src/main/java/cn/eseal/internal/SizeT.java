package cn.eseal.internal;

import com.sun.jna.IntegerType;
import com.sun.jna.Native;

/**
 * A C {@code size_t} argument for JNA. Internal to the eseal binding, not part of its API.
 *
 * <p>JNA creates instances of argument types by reflection, so this class must be public.
 */
public final class SizeT extends IntegerType {
    private static final long serialVersionUID = 1L;

    /** Creates a zero value; JNA needs this constructor. */
    public SizeT() {
        this(0);
    }

    /** Creates a value, which must not be negative. */
    public SizeT(long value) {
        super(Native.SIZE_T_SIZE, value, true);
    }
}
