package org.elb.warmkeeper.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The {@code elb.*} keys that the runner ({@code RunSettings}) and the Spring Boot starter
 * ({@code ElbSettings}) both read, and one table of values that both must accept or refuse with the
 * same message. Each side extends this class; a key that one side gains without the table saying which
 * side it belongs to, or a message that one side rewords, fails that side's build.
 *
 * <p>Values are written as the runner takes them (ISO-8601 durations, comma-separated lists), which
 * Boot's binder takes too. Rules that differ on purpose are listed in {@link #RUNNER_ONLY},
 * {@link #STARTER_ONLY} and the comments of {@link #CASES}.
 */
public abstract class SettingsContract {

    /** The side under test. */
    protected enum Side {
        RUNNER,
        STARTER
    }

    /** One row: properties on top of {@link #BASE}, and the message both sides give (empty: accepted). */
    public record Case(String name, Map<String, String> properties, Optional<String> message) {}

    /** Read by both, with the same meaning. Dynamic parts are written {@code <name>} and {@code <service>}. */
    public static final Set<String> SHARED = Set.of(
            "elb.jdbc.url",
            "elb.jdbc.user",
            "elb.jdbc.password",
            "elb.jdbc.schema",
            "elb.redis.url",
            "elb.kube.config",
            "elb.kube.namespace",
            "elb.kube.warmup-template",
            "elb.kube.warmup-image",
            "elb.leader.lease",
            "elb.leader.namespace",
            "elb.leader.cluster",
            "elb.azure.auth",
            "elb.azure.endpoint",
            "elb.azure.tenant",
            "elb.azure.poll-interval",
            "elb.azure.readiness",
            "elb.azure.readiness-cache",
            "elb.registry.login-server",
            "elb.http.owner-header",
            "elb.http.admins",
            "elb.http.jwt.owner-claim",
            // the caller's identity mode (the runner's default is header, the starter's jwt), the status page
            // and the event streams' bounds
            "elb.http.identity",
            "elb.http.page",
            "elb.http.events.heartbeat",
            "elb.http.events.max-streams",
            "elb.http.events.buffer",
            "elb.http.events.resume-window",
            "elb.clusters",
            "elb.cluster.<name>.subscription",
            "elb.cluster.<name>.resource-group",
            "elb.cluster.<name>.databases",
            "elb.cluster.<name>.downloaded",
            "elb.cluster.<name>.kube-context",
            "elb.image.<service>",
            "elb.openapi.<service>",
            "elb.autowarm.interval",
            "elb.autowarm.lock-ttl",
            "elb.autowarm.reseed",
            "elb.provision.resume-window",
            "elb.provision.allowed-scopes",
            "elb.provision.allowed-regions",
            "elb.provision.allowed-vm-sizes",
            "elb.provision.max-nodes",
            "elb.provision.max-active-per-owner",
            "elb.provision.owner-rate",
            "elb.provision.max-queued");

    /**
     * The runner's alone: its own HTTP server, bearer-token validation, its start-up checks, AKS-sourced
     * kubeconfigs, its log format and the one-shot commands' owner.
     */
    public static final Set<String> RUNNER_ONLY = Set.of(
            "elb.http.host",
            "elb.http.port",
            "elb.http.drain-timeout",
            "elb.http.gateway-secret",
            "elb.http.jwt.issuer",
            "elb.http.jwt.audience",
            "elb.http.jwt.jwks-url",
            "elb.http.jwt.jwks-file",
            "elb.http.jwt.clock-skew",
            "elb.check.timeout",
            "elb.kube.source",
            "elb.log.format",
            "elb.owner");

    /**
     * The starter's alone: what a Spring application decides for itself (the schedule and the sweep may
     * be left to it, the store's tables live beside its own, the web layer is opt-in).
     */
    public static final Set<String> STARTER_ONLY = Set.of(
            "elb.jdbc.table-prefix",
            "elb.jdbc.migrate",
            "elb.autowarm.enabled",
            "elb.provision.sweep",
            "elb.web.enabled",
            // the runner takes the default (8) until it moves onto the starter's web layer
            "elb.http.events.max-streams-per-owner",
            // the tuning keys of the starter's builders (the runner keeps the builders' defaults)
            "elb.autowarm.concurrency",
            "elb.autowarm.cluster-deadline",
            "elb.autowarm.tick-deadline",
            "elb.autowarm.backoff-cap",
            "elb.autowarm.stuck-loading-after",
            "elb.autowarm.shutdown-timeout",
            "elb.provision.retention",
            "elb.provision.max-age",
            "elb.kube.connect-timeout",
            "elb.kube.request-timeout",
            "elb.redis.connect-timeout",
            "elb.redis.response-timeout");

    /**
     * Keys on their way into {@link #SHARED}: one side reads them already, the other may not yet. A side
     * that reads one must give the table's message for its case; a side that does not yet ignores it.
     */
    public static final Set<String> JOINING = Set.of("elb.kube.status-source");

    /** A valid configuration every case starts from. */
    public static final Map<String, String> BASE = Map.of(
            "elb.clusters", "east",
            "elb.cluster.east.subscription", "00000000-0000-4000-8000-000000000001",
            "elb.cluster.east.resource-group", "rg-elb",
            "elb.cluster.east.databases", "core_nt,swissprot",
            "elb.kube.config", "/etc/elb/kubeconfig");

    public static final List<Case> CASES = List.of(
            ok("the base"),
            ok(
                    "everything shared set",
                    Map.ofEntries(
                            Map.entry("elb.jdbc.url", "jdbc:postgresql://db:5432/elb"),
                            Map.entry("elb.jdbc.user", "elb"),
                            Map.entry("elb.jdbc.password", "s3cret"),
                            Map.entry("elb.jdbc.schema", "warmkeeper"),
                            Map.entry("elb.redis.url", "redis://:p%40ss@ops-redis:6379/2"),
                            Map.entry("elb.kube.namespace", "team-a"),
                            Map.entry("elb.kube.warmup-image", "ncbi/elb:1.4.1"),
                            Map.entry("elb.leader.lease", "elb-warmkeeper"),
                            Map.entry("elb.leader.namespace", "leases"),
                            Map.entry("elb.leader.cluster", "east"),
                            Map.entry("elb.azure.tenant", "contoso.onmicrosoft.com"),
                            Map.entry("elb.azure.poll-interval", "PT10S"),
                            Map.entry("elb.azure.readiness", "false"),
                            Map.entry("elb.azure.readiness-cache", "PT2M"),
                            Map.entry("elb.registry.login-server", "elbacr.azurecr.io"),
                            Map.entry("elb.http.owner-header", "X-Forwarded-User"),
                            Map.entry("elb.http.admins", "ops,alice"),
                            Map.entry("elb.http.jwt.owner-claim", "sub"),
                            Map.entry("elb.cluster.east.downloaded", "core_nt"),
                            Map.entry("elb.cluster.east.kube-context", "aks-east"),
                            Map.entry("elb.image.elb-openapi", "v4.9"),
                            Map.entry("elb.openapi.elb-openapi", "http://elb-openapi.elb.svc/openapi.json"),
                            Map.entry("elb.autowarm.interval", "PT30S"),
                            Map.entry("elb.autowarm.lock-ttl", "PT20M"),
                            Map.entry("elb.provision.resume-window", "PT30M"),
                            Map.entry(
                                    "elb.provision.allowed-scopes",
                                    "00000000-0000-4000-8000-000000000001/rg-elb,00000000-0000-4000-8000-000000000002/rg-b"),
                            Map.entry("elb.provision.allowed-regions", "koreacentral,eastus"),
                            Map.entry("elb.provision.allowed-vm-sizes", "Standard_E32s_v5"),
                            Map.entry("elb.provision.max-nodes", "50"),
                            Map.entry("elb.provision.max-active-per-owner", "3"),
                            Map.entry("elb.provision.owner-rate", "20"),
                            Map.entry("elb.provision.max-queued", "200"))),
            ok("any provisioning scope", Map.of("elb.provision.allowed-scopes", "*")),
            bad(
                    "a provisioning scope without its resource group",
                    Map.of("elb.provision.allowed-scopes", "00000000-0000-4000-8000-000000000001"),
                    "'elb.provision.allowed-scopes' must be a comma-separated list of <subscription-id>/<resource-group>"
                            + " pairs, or *: 'scope' must be <subscription-id>/<resource-group>, but was"
                            + " '00000000-0000-4000-8000-000000000001'"),
            bad(
                    "a region in upper case",
                    Map.of("elb.provision.allowed-regions", "KoreaCentral"),
                    "'elb.provision.allowed-regions' must be a comma-separated list of Azure location names:"
                            + " 'allowedRegions[]' must be an Azure location name: 1-40 lower-case letters and digits,"
                            + " but was 'KoreaCentral'"),
            bad(
                    "a node maximum over 1000",
                    Map.of("elb.provision.max-nodes", "2000"),
                    "'elb.provision.max-nodes' must be an integer between 1 and 1000, but was '2000'"),
            bad(
                    "no provisions per owner",
                    Map.of("elb.provision.max-active-per-owner", "0"),
                    "'elb.provision.max-active-per-owner' must be an integer between 1 and 100000, but was '0'"),
            bad(
                    "a cluster without its subscription",
                    Map.of("elb.clusters", "east,west"),
                    "'elb.cluster.west.subscription' is required (or ELB_CLUSTER_WEST_SUBSCRIPTION): expected the"
                            + " cluster's Azure subscription id (a GUID)"),
            bad(
                    "a cluster without its resource group",
                    Map.of(
                            "elb.clusters",
                            "east,west",
                            "elb.cluster.west.subscription",
                            "00000000-0000-4000-8000-000000000002"),
                    "'elb.cluster.west.resource-group' is required (or ELB_CLUSTER_WEST_RESOURCE_GROUP): expected the"
                            + " cluster's Azure resource group"),
            bad(
                    "a subscription that is not a GUID",
                    Map.of("elb.cluster.east.subscription", "not-a-guid"),
                    "'elb.cluster.east.*' must be a valid subscription id, resource group and AKS cluster name:"
                            + " 'subscriptionId' must be a GUID (8-4-4-4-12 hex digits), but was 'not-a-guid'"),
            bad(
                    "a database name with a space",
                    Map.of("elb.cluster.east.databases", "core_nt,swiss prot"),
                    "'elb.cluster.east.databases' must be a comma-separated list of BLAST database names such as"
                            + " core_nt,swissprot: 'databaseName' must be 1-100 characters from letters, digits, '_', '.', '-', starting with a letter or"
                            + " digit, but was 'swiss prot'"),
            bad(
                    "a namespace that is not a DNS label",
                    Map.of("elb.kube.namespace", "Team_A"),
                    "'elb.kube.namespace' must be a DNS label (lower-case letters, digits and -, at most 63), but was"
                            + " 'Team_A'"),
            bad(
                    "a Lease name that is not a DNS label",
                    Map.of("elb.leader.lease", "ELB lease"),
                    "'elb.leader.lease' must be a DNS label (lower-case letters, digits and -, at most 63), but was"
                            + " 'ELB lease'"),
            bad(
                    "a Lease namespace that is not a DNS label",
                    Map.of("elb.leader.namespace", "-x"),
                    "'elb.leader.namespace' must be a DNS label (lower-case letters, digits and -, at most 63), but"
                            + " was '-x'"),
            bad(
                    "a Lease cluster that is not managed",
                    Map.of("elb.leader.cluster", "west"),
                    "'elb.leader.cluster' must name one of 'elb.clusters' (east), but was 'west'"),
            bad(
                    "a Lease without a cluster to hold it",
                    Map.of(
                            "elb.clusters", "",
                            "elb.cluster.east.subscription", "",
                            "elb.cluster.east.resource-group", "",
                            "elb.cluster.east.databases", "",
                            "elb.leader.lease", "elb-warmkeeper"),
                    "'elb.leader.lease' needs a cluster to hold the Lease: set 'elb.clusters'"),
            bad(
                    "an unknown Azure authentication",
                    Map.of("elb.azure.auth", "managed"),
                    "'elb.azure.auth' must be one of default, none, but was 'managed'"),
            bad(
                    "a Resource Manager endpoint that is not http(s)",
                    Map.of("elb.azure.auth", "none", "elb.azure.endpoint", "ftp://arm.local"),
                    "'elb.azure.endpoint' must be an http(s) URL of Resource Manager (not http(s)), but was"
                            + " 'ftp://arm.local'"),
            bad(
                    "an OpenAPI URL that is not http(s)",
                    Map.of("elb.openapi.elb-openapi", "file:///etc/passwd"),
                    "'elb.openapi.elb-openapi' must be the http(s) URL of the service's OpenAPI spec (not http(s)), but"
                            + " was 'file:///etc/passwd'"),
            bad(
                    "an OpenAPI URL whose password hides the host, masked",
                    Map.of("elb.openapi.elb-openapi", "http://user:pa/ss@host/openapi.json"),
                    "'elb.openapi.elb-openapi' must be the http(s) URL of the service's OpenAPI spec (no host (a '/' or"
                            + " '@' in a password must be written %2F or %40)), but was 'http://****@host/openapi.json'"),
            bad(
                    "an image of a service name in upper case",
                    Map.of("elb.image.ElbOpenapi", "v4.9"),
                    "'elb.image.ElbOpenapi' must be a service name (lower case, digits, - and _): 'serviceName' must be 1-63"
                            + " lower-case letters, digits and '-', starting and ending with a letter or digit, but was"
                            + " 'ElbOpenapi'"),
            bad(
                    "a JDBC URL of another database, masked",
                    Map.of("elb.jdbc.url", "jdbc:mysql://db/elb?user=elb&password=hunter2"),
                    "'elb.jdbc.url' must be a jdbc:h2: or jdbc:postgresql: URL, but was"
                            + " 'jdbc:mysql://db/elb?user=elb&password=****'"),
            bad(
                    "a Redis URL that Redisson refuses",
                    Map.of("elb.redis.url", "http://ops-redis:6379"),
                    "'elb.redis.url' must be redis://[[user]:password@]host[:port][/db] (or rediss://), with '/', '@',"
                            + " ':' and '%' in the password written %2F, %40, %3A and %25 ('redisUrl' must start with"
                            + " redis:// or rediss://, but was 'http://…'), but was 'http://ops-redis:6379'"),
            bad(
                    "a status source that is neither",
                    Map.of("elb.kube.status-source", "watch"),
                    "'elb.kube.status-source' must be one of informer, list, but was 'watch'"),
            ok("an ARM readiness cache of zero: off", Map.of("elb.azure.readiness-cache", "PT0S")),
            bad(
                    "a negative ARM readiness cache",
                    Map.of("elb.azure.readiness-cache", "PT-1M"),
                    "'elb.azure.readiness-cache' must be a positive ISO-8601 duration such as PT1M, but was 'PT-1M'"),
            bad(
                    "a zero tick interval",
                    Map.of("elb.autowarm.interval", "PT0S"),
                    "'elb.autowarm.interval' must be a positive ISO-8601 duration such as PT1M, but was 'PT0S'"),
            bad(
                    "a zero lock TTL",
                    Map.of("elb.autowarm.lock-ttl", "PT0S"),
                    "'elb.autowarm.lock-ttl' must be a positive ISO-8601 duration such as PT1M, but was 'PT0S'"),
            bad(
                    "an owner header that is not a header name",
                    Map.of("elb.http.owner-header", "X Elb Owner"),
                    "'elb.http.owner-header' must be an HTTP header name (letters, digits and -), but was 'X Elb Owner'"),
            bad(
                    "an admin that is not an owner id",
                    Map.of("elb.http.admins", "ops,bad\u00e9"),
                    "'elb.http.admins' must be a comma-separated list of owner ids: 'ownerId' must be 1-128 printable"
                            + " ASCII characters without whitespace, but was 'bad\u00e9'"));
    // Differences on purpose, not in the table: a malformed duration ("soon") is refused by both, the runner
    // saying "must be an ISO-8601 duration such as PT1M", Boot's binder "Failed to bind properties under
    // 'elb.autowarm.interval'" (it also takes 30s, 1m); 'elb.azure.auth' none without an endpoint fails the
    // starter at start and the runner at its first ARM call; a 'elb.cluster.<name>.*' key of a cluster not in
    // 'elb.clusters' fails the starter (Boot binds every key given) and is ignored by the runner.

    private static Case ok(String name) {
        return new Case(name, Map.of(), Optional.empty());
    }

    private static Case ok(String name, Map<String, String> properties) {
        return new Case(name, properties, Optional.empty());
    }

    private static Case bad(String name, Map<String, String> properties, String message) {
        return new Case(name, properties, Optional.of(message));
    }

    /** Which side this is. */
    protected abstract Side side();

    /**
     * Reads and checks {@code properties} (runner spelling) as this side does at start: the error message,
     * or empty when they are accepted.
     */
    protected abstract Optional<String> check(Map<String, String> properties);

    /** Every key this side reads, dynamic parts written {@code <name>} and {@code <service>}. */
    protected abstract Set<String> keys();

    @Test
    void reads_every_shared_key_and_no_key_the_table_does_not_place() {
        Set<String> own = side() == Side.RUNNER ? RUNNER_ONLY : STARTER_ONLY;
        Set<String> keys = keys();
        assertThat(new TreeSet<>(keys)).as("the shared keys this side reads").containsAll(new TreeSet<>(SHARED));
        Set<String> unplaced = new TreeSet<>(keys);
        unplaced.removeAll(SHARED);
        unplaced.removeAll(JOINING);
        unplaced.removeAll(own);
        assertThat(unplaced)
                .as("keys this side reads that the table neither shares nor gives to this side")
                .isEmpty();
        Set<String> gone = new TreeSet<>(own);
        gone.removeAll(keys);
        assertThat(gone)
                .as("keys the table gives this side that it no longer reads")
                .isEmpty();
    }

    @TestFactory
    Stream<DynamicTest> accepts_and_refuses_as_the_table_says() {
        Set<String> reads = keys();
        return CASES.stream()
                .map(c -> DynamicTest.dynamicTest(c.name(), () -> {
                    Map<String, String> props = new LinkedHashMap<>(BASE);
                    props.putAll(c.properties());
                    props.values().removeIf(String::isEmpty);
                    Optional<String> got = check(props);
                    boolean notYet =
                            c.properties().keySet().stream().anyMatch(k -> JOINING.contains(k) && !reads.contains(k));
                    if (c.message().isEmpty() || notYet) {
                        assertThat(got)
                                .as(notYet ? "accepted: this side does not read the key yet" : "accepted")
                                .isEmpty();
                    } else {
                        assertThat(got)
                                .as("refused with the shared message")
                                .hasValue(c.message().get());
                    }
                }));
    }
}
