package org.elb.warmkeeper.core.provision;

import java.util.List;
import org.elb.warmkeeper.core.Secrets;
import org.elb.warmkeeper.core.cluster.Checks;
import org.jspecify.annotations.Nullable;

/**
 * A classified provisioning error, as stored in a job row.
 *
 * <p>Stored sizes are bounded here, so that a row write can never fail on size whatever ARM sent: the
 * code is cut to {@value #MAX_CODE_CHARS} characters and the message to {@value #MAX_MESSAGE_CHARS}
 * (a cut one ends with {@value #CUT_MARK}); a NUL character, which PostgreSQL text cannot hold, becomes
 * U+FFFD. Never cut inside a surrogate pair.
 *
 * @param code the ARM code that decided the category (the innermost recognised one), or the outer code
 * @param message the message that goes with {@code code}, {@linkplain Secrets#mask masked} (it is stored and served);
 *     only the prefix that can be stored is masked ({@link #maskedPrefix}), so its cost does not grow with
 *     the message
 */
public record ErrorClassification(ErrorCategory category, String code, String message) {

    /** The longest code stored (the {@code error_code} column holds twice as much). */
    public static final int MAX_CODE_CHARS = 256;
    /** The longest message stored (the {@code error_message} column holds far more). */
    public static final int MAX_MESSAGE_CHARS = 4_000;
    /** Appended to a message or code that was cut. */
    public static final String CUT_MARK = "…";

    public ErrorClassification {
        Checks.required(category, "category");
        code = bounded(Checks.required(code, "code"), MAX_CODE_CHARS);
        message = bounded(maskedPrefix(Checks.required(message, "message"), MAX_MESSAGE_CHARS), MAX_MESSAGE_CHARS);
    }

    /**
     * Characters past the stored length masked with it: a credential the cut of the masked window splits is
     * still recognised, and one that starts before the stored end is masked whole up to this reach.
     */
    static final int MASK_MARGIN = 1_024;

    /**
     * {@code text} masked ({@link Secrets#masked}) over a prefix long enough for its first {@code keep}
     * characters: {@code keep + }{@value #MASK_MARGIN} characters, doubled while masking shortened the
     * window below {@code keep + MASK_MARGIN / 2} (a message full of long credentials). The cost follows
     * the stored length, not the message's: a 1 MB message costs what a 5 KB one does.
     */
    static String maskedPrefix(String text, int keep) {
        long window = (long) keep + MASK_MARGIN;
        while (true) {
            if (text.length() <= window) {
                return Secrets.masked(text);
            }
            int end = (int) window;
            if (Character.isHighSurrogate(text.charAt(end - 1))) {
                end--;
            }
            String masked = Secrets.masked(text.substring(0, end));
            if (masked.length() >= keep + MASK_MARGIN / 2) {
                return masked;
            }
            window *= 2;
        }
    }

    public boolean retryable() {
        return category.retryable();
    }

    public List<String> suggestedActions() {
        return category.suggestedActions();
    }

    /**
     * {@code text} at most {@code max} characters long (a cut one ends with {@value #CUT_MARK}), NULs
     * replaced; null is "".
     */
    public static String bounded(@Nullable String text, int max) {
        if (text == null) {
            return "";
        }
        String s = text;
        if (s.length() > max) {
            int end = max - CUT_MARK.length();
            if (end > 0 && Character.isHighSurrogate(s.charAt(end - 1))) {
                end--;
            }
            s = s.substring(0, Math.max(0, end)) + CUT_MARK;
        }
        return s.indexOf('\u0000') < 0 ? s : s.replace('\u0000', '\uFFFD');
    }
}
