package org.elb.warmkeeper.core.provision;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Classifies ARM provisioning errors. Total: every input, even null, garbage or hostile, gets a category.
 *
 * <p>Codes decide; message words are only a fallback. Over the nodes of the error tree, inner before
 * outer (a node's details, in order, before the node itself), the first rule that matches wins:
 * <ol>
 *   <li>a node's own known code, unless it is a bare wrapper ({@code InvalidTemplateDeployment},
 *       {@code DeploymentFailed}, {@code ResourceDeploymentFailure}, {@code Conflict}, {@code BadRequest},
 *       {@code OperationNotAllowed}, {@code MultipleErrorsOccurred}): {@code QuotaExceeded} inside
 *       {@code InvalidTemplateDeployment} is quota, and {@code AuthorizationFailed} stays authorization
 *       whatever its message says (a resource group named {@code rg-throttled});
 *   <li>a known code named inside a message ({@code Code="QuotaExceeded"}, {@code "code":"SkuNotAvailable"},
 *       as ARM nests them);
 *   <li>keywords in the message ({@code quota}, {@code not available in location}, ...) of nodes whose
 *       code is unknown or a wrapper;
 *   <li>a wrapper's own category when it has one ({@code BadRequest} is invalid configuration);
 *   <li>{@link ErrorCategory#UNKNOWN}.
 * </ol>
 *
 * <p>Budgets keep it linear in the size of the input, whatever the input: at most {@value #MAX_NODES}
 * nodes are inspected, none deeper than {@value #MAX_DEPTH} levels below the root (deeper details are
 * ignored, so a 900-level {@code BadRequest} is still invalid configuration, never transient); a child
 * shared by several parents is inspected once; of each message only the first
 * {@value #MAX_MESSAGE_CHARS_CLASSIFIED} characters are read, and of all messages together at most
 * {@value #MAX_TOTAL_CHARS_CLASSIFIED}. Every pattern has a bounded reach (no {@code .*}), so a message of
 * repeated phrases costs no more than any other. The classification's stored code and message are cut
 * at {@link ErrorClassification#MAX_CODE_CHARS} and {@link ErrorClassification#MAX_MESSAGE_CHARS}.
 */
public final class ErrorClassifier {

    /** Nodes of an error tree inspected at most. */
    public static final int MAX_NODES = 256;
    /** Levels below the root inspected at most. */
    public static final int MAX_DEPTH = 32;
    /** Characters of one message read for classification. */
    public static final int MAX_MESSAGE_CHARS_CLASSIFIED = 4_096;
    /** Characters of all messages of one tree read for classification. */
    public static final int MAX_TOTAL_CHARS_CLASSIFIED = 16_384;

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
    private static final Set<String> WRAPPERS = Set.of(
            "invalidtemplatedeployment",
            "deploymentfailed",
            "resourcedeploymentfailure",
            "conflict",
            "badrequest",
            "operationnotallowed",
            "multipleerrorsoccurred");

    private static final Pattern CODE_IN_MESSAGE =
            Pattern.compile("\\b(?:code|Code|CODE)\\W{0,3}([A-Za-z_][A-Za-z0-9_]{2,80})");

    private static final Object[][] KEYWORDS = {
        {Pattern.compile("quota|limit of .{0,80}cores|exceed.{0,80}(cores|vcpu)"), ErrorCategory.QUOTA_EXCEEDED},
        {
            Pattern.compile(
                    "not available in (the )?(location|region|zone)|sku .{0,80}not available|not supported in (zone|region)"),
            ErrorCategory.SKU_OR_ZONE_UNAVAILABLE
        },
        {Pattern.compile("allocation fail|insufficient capacity|capacity"), ErrorCategory.CAPACITY},
        {
            Pattern.compile("does not have authorization|not authorized|unauthorized|forbidden|permission"),
            ErrorCategory.AUTHORIZATION
        },
        {
            Pattern.compile("already exists|already taken|name is not available|name .{0,80}in use"),
            ErrorCategory.NAME_CONFLICT
        },
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
        List<ArmError> nodes = innerFirst(error);
        // 1. a node's own known code (not a wrapper)
        for (ArmError n : nodes) {
            ErrorCategory own = known(n.code());
            if (own != null && !isWrapper(n.code())) {
                return result(own, n.code(), n.message());
            }
        }
        List<String> messages = classifiedMessages(nodes);
        // 2. a known code named in a message
        for (int i = 0; i < nodes.size(); i++) {
            Matcher m = CODE_IN_MESSAGE.matcher(messages.get(i));
            while (m.find()) {
                ErrorCategory c = known(m.group(1));
                if (c != null && !isWrapper(m.group(1))) {
                    return result(c, m.group(1), nodes.get(i).message());
                }
            }
        }
        // 3. keywords in the message (every node left has an unknown or a wrapper code)
        for (int i = 0; i < nodes.size(); i++) {
            String lower = messages.get(i).toLowerCase(Locale.ROOT);
            if (lower.isEmpty()) {
                continue;
            }
            for (Object[] rule : KEYWORDS) {
                if (((Pattern) rule[0]).matcher(lower).find()) {
                    return result(
                            (ErrorCategory) rule[1],
                            codeOrUnknown(nodes.get(i).code()),
                            nodes.get(i).message());
                }
            }
        }
        // 4. a wrapper's own category
        for (ArmError n : nodes) {
            ErrorCategory own = known(n.code());
            if (own != null) {
                return result(own, n.code(), n.message());
            }
        }
        return result(ErrorCategory.UNKNOWN, codeOrUnknown(error.code()), error.message());
    }

    /**
     * The nodes to inspect, details before their parent (post-order), each node once, within the node
     * and depth budgets. Iterative: no recursion on the tree's depth.
     */
    static List<ArmError> innerFirst(ArmError root) {
        Set<ArmError> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<ArmError> out = new ArrayList<>();
        Deque<Frame> stack = new ArrayDeque<>();
        seen.add(root);
        stack.push(new Frame(root, 0));
        int admitted = 1;
        while (!stack.isEmpty()) {
            Frame top = stack.peek();
            List<ArmError> details = top.node.details();
            if (top.depth < MAX_DEPTH && top.next < details.size() && admitted < MAX_NODES) {
                ArmError child = details.get(top.next++);
                if (seen.add(child)) {
                    admitted++;
                    stack.push(new Frame(child, top.depth + 1));
                }
                continue;
            }
            stack.pop();
            out.add(top.node);
        }
        return out;
    }

    private static final class Frame {
        final ArmError node;
        final int depth;
        int next;

        Frame(ArmError node, int depth) {
            this.node = node;
            this.depth = depth;
        }
    }

    /** Each node's message as read for classification: cut per message and in total. */
    private static List<String> classifiedMessages(List<ArmError> nodes) {
        List<String> out = new ArrayList<>(nodes.size());
        int budget = MAX_TOTAL_CHARS_CLASSIFIED;
        for (ArmError n : nodes) {
            String m = n.message() == null ? "" : n.message();
            int take = Math.min(m.length(), Math.min(MAX_MESSAGE_CHARS_CLASSIFIED, budget));
            budget -= take;
            out.add(take == m.length() ? m : m.substring(0, take));
        }
        return out;
    }

    private static ErrorClassification result(ErrorCategory category, @Nullable String code, @Nullable String message) {
        return new ErrorClassification(category, codeOrUnknown(code), message == null ? "" : message);
    }

    private static String codeOrUnknown(@Nullable String code) {
        return code == null || code.isBlank() ? "Unknown" : code;
    }

    private static @Nullable ErrorCategory known(@Nullable String code) {
        if (code == null || code.length() > 128) {
            return null;
        }
        return CODES.get(code.strip().toLowerCase(Locale.ROOT));
    }

    private static boolean isWrapper(@Nullable String code) {
        return code != null
                && code.length() <= 128
                && WRAPPERS.contains(code.strip().toLowerCase(Locale.ROOT));
    }
}
