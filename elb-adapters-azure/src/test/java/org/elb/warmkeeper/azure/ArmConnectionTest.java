package org.elb.warmkeeper.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.management.profile.AzureProfile;
import com.azure.resourcemanager.containerservice.ContainerServiceManager;
import org.junit.jupiter.api.Test;

class ArmConnectionTest {

    @Test
    void default_credential_targets_the_public_cloud_and_shows_no_secret() {
        ArmConnection c = ArmConnection.defaultCredential();
        assertThat(c.resourceManagerEndpoint()).isEqualTo("https://management.azure.com/");
        assertThat(c.toString())
                .contains("token-credential")
                .doesNotContainIgnoringCase("secret")
                .doesNotContainIgnoringCase("bearer");
    }

    @Test
    void only_urls_on_the_resource_manager_host_are_followed() throws Exception {
        try (FakeArm arm = new FakeArm()) {
            ArmConnection c = arm.connection();
            assertThat(c.isResourceManagerUrl(arm.base() + "/subscriptions/x/operations/1?api-version=1"))
                    .isTrue();
            assertThat(c.isResourceManagerUrl("https://evil.example/subscriptions/x"))
                    .isFalse();
            assertThat(c.isResourceManagerUrl("http://127.0.0.1:1/other-port")).isFalse();
            assertThat(c.isResourceManagerUrl("not a url")).isFalse();
        }
    }

    @Test
    void a_manager_connection_is_bound_to_its_subscription_and_managers_are_cached() throws Exception {
        try (FakeArm arm = new FakeArm()) {
            ContainerServiceManager m = ContainerServiceManager.authenticate(
                    arm.pipeline(), new AzureProfile(null, FakeArm.SUB, ArmConnection.environment(arm.base())));
            ArmConnection bound = ArmConnection.of(m);
            assertThat(bound.manager(FakeArm.SUB)).isSameAs(m);
            assertThatThrownBy(() -> bound.manager("00000000-0000-0000-0000-0000000000bb"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("subscriptionId");
            ArmConnection profiled = ArmConnection.of(
                    arm.pipeline(), new AzureProfile(null, FakeArm.SUB, ArmConnection.environment(arm.base())));
            assertThat(profiled.manager(FakeArm.SUB).subscriptionId()).isEqualTo(FakeArm.SUB);
            assertThat(profiled.toString()).contains("subscription=" + FakeArm.SUB);
            ArmConnection any = arm.connection();
            assertThat(any.manager(FakeArm.SUB)).isSameAs(any.manager(FakeArm.SUB));
        }
    }

    @Test
    void the_endpoint_must_be_an_absolute_url() {
        assertThatThrownBy(() -> ArmConnection.environment("localhost"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("resourceManagerEndpoint");
    }
}
