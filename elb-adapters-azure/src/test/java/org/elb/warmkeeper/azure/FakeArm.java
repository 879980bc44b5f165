package org.elb.warmkeeper.azure;

import com.azure.core.http.HttpPipeline;
import com.azure.core.http.HttpPipelineBuilder;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.core.http.policy.FixedDelay;
import com.azure.core.http.policy.RetryPolicy;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local HTTP server that answers as ARM (AKS managed clusters and their async operations) and as the
 * ACR data-plane API do, scripted per cluster. Records every request as {@code "METHOD path"}.
 */
final class FakeArm implements AutoCloseable {

    static final String SUB = "00000000-0000-0000-0000-0000000000aa";

    private static final Pattern CLUSTER = Pattern.compile(
            "/subscriptions/([^/]+)/resourceGroups/([^/]+)/providers/Microsoft\\.ContainerService/managedClusters/([^/]+)(/[A-Za-z]+)?",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern OPERATION = Pattern.compile(
            "/subscriptions/([^/]+)/providers/Microsoft\\.ContainerService/locations/([^/]+)/operations/([^/]+)",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern ACR_TAG = Pattern.compile("/acr/v1/(.+)/_tags/([^/]+)");
    private static final Pattern ACR_MANIFESTS = Pattern.compile("/acr/v1/(.+)/_manifests");

    /** What one cluster does. Set fields before the create; steps are consumed one per operation poll. */
    static final class Script {
        volatile int putStatus = 201;
        volatile String putErrorBody;
        volatile int throttleTimes;
        volatile int getThrottleTimes;
        volatile String retryAfter = "1";
        final Deque<String[]> steps = new ArrayDeque<>(
                List.of(new String[] {"InProgress", "Creating"}, new String[] {"InProgress", "Creating"}, new String[] {
                    "Succeeded", "Succeeded"
                }));
        volatile String operationErrorBody;
        volatile boolean hold;
        volatile String state;
        volatile String power = "Running";
        volatile String kubeconfig;
        volatile boolean exists;
        /** The operation URL answers 404 (expired); the cluster's GET then moves through the steps. */
        volatile boolean operationGone;
        /** After an abort, the cluster's GET moves through the steps (no one polls the operation any more). */
        volatile boolean aborted;
        /** GETs after a DELETE before the cluster is gone; -1: not deleting. */
        volatile int deleteAfterGets = -1;
        /** A DELETE ends with the cluster Failed instead of gone. */
        volatile boolean deleteFails;
        /** GET answers 404 although the cluster exists (it appears between the create's read and its PUT). */
        volatile boolean hiddenFromGet;
        /** Changes made to the cluster by PUT, DELETE or abort. */
        final java.util.concurrent.atomic.AtomicInteger modifications = new java.util.concurrent.atomic.AtomicInteger();

        /** A cluster that exists before the test, Succeeded. */
        Script existing() {
            exists = true;
            state = "Succeeded";
            return this;
        }

        Script steps(String... statusAndState) {
            synchronized (steps) {
                steps.clear();
                for (int i = 0; i < statusAndState.length; i += 2) {
                    steps.add(new String[] {statusAndState[i], statusAndState[i + 1]});
                }
            }
            return this;
        }
    }

    private final HttpServer server;
    private final ExecutorService pool = Executors.newFixedThreadPool(4);
    private final Map<String, Script> scripts = new ConcurrentHashMap<>();
    private final Map<String, String> operations = new ConcurrentHashMap<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final List<Long> putTimes = new CopyOnWriteArrayList<>();
    private final java.util.concurrent.atomic.AtomicInteger unconditionalPuts =
            new java.util.concurrent.atomic.AtomicInteger();
    private final Map<String, Set<String>> acrTags = new ConcurrentHashMap<>();

    FakeArm() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(pool);
        server.start();
    }

    String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** A pipeline as tests use it: JDK HttpClient, one quick retry that honours Retry-After (seconds). */
    HttpPipeline pipeline() {
        return new HttpPipelineBuilder()
                .httpClient(new JdkHttpClientBuilder().build())
                .policies(new RetryPolicy(new FixedDelay(1, Duration.ofMillis(5)), "Retry-After", ChronoUnit.SECONDS))
                .build();
    }

    ArmConnection connection() {
        return ArmConnection.of(pipeline(), base());
    }

    Script script(String cluster) {
        return scripts.computeIfAbsent(cluster.toLowerCase(), k -> new Script());
    }

    void acrTags(String repository, String... tags) {
        acrTags.put(repository, Set.of(tags));
    }

    List<String> requests() {
        return List.copyOf(requests);
    }

    long count(String methodAndPathPart) {
        String part = methodAndPathPart.toLowerCase(java.util.Locale.ROOT);
        return requests.stream()
                .filter(r -> r.toLowerCase(java.util.Locale.ROOT).contains(part))
                .count();
    }

    /** PUTs of a managed cluster without {@code If-None-Match: *} (each could have updated an existing cluster). */
    int unconditionalPuts() {
        return unconditionalPuts.get();
    }

    List<Long> putTimes() {
        return List.copyOf(putTimes);
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }

    // ---------------------------------------------------------------------------------------------

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String method = ex.getRequestMethod();
            String path = ex.getRequestURI().getPath();
            requests.add(method + " " + path);
            ex.getRequestBody().readAllBytes();
            Matcher m;
            if ((m = OPERATION.matcher(path)).matches()) {
                operation(ex, m.group(3));
            } else if ((m = CLUSTER.matcher(path)).matches()) {
                cluster(ex, method, m.group(1), m.group(2), m.group(3), m.group(4));
            } else if ((m = ACR_TAG.matcher(path)).matches()) {
                Set<String> tags = acrTags.getOrDefault(m.group(1), Set.of());
                if (tags.contains(m.group(2))) {
                    send(
                            ex,
                            200,
                            "{\"registry\":\"localhost\",\"imageName\":\"" + m.group(1) + "\",\"tag\":{\"name\":\""
                                    + m.group(2)
                                    + "\",\"digest\":\"sha256:abc\",\"createdTime\":\"2024-01-01T00:00:00Z\","
                                    + "\"lastUpdateTime\":\"2024-01-01T00:00:00Z\",\"signed\":false,\"changeableAttributes\":"
                                    + "{\"deleteEnabled\":true,\"writeEnabled\":true,\"readEnabled\":true,\"listEnabled\":true}}}");
                } else {
                    send(
                            ex,
                            404,
                            "{\"errors\":[{\"code\":\"TAG_UNKNOWN\",\"message\":\"the specified tag does not exist\"}]}");
                }
            } else if ((m = ACR_MANIFESTS.matcher(path)).matches()) {
                Set<String> tags = acrTags.get(m.group(1));
                if (tags == null) {
                    send(
                            ex,
                            404,
                            "{\"errors\":[{\"code\":\"NAME_UNKNOWN\",\"message\":\"repository name not known to registry\"}]}");
                } else {
                    StringBuilder list = new StringBuilder();
                    for (String t : tags) {
                        list.append(list.length() == 0 ? "" : ",")
                                .append('"')
                                .append(t)
                                .append('"');
                    }
                    send(
                            ex,
                            200,
                            "{\"registry\":\"localhost\",\"imageName\":\"" + m.group(1)
                                    + "\",\"manifests\":[{\"digest\":"
                                    + "\"sha256:abc\",\"imageSize\":1,\"createdTime\":\"2024-01-01T00:00:00Z\",\"lastUpdateTime\":"
                                    + "\"2024-01-01T00:00:00Z\",\"tags\":[" + list + "]}]}");
                }
            } else {
                send(ex, 404, "{\"error\":{\"code\":\"NotFound\",\"message\":\"no route " + path + "\"}}");
            }
        } catch (RuntimeException e) {
            send(ex, 500, "{\"error\":{\"code\":\"InternalServerError\",\"message\":\"" + e + "\"}}");
        }
    }

    private void cluster(HttpExchange ex, String method, String sub, String rg, String name, String action)
            throws IOException {
        Script s = script(name);
        String id = "/subscriptions/" + sub + "/resourceGroups/" + rg
                + "/providers/Microsoft.ContainerService/managedClusters/" + name;
        if (method.equals("PUT")) {
            putTimes.add(System.nanoTime());
            boolean createOnly = "*".equals(ex.getRequestHeaders().getFirst("If-None-Match"));
            if (!createOnly) {
                unconditionalPuts.incrementAndGet();
            }
            if (createOnly && s.exists) {
                send(
                        ex,
                        412,
                        "{\"error\":{\"code\":\"PreconditionFailed\",\"message\":\"The resource '" + name
                                + "' already exists: If-None-Match: * does not match.\"}}");
                return;
            }
            if (s.throttleTimes > 0) {
                s.throttleTimes--;
                ex.getResponseHeaders().add("Retry-After", s.retryAfter);
                send(
                        ex,
                        429,
                        "{\"error\":{\"code\":\"TooManyRequests\",\"message\":\"The request is being throttled.\"}}");
                return;
            }
            if (s.putErrorBody != null) {
                send(ex, s.putStatus, s.putErrorBody);
                return;
            }
            String op = "op-" + name + "-" + System.nanoTime();
            operations.put(op, name.toLowerCase());
            s.exists = true;
            s.state = "Creating";
            s.modifications.incrementAndGet();
            ex.getResponseHeaders()
                    .add(
                            "Azure-AsyncOperation",
                            base() + "/subscriptions/" + sub
                                    + "/providers/Microsoft.ContainerService/locations/koreacentral/operations/" + op
                                    + "?api-version=2016-03-30");
            send(ex, 201, clusterBody(id, name, s));
            return;
        }
        if (method.equals("GET") && action == null) {
            if (s.getThrottleTimes > 0) {
                s.getThrottleTimes--;
                ex.getResponseHeaders().add("Retry-After", s.retryAfter);
                send(
                        ex,
                        429,
                        "{\"error\":{\"code\":\"TooManyRequests\",\"message\":\"The request is being throttled.\"}}");
                return;
            }
            if (!s.exists || s.hiddenFromGet) {
                send(
                        ex,
                        404,
                        "{\"error\":{\"code\":\"ResourceNotFound\",\"message\":\"The Resource '" + name
                                + "' was not found.\"}}");
            } else {
                if (s.deleteAfterGets == 0) {
                    if (s.deleteFails) {
                        s.state = "Failed";
                    } else {
                        s.exists = false;
                        send(ex, 404, "{\"error\":{\"code\":\"ResourceNotFound\",\"message\":\"gone\"}}");
                        return;
                    }
                } else if (s.deleteAfterGets > 0) {
                    s.deleteAfterGets--;
                }
                if ((s.operationGone || s.aborted) && !s.hold) {
                    synchronized (s.steps) {
                        s.state = (s.steps.size() > 1 ? s.steps.poll() : s.steps.peek())[1];
                    }
                }
                send(ex, 200, clusterBody(id, name, s));
            }
            return;
        }
        if (method.equals("POST") && "/abort".equalsIgnoreCase(action)) {
            if (!s.exists) {
                send(ex, 404, "{\"error\":{\"code\":\"ResourceNotFound\",\"message\":\"not found\"}}");
                return;
            }
            s.state = "Canceling";
            s.modifications.incrementAndGet();
            s.hold = false;
            s.aborted = true;
            s.steps(
                    "InProgress",
                    "Canceling",
                    "InProgress",
                    "Canceling",
                    "InProgress",
                    "Canceling",
                    "Canceled",
                    "Canceled");
            send(ex, 204, "");
            return;
        }
        if (method.equals("POST") && "/listClusterUserCredential".equalsIgnoreCase(action)) {
            if (!s.exists || s.kubeconfig == null) {
                send(ex, 404, "{\"error\":{\"code\":\"ResourceNotFound\",\"message\":\"not found\"}}");
                return;
            }
            String b64 = Base64.getEncoder().encodeToString(s.kubeconfig.getBytes(StandardCharsets.UTF_8));
            send(ex, 200, "{\"kubeconfigs\":[{\"name\":\"clusterUser\",\"value\":\"" + b64 + "\"}]}");
            return;
        }
        if (method.equals("DELETE")) {
            s.state = "Deleting";
            s.modifications.incrementAndGet();
            s.hold = true;
            s.deleteAfterGets = 2;
            ex.getResponseHeaders()
                    .add(
                            "Location",
                            base() + "/subscriptions/" + sub
                                    + "/providers/Microsoft.ContainerService/locations/koreacentral/operations/delete-"
                                    + name);
            send(ex, 202, "");
            return;
        }
        send(ex, 405, "{\"error\":{\"code\":\"MethodNotAllowed\",\"message\":\"" + method + "\"}}");
    }

    private void operation(HttpExchange ex, String op) throws IOException {
        String name = operations.get(op);
        if (name == null) {
            send(ex, 404, "{\"error\":{\"code\":\"NotFound\",\"message\":\"operation " + op + " unknown\"}}");
            return;
        }
        Script s = script(name);
        if (s.operationGone) {
            send(ex, 404, "{\"error\":{\"code\":\"NotFound\",\"message\":\"operation " + op + " expired\"}}");
            return;
        }
        String[] step;
        if (s.hold) {
            step = new String[] {"InProgress", s.state};
        } else {
            synchronized (s.steps) {
                step = s.steps.size() > 1 ? s.steps.poll() : s.steps.peek();
            }
        }
        s.state = step[1];
        String error =
                "Failed".equals(step[0]) && s.operationErrorBody != null ? ",\"error\":" + s.operationErrorBody : "";
        send(
                ex,
                200,
                "{\"id\":\"" + op + "\",\"name\":\"" + op + "\",\"status\":\"" + step[0] + "\""
                        + ",\"startTime\":\"2026-01-01T00:00:00Z\"" + error + "}");
    }

    private static String clusterBody(String id, String name, Script s) {
        return "{\"id\":\"" + id + "\",\"name\":\"" + name
                + "\",\"type\":\"Microsoft.ContainerService/ManagedClusters\","
                + "\"location\":\"koreacentral\",\"properties\":{\"provisioningState\":\"" + s.state + "\","
                + "\"powerState\":{\"code\":\"" + s.power + "\"},\"dnsPrefix\":\"" + name + "\"}}";
    }

    private static void send(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        if (status == 204 || bytes.length == 0) {
            ex.sendResponseHeaders(status, -1);
            return;
        }
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    static List<String> list(String... s) {
        return new ArrayList<>(List.of(s));
    }
}
