package org.elb.warmkeeper.core.archfixture;

import java.net.http.HttpClient;

/** A deliberate violation for CoreDependencyRuleTest: a "core" class that uses an HTTP client. */
public final class LeakyHttpProbe {

    public HttpClient client() {
        return HttpClient.newHttpClient();
    }
}
