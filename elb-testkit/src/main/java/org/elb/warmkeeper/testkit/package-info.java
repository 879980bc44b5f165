/**
 * Test support for ELB Warmkeeper: a fake for every port (deterministic, with scriptable {@link Faults}),
 * a settable {@link MutableClock}, a {@link SimulatedWorld} in which warmups progress over ticks, and
 * (in {@code .contract}) the contract suites every fake and real adapter passes.
 */
@NullMarked
package org.elb.warmkeeper.testkit;

import org.jspecify.annotations.NullMarked;
