package org.elb.warmkeeper.core.provision;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Representative ARM errors (codes and messages as ARM and AKS return them) and the category each gets. */
class ErrorClassifierTableTest {

    static Stream<Arguments> armErrors() {
        return Stream.of(
                Arguments.of(
                        ArmError.of(
                                "QuotaExceeded",
                                "Operation could not be completed as it results in exceeding approved "
                                        + "standardEDSv5Family Cores quota. Additional details - Deployment Model: Resource Manager, Location: "
                                        + "koreacentral, Current Limit: 10, Current Usage: 8, Additional Required: 32, (Minimum) New Limit Required: 40."),
                        ErrorCategory.QUOTA_EXCEEDED),
                Arguments.of(
                        ArmError.of(
                                "InvalidTemplateDeployment",
                                "The template deployment 'elb-aks' is not valid according to the "
                                        + "validation procedure. The tracking id is 'x'. See inner errors for details.",
                                ArmError.of(
                                        "QuotaExceeded",
                                        "Operation could not be completed as it results in exceeding approved Total "
                                                + "Regional Cores quota.")),
                        ErrorCategory.QUOTA_EXCEEDED),
                Arguments.of(
                        ArmError.of(
                                "OperationNotAllowed",
                                "Operation could not be completed as it results in exceeding "
                                        + "approved Total Regional Cores quota. Additional details - Location: koreacentral, Current Limit: 10"),
                        ErrorCategory.QUOTA_EXCEEDED),
                Arguments.of(
                        ArmError.of(
                                "ErrCode_InsufficientVCPUQuota",
                                "Insufficient regional vcpu quota left for location "
                                        + "koreacentral. left regional vcpu quota 4, requested quota 32"),
                        ErrorCategory.QUOTA_EXCEEDED),
                Arguments.of(
                        ArmError.of(
                                "SkuNotAvailable",
                                "The requested VM size for resource 'Following SKUs have failed for "
                                        + "Capacity Restrictions: Standard_E32s_v5' is currently not available in location 'koreacentral'. Please try "
                                        + "another size or deploy to a different location or different zone."),
                        ErrorCategory.SKU_OR_ZONE_UNAVAILABLE),
                Arguments.of(
                        ArmError.of(
                                "AvailabilityZoneNotSupported",
                                "The zone(s) '3' for resource 'nodepool1' is not supported. "
                                        + "The supported zones for location 'koreacentral' are '1,2'"),
                        ErrorCategory.SKU_OR_ZONE_UNAVAILABLE),
                Arguments.of(
                        ArmError.of(
                                "AllocationFailed",
                                "Allocation failed. We do not have sufficient capacity for the "
                                        + "requested VM size in this region. Read more about improving likelihood of allocation success at "
                                        + "http://aka.ms/allocation-guidance"),
                        ErrorCategory.CAPACITY),
                Arguments.of(
                        ArmError.of(
                                "ZonalAllocationFailed",
                                "Allocation failed. We do not have sufficient capacity for the "
                                        + "requested VM size in this zone."),
                        ErrorCategory.CAPACITY),
                Arguments.of(
                        ArmError.of(
                                "AuthorizationFailed",
                                "The client '1111' with object id '1111' does not have authorization "
                                        + "to perform action 'Microsoft.ContainerService/managedClusters/write' over scope '/subscriptions/x/"
                                        + "resourceGroups/rg' or the scope is invalid. If access was recently granted, please refresh your credentials."),
                        ErrorCategory.AUTHORIZATION),
                Arguments.of(
                        ArmError.of(
                                "MissingSubscriptionRegistration",
                                "The subscription is not registered to use namespace "
                                        + "'Microsoft.ContainerService'. See https://aka.ms/rps-not-found for how to register subscriptions."),
                        ErrorCategory.AUTHORIZATION),
                Arguments.of(
                        ArmError.of(
                                "LinkedAuthorizationFailed",
                                "The client has permission to perform action "
                                        + "'Microsoft.Network/virtualNetworks/subnets/join/action' on scope '...', however the current tenant is not "
                                        + "authorized to access linked subscription '...'."),
                        ErrorCategory.AUTHORIZATION),
                Arguments.of(
                        ArmError.of(
                                "K8sVersionNotSupported",
                                "Version 1.25.6 is not supported in this region. Please use [az aks "
                                        + "get-versions] command to get the supported version list in this region."),
                        ErrorCategory.INVALID_CONFIGURATION),
                Arguments.of(
                        ArmError.of(
                                "InvalidParameter",
                                "The value of parameter agentPoolProfile.count is invalid. Please see "
                                        + "https://aka.ms/aks-naming-rules for more details."),
                        ErrorCategory.INVALID_CONFIGURATION),
                Arguments.of(
                        ArmError.of(
                                "BadRequest",
                                "Provisioning of resource(s) for container service elb-aks in resource group "
                                        + "rg failed. Message: The value of parameter vmSize is invalid."),
                        ErrorCategory.INVALID_CONFIGURATION),
                Arguments.of(
                        ArmError.of("DnsPrefixAlreadyTaken", "DNS prefix elb-aks-dns is already taken."),
                        ErrorCategory.NAME_CONFLICT),
                Arguments.of(
                        ArmError.of("Conflict", "A resource named elb-aks already exists in resource group rg."),
                        ErrorCategory.NAME_CONFLICT),
                Arguments.of(ArmError.of("Canceled", "Operation was canceled."), ErrorCategory.CANCELLED),
                Arguments.of(
                        ArmError.of("OperationCanceled", "The operation was canceled by the user (abort)."),
                        ErrorCategory.CANCELLED),
                Arguments.of(
                        ArmError.of(
                                "TooManyRequests",
                                "The request is being throttled as the limit has been reached for "
                                        + "operation type - Write_ObservationWindow_00:05:00."),
                        ErrorCategory.TRANSIENT),
                Arguments.of(
                        ArmError.of("InternalOperationError", "An internal error occurred. Please retry."),
                        ErrorCategory.TRANSIENT),
                Arguments.of(
                        ArmError.of(
                                "Conflict",
                                "Operation is not allowed because there's an in progress create managed cluster "
                                        + "operation.",
                                ArmError.of(
                                        "AnotherOperationInProgress",
                                        "Another operation (Create) is in progress, please "
                                                + "wait for it to finish before starting a new operation.")),
                        ErrorCategory.TRANSIENT),
                Arguments.of(
                        ArmError.of(
                                "DeploymentFailed",
                                "At least one resource deployment operation failed. Please list deployment "
                                        + "operations for details. {\"error\":{\"code\":\"SkuNotAvailable\",\"message\":\"...\"}}"),
                        ErrorCategory.SKU_OR_ZONE_UNAVAILABLE),
                Arguments.of(
                        ArmError.of(
                                "ResourceDeploymentFailure",
                                "The resource operation completed with terminal provisioning " + "state 'Failed'."),
                        ErrorCategory.UNKNOWN),
                Arguments.of(ArmError.of("SomethingNew", "An unexpected thing happened."), ErrorCategory.UNKNOWN));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("armErrors")
    void representative_arm_errors_get_their_category(ArmError error, ErrorCategory expected) {
        ErrorClassification c = ErrorClassifier.classify(error);
        assertThat(c.category()).isEqualTo(expected);
        assertThat(c.retryable()).isEqualTo(expected.retryable());
        assertThat(c.suggestedActions()).isNotEmpty();
    }
}
