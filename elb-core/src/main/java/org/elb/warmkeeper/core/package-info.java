/**
 * ELB Warmkeeper core: the exception root shared by every capability. The capabilities live in
 * sub-packages: {@code cluster} (shared value types), {@code warm} (auto-warm reconcile),
 * {@code version} (image update gate), {@code provision} (AKS provisioning job state) and
 * {@code observe} (metrics and events port). Nothing here performs IO.
 */
@NullMarked
package org.elb.warmkeeper.core;

import org.jspecify.annotations.NullMarked;
