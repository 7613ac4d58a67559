package cn.eseal.internal;

import com.sun.jna.Pointer;
import com.sun.jna.Structure;

/**
 * The C struct {@code eseal_stamp} for JNA: where a seal appears on an OFD page, in millimetres.
 * Internal to the eseal binding, not part of its API; use {@code cn.eseal.Stamp}.
 *
 * <p>The fields follow the C declaration in order, with camel-case names. {@code clipped} is a C
 * {@code bool}, one byte that must be 0 or 1, so it is a {@code byte} here, because JNA would
 * map a Java {@code boolean} to a four-byte int. With the platform's default alignment the
 * struct is 80 bytes on x86-64.
 *
 * <p>JNA reads the fields by reflection, so this class and its fields must be public.
 */
@Structure.FieldOrder({
    "page", "x", "y", "width", "height",
    "clipped", "clipX", "clipY", "clipWidth", "clipHeight"
})
public final class StampStruct extends Structure {
    /** Page number, counting from 1 ({@code uint32_t}). */
    public int page;
    /** Left edge of the seal's box. */
    public double x;
    /** Top edge of the seal's box. */
    public double y;
    /** Width of the seal's box. */
    public double width;
    /** Height of the seal's box. */
    public double height;
    /** 1 when the clip box applies, else 0. */
    public byte clipped;
    /** Left edge of the clip box, relative to the seal's box. */
    public double clipX;
    /** Top edge of the clip box, relative to the seal's box. */
    public double clipY;
    /** Width of the clip box. */
    public double clipWidth;
    /** Height of the clip box. */
    public double clipHeight;

    /** Creates a struct in memory of its own. */
    public StampStruct() {
        super();
    }

    /** Creates a struct over existing native memory, such as one element of an array. */
    public StampStruct(Pointer memory) {
        super(memory);
    }

    /** Returns the offset of a field in bytes, for checks of the layout. */
    public int offsetOf(String field) {
        return fieldOffset(field);
    }
}
