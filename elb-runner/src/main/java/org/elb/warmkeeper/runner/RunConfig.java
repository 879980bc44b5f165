package org.elb.warmkeeper.runner;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.elb.warmkeeper.core.Secrets;
import org.jspecify.annotations.Nullable;

/**
 * The runner's configuration: a properties file, overridden by environment variables named after the
 * key ({@code elb.redis.url} -> {@code ELB_REDIS_URL}: upper case, {@code .} and {@code -} as
 * {@code _}). Every error names the key and the expected form. Values whose key ends in
 * {@code password}, {@code secret}, {@code token} or {@code key} are never printed; every other value is
 * printed {@linkplain Secrets#mask masked}.
 */
public final class RunConfig {

    private final Map<String, String> values;
    private final Set<String> read = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Every key a setting asked for (a section counts for each of its keys): what the runner reads. */
    private final Set<String> asked = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private RunConfig(Map<String, String> values) {
        this.values = values;
    }

    /** Reads {@code file} (optional) and applies overrides from {@code env}. */
    public static RunConfig load(@Nullable Path file, Map<String, String> env) {
        Map<String, String> values = new TreeMap<>();
        if (file != null) {
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(file)) {
                p.load(r);
            } catch (IOException e) {
                throw new ConfigException("cannot read configuration file " + file + ": " + e.getMessage());
            }
            p.stringPropertyNames().forEach(k -> values.put(k, p.getProperty(k).strip()));
        }
        Set<String> keys = new TreeSet<>(values.keySet());
        keys.addAll(KNOWN);
        for (String key : keys) {
            String v = env.get(envName(key));
            if (v != null) {
                values.put(key, v.strip());
            }
        }
        return new RunConfig(values);
    }

    public static RunConfig of(Map<String, String> values) {
        return new RunConfig(new TreeMap<>(values));
    }

    /** Keys read from the environment even when the file lacks them. */
    static final Set<String> KNOWN = Set.of(
            "elb.redis.url",
            "elb.jdbc.url",
            "elb.jdbc.user",
            "elb.jdbc.password",
            "elb.jdbc.schema",
            "elb.http.port",
            "elb.http.host",
            "elb.http.owner-header",
            "elb.http.admins",
            "elb.http.drain-timeout",
            "elb.http.page",
            "elb.http.events.heartbeat",
            "elb.http.events.max-streams",
            "elb.http.events.buffer",
            "elb.http.events.resume-window",
            "elb.http.identity",
            "elb.http.gateway-secret",
            "elb.http.jwt.issuer",
            "elb.http.jwt.audience",
            "elb.http.jwt.jwks-url",
            "elb.http.jwt.jwks-file",
            "elb.http.jwt.owner-claim",
            "elb.http.jwt.clock-skew",
            "elb.autowarm.interval",
            "elb.autowarm.lock-ttl",
            "elb.autowarm.reseed",
            "elb.kube.source",
            "elb.kube.config",
            "elb.kube.namespace",
            "elb.kube.warmup-template",
            "elb.kube.warmup-image",
            "elb.kube.status-source",
            "elb.leader.lease",
            "elb.leader.namespace",
            "elb.leader.cluster",
            "elb.azure.auth",
            "elb.azure.endpoint",
            "elb.azure.tenant",
            "elb.azure.poll-interval",
            "elb.azure.readiness",
            "elb.azure.readiness-cache",
            "elb.registry.login-server",
            "elb.clusters",
            "elb.check.timeout",
            "elb.provision.resume-window",
            "elb.provision.allowed-scopes",
            "elb.provision.allowed-regions",
            "elb.provision.allowed-vm-sizes",
            "elb.provision.max-nodes",
            "elb.provision.max-active-per-owner",
            "elb.provision.owner-rate",
            "elb.provision.max-queued",
            "elb.owner",
            "elb.log.format");

    /** {@code elb.redis.url} -> {@code ELB_REDIS_URL}. */
    public static String envName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** The keys read so far, a section as {@code prefix.*}: the keys the settings know (a parity test compares them). */
    Set<String> keysRead() {
        return Set.copyOf(read);
    }

    public Optional<String> optional(String key) {
        read.add(key);
        asked.add(key);
        String v = values.get(key);
        return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v);
    }

    public String string(String key, String dflt) {
        return optional(key).orElse(dflt);
    }

    public String required(String key, String expected) {
        return optional(key)
                .orElseThrow(() -> new ConfigException(
                        "'" + key + "' is required (or " + envName(key) + "): expected " + expected));
    }

    /** A duration that may be zero ({@code PT0S}: "off"). */
    public Duration durationOrZero(String key, Duration dflt) {
        Optional<String> v = optional(key);
        if (v.isPresent() && Duration.ZERO.toString().equals(v.get().strip())) {
            return Duration.ZERO;
        }
        return duration(key, dflt);
    }

    public Duration duration(String key, Duration dflt) {
        Optional<String> v = optional(key);
        if (v.isEmpty()) {
            return dflt;
        }
        try {
            Duration d = Duration.parse(v.get());
            if (d.isNegative() || d.isZero()) {
                throw new ConfigException(
                        "'" + key + "' must be a positive ISO-8601 duration such as PT1M, but was '" + v.get() + "'");
            }
            return d;
        } catch (DateTimeParseException e) {
            throw new ConfigException(
                    "'" + key + "' must be an ISO-8601 duration such as PT1M, but was '" + v.get() + "'");
        }
    }

    public int integer(String key, int dflt, int min, int max) {
        Optional<String> v = optional(key);
        if (v.isEmpty()) {
            return dflt;
        }
        try {
            int i = Integer.parseInt(v.get());
            if (i < min || i > max) {
                throw new NumberFormatException();
            }
            return i;
        } catch (NumberFormatException e) {
            throw new ConfigException(
                    "'" + key + "' must be an integer between " + min + " and " + max + ", but was '" + v.get() + "'");
        }
    }

    /** Every key under {@code prefix.}, with the prefix removed. */
    public Map<String, String> section(String prefix) {
        Map<String, String> out = new TreeMap<>();
        String p = prefix.endsWith(".") ? prefix : prefix + ".";
        read.add(p + "*");
        values.forEach((k, v) -> {
            if (k.startsWith(p)) {
                asked.add(k);
                out.put(k.substring(p.length()), v);
            }
        });
        return out;
    }

    /** The keys given (file or environment) that no setting read: typos, or keys of another version. */
    public Set<String> unread() {
        Set<String> unread = new TreeSet<>(values.keySet());
        unread.removeAll(asked);
        return unread;
    }

    /** A printable view: secrets masked. */
    @Override
    public String toString() {
        Map<String, String> shown = new TreeMap<>();
        values.forEach((k, v) -> shown.put(k, isSecret(k) ? Secrets.MASK : Secrets.masked(v)));
        return shown.toString();
    }

    static boolean isSecret(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return k.endsWith("password") || k.endsWith("secret") || k.endsWith("token") || k.endsWith("key");
    }

    /** A configuration error; its message names the key and the expected form. */
    public static final class ConfigException extends RuntimeException {
        public ConfigException(String message) {
            super(message);
        }
    }
}
