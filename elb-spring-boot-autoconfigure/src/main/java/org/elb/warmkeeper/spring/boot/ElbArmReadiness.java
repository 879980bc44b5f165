package org.elb.warmkeeper.spring.boot;

import org.elb.warmkeeper.core.warm.ClusterReadinessProbe;

/**
 * The ARM half of cluster readiness ({@code elb.azure.readiness}), built by the Azure configuration and
 * read by the Kubernetes one: a type of the library's own, so that the Kubernetes configuration never
 * names an Azure class (a service without elb-adapters-azure loads it all the same).
 */
public record ElbArmReadiness(ClusterReadinessProbe probe) {}
