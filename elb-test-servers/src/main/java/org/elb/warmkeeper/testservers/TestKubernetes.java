package org.elb.warmkeeper.testservers;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.util.HashMap;

/**
 * Fabric8's mock Kubernetes API server in CRUD mode on a free loopback port: a real HTTP server that
 * stores what it is sent and serves lists, watches and informers. Its limits: set-based label selectors
 * match everything, field selectors work on name and namespace only, no controllers run (a Job creates
 * no Pods: a test writes Pod and Job status itself).
 */
public final class TestKubernetes implements AutoCloseable {

    private final KubernetesMockServer server;
    private final KubernetesClient admin;

    private TestKubernetes() {
        server = new KubernetesMockServer(
                new Context(), new MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(), false);
        server.init();
        admin = new KubernetesClientBuilder().withConfig(config()).build();
    }

    /** Starts a server with an empty store. */
    public static TestKubernetes start() {
        return new TestKubernetes();
    }

    /** Connection settings for the code under test: plain http, namespace {@code default}, no retries. */
    public Config config() {
        return new ConfigBuilder(Config.empty())
                .withMasterUrl("http://127.0.0.1:" + server.getPort())
                .withNamespace("default")
                .withRequestRetryBackoffLimit(0)
                .build();
    }

    /** A client with which a test seeds and reads the store. */
    public KubernetesClient admin() {
        return admin;
    }

    public int port() {
        return server.getPort();
    }

    /** Requests the server has received so far, from every client (the admin's too). */
    public int requestCount() {
        return server.getRequestCount();
    }

    @Override
    public void close() {
        admin.close();
        try {
            server.destroy();
        } catch (IllegalStateException e) {
            // After an informer's watch was open the mock server can take longer than its own close
            // timeout ("Unable to close MockWebServer"): a test server, so finish closing in the
            // background rather than fail the test that used it.
            Thread t = new Thread(
                    () -> {
                        try {
                            server.destroy();
                        } catch (RuntimeException ignored) {
                            // already closing
                        }
                    },
                    "test-kubernetes-close");
            t.setDaemon(true);
            t.start();
        }
    }
}
