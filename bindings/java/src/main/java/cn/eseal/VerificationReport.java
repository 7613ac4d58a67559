package cn.eseal;

import static cn.eseal.NativeCalls.check;
import static cn.eseal.NativeCalls.readBytes;
import static cn.eseal.NativeCalls.readString;
import static cn.eseal.NativeCalls.size;

import cn.eseal.internal.SizeTByReference;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.ByteByReference;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.PointerByReference;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The result of verifying a seal or a signature: overall validity, the checks performed, the
 * findings, and the JSON that {@code eseal verify --json} prints.
 *
 * <p>A report is a plain immutable Java value: everything is copied out of the native report,
 * which is freed before the report is returned. It needs no closing and may be shared between
 * threads.
 */
public final class VerificationReport {
    private final boolean valid;
    private final String json;
    private final List<Check> checks;
    private final List<Finding> findings;

    private VerificationReport(
            boolean valid, String json, List<Check> checks, List<Finding> findings) {
        this.valid = valid;
        this.json = json;
        this.checks = Collections.unmodifiableList(checks);
        this.findings = Collections.unmodifiableList(findings);
    }

    /**
     * Tells whether every check that was performed passed. Checks that were not performed
     * (status {@link CheckStatus#NOT_CHECKED}) do not count either way.
     */
    public boolean isValid() {
        return valid;
    }

    /**
     * Returns the report as JSON: the text that {@code eseal verify FILE --json} prints for one
     * file, without the final newline.
     */
    public String json() {
        return json;
    }

    /** Returns the checks in the order they were performed, as an unmodifiable list. */
    public List<Check> checks() {
        return checks;
    }

    /** Returns the deviations tolerated while reading, as an unmodifiable list. */
    public List<Finding> findings() {
        return findings;
    }

    /** Returns the first check with this name, or null when the report has none. */
    public Check findCheck(String name) {
        for (Check candidate : checks) {
            if (candidate.name().equals(name)) {
                return candidate;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return "VerificationReport[valid=" + valid + ", checks=" + checks.size()
                + ", findings=" + findings.size() + "]";
    }

    /** Copies a native report into Java and frees it, also when copying fails. */
    static VerificationReport takeOwnership(Pointer report) {
        if (report == null) {
            throw new IllegalStateException("eseal returned success but no report handle");
        }
        EsealNative library = LibraryLoader.get();
        try {
            return copy(library, report);
        } finally {
            library.eseal_report_free(report);
        }
    }

    private static VerificationReport copy(EsealNative library, Pointer report) {
        ByteByReference valid = new ByteByReference();
        check(library.eseal_report_valid(report, valid), "eseal_report_valid");

        SizeTByReference jsonLength = new SizeTByReference();
        check(library.eseal_report_json_length(report, jsonLength), "eseal_report_json_length");
        PointerByReference json = new PointerByReference();
        check(library.eseal_report_json(report, json), "eseal_report_json");
        byte[] jsonBytes = readBytes(json.getValue(), jsonLength.getValue(), "eseal_report_json");

        return new VerificationReport(
                valid.getValue() != 0,
                new String(jsonBytes, StandardCharsets.UTF_8),
                copyChecks(library, report),
                copyFindings(library, report));
    }

    private static List<Check> copyChecks(EsealNative library, Pointer report) {
        SizeTByReference count = new SizeTByReference();
        check(library.eseal_report_check_count(report, count), "eseal_report_check_count");
        List<Check> checks = new ArrayList<>();
        String function = "eseal_report_check";
        for (long index = 0; index < count.getValue(); index++) {
            PointerByReference name = new PointerByReference();
            IntByReference status = new IntByReference();
            PointerByReference message = new PointerByReference();
            PointerByReference messageZh = new PointerByReference();
            check(library.eseal_report_check(report, size(index), name, status, message,
                    messageZh), function);
            checks.add(new Check(
                    readString(name.getValue(), function),
                    CheckStatus.fromCode(status.getValue()),
                    readString(message.getValue(), function),
                    readString(messageZh.getValue(), function)));
        }
        return checks;
    }

    private static List<Finding> copyFindings(EsealNative library, Pointer report) {
        SizeTByReference count = new SizeTByReference();
        check(library.eseal_report_finding_count(report, count), "eseal_report_finding_count");
        List<Finding> findings = new ArrayList<>();
        String function = "eseal_report_finding";
        for (long index = 0; index < count.getValue(); index++) {
            PointerByReference code = new PointerByReference();
            PointerByReference message = new PointerByReference();
            PointerByReference messageZh = new PointerByReference();
            check(library.eseal_report_finding(report, size(index), code, message, messageZh),
                    function);
            findings.add(new Finding(
                    readString(code.getValue(), function),
                    readString(message.getValue(), function),
                    readString(messageZh.getValue(), function)));
        }
        return findings;
    }
}
