package org.elb.warmkeeper.core.warm;

import java.util.UUID;
import java.util.regex.Pattern;
import org.elb.warmkeeper.core.cluster.Checks;

/**
 * The owner token stored as a lock's value; only its holder can release the lock. Rule: 1-200
 * printable ASCII characters without whitespace, so any Redis client can read it as text.
 */
public record LockToken(String value) {

    static final Pattern PATTERN = Pattern.compile("[\\x21-\\x7E]{1,200}");

    public LockToken {
        Checks.matches(value, "lockToken", PATTERN, "1-200 printable ASCII characters without whitespace");
    }

    public static LockToken of(String value) {
        return new LockToken(value);
    }

    /** A fresh random token. */
    public static LockToken random() {
        return new LockToken(UUID.randomUUID().toString());
    }
}
