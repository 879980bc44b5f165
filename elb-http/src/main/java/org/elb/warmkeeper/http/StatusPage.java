package org.elb.warmkeeper.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.elb.warmkeeper.core.cluster.Checks;
import org.elb.warmkeeper.json.WireJson;
import org.jspecify.annotations.Nullable;

/**
 * The status page at {@code /}: one HTML file, one stylesheet and one vanilla script from this jar's
 * resources ({@code /org/elb/warmkeeper/http/page/}), and {@code /page-config.json} telling the script
 * how to identify itself and which services the version gate shows. No build chain: the files are
 * served as they are in the source tree. Paths are relative to the root, without the leading {@code /}
 * ({@code ""} is the page itself).
 */
public final class StatusPage {

    /** One file: its text and its content type. */
    public record Asset(String contentType, String body) {}

    /** How the page identifies its caller: a bearer token, or the owner header a gateway trusts. */
    public enum Identity {
        JWT,
        HEADER
    }

    private static final String ROOT = "/org/elb/warmkeeper/http/page/";

    private final Map<String, Asset> assets = new LinkedHashMap<>();

    /**
     * @param identity what the page asks its user for (a token in JWT mode, an owner id in header mode)
     * @param ownerHeader the header of header mode
     * @param gateServices the services whose version gate the page asks ({@code elb.image.<service>})
     */
    public StatusPage(Identity identity, String ownerHeader, List<String> gateServices) {
        Checks.required(identity, "identity");
        Checks.required(ownerHeader, "ownerHeader");
        Asset html = load("index.html", "text/html; charset=utf-8");
        assets.put("", html);
        assets.put("index.html", html);
        assets.put("static/app.js", load("app.js", "text/javascript; charset=utf-8"));
        assets.put("static/app.css", load("app.css", "text/css; charset=utf-8"));
        var config = WireJson.object();
        config.put("identity", identity == Identity.JWT ? "jwt" : "header");
        config.put("owner_header", ownerHeader);
        config.set("gate_services", WireJson.strings(List.copyOf(Checks.required(gateServices, "gateServices"))));
        assets.put("page-config.json", new Asset("application/json", WireJson.write(config)));
    }

    /** The paths the page serves, in order. */
    public List<String> paths() {
        return List.copyOf(assets.keySet());
    }

    /** The asset at this path (without the leading {@code /}), or null when the page has none. */
    public @Nullable Asset at(String path) {
        return assets.get(path);
    }

    private static Asset load(String name, String contentType) {
        try (InputStream in = Objects.requireNonNull(
                StatusPage.class.getResourceAsStream(ROOT + name), () -> "page resource " + name + " missing")) {
            return new Asset(contentType, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("page resource " + name + " unreadable", e);
        }
    }
}
