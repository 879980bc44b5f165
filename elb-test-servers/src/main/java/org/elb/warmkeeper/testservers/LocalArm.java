package org.elb.warmkeeper.testservers;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local HTTP server that answers as Azure Resource Manager does for AKS managed clusters (GET, PUT with
 * an {@code Azure-AsyncOperation}, the operation, abort): enough for the runner's provisioner and
 * readiness probe. A cluster named {@code quota-*} is refused with a nested QuotaExceeded error; every
 * other create stays InProgress ("Creating") until aborted or {@linkplain #finish finished}. The tags of a
 * PUT are kept and answered on GET and on the subscription's cluster list.
 */
public final class LocalArm implements AutoCloseable {

    private static final Pattern CLUSTER = Pattern.compile(
            "/subscriptions/([^/]+)/resourceGroups/([^/]+)/providers/Microsoft\\.ContainerService/managedClusters/([^/]+)(/[A-Za-z]+)?",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern LIST = Pattern.compile(
            "/subscriptions/([^/]+)/providers/Microsoft\\.ContainerService/managedClusters/?",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern TAGS = Pattern.compile("\"tags\"\\s*:\\s*(\\{[^{}]*\\})");
    private static final Pattern OPERATION = Pattern.compile(
            "/subscriptions/[^/]+/providers/Microsoft\\.ContainerService/locations/[^/]+/operations/([^/]+)",
            Pattern.CASE_INSENSITIVE);

    private final HttpServer server;
    private final ExecutorService pool = Executors.newFixedThreadPool(4);
    /** cluster name -> provisioningState; pre-existing clusters are Succeeded/Running. */
    private final Map<String, String> states = new ConcurrentHashMap<>();

    private final List<String> requests = new CopyOnWriteArrayList<>();
    /** cluster name -> the user kubeconfig listClusterUserCredential returns. */
    private final Map<String, String> kubeconfigs = new ConcurrentHashMap<>();
    /** cluster name -> its tags as a JSON object. */
    private final Map<String, String> tags = new ConcurrentHashMap<>();
    /** cluster name -> its subscription (for the list). */
    private final Map<String, String> subscriptions = new ConcurrentHashMap<>();
    /** cluster name -> its resource group (for the list). */
    private final Map<String, String> groups = new ConcurrentHashMap<>();
    /** clusters whose PUT is taken and then answered 409, as a retried PUT whose first attempt landed. */
    private final java.util.Set<String> conflictAfterPut = ConcurrentHashMap.newKeySet();

    private volatile @org.jspecify.annotations.Nullable String operationBase;

    public LocalArm() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(pool);
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private volatile long delayMillis;

    /** Every answer from now on comes this much later (a slow Resource Manager). */
    public LocalArm delay(java.time.Duration delay) {
        delayMillis = delay.toMillis();
        return this;
    }

    private volatile int failWith;

    /**
     * Every answer from now on is {@code status} with an ARM error body (a failing Resource Manager, e.g.
     * 503); 0 answers normally again. The requests are still counted ({@link #count}).
     */
    public LocalArm failing(int status) {
        failWith = status;
        return this;
    }

    public LocalArm existing(String cluster) {
        states.put(cluster, "Succeeded");
        return this;
    }

    /** A cluster that exists with these tags (a JSON object), e.g. one a crashed job left behind. */
    public LocalArm existing(String subscription, String resourceGroup, String cluster, String tagsJson) {
        states.put(cluster, "Succeeded");
        subscriptions.put(cluster, subscription);
        groups.put(cluster, resourceGroup);
        tags.put(cluster, tagsJson);
        return this;
    }

    /**
     * The PUT of {@code cluster} is taken (the cluster is Creating, with the PUT's tags) and then answered
     * 409 AnotherOperationInProgress, as when a retried PUT meets the operation its first attempt started.
     */
    public LocalArm conflictAfterPut(String cluster) {
        conflictAfterPut.add(cluster);
        return this;
    }

    /** Ends the create of {@code cluster}: its state and its operation become {@code state} (Succeeded, Failed). */
    public LocalArm finish(String cluster, String state) {
        states.put(cluster, state);
        return this;
    }

    /** Operation URLs are handed out on this base URL instead of this server's (another host). */
    public LocalArm operationBase(String base) {
        this.operationBase = base;
        return this;
    }

    /** The tags the cluster's PUT carried, as a JSON object, or null. */
    public @org.jspecify.annotations.Nullable String tags(String cluster) {
        return tags.get(cluster);
    }

    public List<String> requests() {
        return List.copyOf(requests);
    }

    public LocalArm kubeconfig(String cluster, String yaml) {
        kubeconfigs.put(cluster, yaml);
        return this;
    }

    public long count(String methodAndPathPart) {
        return requests.stream().filter(r -> r.contains(methodAndPathPart)).count();
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }

    private void handle(HttpExchange ex) throws IOException {
        if (delayMillis > 0) {
            try {
                Thread.sleep(delayMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try (ex) {
            String method = ex.getRequestMethod();
            String path = ex.getRequestURI().getPath();
            requests.add(method + " " + path);
            String requestBody = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            int failure = failWith;
            if (failure > 0) {
                send(ex, failure, "{\"error\":{\"code\":\"ServiceUnavailable\",\"message\":\"failing on purpose\"}}");
                return;
            }
            Matcher m;
            if (method.equals("GET") && (m = LIST.matcher(path)).matches()) {
                String sub = m.group(1);
                StringBuilder value = new StringBuilder();
                for (String name : states.keySet()) {
                    if (sub.equalsIgnoreCase(subscriptions.get(name))) {
                        String id = "/subscriptions/" + sub + "/resourceGroups/" + groups.get(name)
                                + "/providers/Microsoft.ContainerService/managedClusters/" + name;
                        value.append(value.length() == 0 ? "" : ",").append(body(id, name));
                    }
                }
                send(ex, 200, "{\"value\":[" + value + "]}");
            } else if ((m = OPERATION.matcher(path)).matches()) {
                String name = m.group(1);
                String state = states.getOrDefault(name, "Creating");
                String status = state.equals("Canceling")
                        ? "Canceled"
                        : state.equals("Succeeded") || state.equals("Failed") ? state : "InProgress";
                if (status.equals("Canceled")) {
                    states.put(name, "Canceled");
                }
                send(
                        ex,
                        200,
                        "{\"id\":\"" + name + "\",\"name\":\"" + name + "\",\"status\":\"" + status
                                + "\",\"startTime\":\"2026-01-01T00:00:00Z\"}");
            } else if ((m = CLUSTER.matcher(path)).matches()) {
                cluster(ex, method, m.group(1), m.group(2), m.group(3), m.group(4), requestBody);
            } else {
                send(ex, 404, "{\"error\":{\"code\":\"NotFound\",\"message\":\"no route\"}}");
            }
        }
    }

    private void cluster(
            HttpExchange ex, String method, String sub, String rg, String name, String action, String requestBody)
            throws IOException {
        String id = "/subscriptions/" + sub + "/resourceGroups/" + rg
                + "/providers/Microsoft.ContainerService/managedClusters/" + name;
        if (method.equals("PUT")) {
            if (name.startsWith("quota-")) {
                send(
                        ex,
                        400,
                        "{\"error\":{\"code\":\"InvalidTemplateDeployment\",\"message\":\"The template deployment failed.\","
                                + "\"details\":[{\"code\":\"QuotaExceeded\",\"message\":\"Operation could not be completed as it results in exceeding approved Total Regional Cores quota.\"}]}}");
                return;
            }
            states.put(name, "Creating");
            subscriptions.put(name, sub);
            groups.put(name, rg);
            Matcher t = TAGS.matcher(requestBody);
            if (t.find()) {
                tags.put(name, t.group(1));
            }
            if (conflictAfterPut.remove(name)) {
                send(
                        ex,
                        409,
                        "{\"error\":{\"code\":\"AnotherOperationInProgress\",\"message\":\"Another operation "
                                + "(Create) is in progress on managed cluster '" + name + "'.\"}}");
                return;
            }
            String opBase = operationBase;
            ex.getResponseHeaders()
                    .add(
                            "Azure-AsyncOperation",
                            (opBase != null ? opBase : base()) + "/subscriptions/" + sub
                                    + "/providers/Microsoft.ContainerService/locations/koreacentral/operations/" + name
                                    + "?api-version=2016-03-30");
            send(ex, 201, body(id, name));
        } else if (method.equals("GET") && action == null) {
            if (!states.containsKey(name)) {
                send(
                        ex,
                        404,
                        "{\"error\":{\"code\":\"ResourceNotFound\",\"message\":\"The Resource '" + name
                                + "' was not found.\"}}");
            } else {
                send(ex, 200, body(id, name));
            }
        } else if (method.equals("POST")
                && "/listClusterUserCredential".equalsIgnoreCase(action)
                && kubeconfigs.containsKey(name)) {
            String b64 = java.util.Base64.getEncoder()
                    .encodeToString(kubeconfigs.get(name).getBytes(StandardCharsets.UTF_8));
            send(ex, 200, "{\"kubeconfigs\":[{\"name\":\"clusterUser\",\"value\":\"" + b64 + "\"}]}");
        } else if (method.equals("POST") && "/abort".equalsIgnoreCase(action)) {
            states.put(name, "Canceling");
            send(ex, 204, "");
        } else {
            send(ex, 405, "{\"error\":{\"code\":\"MethodNotAllowed\",\"message\":\"" + method + "\"}}");
        }
    }

    private String body(String id, String name) {
        return "{\"id\":\"" + id + "\",\"name\":\"" + name
                + "\",\"type\":\"Microsoft.ContainerService/ManagedClusters\","
                + "\"location\":\"koreacentral\",\"properties\":{\"provisioningState\":\"" + states.get(name) + "\","
                + "\"powerState\":{\"code\":\"Running\"},\"dnsPrefix\":\"" + name + "\"}"
                + (tags.containsKey(name) ? ",\"tags\":" + tags.get(name) : "") + "}";
    }

    private static void send(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        if (bytes.length == 0) {
            ex.sendResponseHeaders(status, -1);
            return;
        }
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }
}
