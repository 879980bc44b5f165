/**
 * Spring Boot auto-configuration for ELB Warmkeeper: {@link ElbProperties} binds the runner's
 * {@code elb.*} keys; one auto-configuration per capability (the store, Redis, Azure, Kubernetes, the
 * auto-warm loop, provisioning, the version gate, metrics), each guarded by its adapter's class and its
 * switch, builds its beans only when the application has not defined its own bean of that type;
 * {@link ElbAutoConfiguration} holds the settings and the single-replica defaults.
 */
@NullMarked
package org.elb.warmkeeper.spring.boot;

import org.jspecify.annotations.NullMarked;
