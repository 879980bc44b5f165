package org.elb.warmkeeper.testkit;

import java.util.HashSet;
import java.util.Set;
import org.elb.warmkeeper.core.version.ImageRegistry;
import org.elb.warmkeeper.core.version.ImageTag;
import org.elb.warmkeeper.core.version.RegistryException;
import org.elb.warmkeeper.core.version.ServiceName;

/** A registry holding the tags the test pushes; counts lookups. */
public final class FakeImageRegistry implements ImageRegistry {

    private final Set<String> images = new HashSet<>();
    private final Faults faults = new Faults("memory-registry");
    private int lookups;

    public Faults faults() {
        return faults;
    }

    public synchronized FakeImageRegistry push(ServiceName repository, ImageTag tag) {
        images.add(repository.value() + ":" + tag.value());
        return this;
    }

    @Override
    public synchronized boolean tagExists(ServiceName repository, ImageTag tag) {
        lookups++;
        try {
            faults.check("tagExists");
        } catch (RuntimeException e) {
            throw new RegistryException("registry unavailable (simulated)", e);
        }
        return images.contains(repository.value() + ":" + tag.value());
    }

    public synchronized int lookups() {
        return lookups;
    }
}
