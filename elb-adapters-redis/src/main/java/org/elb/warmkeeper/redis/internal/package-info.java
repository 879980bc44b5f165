/**
 * Helpers of the Redis adapter, not API. May change without notice.
 */
@NullMarked
package org.elb.warmkeeper.redis.internal;

import org.jspecify.annotations.NullMarked;
