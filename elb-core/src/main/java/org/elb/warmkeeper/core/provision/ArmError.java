package org.elb.warmkeeper.core.provision;

import java.util.List;
import org.jspecify.annotations.Nullable;

/** An ARM error as returned in an operation's error body: code, message and nested details. */
public record ArmError(@Nullable String code, @Nullable String message, List<ArmError> details) {

    public ArmError {
        details = details == null ? List.of() : List.copyOf(details);
    }

    public static ArmError of(@Nullable String code, @Nullable String message) {
        return new ArmError(code, message, List.of());
    }

    public static ArmError of(@Nullable String code, @Nullable String message, ArmError... details) {
        return new ArmError(code, message, List.of(details));
    }
}
