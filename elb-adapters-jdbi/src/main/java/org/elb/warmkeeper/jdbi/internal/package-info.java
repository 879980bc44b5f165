/**
 * Helpers of the JDBI store, not API: table names and dialect fragments, the JSON payload codec, SQL
 * error translation, migrations and the small connection pool used when the store is built from a URL.
 */
@NullMarked
package org.elb.warmkeeper.jdbi.internal;

import org.jspecify.annotations.NullMarked;
