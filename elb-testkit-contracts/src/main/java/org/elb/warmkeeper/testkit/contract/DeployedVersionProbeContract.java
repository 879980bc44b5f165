package org.elb.warmkeeper.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.elb.warmkeeper.core.version.DeployedVersion;
import org.elb.warmkeeper.core.version.DeployedVersionProbe;
import org.elb.warmkeeper.core.version.ServiceName;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link DeployedVersionProbe} keeps: it never throws, failures are values. The
 * version a service reports is answered as {@link DeployedVersion.Reported} with its text; a new
 * version is seen by the next call; services do not leak into each other; a service nothing was
 * deployed for reports no version; a service that answers without a usable version is
 * {@link DeployedVersion.Unknown}; a service that cannot be reached, or does not answer within the
 * probe's timeout, is {@link DeployedVersion.Unreachable}.
 *
 * <p>Subclasses supply the probe and hooks that make one service report a version or be unreachable.
 */
public abstract class DeployedVersionProbeContract {

    protected static final ServiceName SERVICE = ServiceName.of("elb-openapi");
    protected static final ServiceName OTHER_SERVICE = ServiceName.of("elb-janitor");

    private DeployedVersionProbe probe;

    /** A fresh probe over a backend where no service reports anything yet. */
    protected abstract DeployedVersionProbe createProbe();

    /** Makes {@code service} answer with {@code version} as its version (e.g. the spec's {@code info.version}). */
    protected abstract void report(ServiceName service, String version);

    /** Makes {@code service} unreachable (connection refused, HTTP 5xx), replacing what was there. */
    protected abstract void makeUnreachable(ServiceName service);

    /**
     * Makes {@code service} answer without a usable version (e.g. a spec without {@code info.version}).
     *
     * @return false when the backend has no such state (the test is then skipped)
     */
    protected boolean makeVersionless(ServiceName service) {
        return false;
    }

    /**
     * Makes {@code service} accept the call but never answer.
     *
     * @return false when the backend cannot stall (the test is then skipped)
     */
    protected boolean makeUnresponsive(ServiceName service) {
        return false;
    }

    /** The probe's bound on one call, for {@link #makeUnresponsive}: the answer must come within it plus slack. */
    protected Duration timeout() {
        return Duration.ofSeconds(5);
    }

    @BeforeEach
    final void createProbeUnderTest() {
        probe = createProbe();
    }

    protected final DeployedVersionProbe probe() {
        return probe;
    }

    @Test
    void a_reported_version_is_answered_with_its_text() {
        report(SERVICE, "4.10.0-rc.1+build.7");

        assertThat(probe.deployedVersion(SERVICE)).isEqualTo(DeployedVersion.reported("4.10.0-rc.1+build.7"));
    }

    @Test
    void a_new_version_is_seen_by_the_next_call() {
        report(SERVICE, "v4.8");
        assertThat(probe.deployedVersion(SERVICE)).isEqualTo(DeployedVersion.reported("v4.8"));
        report(SERVICE, "v4.9");
        assertThat(probe.deployedVersion(SERVICE)).isEqualTo(DeployedVersion.reported("v4.9"));
    }

    @Test
    void services_do_not_leak_into_each_other() {
        report(SERVICE, "v4.9");
        report(OTHER_SERVICE, "v1.2");

        assertThat(probe.deployedVersion(SERVICE)).isEqualTo(DeployedVersion.reported("v4.9"));
        assertThat(probe.deployedVersion(OTHER_SERVICE)).isEqualTo(DeployedVersion.reported("v1.2"));
    }

    @Test
    void a_service_nothing_was_deployed_for_reports_no_version() {
        report(OTHER_SERVICE, "v1.2");

        DeployedVersion answer = probe.deployedVersion(SERVICE);

        assertThat(answer).isNotInstanceOf(DeployedVersion.Reported.class);
        assertThat(reason(answer)).isNotBlank();
    }

    @Test
    void an_unreachable_service_is_unreachable_not_an_exception() {
        report(SERVICE, "v4.9");
        makeUnreachable(SERVICE);

        DeployedVersion answer = probe.deployedVersion(SERVICE);

        assertThat(answer).isInstanceOf(DeployedVersion.Unreachable.class);
        assertThat(reason(answer)).isNotBlank();
    }

    @Test
    void a_service_that_answers_without_a_usable_version_is_unknown() {
        Assumptions.assumeTrue(makeVersionless(SERVICE), "backend has no versionless answer");

        DeployedVersion answer = probe.deployedVersion(SERVICE);

        assertThat(answer).isInstanceOf(DeployedVersion.Unknown.class);
        assertThat(reason(answer)).isNotBlank();
    }

    @Test
    void a_service_that_does_not_answer_is_unreachable_within_the_timeout() {
        Assumptions.assumeTrue(makeUnresponsive(SERVICE), "backend cannot stall");

        long start = System.nanoTime();
        DeployedVersion answer = probe.deployedVersion(SERVICE);
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(answer).isInstanceOf(DeployedVersion.Unreachable.class);
        assertThat(took).as("time to answer").isLessThan(timeout().plusSeconds(2));
    }

    private static String reason(DeployedVersion answer) {
        if (answer instanceof DeployedVersion.Unknown u) {
            return u.reason();
        }
        if (answer instanceof DeployedVersion.Unreachable u) {
            return u.reason();
        }
        return ((DeployedVersion.Reported) answer).version();
    }
}
