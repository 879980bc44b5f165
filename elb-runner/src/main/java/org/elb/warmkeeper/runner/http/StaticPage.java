package org.elb.warmkeeper.runner.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The status page at {@code /}: one HTML file, one stylesheet and one vanilla script from the runner
 * jar's resources ({@code /org/elb/warmkeeper/runner/page/}), and {@code /page-config.json} telling the
 * script how to identify itself and which services the version gate shows. No build chain: the files
 * are served as they are in the source tree.
 */
final class StaticPage {

    /** One file: its bytes as text and its content type. */
    record Asset(String contentType, String body) {}

    private static final String ROOT = "/org/elb/warmkeeper/runner/page/";

    private final Map<String, Asset> assets = new LinkedHashMap<>();

    /**
     * @param identity how the API identifies callers (the page adapts: an owner field in header mode, a
     *     bearer token field in JWT mode)
     * @param ownerHeader the header of header mode
     * @param gateServices the services whose version gate the page asks ({@code elb.image.<service>})
     * @param encoder the API's JSON encoder
     */
    StaticPage(Identity identity, String ownerHeader, List<String> gateServices, EventStream.Encoder encoder) {
        Asset html = load("index.html", "text/html; charset=utf-8");
        assets.put("", html);
        assets.put("index.html", html);
        assets.put("static/app.js", load("app.js", "text/javascript; charset=utf-8"));
        assets.put("static/app.css", load("app.css", "text/css; charset=utf-8"));
        Map<String, Object> config = new LinkedHashMap<>();
        boolean jwt = identity instanceof JwtIdentity;
        config.put("identity", jwt ? "jwt" : "header");
        config.put("owner_header", ownerHeader);
        config.put("gate_services", List.copyOf(gateServices));
        try {
            assets.put("page-config.json", new Asset("application/json", encoder.encode(config)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The paths the page serves (segments joined by {@code /}; {@code ""} is the page itself), in order. */
    List<String> paths() {
        return List.copyOf(assets.keySet());
    }

    /** The asset at this path (segments joined by {@code /}), or null when the page has none. */
    @Nullable Asset at(List<String> segments) {
        return assets.get(String.join("/", segments));
    }

    private static Asset load(String name, String contentType) {
        try (InputStream in = Objects.requireNonNull(
                StaticPage.class.getResourceAsStream(ROOT + name), () -> "page resource " + name + " missing")) {
            return new Asset(contentType, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("page resource " + name + " unreadable", e);
        }
    }
}
