package cn.eseal;

import java.util.Collections;
import java.util.List;

/**
 * The verification of one signature of an OFD document: an entry of the {@code signatures}
 * list of {@link OfdVerificationReport#json()}. Immutable.
 */
public final class OfdSignatureReport {
    private final String id;
    private final String type;
    private final String path;
    private final boolean valid;
    private final int references;
    private final List<String> failedReferences;
    private final List<Check> checks;
    private final List<Finding> findings;
    private final List<String> errors;

    OfdSignatureReport(
            String id,
            String type,
            String path,
            boolean valid,
            int references,
            List<String> failedReferences,
            List<Check> checks,
            List<Finding> findings,
            List<String> errors) {
        this.id = id;
        this.type = type;
        this.path = path;
        this.valid = valid;
        this.references = references;
        this.failedReferences = Collections.unmodifiableList(failedReferences);
        this.checks = Collections.unmodifiableList(checks);
        this.findings = Collections.unmodifiableList(findings);
        this.errors = Collections.unmodifiableList(errors);
    }

    /** Returns the signature's {@code ID} in Signatures.xml, such as {@code 1} or {@code s001}. */
    public String id() {
        return id;
    }

    /** Returns the signature's {@code Type} in Signatures.xml: {@code Seal} or {@code Sign}. */
    public String type() {
        return type;
    }

    /**
     * Returns the package path of the signature's Signature.xml, with a leading {@code /}, such
     * as {@code /Doc_0/Signs/Sign_0/Signature.xml}; only {@code /} when the location in
     * Signatures.xml cannot be resolved.
     */
    public String path() {
        return path;
    }

    /**
     * Tells whether every check that was performed on this signature passed and its files could
     * be read.
     */
    public boolean isValid() {
        return valid;
    }

    /** Returns the number of References (protected files) in Signature.xml. */
    public int references() {
        return references;
    }

    /**
     * Returns the package paths, with a leading {@code /}, of the References whose SM3 digest
     * does not match or whose file is missing, as an unmodifiable list. A file changed after
     * signing shows up here, and so does {@code /Doc_0/Signs/Signatures.xml} when a later
     * signature was added to a document whose signature protects that list.
     */
    public List<String> failedReferences() {
        return failedReferences;
    }

    /**
     * Returns the checks in the order they were performed, as an unmodifiable list: the OFD
     * checks ({@code ofd.*}) and then those of the SES_Signature in SignedValue.dat.
     */
    public List<Check> checks() {
        return checks;
    }

    /** Returns the first check with this name, or null when there is none. */
    public Check findCheck(String name) {
        for (Check candidate : checks) {
            if (candidate.name().equals(name)) {
                return candidate;
            }
        }
        return null;
    }

    /** Returns the deviations tolerated while reading SignedValue.dat, as an unmodifiable list. */
    public List<Finding> findings() {
        return findings;
    }

    /**
     * Returns the problems met while reading this signature's files, such as a missing
     * SignedValue.dat, as an unmodifiable list of English messages. A signature with errors is
     * invalid.
     */
    public List<String> errors() {
        return errors;
    }

    @Override
    public String toString() {
        return "OfdSignatureReport[id=" + id + ", type=" + type + ", valid=" + valid
                + ", failedReferences=" + failedReferences + "]";
    }
}
