package org.elb.warmkeeper.core.cluster;

import java.util.regex.Pattern;

/**
 * A BLAST database name such as {@code core_nt}, {@code swissprot} or {@code 16S_ribosomal_RNA}.
 *
 * <p>Rule: 1-100 characters from ASCII letters, digits, {@code _ . -}, starting with a letter or
 * digit. No {@code :} (keeps the lock key injective), no {@code /} and no whitespace.
 */
public record DatabaseName(String value) implements Comparable<DatabaseName> {

    public static final String RULE =
            "1-100 characters from letters, digits, '_', '.', '-', starting with a letter or digit";
    static final Pattern PATTERN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,99}");

    public DatabaseName {
        Checks.matches(value, "databaseName", PATTERN, RULE);
    }

    public static DatabaseName of(String value) {
        return new DatabaseName(value);
    }

    @Override
    public int compareTo(DatabaseName other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
