package cn.eseal;

import com.sun.jna.Pointer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The result of verifying every signature of an OFD document: overall validity, one
 * {@link OfdSignatureReport} per signature, and the JSON that {@code eseal verify DOC.ofd
 * --json} prints.
 *
 * <p>A plain immutable Java value: it needs no closing and may be shared between threads.
 */
public final class OfdVerificationReport {
    private final boolean valid;
    private final String json;
    private final List<OfdSignatureReport> signatures;

    private OfdVerificationReport(
            boolean valid, String json, List<OfdSignatureReport> signatures) {
        this.valid = valid;
        this.json = json;
        this.signatures = Collections.unmodifiableList(signatures);
    }

    /**
     * Tells whether the document has at least one signature and every signature is valid. A
     * document without signatures is not valid.
     */
    public boolean isValid() {
        return valid;
    }

    /**
     * Returns the report as JSON: the text that {@code eseal verify DOC.ofd --json} prints,
     * without the final newline.
     */
    public String json() {
        return json;
    }

    /**
     * Returns one report per signature, in the order of the document's signature lists, as an
     * unmodifiable list.
     */
    public List<OfdSignatureReport> signatures() {
        return signatures;
    }

    /** Returns the signature with this ID in Signatures.xml, or null when there is none. */
    public OfdSignatureReport findSignature(String id) {
        for (OfdSignatureReport candidate : signatures) {
            if (candidate.id().equals(id)) {
                return candidate;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return "OfdVerificationReport[valid=" + valid + ", signatures=" + signatures + "]";
    }

    /** Copies a native OFD report into Java and frees it. */
    static OfdVerificationReport takeOwnership(Pointer report) {
        // The C report's check and finding lists run all signatures together, so the split per
        // signature comes from the JSON.
        VerificationReport copied = VerificationReport.takeOwnership(report);
        return new OfdVerificationReport(
                copied.isValid(), copied.json(), parseSignatures(copied.json()));
    }

    private static List<OfdSignatureReport> parseSignatures(String json) {
        Object parsed;
        try {
            parsed = JsonReader.parse(json);
        } catch (IllegalArgumentException e) {
            IllegalStateException error = malformed(e.getMessage());
            error.initCause(e);
            throw error;
        }
        Map<String, Object> root = object(parsed, "the report");
        Object kind = root.get("kind");
        if (!"ofd".equals(kind)) {
            throw malformed("\"kind\" is " + kind + ", not \"ofd\"");
        }
        List<OfdSignatureReport> signatures = new ArrayList<>();
        for (Object entry : list(root, "signatures")) {
            signatures.add(parseSignature(object(entry, "a \"signatures\" entry")));
        }
        return signatures;
    }

    private static OfdSignatureReport parseSignature(Map<String, Object> entry) {
        List<Check> checks = new ArrayList<>();
        for (Object item : list(entry, "checks")) {
            Map<String, Object> check = object(item, "a \"checks\" entry");
            checks.add(new Check(
                    string(check, "name"),
                    CheckStatus.fromJsonName(string(check, "status")),
                    string(check, "message"),
                    string(check, "message_zh")));
        }
        List<Finding> findings = new ArrayList<>();
        for (Object item : list(entry, "findings")) {
            Map<String, Object> finding = object(item, "a \"findings\" entry");
            findings.add(new Finding(
                    string(finding, "code"),
                    string(finding, "message"),
                    string(finding, "message_zh")));
        }
        return new OfdSignatureReport(
                string(entry, "id"),
                string(entry, "type"),
                string(entry, "path"),
                bool(entry, "valid"),
                count(entry, "references"),
                strings(entry, "failed_references"),
                checks,
                findings,
                strings(entry, "errors"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Object value, String description) {
        if (!(value instanceof Map)) {
            throw malformed(description + " is not an object");
        }
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Map<String, Object> object, String key) {
        Object value = object.get(key);
        if (!(value instanceof List)) {
            throw malformed("\"" + key + "\" is not an array");
        }
        return (List<Object>) value;
    }

    private static List<String> strings(Map<String, Object> object, String key) {
        List<String> result = new ArrayList<>();
        for (Object item : list(object, key)) {
            if (!(item instanceof String)) {
                throw malformed("\"" + key + "\" contains a value that is not a string");
            }
            result.add((String) item);
        }
        return result;
    }

    private static String string(Map<String, Object> object, String key) {
        Object value = object.get(key);
        if (!(value instanceof String)) {
            throw malformed("\"" + key + "\" is not a string");
        }
        return (String) value;
    }

    private static boolean bool(Map<String, Object> object, String key) {
        Object value = object.get(key);
        if (!(value instanceof Boolean)) {
            throw malformed("\"" + key + "\" is not true or false");
        }
        return (Boolean) value;
    }

    private static int count(Map<String, Object> object, String key) {
        Object value = object.get(key);
        if (!(value instanceof Long) || (Long) value < 0 || (Long) value > Integer.MAX_VALUE) {
            throw malformed("\"" + key + "\" is not a count");
        }
        return ((Long) value).intValue();
    }

    private static IllegalStateException malformed(String problem) {
        return new IllegalStateException(
                "eseal returned an OFD report whose JSON this binding cannot read: " + problem
                        + ". The native library may be newer than this Java binding.");
    }
}
