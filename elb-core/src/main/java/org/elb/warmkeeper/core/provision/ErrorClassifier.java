package org.elb.warmkeeper.core.provision;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Classifies ARM provisioning errors. Total: every input, even null or garbage, gets a category.
 *
 * <p>Precedence, first match wins:
 * <ol>
 *   <li>the details, depth first in order (an inner code beats its wrapper:
 *       {@code QuotaExceeded} inside {@code InvalidTemplateDeployment} is quota);
 *   <li>a known code named inside the message ({@code Code="QuotaExceeded"}, as ARM nests them);
 *   <li>the error's own code, unless it is a bare wrapper ({@code InvalidTemplateDeployment},
 *       {@code DeploymentFailed}, {@code ResourceDeploymentFailure}, {@code Conflict}, {@code BadRequest});
 *   <li>keywords in the message ({@code quota}, {@code not available in location}, ...);
 *   <li>the wrapper's own category when it has one ({@code BadRequest} is invalid configuration);
 *   <li>{@link ErrorCategory#UNKNOWN}.
 * </ol>
 */
public final class ErrorClassifier {

    private static final Map<String, ErrorCategory> CODES = Map.ofEntries(
            Map.entry("quotaexceeded", ErrorCategory.QUOTA_EXCEEDED),
            Map.entry("insufficientvcpuquota", ErrorCategory.QUOTA_EXCEEDED),
            Map.entry("errcode_insufficientvcpuquota", ErrorCategory.QUOTA_EXCEEDED),
            Map.entry("subscriptionquotaexceeded", ErrorCategory.QUOTA_EXCEEDED),
            Map.entry("publicipcountlimitreached", ErrorCategory.QUOTA_EXCEEDED),
            Map.entry("skunotavailable", ErrorCategory.SKU_OR_ZONE_UNAVAILABLE),
            Map.entry("vmsizenotsupported", ErrorCategory.SKU_OR_ZONE_UNAVAILABLE),
            Map.entry("availabilityzonenotsupported", ErrorCategory.SKU_OR_ZONE_UNAVAILABLE),
            Map.entry("invalidavailabilityzone", ErrorCategory.SKU_OR_ZONE_UNAVAILABLE),
            Map.entry("locationnotavailableforresourcetype", ErrorCategory.SKU_OR_ZONE_UNAVAILABLE),
            Map.entry("allocationfailed", ErrorCategory.CAPACITY),
            Map.entry("zonalallocationfailed", ErrorCategory.CAPACITY),
            Map.entry("overconstrainedallocationrequest", ErrorCategory.CAPACITY),
            Map.entry("overconstrainedzonalallocationrequest", ErrorCategory.CAPACITY),
            Map.entry("authorizationfailed", ErrorCategory.AUTHORIZATION),
            Map.entry("linkedauthorizationfailed", ErrorCategory.AUTHORIZATION),
            Map.entry("invalidauthenticationtoken", ErrorCategory.AUTHORIZATION),
            Map.entry("authenticationfailed", ErrorCategory.AUTHORIZATION),
            Map.entry("forbidden", ErrorCategory.AUTHORIZATION),
            Map.entry("missingsubscriptionregistration", ErrorCategory.AUTHORIZATION),
            Map.entry("invalidparameter", ErrorCategory.INVALID_CONFIGURATION),
            Map.entry("invalidrequestcontent", ErrorCategory.INVALID_CONFIGURATION),
            Map.entry("invalidtemplate", ErrorCategory.INVALID_CONFIGURATION),
            Map.entry("propertychangenotallowed", ErrorCategory.INVALID_CONFIGURATION),
            Map.entry("k8sversionnotsupported", ErrorCategory.INVALID_CONFIGURATION),
            Map.entry("invalidresourcename", ErrorCategory.INVALID_CONFIGURATION),
            Map.entry("badrequest", ErrorCategory.INVALID_CONFIGURATION),
            Map.entry("nameNotAvailable".toLowerCase(Locale.ROOT), ErrorCategory.NAME_CONFLICT),
            Map.entry("resourceexists", ErrorCategory.NAME_CONFLICT),
            Map.entry("dnsprefixalreadytaken", ErrorCategory.NAME_CONFLICT),
            Map.entry("domainnamealreadytaken", ErrorCategory.NAME_CONFLICT),
            Map.entry("canceled", ErrorCategory.CANCELLED),
            Map.entry("cancelled", ErrorCategory.CANCELLED),
            Map.entry("operationcanceled", ErrorCategory.CANCELLED),
            Map.entry("operationcancelled", ErrorCategory.CANCELLED),
            Map.entry("toomanyrequests", ErrorCategory.TRANSIENT),
            Map.entry("throttled", ErrorCategory.TRANSIENT),
            Map.entry("internalservererror", ErrorCategory.TRANSIENT),
            Map.entry("internaloperationerror", ErrorCategory.TRANSIENT),
            Map.entry("serviceunavailable", ErrorCategory.TRANSIENT),
            Map.entry("gatewaytimeout", ErrorCategory.TRANSIENT),
            Map.entry("requesttimeout", ErrorCategory.TRANSIENT),
            Map.entry("retryableerror", ErrorCategory.TRANSIENT),
            Map.entry("anotheroperationinprogress", ErrorCategory.TRANSIENT),
            Map.entry("operationnotallowed", ErrorCategory.INVALID_CONFIGURATION));

    /** Codes that only wrap the real error; their own category applies only when nothing inside matches. */
    private static final java.util.Set<String> WRAPPERS = java.util.Set.of(
            "invalidtemplatedeployment", "deploymentfailed", "resourcedeploymentfailure", "conflict",
            "badrequest", "operationnotallowed", "multipleerrorsoccurred");

    private static final Pattern CODE_IN_MESSAGE = Pattern.compile("\\b(?:code|Code)\\W{0,3}([A-Za-z_][A-Za-z0-9_]{2,80})");
    private static final Pattern WORD = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{5,80}");

    private static final Object[][] KEYWORDS = {
        {Pattern.compile("quota|limit of .* cores|exceed.*(cores|vcpu)"), ErrorCategory.QUOTA_EXCEEDED},
        {Pattern.compile("not available in (the )?(location|region|zone)|sku .*not available|not supported in (zone|region)"),
            ErrorCategory.SKU_OR_ZONE_UNAVAILABLE},
        {Pattern.compile("allocation fail|insufficient capacity|capacity"), ErrorCategory.CAPACITY},
        {Pattern.compile("does not have authorization|not authorized|unauthorized|forbidden|permission"),
            ErrorCategory.AUTHORIZATION},
        {Pattern.compile("already exists|already taken|name is not available|name .*in use"), ErrorCategory.NAME_CONFLICT},
        {Pattern.compile("cancel"), ErrorCategory.CANCELLED},
        {Pattern.compile("throttl|too many requests|timed? ?out|temporar|try again"), ErrorCategory.TRANSIENT},
        {Pattern.compile("invalid|not valid|must be|is required|unsupported"), ErrorCategory.INVALID_CONFIGURATION},
    };

    private ErrorClassifier() {}

    public static ErrorClassification classify(@Nullable String code, @Nullable String message) {
        return classify(ArmError.of(code, message));
    }

    public static ErrorClassification classify(@Nullable ArmError error) {
        if (error == null) {
            return new ErrorClassification(ErrorCategory.UNKNOWN, "Unknown", "");
        }
        return specific(error, 0).orElseGet(() -> fallback(error));
    }

    /** Steps 1-4: something more specific than a wrapper code. */
    private static Optional<ErrorClassification> specific(ArmError error, int depth) {
        if (depth < 16) {
            for (ArmError inner : error.details()) {
                if (inner == null) {
                    continue;
                }
                Optional<ErrorClassification> found = specific(inner, depth + 1);
                if (found.isPresent()) {
                    return found;
                }
            }
        }
        String message = error.message() == null ? "" : error.message();
        Matcher m = CODE_IN_MESSAGE.matcher(message);
        while (m.find()) {
            ErrorCategory c = known(m.group(1));
            if (c != null && !isWrapper(m.group(1))) {
                return Optional.of(new ErrorClassification(c, m.group(1), message));
            }
        }
        Matcher w = WORD.matcher(message);
        while (w.find()) {
            ErrorCategory c = known(w.group());
            if (c != null && !isWrapper(w.group())) {
                return Optional.of(new ErrorClassification(c, w.group(), message));
            }
        }
        String code = error.code();
        ErrorCategory own = known(code);
        if (own != null && code != null && !isWrapper(code)) {
            return Optional.of(new ErrorClassification(own, code, message));
        }
        String lower = message.toLowerCase(Locale.ROOT);
        for (Object[] rule : KEYWORDS) {
            if (((Pattern) rule[0]).matcher(lower).find()) {
                return Optional.of(new ErrorClassification((ErrorCategory) rule[1], codeOrUnknown(code), message));
            }
        }
        return Optional.empty();
    }

    private static ErrorClassification fallback(ArmError error) {
        String code = codeOrUnknown(error.code());
        String message = error.message() == null ? "" : error.message();
        ErrorCategory own = known(error.code());
        return new ErrorClassification(own == null ? ErrorCategory.UNKNOWN : own, code, message);
    }

    private static String codeOrUnknown(@Nullable String code) {
        return code == null || code.isBlank() ? "Unknown" : code;
    }

    private static @Nullable ErrorCategory known(@Nullable String code) {
        return code == null ? null : CODES.get(code.strip().toLowerCase(Locale.ROOT));
    }

    private static boolean isWrapper(@Nullable String code) {
        return code != null && WRAPPERS.contains(code.strip().toLowerCase(Locale.ROOT));
    }
}
