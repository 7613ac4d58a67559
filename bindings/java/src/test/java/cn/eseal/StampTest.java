package cn.eseal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.eseal.internal.StampStruct;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Stamp placements, riding seals, and the layout of the C struct eseal_stamp. */
class StampTest {
    @Test
    void stampFields() {
        Stamp stamp = new Stamp(3, 10.5, 20, 40, 30);
        assertEquals(3, stamp.page());
        assertEquals(10.5, stamp.x());
        assertEquals(20, stamp.y());
        assertEquals(40, stamp.width());
        assertEquals(30, stamp.height());
        assertFalse(stamp.clip().isPresent());

        Stamp clipped = stamp.withClip(5, 0, 10, 30);
        assertTrue(clipped.clip().isPresent());
        assertEquals(5, clipped.clip().get().x());
        assertEquals(0, clipped.clip().get().y());
        assertEquals(10, clipped.clip().get().width());
        assertEquals(30, clipped.clip().get().height());
        assertFalse(stamp.clip().isPresent(), "withClip must not change the original");
    }

    @Test
    void stampEquality() {
        assertEquals(new Stamp(1, 10, 20, 40, 40), new Stamp(1, 10, 20, 40, 40));
        assertEquals(new Stamp(1, 10, 20, 40, 40).hashCode(),
                new Stamp(1, 10, 20, 40, 40).hashCode());
        assertNotEquals(new Stamp(1, 10, 20, 40, 40), new Stamp(2, 10, 20, 40, 40));
        assertNotEquals(new Stamp(1, 10, 20, 40, 40),
                new Stamp(1, 10, 20, 40, 40).withClip(0, 0, 8, 40));
        assertEquals("Stamp[page=1, box=10.0 20.0 40.0 40.0, clip=0.0 0.0 8.0 40.0]",
                new Stamp(1, 10, 20, 40, 40).withClip(0, 0, 8, 40).toString());
    }

    @Test
    void invalidStampsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new Stamp(0, 10, 20, 40, 40));
        assertThrows(IllegalArgumentException.class, () -> new Stamp(-1, 10, 20, 40, 40));
        assertThrows(IllegalArgumentException.class, () -> new Stamp(1, Double.NaN, 20, 40, 40));
        assertThrows(IllegalArgumentException.class,
                () -> new Stamp(1, 10, Double.POSITIVE_INFINITY, 40, 40));
        assertThrows(IllegalArgumentException.class, () -> new Stamp(1, 10, 20, 0, 40));
        assertThrows(IllegalArgumentException.class, () -> new Stamp(1, 10, 20, 40, -1));
        assertThrows(IllegalArgumentException.class, () -> new Stamp(1, 10, 20, Double.NaN, 40));
        assertThrows(IllegalArgumentException.class,
                () -> new Stamp(1, 10, 20, 40, Double.POSITIVE_INFINITY));
        Stamp stamp = new Stamp(1, 10, 20, 40, 40);
        assertThrows(IllegalArgumentException.class, () -> stamp.withClip(0, 0, 0, 40));
        assertThrows(IllegalArgumentException.class, () -> stamp.withClip(Double.NaN, 0, 8, 40));
        IllegalArgumentException error =
                assertThrows(IllegalArgumentException.class, () -> new Stamp(0, 1, 1, 1, 1));
        assertTrue(error.getMessage().contains("page"), error.getMessage());
    }

    @Test
    void ridingMatchesRustSplit() {
        // The values of the Rust unit test riding_slices_join.
        List<Stamp> parts = Stamp.riding(1, 5, 210.0, 128.5, 40.0, 40.0);
        assertEquals(5, parts.size());
        assertEquals(new Stamp(1, 202, 128.5, 40, 40).withClip(0, 0, 8, 40), parts.get(0));
        assertEquals(new Stamp(2, 194, 128.5, 40, 40).withClip(8, 0, 8, 40), parts.get(1));
        assertEquals(new Stamp(5, 170, 128.5, 40, 40).withClip(32, 0, 8, 40), parts.get(4));
        assertThrows(UnsupportedOperationException.class, () -> parts.remove(0));
    }

    @Test
    void ridingSlicesJoin() {
        // Three pages: slices that do not divide evenly still cover the seal without gaps.
        List<Stamp> parts = Stamp.riding(4, 6, 297, 50, 42, 42);
        double slice = 42.0 / 3;
        for (int k = 0; k < parts.size(); k++) {
            Stamp part = parts.get(k);
            assertEquals(4 + k, part.page());
            assertEquals(297 - slice * (k + 1), part.x());
            assertEquals(slice * k, part.clip().get().x());
            assertEquals(slice, part.clip().get().width());
            // The visible slice ends at the right edge of the page.
            assertEquals(297, part.x() + part.clip().get().x() + slice, 1e-9);
        }
    }

    @Test
    void ridingOnOnePage() {
        List<Stamp> parts = Stamp.riding(2, 2, 210, 100, 40, 40);
        assertEquals(1, parts.size());
        assertEquals(new Stamp(2, 170, 100, 40, 40).withClip(0, 0, 40, 40), parts.get(0));
    }

    @Test
    void invalidRidingRejected() {
        assertThrows(IllegalArgumentException.class, () -> Stamp.riding(0, 5, 210, 128.5, 40, 40));
        assertThrows(IllegalArgumentException.class, () -> Stamp.riding(3, 2, 210, 128.5, 40, 40));
        assertThrows(IllegalArgumentException.class, () -> Stamp.riding(1, 5, 0, 128.5, 40, 40));
        assertThrows(IllegalArgumentException.class,
                () -> Stamp.riding(1, 5, Double.NaN, 128.5, 40, 40));
        assertThrows(IllegalArgumentException.class, () -> Stamp.riding(1, 5, 210, 128.5, 0, 40));
        assertThrows(IllegalArgumentException.class,
                () -> Stamp.riding(1, 5, 210, Double.NaN, 40, 40));
    }

    @Test
    void structLayoutMatchesHeader() {
        // include/eseal.h: uint32_t page; double x, y, width, height; bool clipped;
        // double clip_x, clip_y, clip_width, clip_height, with x86-64 alignment.
        StampStruct stamp = new StampStruct();
        assertEquals(80, stamp.size());
        assertEquals(0, stamp.offsetOf("page"));
        assertEquals(8, stamp.offsetOf("x"));
        assertEquals(16, stamp.offsetOf("y"));
        assertEquals(24, stamp.offsetOf("width"));
        assertEquals(32, stamp.offsetOf("height"));
        assertEquals(40, stamp.offsetOf("clipped"));
        assertEquals(48, stamp.offsetOf("clipX"));
        assertEquals(56, stamp.offsetOf("clipY"));
        assertEquals(64, stamp.offsetOf("clipWidth"));
        assertEquals(72, stamp.offsetOf("clipHeight"));
    }
}
