package org.elb.warmkeeper.runner.http;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.elb.warmkeeper.testkit.contract.DashboardApiContract;
import org.jspecify.annotations.Nullable;

/** The runner's side of the dashboard golden: {@link HttpApi} over real HTTP. */
class HttpApiContractTest extends DashboardApiContract {

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private @Nullable HttpApi api;

    @Override
    protected void serve(World world) throws Exception {
        api = HttpApi.builder(world.provisioning, world.reconciler, world.versionGate)
                .port(0)
                .admins(ADMINS)
                .autoWarm(world.preferences, world.history)
                .start();
    }

    @Override
    protected Answer call(String method, String pathAndQuery, List<String> owners, @Nullable String body)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + pathAndQuery))
                .timeout(TIMEOUT)
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        owners.forEach(o -> b.header(OWNER_HEADER, o));
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(
                r.statusCode(), r.body(), r.headers().firstValue("Allow").orElse(null));
    }

    private int port() {
        HttpApi a = api;
        if (a == null) {
            throw new IllegalStateException("not serving");
        }
        return a.port();
    }

    @Override
    protected void stop() {
        if (api != null) {
            api.close();
        }
    }
}
