package org.elb.warmkeeper.jdbi;

import java.util.function.Consumer;
import org.jdbi.v3.core.Jdbi;

class H2StoreTest extends StoreScenarios {

    @Override
    TestDatabase open(Consumer<Jdbi> customizer) {
        return TestDatabase.h2(customizer);
    }
}
