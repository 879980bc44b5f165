package org.elb.warmkeeper.azure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.elb.warmkeeper.core.version.ImageRegistry;
import org.elb.warmkeeper.core.version.ImageTag;
import org.elb.warmkeeper.core.version.ServiceName;
import org.elb.warmkeeper.testkit.contract.ImageRegistryContract;
import org.junit.jupiter.api.AfterEach;

/** The testkit's registry contract against {@link FakeArm}'s ACR data-plane API. */
class AcrImageRegistryContractTest extends ImageRegistryContract {

    private FakeArm acr;
    private final Map<String, Set<String>> tags = new HashMap<>();

    @Override
    protected ImageRegistry createRegistry() {
        try {
            acr = new FakeArm();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        tags.clear();
        return AcrImageRegistry.builder(acr.base()).pipeline(acr.pipeline()).build();
    }

    @AfterEach
    void stopRegistry() {
        acr.close();
    }

    @Override
    protected void push(ServiceName repository, ImageTag tag) {
        Set<String> all = tags.computeIfAbsent(repository.value(), r -> new LinkedHashSet<>());
        all.add(tag.value());
        acr.acrTags(repository.value(), all.toArray(String[]::new));
    }

    @Override
    protected boolean makeUnreachable() {
        acr.close();
        return true;
    }
}
