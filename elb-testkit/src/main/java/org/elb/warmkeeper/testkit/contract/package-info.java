/**
 * Contract suites: abstract JUnit 5 classes, one per port with more than one implementation. A fake and
 * every real adapter extend a suite with a factory method and a few hooks (timing hooks a slow or
 * real-time backend overrides), so a harness that swaps in fakes tests what production will do.
 */
@NullMarked
package org.elb.warmkeeper.testkit.contract;

import org.jspecify.annotations.NullMarked;
