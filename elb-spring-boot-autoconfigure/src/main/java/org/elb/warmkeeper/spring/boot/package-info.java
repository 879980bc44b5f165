/**
 * Spring Boot auto-configuration for ELB Warmkeeper: {@link ElbProperties} binds the runner's
 * {@code elb.*} keys, {@link ElbAutoConfiguration} builds the store, the lock, the Kubernetes and Azure
 * adapters, the reconciler and its scheduler, the version gate and provisioning, each only when the
 * application has not defined its own bean of that type.
 */
@NullMarked
package org.elb.warmkeeper.spring.boot;

import org.jspecify.annotations.NullMarked;
