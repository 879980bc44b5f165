package org.elb.warmkeeper.runner;

import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;

/**
 * {@code run}: the production runner. Real adapters from {@code --config} and the environment; prints
 * each dependency's state, then serves the HTTP API and ticks auto-warm until the process is stopped
 * (SIGTERM / Ctrl-C: the scheduler finishes its tick, the HTTP server and the store close).
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Runs auto-warm, the HTTP API (/api/..., /metrics) and provisioning on the configured adapters until stopped.")
final class RunCommand extends ConfiguredCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        RunSettings settings = settings();
        out().println("configuration: " + RunConfig.load(config, runner.env));
        RunningApp app;
        try {
            app = RunningApp.start(new Wiring(settings, Clock.systemUTC()), out());
        } catch (RunningApp.StartFailed | java.io.UncheckedIOException e) {
            spec.commandLine().getErr().println("cannot start: " + e.getMessage());
            spec.commandLine().getErr().flush();
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            app.close();
            stopped.countDown();
        }, "elb-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        boolean interrupted = false;
        try {
            stopped.await();
        } catch (InterruptedException e) {
            interrupted = true; // restored after closing: an interrupted thread cannot release the Lease over HTTP
        } finally {
            app.close();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException alreadyShuttingDown) {
                // the hook is running: it closes the app
            }
            out().println("stopped");
            out().flush();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        return 0;
    }
}
