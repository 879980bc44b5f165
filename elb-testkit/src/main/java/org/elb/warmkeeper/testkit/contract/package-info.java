/**
 * Contract suites: abstract JUnit 5 classes, one per port with more than one implementation. A fake
 * and every real adapter extend the suite with a factory method and a few hooks that put the backend
 * into a state, so that a harness which swaps in fakes tests what production will do. Timing hooks
 * (for backends that answer from an asynchronously filled cache) are overridable.
 */
@NullMarked
package org.elb.warmkeeper.testkit.contract;

import org.jspecify.annotations.NullMarked;
