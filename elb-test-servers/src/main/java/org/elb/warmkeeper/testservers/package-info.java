/**
 * The real servers that tests of the adapters, of the runner and of an embedder's own code run against:
 * {@link TestRedis} and {@link TestPostgres} use the server named by {@code ELB_TEST_REDIS_URL} /
 * {@code ELB_TEST_JDBC_URL} when set, else start an embedded real server once per JVM; {@link LocalArm}
 * is a local HTTP server that answers as Azure Resource Manager does for AKS managed clusters;
 * {@link TestKubernetes} is Fabric8's mock Kubernetes API server in CRUD mode.
 */
@NullMarked
package org.elb.warmkeeper.testservers;

import org.jspecify.annotations.NullMarked;
