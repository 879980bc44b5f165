package org.elb.warmkeeper.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.elb.warmkeeper.core.version.ImageTag;
import org.elb.warmkeeper.core.version.RegistryException;
import org.elb.warmkeeper.core.version.ServiceName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AcrImageRegistryTest {

    private FakeArm acr;
    private AcrImageRegistry registry;

    @BeforeEach
    void setUp() throws Exception {
        acr = new FakeArm();
        acr.acrTags("elb-openapi", "v4.9", "v4.8");
        registry = AcrImageRegistry.builder(acr.base()).pipeline(acr.pipeline()).build();
    }

    @AfterEach
    void tearDown() {
        acr.close();
    }

    @Test
    void a_tag_that_exists_and_one_that_does_not() {
        assertThat(registry.tagExists(ServiceName.of("elb-openapi"), ImageTag.of("v4.9")))
                .isTrue();
        assertThat(registry.tagExists(ServiceName.of("elb-openapi"), ImageTag.of("v5.0")))
                .isFalse();
        assertThat(acr.count("GET /acr/v1/elb-openapi/_tags/v4.9")).isEqualTo(1);
    }

    @Test
    void tags_of_a_repository_sorted_and_empty_for_an_unknown_one() {
        assertThat(registry.listTags(ServiceName.of("elb-openapi")))
                .containsExactly(ImageTag.of("v4.8"), ImageTag.of("v4.9"));
        assertThat(registry.listTags(ServiceName.of("unknown"))).isEmpty();
    }

    @Test
    void repository_prefix_is_prepended() {
        acr.acrTags("elb/elb-openapi", "v1.0");
        AcrImageRegistry prefixed = AcrImageRegistry.builder(acr.base())
                .pipeline(acr.pipeline())
                .repositoryPrefix("elb/")
                .build();
        assertThat(prefixed.tagExists(ServiceName.of("elb-openapi"), ImageTag.of("v1.0")))
                .isTrue();
        assertThatThrownBy(() -> AcrImageRegistry.builder(acr.base()).repositoryPrefix("Bad"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("repositoryPrefix");
    }

    @Test
    void an_unreachable_registry_is_a_registry_exception() {
        String base = acr.base();
        acr.close();
        AcrImageRegistry dead =
                AcrImageRegistry.builder(base).pipeline(acr.pipeline()).build();
        assertThatThrownBy(() -> dead.tagExists(ServiceName.of("elb-openapi"), ImageTag.of("v4.9")))
                .isInstanceOf(RegistryException.class);
    }
}
