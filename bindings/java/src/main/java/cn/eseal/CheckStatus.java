package cn.eseal;

/** The outcome of one verification check, the C ABI's {@code eseal_check_status}. */
public enum CheckStatus {
    /** The check passed. */
    PASSED(0),
    /** The check failed; the report is invalid. */
    FAILED(1),
    /** The check was not performed, for example the dataHash check when no data was given. */
    NOT_CHECKED(2);

    private final int code;

    CheckStatus(int code) {
        this.code = code;
    }

    /** Returns the name used in the report JSON, such as {@code not_checked}. */
    String jsonName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    static CheckStatus fromJsonName(String name) {
        for (CheckStatus status : values()) {
            if (status.jsonName().equals(name)) {
                return status;
            }
        }
        throw new IllegalStateException(
                "eseal's report JSON has the unknown check status \"" + name
                        + "\"; the native library is newer than this Java binding");
    }

    /** Returns the C value, such as 1 for {@code ESEAL_CHECK_STATUS_FAILED}. */
    public int code() {
        return code;
    }

    static CheckStatus fromCode(int code) {
        for (CheckStatus status : values()) {
            if (status.code == code) {
                return status;
            }
        }
        throw new IllegalStateException(
                "eseal returned the unknown check status " + code
                        + "; the native library is newer than this Java binding");
    }
}
