package org.elb.warmkeeper.runner;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.elb.warmkeeper.core.ElbException;
import org.elb.warmkeeper.core.provision.ProvisioningSweeper;
import org.elb.warmkeeper.core.provision.ResumeReport;
import org.elb.warmkeeper.core.provision.SweepPolicy;
import org.elb.warmkeeper.core.warm.AutoWarmScheduler;
import org.elb.warmkeeper.core.warm.LeaderElection;
import org.elb.warmkeeper.runner.http.HttpApi;
import org.elb.warmkeeper.runner.http.Identity;
import org.elb.warmkeeper.runner.http.JwtIdentity;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@code run} starts, in order: the dependency checks (printed), the seed of the configured
 * clusters, the resume of unfinished provisions (on the leader), the auto-warm scheduler (leader-only
 * with a Lease) and the HTTP API with {@code /metrics}. {@link #close()} stops them in reverse order.
 */
final class RunningApp implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RunningApp.class);

    /** The store could not be reached at start: the runner needs it to migrate and seed. */
    static final class StartFailed extends RuntimeException {
        StartFailed(String message) {
            super(message);
        }
    }

    private final Wiring wiring;
    private final List<Wiring.Check> checks;
    private final AutoWarmScheduler scheduler;
    private final HttpApi api;
    private final ScheduledExecutorService resumer;
    private final AtomicBoolean closed = new AtomicBoolean();

    private RunningApp(
            Wiring wiring,
            List<Wiring.Check> checks,
            AutoWarmScheduler scheduler,
            HttpApi api,
            ScheduledExecutorService resumer) {
        this.wiring = wiring;
        this.checks = checks;
        this.scheduler = scheduler;
        this.api = api;
        this.resumer = resumer;
    }

    /** Starts everything; on a failure closes what was started and rethrows. */
    static RunningApp start(Wiring wiring, PrintWriter out) {
        RunSettings s = wiring.settings;
        @Nullable AutoWarmScheduler scheduler = null;
        ScheduledExecutorService resumer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "elb-resume");
            t.setDaemon(true);
            return t;
        });
        try {
            out.println("ELB Warmkeeper: checking dependencies");
            List<Wiring.Check> checks = wiring.checks();
            checks.forEach(c -> out.println(c.line()));
            out.flush();
            for (Wiring.Check c : checks) {
                if (c.dependency().equals("database") && !c.ok()) {
                    throw new StartFailed("the database is required at start (migrations, seed): " + c.detail());
                }
            }
            wiring.seed();
            LeaderElection leader = wiring.leaderElection();
            AtomicBoolean resumed = new AtomicBoolean();
            resumer.scheduleWithFixedDelay(() -> resumeOnce(wiring, leader, resumed, resumer), 0, 2, TimeUnit.SECONDS);
            scheduler = AutoWarmScheduler.builder(wiring.reconciler())
                    .interval(s.interval)
                    .shutdownTimeout(s.drainTimeout)
                    .leaderElection(leader)
                    .observer(wiring.metrics)
                    .build()
                    .start();
            HttpApi.Builder http = HttpApi.builder(wiring.provisioning(), wiring.reconciler(), wiring.gate());
            if (s.page) {
                http.statusPage(s.imageTags.keySet().stream()
                                .map(org.elb.warmkeeper.core.version.ServiceName::value)
                                .sorted()
                                .toList())
                        .pageOwnerHeader(s.ownerHeader);
            }
            HttpApi api = http.lastReport(scheduler::lastReport)
                    .scrape(wiring.prometheus::scrape)
                    .identity(identity(s))
                    .admins(s.admins)
                    .autoWarm(
                            wiring.store().autoWarmPreferences(), wiring.store().warmAttemptHistory())
                    .liveness("scheduler", RunnerHealth.scheduler(scheduler, s.interval, wiring.clock))
                    .readiness("store", RunnerHealth.store(wiring))
                    .readiness("lock", RunnerHealth.lock(wiring))
                    .readiness("role", RunnerHealth.role(leader))
                    .readiness("informers", RunnerHealth.informers(wiring))
                    .events(wiring.events(), wiring.store().jobStateRepository(), s.events)
                    .eventClock(wiring.clock)
                    .host(s.httpHost)
                    .port(s.httpPort)
                    .start();
            out.println("auto-warm: " + s.clusters.size() + " cluster(s) every " + s.interval
                    + (leader == LeaderElection.ALWAYS
                            ? " (single replica: always the leader)"
                            : " (leader-only: Lease "
                                    + s.leasePlacement()
                                            .map(RunSettings.LeasePlacement::namespace)
                                            .orElse("?")
                                    + "/" + s.leaderLease + ")"));
            out.println("listening on http://" + s.httpHost + ":" + api.port());
            out.flush();
            return new RunningApp(wiring, checks, scheduler, api, resumer);
        } catch (IOException e) {
            closeQuietly(scheduler, resumer, wiring);
            throw new UncheckedIOException(
                    "cannot listen on " + s.httpHost + ":" + s.httpPort + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(scheduler, resumer, wiring);
            throw e;
        }
    }

    /** The HTTP identity: the gateway's header, or a bearer JWT validated against the issuer's keys. */
    static Identity identity(RunSettings s) {
        if (s.identity == null) {
            throw new RunConfig.ConfigException(
                    "'elb.http.identity' must be set: jwt (callers send a bearer token validated against the issuer's"
                            + " keys, 'elb.http.jwt.*') or header (an authenticating gateway sets 'elb.http.owner-header';"
                            + " off loopback it must also prove itself with 'elb.http.gateway-secret')");
        }
        if (s.identity == RunSettings.IdentityMode.HEADER) {
            if (s.gatewaySecret != null) {
                return Identity.gateway(s.ownerHeader, s.gatewaySecret);
            }
            if (!loopback(s.httpHost)) {
                throw new RunConfig.ConfigException(
                        "'elb.http.gateway-secret' is required with 'elb.http.identity' header"
                                + " on the address '" + s.httpHost
                                + "', which is not a loopback address: without it anyone who"
                                + " reaches the port could send any owner id");
            }
            return Identity.header(s.ownerHeader);
        }
        try {
            // RunSettings rejects jwt mode without an issuer, an audience and exactly one key source.
            JwtIdentity.Builder b = JwtIdentity.builder(
                            java.util.Objects.requireNonNull(s.jwtIssuer, "issuer"),
                            java.util.Objects.requireNonNull(s.jwtAudience, "audience"))
                    .ownerClaim(s.jwtOwnerClaim)
                    .clockSkew(s.jwtClockSkew)
                    .gatewayHeader(s.ownerHeader);
            if (s.jwtJwksFile != null) {
                b.jwksFile(s.jwtJwksFile);
            } else {
                b.jwksUrl(java.net.URI.create(java.util.Objects.requireNonNull(s.jwtJwksUrl, "jwks-url")));
            }
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new RunConfig.ConfigException("'elb.http.jwt.*': " + e.getMessage());
        }
    }

    /** Whether {@code host} (an address literal or {@code localhost}) is only reachable from this machine. */
    static boolean loopback(String host) {
        if (host.equalsIgnoreCase("localhost")) {
            return true;
        }
        if (!host.matches("[0-9.]+|\\[?[0-9A-Fa-f:.]+]?")) {
            return false; // a host name: resolving it here would prove nothing about what it resolves to later
        }
        try {
            return java.net.InetAddress.getByName(host).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    /**
     * Resumes unfinished provisions once, on the leader (each replica would otherwise poll them too), then
     * sweeps every few minutes on whichever replica leads (dead jobs, maximum age, retention).
     */
    private static void resumeOnce(
            Wiring wiring, LeaderElection leader, AtomicBoolean resumed, ScheduledExecutorService resumer) {
        if (resumed.get() || !leader.isLeader()) {
            return;
        }
        try {
            ResumeReport report = wiring.provisioning().resumeUnfinished(wiring.settings.resumeWindow);
            resumed.set(true);
            log.info(
                    "unfinished provisions: {} resumed, {} marked interrupted, {} left",
                    report.resumed().size(),
                    report.interrupted().size(),
                    report.untouched().size());
            // From now on, continuously: dead jobs of any replica, operations past their maximum age, retention.
            SweepPolicy policy = SweepPolicy.forResumeWindow(wiring.settings.resumeWindow);
            ProvisioningSweeper sweeper = ProvisioningSweeper.builder(wiring.provisioning())
                    .policy(policy)
                    .leaderElection(leader)
                    .build();
            long every = ProvisioningSweeper.DEFAULT_INTERVAL.toSeconds();
            resumer.scheduleWithFixedDelay(sweeper::runOnce, every, every, TimeUnit.SECONDS);
        } catch (ElbException e) {
            log.warn("resuming unfinished provisions failed (retrying): {}", e.getMessage());
        }
    }

    private static void closeQuietly(
            @Nullable AutoWarmScheduler scheduler, ScheduledExecutorService resumer, Wiring wiring) {
        resumer.shutdownNow();
        if (scheduler != null) {
            scheduler.close();
        }
        wiring.close();
    }

    int port() {
        return api.port();
    }

    List<Wiring.Check> checks() {
        return checks;
    }

    AutoWarmScheduler scheduler() {
        return scheduler;
    }

    Wiring wiring() {
        return wiring;
    }

    /**
     * Drains, then stops in reverse order: new requests answer 503 while requests in flight and a running
     * on-demand tick finish (within {@code elb.http.drain-timeout}), the scheduler finishes its tick
     * (same bound), then the store, Redis and the Kubernetes clients close and the Lease is released.
     */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            long start = System.nanoTime();
            boolean drained = api.drain(wiring.settings.drainTimeout);
            resumer.shutdownNow();
            scheduler.close();
            wiring.close();
            log.info(
                    "stopped in {} ms{}",
                    (System.nanoTime() - start) / 1_000_000,
                    drained ? "" : " (some requests did not finish within " + wiring.settings.drainTimeout + ")");
        }
    }
}
