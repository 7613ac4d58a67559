package cn.eseal;

import java.util.Objects;

/** One check of a verification report, such as {@code signature.data_hash}. Immutable. */
public final class Check {
    private final String name;
    private final CheckStatus status;
    private final String message;
    private final String messageZh;

    Check(String name, CheckStatus status, String message, String messageZh) {
        this.name = name;
        this.status = status;
        this.message = message;
        this.messageZh = messageZh;
    }

    /** Returns the stable name, such as {@code seal.maker_signature}. */
    public String name() {
        return name;
    }

    /** Returns whether the check passed, failed or was not performed. */
    public CheckStatus status() {
        return status;
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
        if (!(other instanceof Check)) {
            return false;
        }
        Check that = (Check) other;
        return name.equals(that.name)
                && status == that.status
                && message.equals(that.message)
                && messageZh.equals(that.messageZh);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, status, message, messageZh);
    }

    @Override
    public String toString() {
        return name + " " + status + ": " + message;
    }
}
