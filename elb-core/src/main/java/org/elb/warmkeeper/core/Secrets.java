package org.elb.warmkeeper.core;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The one masking function for text that may carry a credential: URLs, exception messages, stored
 * errors, log lines and HTTP bodies. Pure and total; it errs on the side of hiding too much.
 *
 * <p>What it hides, each replaced by {@value #MASK}:
 * <ul>
 *   <li>URL user info: everything between {@code ://} and the <em>last</em> {@code @} of the same
 *       whitespace-delimited word, so a password holding {@code /}, {@code @}, {@code :} or {@code ?}
 *       (common in base64 keys) is hidden whole ({@code redis://:a/b@c@host} -> {@code redis://****@host});
 *       in a word without {@code ://}, everything before the last {@code @} when a {@code :} precedes it
 *       ({@code user:pass@host}, {@code redis//:pass@host});
 *   <li>the value after {@code password}, {@code passwd}, {@code pwd}, {@code secret}, {@code token}
 *       (so {@code access_token}, {@code id_token}), {@code sig}, {@code signature} and {@code api_key}
 *       followed by {@code =}, up to {@code &}, {@code ;}, {@code #}, a quote or whitespace;
 *       in JSON ({@code "password": "..."}) up to the closing quote;
 *   <li>the credentials after {@code Bearer} and {@code Basic}.
 * </ul>
 * Masking is idempotent. Its cost is linear in the length of the text times the few patterns above.
 */
public final class Secrets {

    /** What a hidden value becomes. */
    public static final String MASK = "****";

    private static final String NAMES = "(?:password|passwd|pwd|secret|token|signature|sig|api[_-]?key)";
    private static final Pattern QUOTED = Pattern.compile("(?i)(" + NAMES + "\"\\s{0,16}:\\s{0,16}\")([^\"]*)");
    private static final Pattern PAIR = Pattern.compile("(?i)(" + NAMES + "\\s{0,16}=\\s{0,16})([^&;#\\s\"'<>]+)");
    /** Credentials after an auth scheme, up to a delimiter; a word ending in ':' ("Bearer token: ...") is prose, not one. */
    private static final Pattern SCHEME_AUTH = Pattern.compile("(?i)\\b(bearer|basic)(\\s+)([^\\s,;\"'<>:]++)(?!:)");

    private Secrets() {}

    /** {@code text} with every credential it carries replaced by {@value #MASK}; {@code null} stays {@code null}. */
    public static @Nullable String mask(@Nullable String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String s = maskUserInfo(text);
        s = replace(QUOTED, s);
        s = replace(PAIR, s);
        s = replace(SCHEME_AUTH, s);
        return s;
    }

    /** {@link #mask} for text known to be present. */
    public static String masked(String text) {
        String m = mask(text);
        return m == null ? "" : m;
    }

    private static String replace(Pattern p, String s) {
        Matcher m = p.matcher(s);
        if (!m.find()) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length());
        int last = 0;
        do {
            int valueGroup = m.groupCount();
            String value = m.group(valueGroup);
            out.append(s, last, m.start(valueGroup));
            out.append(value.equals(MASK) ? value : MASK);
            last = m.end(valueGroup);
        } while (m.find());
        return out.append(s, last, s.length()).toString();
    }

    /**
     * In each whitespace-delimited word with an {@code @}: replaces what lies between {@code ://} and the
     * word's last {@code @} ({@code scheme://****@host}); without {@code ://}, a word whose part before its
     * last {@code @} holds a {@code :} ({@code user:pass@host}, a URL missing its slashes) is hidden up to the {@code @}.
     */
    private static String maskUserInfo(String s) {
        if (s.indexOf('@') < 0) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length());
        int copied = 0;
        int i = 0;
        int n = s.length();
        while (i < n) {
            while (i < n && endsWord(s.charAt(i))) {
                i++;
            }
            int start = i;
            int at = -1;
            int scheme = -1;
            int colon = -1;
            while (i < n && !endsWord(s.charAt(i))) {
                char c = s.charAt(i);
                if (c == '@') {
                    at = i;
                } else if (c == ':') {
                    if (scheme < 0 && i + 2 < n && s.charAt(i + 1) == '/' && s.charAt(i + 2) == '/') {
                        scheme = i + 3;
                    }
                    if (colon < 0) {
                        colon = i;
                    }
                }
                i++;
            }
            int from = scheme >= 0 && scheme < at ? scheme : scheme < 0 && colon >= 0 && colon < at ? start : -1;
            if (at > from && from >= 0) {
                out.append(s, copied, from).append(MASK);
                copied = at;
            }
        }
        return out.append(s, copied, n).toString();
    }

    private static boolean endsWord(char c) {
        return Character.isWhitespace(c) || c == '"' || c == '\'' || c == '<' || c == '>';
    }
}
