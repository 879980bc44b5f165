package org.elb.warmkeeper.core.version;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A normalised version: trimmed, a leading {@code v}/{@code V} dropped, numeric parts compared as
 * numbers with missing parts as zero ({@code 4.9} equals {@code v4.9.0}), a pre-release sorting before
 * its release ({@code 4.9.0-rc.1 < 4.9.0}, SemVer rules between pre-releases), build metadata
 * ({@code +...}) ignored.
 *
 * <p>{@link #equals} agrees with {@link #compareTo}: trailing zero parts are dropped when stored.
 *
 * <p>Limits: at most 10 numeric parts of at most 40 digits each (more is not a version: {@link #parse}
 * is empty, and {@link VersionGate} compares it as a normalised string); at most {@value #MAX_LENGTH}
 * characters in all (more is refused with an {@link IllegalArgumentException}, as is {@code null}).
 */
public final class Version implements Comparable<Version> {

    /** The longest string {@link #parse} accepts, before trimming; a longer one is refused, not parsed. */
    public static final int MAX_LENGTH = 256;

    private static final int MAX_PARTS = 10;
    private static final int MAX_DIGITS = 40;

    private static final Pattern NUMERIC = Pattern.compile("\\d+");

    private final List<BigInteger> numbers;
    private final List<String> preRelease;

    private Version(List<BigInteger> numbers, List<String> preRelease) {
        this.numbers = numbers;
        this.preRelease = preRelease;
    }

    /** Trims and drops one leading {@code v} or {@code V}. */
    public static String normalise(String raw) {
        String s = raw.strip();
        if (!s.isEmpty() && (s.charAt(0) == 'v' || s.charAt(0) == 'V')) {
            s = s.substring(1);
        }
        return s;
    }

    /**
     * The version a string names, or empty when it is not a dotted numeric version
     * ({@code N(.N){0,9}(-id(.id)*)?(+build)?}, ids of {@code [0-9A-Za-z-]}). One pass, no recursion.
     *
     * @throws IllegalArgumentException when {@code raw} is null or longer than {@value #MAX_LENGTH} characters
     */
    public static Optional<Version> parse(String raw) {
        if (raw == null) {
            throw new IllegalArgumentException("'version' is required");
        }
        if (raw.length() > MAX_LENGTH) {
            throw new IllegalArgumentException(
                    "'version' must be at most " + MAX_LENGTH + " characters, but had " + raw.length());
        }
        String s = normalise(raw);
        int n = s.length();
        int i = 0;
        List<BigInteger> nums = new ArrayList<>();
        while (true) {
            int start = i;
            while (i < n && isDigit(s.charAt(i))) {
                i++;
            }
            if (i == start || i - start > MAX_DIGITS || nums.size() == MAX_PARTS) {
                return Optional.empty();
            }
            nums.add(new BigInteger(s.substring(start, i)));
            if (i < n && s.charAt(i) == '.') {
                i++;
            } else {
                break;
            }
        }
        List<String> pre = new ArrayList<>();
        if (i < n && s.charAt(i) == '-') {
            i++;
            while (true) {
                int start = i;
                while (i < n && isIdentifier(s.charAt(i))) {
                    i++;
                }
                if (i == start) {
                    return Optional.empty();
                }
                pre.add(s.substring(start, i));
                if (i < n && s.charAt(i) == '.') {
                    i++;
                } else {
                    break;
                }
            }
        }
        if (i < n && s.charAt(i) == '+') {
            i++;
            while (i < n && (isIdentifier(s.charAt(i)) || s.charAt(i) == '.')) {
                i++;
            }
        }
        if (i != n) {
            return Optional.empty();
        }
        while (nums.size() > 1 && nums.get(nums.size() - 1).signum() == 0) {
            nums.remove(nums.size() - 1);
        }
        return Optional.of(new Version(List.copyOf(nums), List.copyOf(pre)));
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isIdentifier(char c) {
        return isDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-';
    }

    public boolean isPreRelease() {
        return !preRelease.isEmpty();
    }

    @Override
    public int compareTo(Version o) {
        int n = Math.max(numbers.size(), o.numbers.size());
        for (int i = 0; i < n; i++) {
            int c = part(numbers, i).compareTo(part(o.numbers, i));
            if (c != 0) {
                return c;
            }
        }
        if (preRelease.isEmpty() || o.preRelease.isEmpty()) {
            return Boolean.compare(preRelease.isEmpty(), o.preRelease.isEmpty());
        }
        int m = Math.min(preRelease.size(), o.preRelease.size());
        for (int i = 0; i < m; i++) {
            int c = PRE_RELEASE_ID.compare(preRelease.get(i), o.preRelease.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(preRelease.size(), o.preRelease.size());
    }

    private static final Comparator<String> PRE_RELEASE_ID = (a, b) -> {
        boolean an = NUMERIC.matcher(a).matches();
        boolean bn = NUMERIC.matcher(b).matches();
        if (an && bn) {
            return new BigInteger(a).compareTo(new BigInteger(b));
        }
        if (an != bn) {
            return an ? -1 : 1; // numeric identifiers sort before alphanumeric ones
        }
        return a.compareTo(b);
    };

    private static BigInteger part(List<BigInteger> parts, int i) {
        return i < parts.size() ? parts.get(i) : BigInteger.ZERO;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Version v && compareTo(v) == 0;
    }

    @Override
    public int hashCode() {
        List<Object> key = new ArrayList<>(numbers);
        for (String id : preRelease) {
            key.add(NUMERIC.matcher(id).matches() ? (Object) new BigInteger(id) : id);
        }
        return key.hashCode();
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < Math.max(2, numbers.size()); i++) {
            if (i > 0) {
                s.append('.');
            }
            s.append(part(numbers, i));
        }
        if (!preRelease.isEmpty()) {
            s.append('-').append(String.join(".", preRelease));
        }
        return s.toString();
    }
}
