/** Benchmarks of the provisioning core: the ARM error classifier on ordinary and hostile error bodies. */
@NullMarked
package org.elb.warmkeeper.benchmarks.provision;

import org.jspecify.annotations.NullMarked;
