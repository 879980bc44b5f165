package org.elb.warmkeeper.spring.boot;

import java.util.Locale;
import org.elb.warmkeeper.core.ElbException;

/**
 * An {@code elb.*} key whose value breaks a rule (or that is missing): thrown while the context starts,
 * reported by {@link ElbConfigurationFailureAnalyzer} as Boot reports its own configuration errors, with
 * the key, the rule and what to change. The message names the key and the rule; a value it shows must be
 * masked by the caller ({@code ElbSettings.shown}), as every message of {@link ElbSettings} does.
 */
public class ElbConfigurationException extends ElbException {

    private final String key;

    /**
     * @param key the {@code elb.*} key, e.g. {@code elb.autowarm.interval}
     * @param message the whole message, naming the key and the rule
     */
    public ElbConfigurationException(String key, String message) {
        // the values in the message are masked where they are quoted (ElbSettings.shown); masking the whole
        // message again would garble the URL forms the rules quote
        super(message, null, true);
        this.key = key;
    }

    /** The key to change, e.g. {@code elb.cluster.east.subscription}. */
    public String key() {
        return key;
    }

    /** The key's environment variable, e.g. {@code ELB_CLUSTER_EAST_SUBSCRIPTION}. */
    public String environmentVariable() {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_').replace("*", "");
    }
}
