package org.elb.warmkeeper.azure.internal;

import com.azure.json.JsonProviders;
import com.azure.json.JsonReader;
import java.io.IOException;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Reads the small ARM JSON bodies the adapter handles itself (operation status, resource properties). */
public final class ArmJson {

    private ArmJson() {}

    /** Deepest nesting {@link #object} parses; a deeper body is read as empty. */
    public static final int MAX_DEPTH = 64;

    /** The body as a JSON object; an empty map when it is empty, not an object, or nested deeper than {@value #MAX_DEPTH}. */
    public static Map<?, ?> object(byte @Nullable [] body) {
        if (body == null || body.length == 0 || depth(body) > MAX_DEPTH) {
            return Map.of();
        }
        try (JsonReader reader = JsonProviders.createReader(body)) {
            Object value = reader.readUntyped();
            return value instanceof Map<?, ?> m ? m : Map.of();
        } catch (IOException | RuntimeException | StackOverflowError e) {
            return Map.of();
        }
    }

    /** The deepest nesting of objects and arrays in {@code json} (brackets inside strings do not count); one pass. */
    public static int depth(byte[] json) {
        int depth = 0;
        int max = 0;
        boolean inString = false;
        boolean escaped = false;
        for (byte b : json) {
            if (inString) {
                if (escaped) {
                    escaped = false;
                } else if (b == '\\') {
                    escaped = true;
                } else if (b == '"') {
                    inString = false;
                }
            } else if (b == '"') {
                inString = true;
            } else if (b == '{' || b == '[') {
                max = Math.max(max, ++depth);
            } else if (b == '}' || b == ']') {
                depth--;
            }
        }
        return max;
    }

    /** {@code body.properties.provisioningState}, or null. */
    public static @Nullable String provisioningState(Map<?, ?> body) {
        Object props = body.get("properties");
        if (props instanceof Map<?, ?> p && p.get("provisioningState") != null) {
            return p.get("provisioningState").toString();
        }
        return null;
    }

    /** {@code body.status} of an ARM asynchronous operation, or null. */
    public static @Nullable String status(Map<?, ?> body) {
        Object s = body.get("status");
        return s == null ? null : s.toString();
    }
}
