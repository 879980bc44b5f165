package org.elb.warmkeeper.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.elb.warmkeeper.core.version.ImageRegistry;
import org.elb.warmkeeper.core.version.ImageTag;
import org.elb.warmkeeper.core.version.RegistryException;
import org.elb.warmkeeper.core.version.ServiceName;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link ImageRegistry} keeps: a pushed {@code repository:tag} exists; a tag never
 * pushed does not, nor does any tag of a repository the registry does not know (an answer, not an
 * error); tags match exactly (no prefix or pattern match) and belong to their repository; a tag pushed
 * later is seen by the next lookup; a registry that cannot answer throws a {@link RegistryException},
 * never a vendor exception.
 *
 * <p>Subclasses supply the registry and a hook that adds a tag to a repository.
 */
public abstract class ImageRegistryContract {

    protected static final ServiceName REPOSITORY = ServiceName.of("elb-openapi");
    protected static final ServiceName OTHER_REPOSITORY = ServiceName.of("elb-janitor");

    private ImageRegistry registry;

    /** A fresh registry over a backend that holds no images yet. */
    protected abstract ImageRegistry createRegistry();

    /** Adds {@code tag} to {@code repository} (creating the repository), keeping its other tags. */
    protected abstract void push(ServiceName repository, ImageTag tag);

    /**
     * Makes the registry unreachable (refused connections, HTTP 500).
     *
     * @return false when the backend cannot be broken on purpose (the test is then skipped)
     */
    protected boolean makeUnreachable() {
        return false;
    }

    @BeforeEach
    final void createRegistryUnderTest() {
        registry = createRegistry();
    }

    protected final ImageRegistry registry() {
        return registry;
    }

    @Test
    void a_pushed_tag_exists() {
        push(REPOSITORY, ImageTag.of("v4.9"));

        assertThat(registry.tagExists(REPOSITORY, ImageTag.of("v4.9"))).isTrue();
    }

    @Test
    void a_tag_never_pushed_does_not_exist() {
        push(REPOSITORY, ImageTag.of("v4.8"));

        assertThat(registry.tagExists(REPOSITORY, ImageTag.of("v4.9"))).isFalse();
    }

    @Test
    void an_unknown_repository_has_no_tag_and_is_not_an_error() {
        assertThat(registry.tagExists(ServiceName.of("never-pushed"), ImageTag.of("v1.0")))
                .isFalse();
    }

    @Test
    void every_pushed_tag_of_a_repository_exists() {
        push(REPOSITORY, ImageTag.of("v4.8"));
        push(REPOSITORY, ImageTag.of("v4.9"));
        push(REPOSITORY, ImageTag.of("latest"));

        assertThat(registry.tagExists(REPOSITORY, ImageTag.of("v4.8"))).isTrue();
        assertThat(registry.tagExists(REPOSITORY, ImageTag.of("v4.9"))).isTrue();
        assertThat(registry.tagExists(REPOSITORY, ImageTag.of("latest"))).isTrue();
    }

    @Test
    void tags_match_exactly() {
        push(REPOSITORY, ImageTag.of("v4.9"));

        assertThat(registry.tagExists(REPOSITORY, ImageTag.of("v4")))
                .as("prefix")
                .isFalse();
        assertThat(registry.tagExists(REPOSITORY, ImageTag.of("v4.90")))
                .as("longer")
                .isFalse();
        assertThat(registry.tagExists(REPOSITORY, ImageTag.of("v4.9.1")))
                .as("patch")
                .isFalse();
        assertThat(registry.tagExists(REPOSITORY, ImageTag.of("v4_9")))
                .as("other separator")
                .isFalse();
    }

    @Test
    void tags_belong_to_their_repository() {
        push(REPOSITORY, ImageTag.of("v4.9"));
        push(OTHER_REPOSITORY, ImageTag.of("v1.2"));

        assertThat(registry.tagExists(OTHER_REPOSITORY, ImageTag.of("v4.9"))).isFalse();
        assertThat(registry.tagExists(REPOSITORY, ImageTag.of("v1.2"))).isFalse();
        assertThat(registry.tagExists(OTHER_REPOSITORY, ImageTag.of("v1.2"))).isTrue();
    }

    @Test
    void a_tag_pushed_later_is_seen_by_the_next_lookup() {
        push(REPOSITORY, ImageTag.of("v4.8"));
        assertThat(registry.tagExists(REPOSITORY, ImageTag.of("v4.9")))
                .as("before the push")
                .isFalse();

        push(REPOSITORY, ImageTag.of("v4.9"));

        assertThat(registry.tagExists(REPOSITORY, ImageTag.of("v4.9")))
                .as("after the push")
                .isTrue();
    }

    @Test
    void an_unreachable_registry_throws_a_registry_exception_not_a_vendor_one() {
        push(REPOSITORY, ImageTag.of("v4.9"));
        Assumptions.assumeTrue(makeUnreachable(), "backend cannot be made unreachable");

        assertThatThrownBy(() -> registry.tagExists(REPOSITORY, ImageTag.of("v4.9")))
                .isInstanceOf(RegistryException.class);
    }
}
