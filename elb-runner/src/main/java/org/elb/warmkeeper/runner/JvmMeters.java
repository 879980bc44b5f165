package org.elb.warmkeeper.runner;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;

/**
 * The JVM and process meters of {@code /metrics}: memory pools and buffers ({@code jvm_memory_*},
 * {@code jvm_buffer_*}), garbage collection ({@code jvm_gc_*}), threads ({@code jvm_threads_*}), classes
 * ({@code jvm_classes_*}), CPU ({@code system_cpu_*}, {@code process_cpu_usage}), uptime
 * ({@code process_uptime_seconds}, {@code process_start_time_seconds}) and file descriptors
 * ({@code process_files_*}, where the OS tells).
 */
final class JvmMeters {

    private JvmMeters() {}

    /** Binds them all to {@code registry}; closing the result stops the GC listener. */
    static AutoCloseable bind(MeterRegistry registry) {
        new JvmMemoryMetrics().bindTo(registry);
        JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        return new AutoCloseable() {
            @Override
            public void close() {
                gc.close();
            }

            @Override
            public String toString() {
                return "JVM GC meters";
            }
        };
    }
}
