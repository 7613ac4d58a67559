package cn.eseal;

import java.time.Instant;
import java.util.Objects;

/**
 * The result of a {@link RevocationChecker} for one certificate: good, revoked (at a known or
 * unknown time) or unknown. Immutable.
 */
public final class RevocationStatus {
    /** Not revoked at the time asked. */
    public static final RevocationStatus GOOD = new RevocationStatus(0, null);

    /** Not known: the certificate's revocation is reported as not checked. */
    public static final RevocationStatus UNKNOWN = new RevocationStatus(2, null);

    /** The C ABI's {@code ESEAL_REVOCATION_STATUS_REVOKED}. */
    private static final int REVOKED_CODE = 1;

    private final int code;
    private final Instant revocationTime;

    private RevocationStatus(int code, Instant revocationTime) {
        this.code = code;
        this.revocationTime = revocationTime;
    }

    /**
     * Returns the status of a certificate revoked at {@code revocationTime}. Signatures made
     * before that time stay valid.
     *
     * @param revocationTime the revocation time, truncated to whole seconds; null when it is not
     *     known, which eseal treats as revoked since 1970-01-01T00:00:00Z
     * @throws IllegalArgumentException when {@code revocationTime} is before 1970
     */
    public static RevocationStatus revoked(Instant revocationTime) {
        if (revocationTime != null) {
            NativeCalls.unixSeconds(revocationTime, "revocationTime");
        }
        return new RevocationStatus(REVOKED_CODE, revocationTime);
    }

    /** Tells whether this is a revocation. */
    public boolean isRevoked() {
        return code == REVOKED_CODE;
    }

    /** Returns the revocation time, or null when it is not known or this is no revocation. */
    public Instant revocationTime() {
        return revocationTime;
    }

    /** Returns the C value, an {@code ESEAL_REVOCATION_STATUS_*} constant. */
    int code() {
        return code;
    }

    /** Returns the revocation time for the C ABI: seconds since 1970, or -1 when not known. */
    long revocationUnixSeconds() {
        return revocationTime == null ? -1 : revocationTime.getEpochSecond();
    }

    @Override
    public boolean equals(Object other) {
        if (!(other instanceof RevocationStatus)) {
            return false;
        }
        RevocationStatus status = (RevocationStatus) other;
        return code == status.code && Objects.equals(revocationTime, status.revocationTime);
    }

    @Override
    public int hashCode() {
        return Objects.hash(code, revocationTime);
    }

    @Override
    public String toString() {
        switch (code) {
            case 0:
                return "RevocationStatus[GOOD]";
            case REVOKED_CODE:
                return "RevocationStatus[REVOKED at "
                        + (revocationTime == null ? "an unknown time" : revocationTime) + "]";
            default:
                return "RevocationStatus[UNKNOWN]";
        }
    }
}
