package org.elb.warmkeeper.core.provision;

import org.elb.warmkeeper.core.ElbException;
import org.elb.warmkeeper.core.cluster.Checks;

/**
 * A provision refused by the {@link ProvisionPolicy} before anything was written or sent to Azure. It
 * names the {@link #rule()} and its {@link #limit()}; {@link #kind()} tells a web layer the status
 * ({@link ProvisionRule.Kind#RULE} 403, {@link ProvisionRule.Kind#QUOTA} 429,
 * {@link ProvisionRule.Kind#CAPACITY} 503).
 */
public final class ProvisionRefusedException extends ElbException {

    private static final long serialVersionUID = 1L;

    private final ProvisionRule rule;
    private final String limit;

    public ProvisionRefusedException(ProvisionRule rule, String limit, String message) {
        super(message);
        this.rule = Checks.required(rule, "rule");
        this.limit = Checks.required(limit, "limit");
    }

    public ProvisionRule rule() {
        return rule;
    }

    /** The limit that refused, as the caller may read it ({@code 100}, {@code 10 per minute}, {@code eastus, westus}). */
    public String limit() {
        return limit;
    }

    public ProvisionRule.Kind kind() {
        return rule.kind();
    }
}
