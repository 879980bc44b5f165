package org.elb.warmkeeper.spring.boot;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;

/**
 * Matches unless {@code elb.enabled=false}: the one switch that turns every ELB Warmkeeper
 * auto-configuration off (the library then defines no bean at all).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@Documented
@ConditionalOnProperty(prefix = "elb", name = "enabled", havingValue = "true", matchIfMissing = true)
public @interface ConditionalOnElbEnabled {}
