package org.elb.warmkeeper.core.provision;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * The provisioning error classifier: total over any input; an inner code beats its wrapper at every
 * nesting depth; every category carries a retryable flag and at least one suggested action.
 */
class ErrorClassifierProperties {

    /** The ARM codes the classifier knows, with the category each means. */
    static final Map<String, ErrorCategory> KNOWN = Map.ofEntries(
            Map.entry("QuotaExceeded", ErrorCategory.QUOTA_EXCEEDED),
            Map.entry("InsufficientVCPUQuota", ErrorCategory.QUOTA_EXCEEDED),
            Map.entry("ErrCode_InsufficientVCPUQuota", ErrorCategory.QUOTA_EXCEEDED),
            Map.entry("SubscriptionQuotaExceeded", ErrorCategory.QUOTA_EXCEEDED),
            Map.entry("PublicIPCountLimitReached", ErrorCategory.QUOTA_EXCEEDED),
            Map.entry("SkuNotAvailable", ErrorCategory.SKU_OR_ZONE_UNAVAILABLE),
            Map.entry("VMSizeNotSupported", ErrorCategory.SKU_OR_ZONE_UNAVAILABLE),
            Map.entry("AvailabilityZoneNotSupported", ErrorCategory.SKU_OR_ZONE_UNAVAILABLE),
            Map.entry("InvalidAvailabilityZone", ErrorCategory.SKU_OR_ZONE_UNAVAILABLE),
            Map.entry("LocationNotAvailableForResourceType", ErrorCategory.SKU_OR_ZONE_UNAVAILABLE),
            Map.entry("AllocationFailed", ErrorCategory.CAPACITY),
            Map.entry("ZonalAllocationFailed", ErrorCategory.CAPACITY),
            Map.entry("OverconstrainedAllocationRequest", ErrorCategory.CAPACITY),
            Map.entry("OverconstrainedZonalAllocationRequest", ErrorCategory.CAPACITY),
            Map.entry("AuthorizationFailed", ErrorCategory.AUTHORIZATION),
            Map.entry("LinkedAuthorizationFailed", ErrorCategory.AUTHORIZATION),
            Map.entry("InvalidAuthenticationToken", ErrorCategory.AUTHORIZATION),
            Map.entry("AuthenticationFailed", ErrorCategory.AUTHORIZATION),
            Map.entry("Forbidden", ErrorCategory.AUTHORIZATION),
            Map.entry("MissingSubscriptionRegistration", ErrorCategory.AUTHORIZATION),
            Map.entry("InvalidParameter", ErrorCategory.INVALID_CONFIGURATION),
            Map.entry("InvalidRequestContent", ErrorCategory.INVALID_CONFIGURATION),
            Map.entry("InvalidTemplate", ErrorCategory.INVALID_CONFIGURATION),
            Map.entry("PropertyChangeNotAllowed", ErrorCategory.INVALID_CONFIGURATION),
            Map.entry("K8sVersionNotSupported", ErrorCategory.INVALID_CONFIGURATION),
            Map.entry("InvalidResourceName", ErrorCategory.INVALID_CONFIGURATION),
            Map.entry("NameNotAvailable", ErrorCategory.NAME_CONFLICT),
            Map.entry("ResourceExists", ErrorCategory.NAME_CONFLICT),
            Map.entry("DnsPrefixAlreadyTaken", ErrorCategory.NAME_CONFLICT),
            Map.entry("DomainNameAlreadyTaken", ErrorCategory.NAME_CONFLICT),
            Map.entry("Canceled", ErrorCategory.CANCELLED),
            Map.entry("Cancelled", ErrorCategory.CANCELLED),
            Map.entry("OperationCanceled", ErrorCategory.CANCELLED),
            Map.entry("OperationCancelled", ErrorCategory.CANCELLED),
            Map.entry("TooManyRequests", ErrorCategory.TRANSIENT),
            Map.entry("Throttled", ErrorCategory.TRANSIENT),
            Map.entry("InternalServerError", ErrorCategory.TRANSIENT),
            Map.entry("InternalOperationError", ErrorCategory.TRANSIENT),
            Map.entry("ServiceUnavailable", ErrorCategory.TRANSIENT),
            Map.entry("GatewayTimeout", ErrorCategory.TRANSIENT),
            Map.entry("RequestTimeout", ErrorCategory.TRANSIENT),
            Map.entry("RetryableError", ErrorCategory.TRANSIENT),
            Map.entry("AnotherOperationInProgress", ErrorCategory.TRANSIENT));

    /** Codes that only wrap the real error. */
    static final List<String> WRAPPERS = List.of(
            "InvalidTemplateDeployment",
            "DeploymentFailed",
            "ResourceDeploymentFailure",
            "Conflict",
            "BadRequest",
            "OperationNotAllowed",
            "MultipleErrorsOccurred");

    /** The classifier follows nested details this deep (deeper levels are not inspected, which keeps it total). */
    static final int MAX_INSPECTED_DEPTH = ErrorClassifier.MAX_DEPTH;

    // ---- totality ----------------------------------------------------------------------------------

    @Provide
    Arbitrary<String> garbage() {
        return Arbitraries.oneOf(
                        Arbitraries.strings().all().ofMaxLength(200),
                        Arbitraries.strings()
                                .withChars("Code=\"'{}:[] quotaInvalidCancel\u0000\n")
                                .ofMaxLength(120),
                        Arbitraries.of(KNOWN.keySet())
                                .map(k -> "Code=" + k + " " + k.toLowerCase(java.util.Locale.ROOT)),
                        Arbitraries.of(WRAPPERS),
                        Arbitraries.of("", " ", "\t", "code", "Code", "Code=\"", "Code=\"\""))
                .injectNull(0.1);
    }

    /** Error trees up to 6 levels deep with up to 2 details per level, codes and messages from {@link #garbage}. */
    @Provide
    Arbitrary<ArmError> errorTrees() {
        Arbitrary<ArmError> leaf = Combinators.combine(garbage(), garbage()).as(ArmError::of);
        return Arbitraries.recursive(
                () -> leaf,
                inner -> Combinators.combine(
                                garbage(), garbage(), inner.list().ofMinSize(1).ofMaxSize(2))
                        .as(ArmError::new),
                0,
                6);
    }

    @Property
    void any_code_and_message_gets_a_category(@ForAll("garbage") String code, @ForAll("garbage") String message) {
        assertTotal(ErrorClassifier.classify(code, message));
    }

    @Property(tries = 300)
    void any_error_tree_gets_a_category(@ForAll("errorTrees") ArmError error) {
        assertTotal(ErrorClassifier.classify(error));
    }

    @Example
    void null_and_absurdly_deep_errors_get_a_category() {
        assertThat(ErrorClassifier.classify((ArmError) null).category()).isEqualTo(ErrorCategory.UNKNOWN);
        assertTotal(ErrorClassifier.classify((String) null, null));
        ArmError deep = ArmError.of("QuotaExceeded", "deepest");
        for (int i = 0; i < 10_000; i++) {
            deep = ArmError.of("DeploymentFailed", null, deep);
        }
        assertTotal(ErrorClassifier.classify(deep)); // no StackOverflowError: nesting is bounded
    }

    static void assertTotal(ErrorClassification c) {
        assertThat(c).isNotNull();
        assertThat(c.category()).isNotNull();
        assertThat(c.code()).isNotNull();
        assertThat(c.message()).isNotNull();
        assertThat(c.suggestedActions()).isNotEmpty();
    }

    // ---- an inner code beats its wrapper -----------------------------------------------------------

    @Property
    void a_known_code_is_classified_whatever_its_case(@ForAll("knownCodes") String code, @ForAll boolean upper) {
        String spelled = upper ? code.toUpperCase(java.util.Locale.ROOT) : code.toLowerCase(java.util.Locale.ROOT);
        assertThat(ErrorClassifier.classify(spelled, null).category()).isEqualTo(KNOWN.get(code));
        assertThat(ErrorClassifier.classify(" " + code + " ", "").category()).isEqualTo(KNOWN.get(code));
    }

    @Provide
    Arbitrary<String> knownCodes() {
        return Arbitraries.of(KNOWN.keySet());
    }

    @Provide
    Arbitrary<List<String>> wrapperChains() {
        return Arbitraries.of(WRAPPERS).list().ofMinSize(1).ofMaxSize(MAX_INSPECTED_DEPTH);
    }

    @Property
    void an_inner_code_wins_over_its_wrappers_at_any_inspected_depth(
            @ForAll("knownCodes") String inner,
            @ForAll("wrapperChains") List<String> wrappers,
            @ForAll @IntRange(min = 0, max = 2) int unknownSiblings) {
        ArmError error = ArmError.of(inner, "The operation failed.");
        for (int i = wrappers.size() - 1; i >= 0; i--) {
            List<ArmError> details = new ArrayList<>();
            for (int s = 0; s < unknownSiblings; s++) {
                details.add(ArmError.of("SomethingElse" + s, null));
            }
            details.add(error);
            String wrapperMessage = i == 0
                    ? "The template deployment is not valid according to the validation procedure. See inner errors for details."
                    : "At least one resource deployment operation failed.";
            error = new ArmError(wrappers.get(i), wrapperMessage, details);
        }
        ErrorClassification c = ErrorClassifier.classify(error);
        assertThat(c.category()).as("%s inside %s", inner, wrappers).isEqualTo(KNOWN.get(inner));
        assertThat(c.code()).isEqualTo(inner);
    }

    @Property
    void quota_exceeded_inside_invalid_template_deployment_is_quota(
            @ForAll @IntRange(min = 1, max = MAX_INSPECTED_DEPTH) int depth) {
        ArmError error = ArmError.of(
                "QuotaExceeded", "Operation could not be completed as it results in exceeding approved quota.");
        for (int i = 0; i < depth; i++) {
            error = ArmError.of("InvalidTemplateDeployment", "The template deployment 'aks' is not valid.", error);
        }
        assertThat(ErrorClassifier.classify(error).category()).isEqualTo(ErrorCategory.QUOTA_EXCEEDED);
    }

    @Property
    void a_code_named_in_a_wrappers_message_wins_over_the_wrapper(
            @ForAll("knownCodes") String inner, @ForAll("wrappers") String wrapper) {
        String message =
                "Deployment failed. Correlation ID: 1. {\"error\":{\"code\":\"" + inner + "\",\"message\":\"...\"}}";
        assertThat(ErrorClassifier.classify(wrapper, message).category()).isEqualTo(KNOWN.get(inner));
    }

    @Provide
    Arbitrary<String> wrappers() {
        return Arbitraries.of(WRAPPERS);
    }

    // ---- categories --------------------------------------------------------------------------------

    @Property
    void every_category_has_a_retryable_flag_and_suggested_actions(@ForAll ErrorCategory category) {
        assertThat(category.suggestedActions())
                .isNotEmpty()
                .allSatisfy(a -> assertThat(a).isNotBlank());
        assertThat(category.wireName()).isEqualTo(category.name().toLowerCase(java.util.Locale.ROOT));
        ErrorClassification c = new ErrorClassification(category, "X", "y");
        assertThat(c.retryable()).isEqualTo(category.retryable());
        assertThat(c.suggestedActions()).isEqualTo(category.suggestedActions());
    }

    @Example
    void retrying_helps_only_where_it_can() {
        assertThat(ErrorCategory.TRANSIENT.retryable()).isTrue();
        assertThat(ErrorCategory.CAPACITY.retryable()).isTrue();
        assertThat(ErrorCategory.QUOTA_EXCEEDED.retryable()).isFalse();
        assertThat(ErrorCategory.AUTHORIZATION.retryable()).isFalse();
        assertThat(ErrorCategory.INVALID_CONFIGURATION.retryable()).isFalse();
        assertThat(ErrorCategory.NAME_CONFLICT.retryable()).isFalse();
        assertThat(ErrorCategory.SKU_OR_ZONE_UNAVAILABLE.retryable()).isFalse();
    }
}
