package org.elb.warmkeeper.core.version;

import java.util.regex.Pattern;
import org.elb.warmkeeper.core.cluster.Checks;

/** An image tag as the registry defines it: 1-128 of {@code [A-Za-z0-9_.-]}, not starting with {@code .} or {@code -}. */
public record ImageTag(String value) {

    static final Pattern PATTERN = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");

    public ImageTag {
        Checks.matches(
                value,
                "imageTag",
                PATTERN,
                "1-128 characters from letters, digits, '_', '.', '-', not starting with '.' or '-'");
    }

    public static ImageTag of(String value) {
        return new ImageTag(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
