package cn.eseal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The placement of a seal on a page of an OFD document: the page and the seal's box in
 * millimetres, from the top left corner of the page. A clip box, relative to the seal's box,
 * shows only part of the seal, as on each page of a riding seal (骑缝章). Immutable.
 *
 * <p>The box becomes the {@code Boundary} and the clip the {@code Clip} of a
 * {@code StampAnnot} in Signature.xml; the library writes each number rounded to 0.001 mm.
 */
public final class Stamp {
    private final int page;
    private final double x;
    private final double y;
    private final double width;
    private final double height;
    private final Clip clip;

    /**
     * Places the whole seal on one page.
     *
     * @param page the page number, counting from 1 in the order of Document.xml
     * @param x the left edge of the seal's box
     * @param y the top edge of the seal's box
     * @param width the width of the box, more than 0
     * @param height the height of the box, more than 0
     * @throws IllegalArgumentException when {@code page} is below 1, a number is not finite, or
     *     the width or height is not positive
     */
    public Stamp(int page, double x, double y, double width, double height) {
        this(page, x, y, width, height, null);
    }

    private Stamp(int page, double x, double y, double width, double height, Clip clip) {
        if (page < 1) {
            throw new IllegalArgumentException(
                    "page must be 1 or more (pages count from 1), but it is " + page);
        }
        requireBox(x, y, width, height, "the seal's box");
        this.page = page;
        this.x = x;
        this.y = y;
        this.width = width;
        this.height = height;
        this.clip = clip;
    }

    /**
     * Returns a copy that shows only the part of the seal inside a clip box.
     *
     * @param clipX the left edge of the clip box, relative to the seal's box
     * @param clipY the top edge of the clip box, relative to the seal's box
     * @param clipWidth the width of the clip box, more than 0
     * @param clipHeight the height of the clip box, more than 0
     * @throws IllegalArgumentException when a number is not finite, or the width or height is
     *     not positive
     */
    public Stamp withClip(double clipX, double clipY, double clipWidth, double clipHeight) {
        return new Stamp(page, x, y, width, height,
                new Clip(clipX, clipY, clipWidth, clipHeight));
    }

    /**
     * Splits a riding seal (骑缝章) across pages {@code firstPage} to {@code lastPage} at the
     * right edge of pages {@code pageWidth} millimetres wide, as the Rust library and
     * {@code eseal sign --riding} do. Page k of n (k from 0) shows the k-th vertical slice of
     * the seal, flush with the page edge, so that the slices join when the pages are fanned
     * out: with {@code slice = width / n}, its box is at
     * {@code x = pageWidth - slice * (k + 1)} and its clip is
     * {@code (slice * k, 0, slice, height)}.
     *
     * @param y the top edge of the seal on every page
     * @param width the width of the whole seal, more than 0
     * @param height the height of the seal, more than 0
     * @return one stamp per page, in page order, as an unmodifiable list
     * @throws IllegalArgumentException when {@code firstPage} is below 1, {@code lastPage} is
     *     below {@code firstPage}, a number is not finite, or a size is not positive
     */
    public static List<Stamp> riding(
            int firstPage, int lastPage, double pageWidth, double y, double width,
            double height) {
        if (firstPage < 1) {
            throw new IllegalArgumentException(
                    "firstPage must be 1 or more (pages count from 1), but it is " + firstPage);
        }
        if (lastPage < firstPage) {
            throw new IllegalArgumentException(
                    "lastPage " + lastPage + " is before firstPage " + firstPage);
        }
        if (!(pageWidth > 0) || Double.isInfinite(pageWidth)) {
            throw new IllegalArgumentException(
                    "pageWidth must be a finite number more than 0, but it is " + pageWidth);
        }
        int count = lastPage - firstPage + 1;
        double slice = width / count;
        List<Stamp> stamps = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            Stamp whole = new Stamp(firstPage + k, pageWidth - slice * (k + 1), y, width, height);
            stamps.add(whole.withClip(slice * k, 0, slice, height));
        }
        return Collections.unmodifiableList(stamps);
    }

    /** Returns the page number, counting from 1. */
    public int page() {
        return page;
    }

    /** Returns the left edge of the seal's box. */
    public double x() {
        return x;
    }

    /** Returns the top edge of the seal's box. */
    public double y() {
        return y;
    }

    /** Returns the width of the seal's box. */
    public double width() {
        return width;
    }

    /** Returns the height of the seal's box. */
    public double height() {
        return height;
    }

    /** Returns the clip box, or an empty Optional when the whole seal is shown. */
    public Optional<Clip> clip() {
        return Optional.ofNullable(clip);
    }

    private static void requireBox(
            double x, double y, double width, double height, String description) {
        if (!Double.isFinite(x) || !Double.isFinite(y)) {
            throw new IllegalArgumentException(
                    "The position of " + description + " must be finite, but it is (" + x
                            + ", " + y + ")");
        }
        if (!(width > 0) || !(height > 0) || Double.isInfinite(width)
                || Double.isInfinite(height)) {
            throw new IllegalArgumentException(
                    "The width and height of " + description + " must be finite and more than"
                            + " 0, but they are " + width + " and " + height);
        }
    }

    @Override
    public boolean equals(Object other) {
        if (!(other instanceof Stamp)) {
            return false;
        }
        Stamp that = (Stamp) other;
        return page == that.page
                && Double.compare(x, that.x) == 0
                && Double.compare(y, that.y) == 0
                && Double.compare(width, that.width) == 0
                && Double.compare(height, that.height) == 0
                && Objects.equals(clip, that.clip);
    }

    @Override
    public int hashCode() {
        return Objects.hash(page, x, y, width, height, clip);
    }

    @Override
    public String toString() {
        String box = "Stamp[page=" + page + ", box=" + x + " " + y + " " + width + " " + height;
        return clip == null ? box + "]" : box + ", clip=" + clip + "]";
    }

    /** The visible part of a seal, relative to the seal's box, in millimetres. Immutable. */
    public static final class Clip {
        private final double x;
        private final double y;
        private final double width;
        private final double height;

        private Clip(double x, double y, double width, double height) {
            requireBox(x, y, width, height, "the clip box");
            this.x = x;
            this.y = y;
            this.width = width;
            this.height = height;
        }

        /** Returns the left edge, relative to the seal's box. */
        public double x() {
            return x;
        }

        /** Returns the top edge, relative to the seal's box. */
        public double y() {
            return y;
        }

        /** Returns the width. */
        public double width() {
            return width;
        }

        /** Returns the height. */
        public double height() {
            return height;
        }

        @Override
        public boolean equals(Object other) {
            if (!(other instanceof Clip)) {
                return false;
            }
            Clip that = (Clip) other;
            return Double.compare(x, that.x) == 0
                    && Double.compare(y, that.y) == 0
                    && Double.compare(width, that.width) == 0
                    && Double.compare(height, that.height) == 0;
        }

        @Override
        public int hashCode() {
            return Objects.hash(x, y, width, height);
        }

        @Override
        public String toString() {
            return x + " " + y + " " + width + " " + height;
        }
    }
}
