package cn.eseal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses JSON text (RFC 8259) into plain Java values: {@link Map} (keys in document order),
 * {@link List}, {@link String}, {@link Boolean}, {@link Long} for integers that fit, {@link Double}
 * for other numbers, and null. Only the JSON of an OFD report keeps the checks per signature, so
 * the binding parses it. The JDK has no JSON parser.
 *
 * <p>Nesting is parsed recursively, which is fine for the few levels of eseal's reports but not
 * meant for untrusted, deeply nested input.
 */
final class JsonReader {
    private final String text;
    private int position;

    private JsonReader(String text) {
        this.text = text;
    }

    /**
     * Parses one JSON value that makes up the whole text, apart from white space.
     *
     * @throws IllegalArgumentException when the text is not valid JSON; the message gives the
     *     character offset
     */
    static Object parse(String text) {
        JsonReader reader = new JsonReader(text);
        Object value = reader.readValue();
        reader.skipWhitespace();
        if (reader.position != text.length()) {
            throw reader.error("end of the text");
        }
        return value;
    }

    private Object readValue() {
        skipWhitespace();
        if (position >= text.length()) {
            throw error("a value");
        }
        char next = text.charAt(position);
        switch (next) {
            case '{':
                return readObject();
            case '[':
                return readArray();
            case '"':
                return readString();
            case 't':
                readLiteral("true");
                return Boolean.TRUE;
            case 'f':
                readLiteral("false");
                return Boolean.FALSE;
            case 'n':
                readLiteral("null");
                return null;
            default:
                return readNumber();
        }
    }

    private Map<String, Object> readObject() {
        Map<String, Object> object = new LinkedHashMap<>();
        position++;
        skipWhitespace();
        if (consume('}')) {
            return object;
        }
        do {
            skipWhitespace();
            if (position >= text.length() || text.charAt(position) != '"') {
                throw error("a string key");
            }
            String key = readString();
            skipWhitespace();
            if (!consume(':')) {
                throw error("':'");
            }
            object.put(key, readValue());
            skipWhitespace();
        } while (consume(','));
        if (!consume('}')) {
            throw error("',' or '}'");
        }
        return object;
    }

    private List<Object> readArray() {
        List<Object> array = new ArrayList<>();
        position++;
        skipWhitespace();
        if (consume(']')) {
            return array;
        }
        do {
            array.add(readValue());
            skipWhitespace();
        } while (consume(','));
        if (!consume(']')) {
            throw error("',' or ']'");
        }
        return array;
    }

    private String readString() {
        position++;
        StringBuilder result = new StringBuilder();
        while (true) {
            if (position >= text.length()) {
                throw error("the closing '\"' of a string");
            }
            char next = text.charAt(position++);
            if (next == '"') {
                return result.toString();
            }
            if (next < 0x20) {
                position--;
                throw error("an escape sequence in place of a control character");
            }
            if (next != '\\') {
                result.append(next);
                continue;
            }
            if (position >= text.length()) {
                throw error("an escape sequence");
            }
            char escaped = text.charAt(position++);
            switch (escaped) {
                case '"':
                case '\\':
                case '/':
                    result.append(escaped);
                    break;
                case 'b':
                    result.append('\b');
                    break;
                case 'f':
                    result.append('\f');
                    break;
                case 'n':
                    result.append('\n');
                    break;
                case 'r':
                    result.append('\r');
                    break;
                case 't':
                    result.append('\t');
                    break;
                case 'u':
                    // A character outside the BMP arrives as two escapes, a surrogate pair,
                    // which the StringBuilder joins as Java strings store them.
                    result.append(readHexCharacter());
                    break;
                default:
                    position--;
                    throw error("a valid escape sequence");
            }
        }
    }

    private char readHexCharacter() {
        if (position + 4 > text.length()) {
            throw error("four hexadecimal digits");
        }
        int value = 0;
        for (int i = 0; i < 4; i++) {
            int digit = Character.digit(text.charAt(position), 16);
            if (digit < 0) {
                throw error("a hexadecimal digit");
            }
            value = value * 16 + digit;
            position++;
        }
        return (char) value;
    }

    private Object readNumber() {
        int start = position;
        consume('-');
        int digitsStart = position;
        if (!consumeDigits()) {
            throw error("a value");
        }
        if (text.charAt(digitsStart) == '0' && position - digitsStart > 1) {
            position = digitsStart;
            throw error("a number without leading zeros");
        }
        boolean integral = true;
        if (consume('.')) {
            integral = false;
            if (!consumeDigits()) {
                throw error("digits after '.'");
            }
        }
        if (consume('e') || consume('E')) {
            integral = false;
            if (!consume('+')) {
                consume('-');
            }
            if (!consumeDigits()) {
                throw error("exponent digits");
            }
        }
        String number = text.substring(start, position);
        if (integral) {
            try {
                return Long.parseLong(number);
            } catch (NumberFormatException tooLarge) {
                // Falls through to a double, as other JSON readers do for huge integers.
            }
        }
        return Double.parseDouble(number);
    }

    private boolean consumeDigits() {
        int start = position;
        while (position < text.length() && text.charAt(position) >= '0'
                && text.charAt(position) <= '9') {
            position++;
        }
        return position > start;
    }

    private void readLiteral(String literal) {
        if (!text.startsWith(literal, position)) {
            throw error("'" + literal + "'");
        }
        position += literal.length();
    }

    private boolean consume(char expected) {
        if (position < text.length() && text.charAt(position) == expected) {
            position++;
            return true;
        }
        return false;
    }

    private void skipWhitespace() {
        while (position < text.length()) {
            char next = text.charAt(position);
            if (next != ' ' && next != '\t' && next != '\n' && next != '\r') {
                return;
            }
            position++;
        }
    }

    private IllegalArgumentException error(String expected) {
        String found = position < text.length()
                ? "'" + text.charAt(position) + "'"
                : "the end of the text";
        return new IllegalArgumentException(
                "Invalid JSON at character " + position + ": expected " + expected + ", found "
                        + found);
    }
}
