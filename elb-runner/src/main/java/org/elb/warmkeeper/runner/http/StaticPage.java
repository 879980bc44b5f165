package org.elb.warmkeeper.runner.http;

import java.util.List;
import org.elb.warmkeeper.http.StatusPage;
import org.jspecify.annotations.Nullable;

/**
 * The status page at {@code /} ({@link StatusPage}: its files live in {@code elb-http}, which the
 * starter's web layer serves too), adapted to the runner's identity.
 */
final class StaticPage {

    private final StatusPage page;

    /**
     * @param identity how the API identifies callers (the page adapts: an owner field in header mode, a
     *     bearer token field in JWT mode)
     * @param ownerHeader the header of header mode
     * @param gateServices the services whose version gate the page asks ({@code elb.image.<service>})
     */
    StaticPage(Identity identity, String ownerHeader, List<String> gateServices) {
        this.page = new StatusPage(
                identity instanceof JwtIdentity ? StatusPage.Identity.JWT : StatusPage.Identity.HEADER,
                ownerHeader,
                gateServices);
    }

    /** The paths the page serves (segments joined by {@code /}; {@code ""} is the page itself), in order. */
    List<String> paths() {
        return page.paths();
    }

    /** The asset at this path (segments joined by {@code /}), or null when the page has none. */
    StatusPage.@Nullable Asset at(List<String> segments) {
        return page.at(String.join("/", segments));
    }
}
