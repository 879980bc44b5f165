package org.elb.warmkeeper.azure.internal;

import com.azure.core.exception.HttpResponseException;
import com.azure.core.http.HttpResponse;
import com.azure.core.management.exception.ManagementError;
import com.azure.core.management.exception.ManagementException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.elb.warmkeeper.core.provision.ArmError;
import org.elb.warmkeeper.core.provision.ErrorClassification;
import org.elb.warmkeeper.core.provision.ErrorClassifier;
import org.elb.warmkeeper.core.provision.ProvisioningException;
import org.jspecify.annotations.Nullable;

/** Turns SDK exceptions and ARM error bodies into core {@link ArmError}s and {@link ProvisioningException}s. */
public final class ArmErrors {

    /** The code given to a call that never got an HTTP answer (connection refused, timeout, ...): transient. */
    public static final String CODE_UNREACHABLE = "ServiceUnavailable";
    /** The code given to a failure inside the client that is neither an HTTP answer nor IO (a bug, a bad argument). */
    public static final String CODE_CLIENT_ERROR = "ClientError";

    private static final int MAX_DEPTH = 16;

    private ArmErrors() {}

    /** The ARM error an exception carries; nested details kept. Never includes a header but Retry-After. */
    public static ArmError of(Throwable error) {
        Throwable e = unwrap(error);
        if (e instanceof ManagementException me && me.getValue() != null) {
            ArmError body = of(me.getValue(), 0);
            return withRetryAfter(body, me.getResponse());
        }
        if (e instanceof HttpResponseException he) {
            HttpResponse response = he.getResponse();
            int status = response == null ? 0 : response.getStatusCode();
            ArmError parsed = he.getValue() instanceof Map<?, ?> map ? fromBody(map) : null;
            ArmError base = parsed != null ? parsed : ArmError.of(codeForStatus(status), firstLine(he.getMessage()));
            return withRetryAfter(base, response);
        }
        if (isIo(e)) {
            return ArmError.of(CODE_UNREACHABLE, "Azure could not be reached: " + firstLine(e.toString()));
        }
        return ArmError.of(CODE_CLIENT_ERROR, "the Azure client failed: " + firstLine(e.toString()));
    }

    /** The HTTP status of the response an exception carries, or 0 when it carries none. */
    public static int status(Throwable error) {
        Throwable e = unwrap(error);
        if (e instanceof HttpResponseException he && he.getResponse() != null) {
            return he.getResponse().getStatusCode();
        }
        return 0;
    }

    private static boolean isIo(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.io.IOException
                    || t instanceof java.util.concurrent.TimeoutException
                    || t instanceof java.io.UncheckedIOException) {
                return true;
            }
        }
        return false;
    }

    /** A {@link ProvisioningException} for {@code what}, classified by the core classifier (inner codes first). */
    public static ProvisioningException wrap(String what, Throwable error) {
        ArmError arm = of(error);
        ErrorClassification c = ErrorClassifier.classify(arm);
        return new ProvisioningException(what + " failed: " + c.code() + ": " + c.message(), c, error);
    }

    public static ArmError of(ManagementError error, int depth) {
        List<ArmError> details = new ArrayList<>();
        if (depth < MAX_DEPTH && error.getDetails() != null) {
            for (ManagementError d : error.getDetails()) {
                if (d != null) {
                    details.add(of(d, depth + 1));
                }
            }
        }
        return new ArmError(error.getCode(), error.getMessage(), details);
    }

    /**
     * The error of an ARM body: {@code {"error": {...}}} or the error object itself
     * ({@code {"code", "message", "details": [...]}}); null when it has neither.
     */
    public static @Nullable ArmError fromBody(Map<?, ?> body) {
        Object inner = body.get("error");
        if (inner instanceof Map<?, ?> m) {
            return fromObject(m, 0);
        }
        if (body.containsKey("code") || body.containsKey("message")) {
            return fromObject(body, 0);
        }
        return null;
    }

    private static ArmError fromObject(Map<?, ?> m, int depth) {
        List<ArmError> details = new ArrayList<>();
        if (depth < MAX_DEPTH && m.get("details") instanceof List<?> list) {
            for (Object d : list) {
                if (d instanceof Map<?, ?> dm) {
                    details.add(fromObject(dm, depth + 1));
                }
            }
        }
        return new ArmError(string(m.get("code")), string(m.get("message")), details);
    }

    private static @Nullable String string(@Nullable Object o) {
        return o == null ? null : o.toString();
    }

    private static ArmError withRetryAfter(ArmError error, @Nullable HttpResponse response) {
        if (response == null) {
            return error;
        }
        String retryAfter = response.getHeaderValue("Retry-After");
        if (retryAfter == null || retryAfter.isBlank()) {
            if (error.code() == null) {
                return new ArmError(codeForStatus(response.getStatusCode()), error.message(), error.details());
            }
            return error;
        }
        String code = error.code() != null ? error.code() : codeForStatus(response.getStatusCode());
        String message =
                (error.message() == null ? "" : error.message() + " ") + "(Retry-After: " + retryAfter.strip() + ")";
        return new ArmError(code, message, error.details());
    }

    /** The ARM-style code of an HTTP status without a body. */
    public static String codeForStatus(int status) {
        return switch (status) {
            case 400 -> "BadRequest";
            case 401 -> "InvalidAuthenticationToken";
            case 403 -> "AuthorizationFailed";
            case 404 -> "NotFound";
            case 409 -> "Conflict";
            case 429 -> "TooManyRequests";
            case 500 -> "InternalServerError";
            case 502, 503 -> "ServiceUnavailable";
            case 504 -> "GatewayTimeout";
            case 0 -> CODE_UNREACHABLE;
            default -> "Http" + status;
        };
    }

    private static Throwable unwrap(Throwable e) {
        Throwable t = e;
        for (int i = 0;
                i < 8
                        && t.getCause() != null
                        && !(t instanceof HttpResponseException)
                        && (t instanceof java.util.concurrent.CompletionException
                                || t instanceof java.util.concurrent.ExecutionException
                                || t.getClass().getName().startsWith("reactor.")
                                || t instanceof java.io.UncheckedIOException);
                i++) {
            t = t.getCause();
        }
        return t;
    }

    private static String firstLine(@Nullable String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        String line = nl < 0 ? s : s.substring(0, nl);
        return line.length() > 500 ? line.substring(0, 500) : line;
    }
}
