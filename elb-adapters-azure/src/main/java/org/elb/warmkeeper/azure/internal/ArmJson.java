package org.elb.warmkeeper.azure.internal;

import com.azure.json.JsonProviders;
import com.azure.json.JsonReader;
import java.io.IOException;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Reads the small ARM JSON bodies the adapter handles itself (operation status, resource properties). */
public final class ArmJson {

    private ArmJson() {}

    /** The body as a JSON object; an empty map when it is empty or not an object. */
    public static Map<?, ?> object(byte @Nullable [] body) {
        if (body == null || body.length == 0) {
            return Map.of();
        }
        try (JsonReader reader = JsonProviders.createReader(body)) {
            Object value = reader.readUntyped();
            return value instanceof Map<?, ?> m ? m : Map.of();
        } catch (IOException | RuntimeException e) {
            return Map.of();
        }
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
