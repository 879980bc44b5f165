package org.elb.warmkeeper.spring.boot;

import java.util.regex.Pattern;

/**
 * Hides the credentials a URL can carry: the userinfo (everything between {@code ://} and the last
 * {@code @}, so a password holding {@code /} or {@code @} is hidden whole) and password or token
 * query parameters.
 */
final class Masking {

    private static final Pattern SECRET_PARAM =
            Pattern.compile("(?i)((?:password|passwd|pwd|token|access_token|sig|secret)=)[^&;]*");

    private Masking() {}

    static String url(String url) {
        String masked = url;
        int scheme = url.indexOf("://");
        int at = url.lastIndexOf('@');
        if (scheme > 0 && at > scheme) {
            masked = url.substring(0, scheme + 3) + "****@" + url.substring(at + 1);
        }
        return SECRET_PARAM.matcher(masked).replaceAll("$1****");
    }
}
