/**
 * Runner apps: {@link org.elb.warmkeeper.runner.Runner} with {@code demo} (the auto-warm reconciler on a
 * simulated world, no server needed), {@code run} (the real adapters from a properties file and the
 * environment: the JDBI store, the Redis lock, the Kubernetes and Azure adapters, the HTTP API and
 * Prometheus metrics) and the one-shot commands {@code provision}, {@code cancel},
 * {@code recent-failures} and {@code version-gate}. {@code Wiring} builds the adapters from
 * {@code RunSettings}; {@code RunningApp} starts and stops them in order.
 */
@NullMarked
package org.elb.warmkeeper.runner;

import org.jspecify.annotations.NullMarked;
