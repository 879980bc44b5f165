package org.elb.warmkeeper.spring.boot;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns an {@link ElbConfigurationException} at the bottom of a failed start (a {@code BeanCreationException}
 * chain) into Boot's "APPLICATION FAILED TO START" report: the description names the key and the rule, the
 * action the key to change (and its environment variable). Registered in {@code META-INF/spring.factories}.
 */
public class ElbConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<ElbConfigurationException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, ElbConfigurationException cause) {
        String description = "ELB Warmkeeper's configuration is invalid: " + cause.getMessage();
        String action = "Update '" + cause.key() + "' (environment variable " + cause.environmentVariable()
                + ") in the application's configuration. The elb.* keys, their defaults and allowed values are in"
                + " the configuration metadata (your IDE completes them) and in the README's Spring Boot section.";
        return new FailureAnalysis(description, action, cause);
    }
}
