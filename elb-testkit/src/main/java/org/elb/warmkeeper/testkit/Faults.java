package org.elb.warmkeeper.testkit;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.elb.warmkeeper.core.BackendUnavailableException;
import org.jspecify.annotations.Nullable;

/**
 * Scriptable faults for a fake: healthy by default; {@link #unavailable()}, {@link #throwing},
 * {@link #slow}, or {@link #failNext(int)} calls. Fakes call {@link #check(String)} at the start of
 * each operation. Thread-safe.
 */
public final class Faults {

    private final String backend;
    private final AtomicReference<@Nullable Supplier<RuntimeException>> always = new AtomicReference<>();
    private final AtomicInteger failNext = new AtomicInteger();
    private volatile Duration delay = Duration.ZERO;
    private final AtomicInteger calls = new AtomicInteger();

    public Faults(String backend) {
        this.backend = backend;
    }

    /** Every call fails as an unreachable backend. */
    public Faults unavailable() {
        always.set(() -> new BackendUnavailableException(backend, "call", "unavailable (simulated)"));
        return this;
    }

    /** Every call throws what {@code error} supplies. */
    public Faults throwing(Supplier<RuntimeException> error) {
        always.set(error);
        return this;
    }

    /** The next {@code n} calls fail as unavailable, then calls succeed again. */
    public Faults failNext(int n) {
        failNext.set(n);
        return this;
    }

    /** Every call sleeps this long first. */
    public Faults slow(Duration by) {
        delay = by;
        return this;
    }

    /** Back to healthy. */
    public Faults heal() {
        always.set(null);
        failNext.set(0);
        delay = Duration.ZERO;
        return this;
    }

    /** Calls seen by {@link #check}, failed or not. */
    public int calls() {
        return calls.get();
    }

    public boolean isFailing() {
        return always.get() != null || failNext.get() > 0;
    }

    /** Applies the scripted fault, if any, to an operation. */
    public void check(String operation) {
        calls.incrementAndGet();
        Duration d = delay;
        if (!d.isZero()) {
            try {
                Thread.sleep(d.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Supplier<RuntimeException> error = always.get();
        if (error != null) {
            throw error.get();
        }
        if (failNext.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
            throw new BackendUnavailableException(backend, operation, "unavailable (simulated, fail-next)");
        }
    }
}
