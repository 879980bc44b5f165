/**
 * The JDBI store of ELB Warmkeeper on PostgreSQL 15+ or H2: {@link JdbiJobStateRepository} (job-state
 * rows with compare-and-set updates and an indexed "recent failed" query), {@link JdbiAutoWarmPreferences}
 * and {@link JdbiDatabaseInventory}, all made by one {@link JdbiStore}, which also runs the versioned
 * migrations. Every database failure crosses the ports as the core's typed exceptions, with the vendor
 * exception as the cause.
 */
@NullMarked
package org.elb.warmkeeper.jdbi;

import org.jspecify.annotations.NullMarked;
