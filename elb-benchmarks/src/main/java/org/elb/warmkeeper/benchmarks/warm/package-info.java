/**
 * Fleet-scale benchmark of the auto-warm reconciler: tick wall time against the number of clusters and
 * a simulated per-call latency, serial versus the default concurrency; CPU time of a large all-warm
 * tick on fakes; and how far one stalled cluster delays the others.
 */
@NullMarked
package org.elb.warmkeeper.benchmarks.warm;

import org.jspecify.annotations.NullMarked;
