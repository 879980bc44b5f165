package org.elb.warmkeeper.core.provision;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * An ARM error as returned in an operation's error body: code, message and nested details.
 *
 * <p>Hostile bodies are tolerated: a null details list or null entries in it are dropped; a tree may be
 * arbitrarily deep or share children. {@link #toString}, {@link #hashCode} and {@link #equals} never
 * recurse (no stack overflow on a 10 000-level tree): {@code toString} shows the code, at most
 * {@value #TO_STRING_MESSAGE_CHARS} characters of the message and the number of details;
 * {@code hashCode} hashes the code, the message and the codes of the direct details; {@code equals}
 * compares the whole trees iteratively, each pair of nodes once.
 */
public record ArmError(@Nullable String code, @Nullable String message, List<ArmError> details) {

    /** Characters of the message {@link #toString} shows. */
    public static final int TO_STRING_MESSAGE_CHARS = 200;

    public ArmError {
        if (details == null || details.isEmpty()) {
            details = List.of();
        } else {
            List<ArmError> kept = new ArrayList<>(details.size());
            for (ArmError d : details) {
                if (d != null) {
                    kept.add(d);
                }
            }
            details = Collections.unmodifiableList(kept);
        }
    }

    public static ArmError of(@Nullable String code, @Nullable String message) {
        return new ArmError(code, message, List.of());
    }

    /** Null {@code details}, or null entries in it, are dropped. */
    public static ArmError of(@Nullable String code, @Nullable String message, ArmError @Nullable ... details) {
        return new ArmError(code, message, details == null ? List.of() : java.util.Arrays.asList(details));
    }

    @Override
    public String toString() {
        String m = message == null
                ? "null"
                : message.length() > TO_STRING_MESSAGE_CHARS
                        ? message.substring(0, TO_STRING_MESSAGE_CHARS) + "…(" + message.length() + " chars)"
                        : message;
        return "ArmError[code=" + code + ", message=" + m + ", details=" + details.size() + "]";
    }

    @Override
    public int hashCode() {
        int h = Objects.hash(code, message, details.size());
        for (ArmError d : details) {
            h = 31 * h + Objects.hashCode(d.code);
        }
        return h;
    }

    @Override
    public boolean equals(@Nullable Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof ArmError other)) {
            return false;
        }
        Map<ArmError, Set<ArmError>> compared = new IdentityHashMap<>();
        Deque<ArmError[]> pending = new ArrayDeque<>();
        pending.push(new ArmError[] {this, other});
        while (!pending.isEmpty()) {
            ArmError[] pair = pending.pop();
            ArmError a = pair[0];
            ArmError b = pair[1];
            if (a == b
                    || !compared.computeIfAbsent(a, k -> Collections.newSetFromMap(new IdentityHashMap<>()))
                            .add(b)) {
                continue;
            }
            if (!Objects.equals(a.code, b.code)
                    || !Objects.equals(a.message, b.message)
                    || a.details.size() != b.details.size()) {
                return false;
            }
            for (int i = 0; i < a.details.size(); i++) {
                pending.push(new ArmError[] {a.details.get(i), b.details.get(i)});
            }
        }
        return true;
    }
}
