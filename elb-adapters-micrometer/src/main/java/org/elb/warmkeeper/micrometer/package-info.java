/**
 * Micrometer metrics for ELB Warmkeeper: {@link org.elb.warmkeeper.micrometer.MicrometerObserver}
 * implements the core's {@code AutoWarmObserver} and {@code ProvisioningObserver}, so the core stays free
 * of Micrometer.
 */
@NullMarked
package org.elb.warmkeeper.micrometer;

import org.jspecify.annotations.NullMarked;
