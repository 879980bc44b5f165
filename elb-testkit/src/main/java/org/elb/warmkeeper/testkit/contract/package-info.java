/**
 * Contract suites: abstract JUnit 5 classes that state what every implementation of a port must do.
 * A fake or a real adapter passes a suite with a few lines: extend it, implement the factory method
 * (a store with no rows) and the seeding hooks (the ports have no write methods for what a test must
 * seed). Timing and load are overridable hooks, so a slow backend can shrink or stretch them.
 */
@NullMarked
package org.elb.warmkeeper.testkit.contract;

import org.jspecify.annotations.NullMarked;
