package org.elb.warmkeeper.runner;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.elb.warmkeeper.core.Secrets;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.MDC;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.BasicMDCAdapter;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.simple.SimpleLogger;
import org.slf4j.simple.SimpleLoggerFactory;
import org.slf4j.simple.SimpleServiceProvider;
import org.slf4j.spi.MDCAdapter;

/**
 * The runner's SLF4J provider: SLF4J simple (its levels and {@code simplelogger.properties}), whose
 * lines are either simple's text ({@code elb.log.format=text}, the default) or one JSON object per line
 * ({@code elb.log.format=json}) on standard error:
 * <pre>{"ts":"2026-01-01T00:00:00.123Z","level":"WARN","logger":"org.elb…TickRun","thread":"elb-tick-1",
 *  "message":"…","elb.cluster":"sub/rg/elb-a","elb.db":"core_nt","error":"java.io.IOException: …"}</pre>
 * with the MDC's entries ({@code elb.cluster} and {@code elb.db} while the reconciler works on a
 * cluster) as top-level fields. The message and the error are {@linkplain Secrets#masked masked}. The
 * runner's {@code main} selects it ({@code -Dslf4j.provider}), so no second provider is on the service
 * path.
 */
public final class RunnerLogProvider extends SimpleServiceProvider {

    private static volatile boolean json;

    private final SimpleLoggerFactory factory = new SimpleLoggerFactory() {
        @Override
        protected Logger createLogger(String name) {
            return new RunnerLogger(name);
        }
    };

    // SLF4J simple's own adapter drops every entry; the JSON lines need them.
    private final MDCAdapter mdc = new BasicMDCAdapter();

    @Override
    public org.slf4j.ILoggerFactory getLoggerFactory() {
        return factory;
    }

    @Override
    public MDCAdapter getMDCAdapter() {
        return mdc;
    }

    /** Switches every logger of this provider to JSON lines ({@code true}) or simple's text. */
    static void json(boolean on) {
        json = on;
    }

    static boolean json() {
        return json;
    }

    /** One JSON log line (without the line end). */
    static String line(
            Instant at,
            Level level,
            String logger,
            String thread,
            String message,
            @Nullable Map<String, String> mdc,
            @Nullable Throwable error) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("ts", at.toString());
            g.writeStringField("level", level.name());
            g.writeStringField("logger", logger);
            g.writeStringField("thread", thread);
            g.writeStringField("message", Secrets.masked(message));
            if (mdc != null) {
                for (Map.Entry<String, String> e : new TreeMap<>(mdc).entrySet()) {
                    if (!RESERVED.contains(e.getKey())) {
                        g.writeStringField(e.getKey(), Secrets.masked(String.valueOf(e.getValue())));
                    }
                }
            }
            if (error != null) {
                g.writeStringField("error", Secrets.masked(error.toString()));
            }
            g.writeEndObject();
        } catch (IOException e) {
            return "{\"level\":\"ERROR\",\"message\":\"a log line could not be written as JSON\"}";
        }
        return out.toString();
    }

    private static final JsonFactory JSON = new JsonFactory();
    private static final java.util.Set<String> RESERVED =
            java.util.Set.of("ts", "level", "logger", "thread", "message", "error");

    /** Simple's logger, writing JSON lines while {@link #json} is on. */
    static final class RunnerLogger extends SimpleLogger {

        private static final long serialVersionUID = 1L;

        RunnerLogger(String name) {
            super(name);
        }

        @Override
        protected void handleNormalizedLoggingCall(
                Level level,
                @Nullable Marker marker,
                String messagePattern,
                @Nullable Object[] arguments,
                @Nullable Throwable throwable) {
            if (!json) {
                super.handleNormalizedLoggingCall(level, marker, messagePattern, arguments, throwable);
                return;
            }
            String message = MessageFormatter.basicArrayFormat(messagePattern, arguments);
            String line = line(
                    Instant.now(),
                    level,
                    getName(),
                    Thread.currentThread().getName(),
                    message == null ? "" : message,
                    MDC.getCopyOfContextMap(),
                    throwable);
            PrintStream err = System.err;
            synchronized (RunnerLogProvider.class) {
                err.println(line);
                err.flush();
            }
        }
    }
}
