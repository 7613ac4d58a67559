package cn.eseal;

import java.util.Objects;

/**
 * A deviation from the standard that eseal tolerated while reading, such as a raw r||s SM2
 * signature. Findings do not make a report invalid. Immutable.
 */
public final class Finding {
    private final String code;
    private final String message;
    private final String messageZh;

    Finding(String code, String message, String messageZh) {
        this.code = code;
        this.message = message;
        this.messageZh = messageZh;
    }

    /** Returns the stable code, such as {@code signature-raw-r-s}. */
    public String code() {
        return code;
    }

    /** Returns the English message. */
    public String message() {
        return message;
    }

    /** Returns the Chinese message. */
    public String messageZh() {
        return messageZh;
    }

    @Override
    public boolean equals(Object other) {
        if (!(other instanceof Finding)) {
            return false;
        }
        Finding that = (Finding) other;
        return code.equals(that.code)
                && message.equals(that.message)
                && messageZh.equals(that.messageZh);
    }

    @Override
    public int hashCode() {
        return Objects.hash(code, message, messageZh);
    }

    @Override
    public String toString() {
        return code + ": " + message;
    }
}
