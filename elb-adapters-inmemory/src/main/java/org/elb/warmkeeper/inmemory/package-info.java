/**
 * In-process adapters for a single replica: {@link InMemoryInflightLock} keeps the in-flight keys in this
 * JVM, with expiry on a {@link java.time.Clock}. Use it where one process runs the reconciler and no Redis
 * is configured; with more than one replica, use the Redis lock, or every replica enqueues the same warmup.
 * {@link InMemoryWarmAttemptHistory} keeps the attempt history (backoff, early release) in this JVM;
 * {@link LocalJobStateEvents} delivers job-state changes to the subscribers of this JVM.
 */
@NullMarked
package org.elb.warmkeeper.inmemory;

import org.jspecify.annotations.NullMarked;
