package org.elb.warmkeeper.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collection;

/**
 * The shared pieces of the wire format: one {@link ObjectMapper} (default settings: field order as
 * built, no pretty printing) and the compact string of a tree.
 */
public final class WireJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private WireJson() {}

    /** The mapper the encoders use (do not reconfigure it; copy it with {@link ObjectMapper#copy()}). */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** A new, empty object node. */
    public static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }

    /** A new array of these strings, in order. */
    public static ArrayNode strings(Collection<String> values) {
        ArrayNode a = JsonNodeFactory.instance.arrayNode(values.size());
        values.forEach(a::add);
        return a;
    }

    /** The compact JSON text of a tree. */
    public static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a JSON tree", e);
        }
    }
}
