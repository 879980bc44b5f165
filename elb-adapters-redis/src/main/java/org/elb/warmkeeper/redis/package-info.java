/**
 * Redis adapters on Redisson: {@link RedissonInflightLock}, the auto-warm in-flight lock that takes all
 * keys of a tick in one round trip, releases by compare-and-delete and fails open within a bounded
 * time; {@link RedissonJobStateEvents}, job-state change events on Redis pub/sub with a JSON payload;
 * and {@link RedissonClients}, a builder of a Redisson client tuned to fail fast, start lazily and
 * reconnect by itself. Keys and values are plain text, readable by the existing dashboard.
 */
@NullMarked
package org.elb.warmkeeper.redis;

import org.jspecify.annotations.NullMarked;
