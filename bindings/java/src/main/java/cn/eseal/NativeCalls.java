package cn.eseal;

import cn.eseal.internal.SizeT;
import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Objects;

/** Conversions between Java values and C ABI arguments, and result code checks. */
final class NativeCalls {
    /** The C ABI's {@code ESEAL_TIME_NOW}: sign or verify at the current time. */
    static final long TIME_NOW = -1;

    private NativeCalls() {}

    static EsealNative lib() {
        return LibraryLoader.get();
    }

    /**
     * Throws {@link EsealException} unless {@code code} is {@code ESEAL_RESULT_OK}. Call it right
     * after the C call, on the same thread and before any other eseal call, because the
     * library keeps the detailed message of the last failure per thread.
     */
    static void check(int code, String function) {
        if (code != EsealException.OK) {
            throw new EsealException(code, function, lastErrorMessage());
        }
    }

    /** Reads {@code eseal_last_error_message}: empty when no call on this thread has failed. */
    static String lastErrorMessage() {
        Pointer message = lib().eseal_last_error_message();
        return message == null ? "" : message.getString(0, "UTF-8");
    }

    /**
     * Copies bytes to native memory. The copy is at least one byte long, so that empty data is
     * passed as a non-NULL pointer with length 0, which the C ABI reads as empty data, not as
     * missing data.
     */
    static Memory copyToNative(byte[] data, int offset, int length) {
        Memory memory = new Memory(Math.max(length, 1));
        memory.write(0, data, offset, length);
        return memory;
    }

    static Memory copyToNative(byte[] data) {
        return copyToNative(data, 0, data.length);
    }

    static SizeT size(long value) {
        return new SizeT(value);
    }

    /**
     * Encodes a string for the C ABI: UTF-8 with a terminating NUL.
     *
     * @throws NullPointerException when {@code value} is null
     * @throws IllegalArgumentException when it contains a NUL character, which would cut the C
     *     string short, or an unpaired surrogate, which has no UTF-8 form
     */
    static byte[] cString(String value, String parameter) {
        Objects.requireNonNull(value, parameter + " must not be null");
        if (value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(parameter + " must not contain a NUL character");
        }
        CharsetEncoder encoder = StandardCharsets.UTF_8.newEncoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer encoded;
        try {
            encoded = encoder.encode(CharBuffer.wrap(value));
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(
                    parameter + " is not valid Unicode (it has an unpaired surrogate)", e);
        }
        byte[] result = new byte[encoded.remaining() + 1];
        encoded.get(result, 0, encoded.remaining());
        return result;
    }

    /** As {@link #cString}, but null becomes a NULL pointer. */
    static byte[] optionalCString(String value, String parameter) {
        return value == null ? null : cString(value, parameter);
    }

    /** Reads a NUL-terminated UTF-8 string that a successful call returned. */
    static String readString(Pointer pointer, String function) {
        if (pointer == null) {
            throw new IllegalStateException(function + " returned success but a NULL string");
        }
        return pointer.getString(0, "UTF-8");
    }

    /** Copies {@code length} bytes that a successful call returned. */
    static byte[] readBytes(Pointer pointer, long length, String function) {
        if (length > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException(
                    function + " returned " + length + " bytes, too many for a Java array");
        }
        if (length == 0) {
            return new byte[0];
        }
        if (pointer == null) {
            throw new IllegalStateException(function + " returned success but a NULL pointer");
        }
        return pointer.getByteArray(0, (int) length);
    }

    /**
     * Converts a time argument to seconds since 1970-01-01T00:00:00Z, dropping any fraction of
     * a second. Null becomes {@link #TIME_NOW}.
     *
     * @throws IllegalArgumentException for times before 1970, which the C ABI does not take
     */
    static long unixSeconds(Instant time, String parameter) {
        if (time == null) {
            return TIME_NOW;
        }
        long seconds = time.getEpochSecond();
        if (seconds < 0) {
            throw new IllegalArgumentException(
                    parameter + " is " + time + ", but eseal takes only times from"
                            + " 1970-01-01T00:00:00Z on");
        }
        return seconds;
    }

    /** Converts seconds since 1970 to an Instant, saturating at {@link Instant#MAX}. */
    static Instant instant(long unixSeconds) {
        if (unixSeconds > Instant.MAX.getEpochSecond()) {
            return Instant.MAX;
        }
        return Instant.ofEpochSecond(unixSeconds);
    }
}
