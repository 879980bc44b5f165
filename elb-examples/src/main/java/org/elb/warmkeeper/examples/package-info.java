/**
 * Runner apps: {@link org.elb.warmkeeper.examples.Runner} with a {@code demo} that runs the auto-warm
 * reconciler on a simulated world with in-memory adapters (no server needed).
 */
@NullMarked
package org.elb.warmkeeper.examples;

import org.jspecify.annotations.NullMarked;
