/**
 * Helpers of the Redis adapter, not API: the JSON wire form of job-state change events. May change
 * without notice.
 */
@NullMarked
package org.elb.warmkeeper.redis.internal;

import org.jspecify.annotations.NullMarked;
