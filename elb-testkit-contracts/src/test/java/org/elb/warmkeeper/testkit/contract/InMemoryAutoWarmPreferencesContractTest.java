package org.elb.warmkeeper.testkit.contract;

import org.elb.warmkeeper.core.warm.ManagedAutoWarmPreferences;
import org.elb.warmkeeper.testkit.InMemoryAutoWarmPreferences;

class InMemoryAutoWarmPreferencesContractTest extends ManagedAutoWarmPreferencesContract {

    @Override
    protected ManagedAutoWarmPreferences createManaged() {
        return new InMemoryAutoWarmPreferences();
    }
}
