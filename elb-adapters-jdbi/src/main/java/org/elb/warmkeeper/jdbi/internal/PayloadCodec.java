package org.elb.warmkeeper.jdbi.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import java.util.TreeMap;

/** A job payload as a flat JSON object of strings, sorted by key. */
public final class PayloadCodec {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final TypeReference<TreeMap<String, String>> TYPE = new TypeReference<>() {};

    private PayloadCodec() {}

    public static String toJson(Map<String, String> payload) {
        try {
            return MAPPER.writeValueAsString(new TreeMap<>(payload));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("payload cannot be written as JSON: " + e.getOriginalMessage(), e);
        }
    }

    public static Map<String, String> fromJson(String json) {
        try {
            return MAPPER.readValue(json, TYPE);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(
                    "stored payload is not a JSON object of strings: " + e.getOriginalMessage(), e);
        }
    }
}
