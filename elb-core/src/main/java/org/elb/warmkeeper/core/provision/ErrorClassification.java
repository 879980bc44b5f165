package org.elb.warmkeeper.core.provision;

import java.util.List;
import org.elb.warmkeeper.core.Secrets;
import org.elb.warmkeeper.core.cluster.Checks;

/**
 * A classified provisioning error.
 *
 * @param code the ARM code that decided the category (the innermost recognised one), or the outer code
 * @param message the message that goes with {@code code}, {@linkplain Secrets#mask masked} (it is stored and served)
 */
public record ErrorClassification(ErrorCategory category, String code, String message) {

    public ErrorClassification {
        Checks.required(category, "category");
        Checks.required(code, "code");
        Checks.required(message, "message");
        message = Secrets.masked(message);
    }

    public boolean retryable() {
        return category.retryable();
    }

    public List<String> suggestedActions() {
        return category.suggestedActions();
    }
}
