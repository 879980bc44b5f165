package org.elb.warmkeeper.k8s;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;
import org.elb.warmkeeper.core.cluster.DatabaseName;

/**
 * Labels, annotations and names of warmup objects. Pure functions.
 *
 * <p>Database names may hold upper case, {@code .} and {@code _} and be up to 100 characters, which
 * Kubernetes names and label values do not allow. {@link #key(DatabaseName)} maps a name to a DNS-1123
 * label: a readable slug (lower case, other characters turned into {@code -}, at most
 * {@value #SLUG_MAX} characters) followed by {@code -} and the first {@value #HASH_HEX} hex digits of
 * the SHA-256 of the original name. The hash keeps the map injective in practice ({@code core_nt}
 * and {@code Core_NT} get different keys); the original name travels in the
 * {@value #DATABASE_ANNOTATION} annotation, and readers accept an object only when its key label
 * matches the key of its annotation.
 */
public final class WarmupNames {

    /** Label that selects warmup objects (equality selector). */
    public static final String COMPONENT_LABEL = "app.kubernetes.io/component";
    /** Default value of {@link #COMPONENT_LABEL}. */
    public static final String DEFAULT_COMPONENT = "elb-warmup";
    /** Label naming the tool that created the object. */
    public static final String MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";

    public static final String MANAGED_BY = "elb-warmkeeper";
    /** Label carrying {@link #key(DatabaseName)}. */
    public static final String DATABASE_KEY_LABEL = "warmkeeper.elb.org/database-key";
    /** Annotation carrying the original database name. */
    public static final String DATABASE_ANNOTATION = "warmkeeper.elb.org/database";
    /** Label Kubernetes (1.27+) puts on a Job's pods: the Job's uid. */
    public static final String CONTROLLER_UID_LABEL = "batch.kubernetes.io/controller-uid";
    /** Default prefix of warmup Job names. */
    public static final String DEFAULT_JOB_PREFIX = "elb-warmup-";

    static final int SLUG_MAX = 40;
    static final int HASH_HEX = 10;
    /** Longest key: slug, dash, hash. */
    public static final int KEY_MAX = SLUG_MAX + 1 + HASH_HEX;
    /** Longest Job name prefix, so that prefix + key fits in 63 characters. */
    public static final int PREFIX_MAX = 63 - KEY_MAX;

    private static final Pattern NOT_DNS = Pattern.compile("[^a-z0-9]+");
    private static final Pattern PREFIX = Pattern.compile("[a-z0-9]([a-z0-9-]*)?");

    private WarmupNames() {}

    /** The DNS-1123 label for {@code db}: {@code <slug>-<10 hex of sha256(name)>}, at most 51 characters. */
    public static String key(DatabaseName db) {
        String slug = NOT_DNS.matcher(db.value().toLowerCase(Locale.ROOT)).replaceAll("-");
        if (slug.length() > SLUG_MAX) {
            slug = slug.substring(0, SLUG_MAX);
        }
        slug = trimDashes(slug);
        if (slug.isEmpty()) {
            slug = "db";
        }
        return slug + "-" + hash(db.value());
    }

    /** The warmup Job's name: {@code prefix + key(db)}, at most 63 characters. */
    public static String jobName(String prefix, DatabaseName db) {
        checkPrefix(prefix);
        return prefix + key(db);
    }

    /** Validates a Job name prefix: DNS characters, starting with a letter or digit, at most 12 characters. */
    public static String checkPrefix(String prefix) {
        if (prefix == null
                || prefix.length() > PREFIX_MAX
                || !PREFIX.matcher(prefix).matches()) {
            throw new IllegalArgumentException("'jobNamePrefix' must be 1-" + PREFIX_MAX
                    + " lower-case letters, digits and '-', starting with a letter or digit, but was '" + prefix + "'");
        }
        return prefix;
    }

    private static String trimDashes(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && s.charAt(start) == '-') {
            start++;
        }
        while (end > start && s.charAt(end - 1) == '-') {
            end--;
        }
        return s.substring(start, end);
    }

    private static String hash(String value) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, HASH_HEX);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}
