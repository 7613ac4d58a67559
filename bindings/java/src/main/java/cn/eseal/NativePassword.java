package cn.eseal;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * A password copied to native memory as UTF-8 for one call. The Java byte copy made while
 * encoding is overwritten at once, and the native copy when this object is closed. The caller
 * owns the {@code char[]} and clears it when it is no longer needed.
 */
final class NativePassword implements AutoCloseable {
    private final Memory memory;
    private final int length;

    /**
     * Encodes {@code password} as UTF-8 into native memory.
     *
     * @throws NullPointerException when {@code password} is null
     * @throws IllegalArgumentException when it has an unpaired surrogate, which has no UTF-8
     *     form
     */
    NativePassword(char[] password) {
        Objects.requireNonNull(password, "password must not be null");
        CharsetEncoder encoder = StandardCharsets.UTF_8.newEncoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer encoded;
        try {
            encoded = encoder.encode(CharBuffer.wrap(password));
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(
                    "password is not valid Unicode (it has an unpaired surrogate)", e);
        }
        length = encoded.remaining();
        // At least one byte, so that the empty password is a non-NULL pointer with length 0.
        memory = new Memory(Math.max(length, 1));
        for (int i = 0; i < length; i++) {
            memory.setByte(i, encoded.get(i));
        }
        if (encoded.hasArray()) {
            Arrays.fill(encoded.array(), (byte) 0);
        }
    }

    Pointer pointer() {
        return memory;
    }

    int length() {
        return length;
    }

    @Override
    public void close() {
        memory.clear();
        memory.close();
    }
}
