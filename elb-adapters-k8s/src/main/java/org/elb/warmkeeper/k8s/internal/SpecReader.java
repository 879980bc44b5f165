package org.elb.warmkeeper.k8s.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import org.elb.warmkeeper.core.version.DeployedVersion;

/** Bounded reading of an OpenAPI spec and extraction of {@code info.version}. Pure but for the stream. */
public final class SpecReader {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private SpecReader() {}

    /** A fetched body: the HTTP code and at most {@code max} bytes; {@code truncated} when there were more. */
    public record Fetched(int code, byte[] body, boolean truncated) {}

    /** Reads at most {@code max} bytes (and one more to tell whether the body was longer). */
    public static Fetched read(int code, InputStream in, int max) throws IOException {
        try (in) {
            byte[] buf = in.readNBytes(max + 1);
            boolean truncated = buf.length > max;
            return new Fetched(code, truncated ? Arrays.copyOf(buf, max) : buf, truncated);
        }
    }

    /** What a fetched spec says: Reported, or Unknown / Unreachable with the reason. */
    public static DeployedVersion judge(Fetched fetched, int max) {
        int code = fetched.code();
        if (code >= 500) {
            return DeployedVersion.unreachable("HTTP " + code);
        }
        if (code < 200 || code >= 300) {
            return DeployedVersion.unknown("HTTP " + code);
        }
        if (fetched.truncated()) {
            return DeployedVersion.unknown("spec larger than " + max + " bytes");
        }
        return versionOf(fetched.body());
    }

    /** {@code info.version} of a JSON spec: Reported when a non-blank string, otherwise Unknown. */
    public static DeployedVersion versionOf(byte[] json) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (IOException e) {
            return DeployedVersion.unknown("malformed JSON");
        }
        if (root == null || !root.isObject()) {
            return DeployedVersion.unknown("spec is not a JSON object");
        }
        JsonNode version = root.path("info").path("version");
        if (!version.isTextual() || version.asText().isBlank()) {
            return DeployedVersion.unknown("spec has no info.version");
        }
        return DeployedVersion.reported(version.asText().trim());
    }
}
