/**
 * Benchmarks of the JDBI store: "recent failed provisions" at one million rows on PostgreSQL, through
 * the repository (one indexed query) and the seed's way (the owner's newest 200 rows, filtered in
 * memory), side by side, with the number of failures the seed's way misses.
 */
@NullMarked
package org.elb.warmkeeper.benchmarks.jdbi;

import org.jspecify.annotations.NullMarked;
