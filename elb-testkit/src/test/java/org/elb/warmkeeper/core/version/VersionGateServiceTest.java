package org.elb.warmkeeper.core.version;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.elb.warmkeeper.testkit.FakeDeployedVersionProbe;
import org.elb.warmkeeper.testkit.FakeImageRegistry;
import org.junit.jupiter.api.Test;

/** VersionGateService with the testkit fakes: each failure mode, and the registry asked only when an update would be offered. */
class VersionGateServiceTest {

    static final ServiceName OPENAPI = ServiceName.of("elb-openapi");
    static final ImageTag V49 = ImageTag.of("v4.9");

    final FakeDeployedVersionProbe deployed = new FakeDeployedVersionProbe();
    final FakeImageRegistry registry = new FakeImageRegistry().push(OPENAPI, V49);
    final VersionGateService gate = VersionGateService.builder(
                    ImageTagSource.of(Map.of(OPENAPI, V49)), deployed, registry)
            .build();

    @Test
    void an_unreachable_service_hides_the_panel() {
        assertThat(gate.check(OPENAPI)).isInstanceOf(GateDecision.ServiceUnreachable.class);
        assertThat(registry.lookups()).isZero();
    }

    @Test
    void a_probe_that_throws_counts_as_unreachable() {
        VersionGateService throwing = VersionGateService.builder(
                        ImageTagSource.of(Map.of(OPENAPI, V49)),
                        s -> {
                            throw new IllegalStateException("connection reset");
                        },
                        registry)
                .build();
        assertThat(throwing.check(OPENAPI)).isInstanceOf(GateDecision.ServiceUnreachable.class);
    }

    @Test
    void a_spec_without_a_version_is_deployed_version_unknown() {
        deployed.set(OPENAPI, DeployedVersion.unknown("info.version missing"));
        assertThat(gate.check(OPENAPI)).isEqualTo(new GateDecision.DeployedVersionUnknown("info.version missing"));
        assertThat(registry.lookups()).isZero();
    }

    @Test
    void a_pinned_tag_missing_from_the_registry_is_image_missing() {
        VersionGateService missing = VersionGateService.builder(
                        ImageTagSource.of(Map.of(OPENAPI, ImageTag.of("v5.0"))), deployed, registry)
                .build();
        deployed.reports(OPENAPI, "4.9");
        GateDecision d = missing.check(OPENAPI);
        assertThat(d).isInstanceOf(GateDecision.ImageMissing.class);
        assertThat(d.offerUpdate()).isFalse();
        assertThat(registry.lookups()).isEqualTo(1);
    }

    @Test
    void a_registry_failure_is_image_missing() {
        deployed.reports(OPENAPI, "4.8");
        registry.faults().unavailable();
        GateDecision d = gate.check(OPENAPI);
        assertThat(d).isInstanceOf(GateDecision.ImageMissing.class);
        assertThat(((GateDecision.ImageMissing) d).reason()).startsWith("registry unavailable");
    }

    @Test
    void nothing_pinned_is_image_missing() {
        deployed.reports(OPENAPI, "4.9");
        VersionGateService unpinned = VersionGateService.builder(ImageTagSource.of(Map.of()), deployed, registry)
                .build();
        assertThat(unpinned.check(OPENAPI)).isInstanceOf(GateDecision.ImageMissing.class);
    }

    @Test
    void equal_versions_are_up_to_date_without_a_registry_lookup() {
        deployed.reports(OPENAPI, "4.9");
        assertThat(gate.check(OPENAPI)).isEqualTo(new GateDecision.UpToDate("4.9"));
        deployed.reports(OPENAPI, " v4.9.0 ");
        assertThat(gate.check(OPENAPI)).isInstanceOf(GateDecision.UpToDate.class);
        assertThat(registry.lookups()).isZero();
    }

    @Test
    void a_different_version_with_the_image_present_offers_the_update() {
        deployed.reports(OPENAPI, "4.8.1");
        GateDecision d = gate.check(OPENAPI);
        assertThat(d).isEqualTo(new GateDecision.UpdateAvailable("4.8.1", "v4.9", Direction.UPGRADE));
        assertThat(d.offerUpdate()).isTrue();
        assertThat(registry.lookups()).isEqualTo(1);
    }

    @Provide
    Arbitrary<String> reported() {
        return Arbitraries.of("4.9", "v4.9", "4.9.0", "V4.9.0.0", " 4.9 ", "4.8", "4.10", "4.9.0-rc.1", "latest", "5");
    }

    @Provide
    Arbitrary<String> pinned() {
        return Arbitraries.of("v4.9", "4.9", "4.10", "v4.8", "latest", "sha-1a2b3c");
    }

    @Property(tries = 200)
    void the_registry_is_asked_exactly_when_an_update_would_be_offered(
            @ForAll("reported") String running, @ForAll("pinned") String pinnedTag, @ForAll boolean imagePresent) {
        ImageTag tag = ImageTag.of(pinnedTag);
        FakeDeployedVersionProbe probe = new FakeDeployedVersionProbe().reports(OPENAPI, running);
        FakeImageRegistry reg = new FakeImageRegistry();
        if (imagePresent) {
            reg.push(OPENAPI, tag);
        }
        GateDecision d = VersionGateService.builder(ImageTagSource.of(Map.of(OPENAPI, tag)), probe, reg)
                .build()
                .check(OPENAPI);

        boolean same = VersionGate.sameVersion(running, pinnedTag);
        assertThat(reg.lookups()).isEqualTo(same ? 0 : 1);
        if (same) {
            assertThat(d).isInstanceOf(GateDecision.UpToDate.class);
        } else if (imagePresent) {
            assertThat(d).isInstanceOf(GateDecision.UpdateAvailable.class);
        } else {
            assertThat(d).isInstanceOf(GateDecision.ImageMissing.class);
        }
    }
}
