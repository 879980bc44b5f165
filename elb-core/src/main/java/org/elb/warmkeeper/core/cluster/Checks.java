package org.elb.warmkeeper.core.cluster;

import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** Validation helpers whose messages name the field and the rule. */
public final class Checks {

    private Checks() {}

    /** Rejects null with {@code "'field' is required"}. */
    public static <T> T required(@Nullable T value, String field) {
        if (value == null) {
            throw new IllegalArgumentException("'" + field + "' is required");
        }
        return value;
    }

    /** Rejects null, blank and values that do not match {@code pattern}; {@code rule} describes it. */
    public static String matches(@Nullable String value, String field, Pattern pattern, String rule) {
        String checked = required(value, field);
        if (!pattern.matcher(checked).matches()) {
            throw new IllegalArgumentException(
                    "'" + field + "' must be " + rule + ", but was '" + printable(checked) + "'");
        }
        return checked;
    }

    /** Rejects values below 1 with {@code "'field' must be a positive integer, but was N"}. */
    public static int positive(int value, String field) {
        if (value < 1) {
            throw new IllegalArgumentException("'" + field + "' must be a positive integer, but was " + value);
        }
        return value;
    }

    /** Rejects null, zero and negative durations. */
    public static java.time.Duration positive(java.time.@Nullable Duration value, String field) {
        java.time.Duration checked = required(value, field);
        if (checked.isZero() || checked.isNegative()) {
            throw new IllegalArgumentException("'" + field + "' must be positive, but was " + checked);
        }
        return checked;
    }

    private static String printable(String value) {
        String shown = value.length() > 80 ? value.substring(0, 80) + "…" : value;
        return shown.replaceAll("\\p{Cntrl}", "?");
    }
}
