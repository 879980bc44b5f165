package org.elb.warmkeeper.runner;

import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import sun.misc.Signal;

/**
 * {@code run}: the production runner. Real adapters from {@code --config} and the environment; prints
 * each dependency's state, then serves the HTTP API and ticks auto-warm until the process is stopped
 * (SIGTERM / Ctrl-C: requests in flight and the running tick finish within {@code elb.http.drain-timeout},
 * the Lease is released, the store closes, and the process exits 0).
 */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description =
                "Runs auto-warm, the HTTP API (/api/..., /metrics) and provisioning on the configured adapters until stopped.")
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
        Thread hook = new Thread(
                () -> {
                    app.close();
                    stopped.countDown();
                },
                "elb-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        if (runner.handleSignals) {
            // SIGTERM and SIGINT end the wait below: the app drains and run returns 0. Left to the JVM, a
            // signal runs the hook and the process exits 143 whatever the hook did.
            for (String name : new String[] {"TERM", "INT"}) {
                Signal.handle(new Signal(name), signal -> stopped.countDown());
            }
        }
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
