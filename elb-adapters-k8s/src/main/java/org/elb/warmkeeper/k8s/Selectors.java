package org.elb.warmkeeper.k8s;

import java.util.regex.Pattern;
import org.elb.warmkeeper.core.cluster.Checks;

/** Validation of namespaces and label selectors given to the builders. */
final class Selectors {

    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern LABEL_KEY =
            Pattern.compile("([a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?/)?[A-Za-z0-9]([A-Za-z0-9_.-]{0,61}[A-Za-z0-9])?");
    private static final Pattern LABEL_VALUE = Pattern.compile("([A-Za-z0-9]([A-Za-z0-9_.-]{0,61}[A-Za-z0-9])?)?");

    private Selectors() {}

    static String namespace(String value) {
        return dnsLabel(value, "namespace");
    }

    static String dnsLabel(String value, String field) {
        return Checks.matches(
                value,
                field,
                DNS_LABEL,
                "a DNS label (1-63 lower-case letters, digits and '-', starting and ending with a letter or digit)");
    }

    static String labelKey(String value) {
        return Checks.matches(value, "selectorKey", LABEL_KEY, "a label key ([prefix/]name)");
    }

    static String labelValue(String value) {
        return Checks.matches(
                value,
                "selectorValue",
                LABEL_VALUE,
                "a label value (0-63 letters, digits, '_', '.', '-', starting and ending with a letter or digit)");
    }
}
