package org.elb.warmkeeper.redis.internal;

import java.util.concurrent.TimeoutException;
import org.elb.warmkeeper.core.Secrets;

/** Short, safe descriptions of Redisson failures for log lines. */
public final class Failures {

    private static final int MAX = 200;

    private Failures() {}

    /**
     * The failure's class and message, cut before any command parameters Redisson appends (they may
     * hold keys or values, and an AUTH would hold a password), {@linkplain Secrets#mask masked} (a URL's
     * password) and cut at {@value #MAX} characters.
     */
    public static String describe(Throwable t) {
        if (t instanceof TimeoutException) {
            return "no answer within the budget";
        }
        String message = t.getMessage() == null ? "" : t.getMessage();
        int params = message.indexOf("params:");
        if (params >= 0) {
            message = message.substring(0, params) + "params: <hidden>";
        }
        int node = message.indexOf("Node source:");
        if (node >= 0) {
            message = message.substring(0, node).replaceAll("[,\\s]+$", "");
        }
        String s = t.getClass().getSimpleName() + (message.isEmpty() ? "" : ": " + Secrets.masked(message));
        return s.length() > MAX ? s.substring(0, MAX) + "…" : s;
    }
}
