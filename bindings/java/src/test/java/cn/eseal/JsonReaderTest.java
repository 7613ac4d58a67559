package cn.eseal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The JSON parser that splits OFD reports per signature. */
class JsonReaderTest {
    @Test
    void parsesValues() {
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("text", "a");
        expected.put("count", 12L);
        expected.put("negative", -3L);
        expected.put("fraction", 128.5);
        expected.put("exponent", 1.5e3);
        expected.put("yes", true);
        expected.put("no", false);
        expected.put("nothing", null);
        expected.put("list", Arrays.asList(1L, "b", Collections.emptyList()));
        expected.put("empty", Collections.emptyMap());
        Object parsed = JsonReader.parse("{\n  \"text\": \"a\", \"count\": 12, \"negative\": -3,"
                + " \"fraction\": 128.5, \"exponent\": 1.5E+3, \"yes\": true, \"no\": false,"
                + " \"nothing\": null, \"list\": [1, \"b\", []], \"empty\": {}\n}");
        assertEquals(expected, parsed);
    }

    @Test
    void keepsKeyOrder() {
        @SuppressWarnings("unchecked")
        Map<String, Object> parsed = (Map<String, Object>) JsonReader.parse("{\"b\":1,\"a\":2}");
        assertEquals(Arrays.asList("b", "a"), Arrays.asList(parsed.keySet().toArray()));
    }

    @Test
    void decodesEscapes() {
        assertEquals("\"\\/\b\f\n\r\t", JsonReader.parse("\"\\\"\\\\\\/\\b\\f\\n\\r\\t\""));
        assertEquals("印章", JsonReader.parse("\"\\u5370\\u7ae0\""));
        assertEquals("印章", JsonReader.parse("\"印章\""));
        // U+1F600 as a surrogate pair.
        assertEquals("\ud83d\ude00", JsonReader.parse("\"\\ud83d\\ude00\""));
        assertEquals("R&W", JsonReader.parse("\"R&W\""));
    }

    @Test
    void largeIntegerBecomesDouble() {
        assertEquals(Long.MAX_VALUE, JsonReader.parse("9223372036854775807"));
        assertEquals(1e19, JsonReader.parse("10000000000000000000"));
    }

    @Test
    void rejectsInvalidJson() {
        List<String> invalid = Arrays.asList(
                "", " ", "{", "[1,]", "{\"a\" 1}", "{\"a\":1,}", "{a:1}", "\"open",
                "\"bad \\x escape\"", "\"\\u12\"", "01", "-", "1.", "1e", "tru", "nul",
                "[1] 2", "\"tab\there\"", "'single'");
        for (String text : invalid) {
            IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                    () -> JsonReader.parse(text), text);
            assertTrue(error.getMessage().startsWith("Invalid JSON at character "),
                    error.getMessage());
        }
    }
}
