package org.elb.warmkeeper.core.provision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * The classifier decides by codes before words, within node, depth and size budgets, and survives hostile
 * error bodies: huge messages, repeated phrases, shared children, absurd depth, nulls.
 */
class ErrorClassifierBudgetProperties {

    /** "Finishes" bound for hostile inputs: generous for a loaded 2-core CI; the time is measured in elb-benchmarks. */
    private static final Duration FINISHES = Duration.ofSeconds(5);

    /** Message words that would mean another category if words decided. */
    private static final List<String> MISLEADING = List.of(
            "rg-throttled",
            "canceled",
            "cancelled",
            "quota exceeded",
            "try again",
            "already exists",
            "insufficient capacity",
            "not authorized",
            "is invalid",
            "Code=\"TooManyRequests\"",
            "{\"code\":\"Canceled\"}");

    @Provide
    Arbitrary<String> ownCodes() {
        return Arbitraries.of(ErrorClassifierProperties.KNOWN.keySet());
    }

    @Provide
    Arbitrary<String> misleadingMessages() {
        return Arbitraries.of(MISLEADING)
                .list()
                .ofMinSize(1)
                .ofMaxSize(4)
                .map(words -> "In resource group " + String.join(" and ", words) + " the operation failed.");
    }

    /** Codes neither known nor wrappers. */
    @Provide
    Arbitrary<String> unknownCodes() {
        return Arbitraries.strings()
                .alpha()
                .ofMinLength(3)
                .ofMaxLength(20)
                .map(s -> "X" + s)
                .filter(s -> ErrorClassifierProperties.KNOWN.keySet().stream().noneMatch(k -> k.equalsIgnoreCase(s)));
    }

    // ---- codes decide -------------------------------------------------------------------------------

    @Property
    void an_errors_own_known_code_beats_any_words_in_its_message(
            @ForAll("ownCodes") String code, @ForAll("misleadingMessages") String message) {
        ErrorClassification c = ErrorClassifier.classify(code, message);
        assertThat(c.category()).as("%s: %s", code, message).isEqualTo(ErrorClassifierProperties.KNOWN.get(code));
        assertThat(c.code()).isEqualTo(code);
    }

    @Property
    void an_inner_known_code_beats_words_in_every_message_of_the_tree(
            @ForAll("ownCodes") String inner,
            @ForAll("misleadingMessages") String message,
            @ForAll @IntRange(min = 1, max = ErrorClassifier.MAX_DEPTH) int depth) {
        ArmError error = ArmError.of(inner, message);
        for (int i = 0; i < depth; i++) {
            error = ArmError.of(
                    i % 2 == 0 ? "DeploymentFailed" : "SomethingNew", message, ArmError.of("Other", message), error);
        }
        assertThat(ErrorClassifier.classify(error).category()).isEqualTo(ErrorClassifierProperties.KNOWN.get(inner));
    }

    @Property
    void message_words_decide_only_when_the_code_is_unknown(
            @ForAll("unknownCodes") String unknown, @ForAll("ownCodes") String known) {
        String message = "Operation results in exceeding approved Total Regional Cores quota.";
        assertThat(ErrorClassifier.classify(unknown, message).category()).isEqualTo(ErrorCategory.QUOTA_EXCEEDED);
        assertThat(ErrorClassifier.classify(known, message).category())
                .isEqualTo(ErrorClassifierProperties.KNOWN.get(known));
    }

    @Example
    void the_reported_misclassifications_are_gone() {
        assertThat(ErrorClassifier.classify(
                                "AuthorizationFailed",
                                "The client 'x' does not have authorization over scope "
                                        + "'/subscriptions/s/resourceGroups/rg-throttled'")
                        .category())
                .isEqualTo(ErrorCategory.AUTHORIZATION);
        assertThat(ErrorClassifier.classify("QuotaExceeded", "Quota exceeded; earlier requests were canceled.")
                        .category())
                .isEqualTo(ErrorCategory.QUOTA_EXCEEDED);
    }

    // ---- budgets ------------------------------------------------------------------------------------

    @Property
    void a_known_code_is_found_down_to_the_depth_budget_and_ignored_below_it(
            @ForAll @IntRange(min = 1, max = 3 * ErrorClassifier.MAX_DEPTH) int depth) {
        ArmError error = ArmError.of("QuotaExceeded", "");
        for (int i = 0; i < depth; i++) {
            error = ArmError.of("BadRequest", "", error);
        }
        ErrorCategory expected =
                depth <= ErrorClassifier.MAX_DEPTH ? ErrorCategory.QUOTA_EXCEEDED : ErrorCategory.INVALID_CONFIGURATION;
        assertThat(ErrorClassifier.classify(error).category()).isEqualTo(expected);
    }

    @Property(tries = 50)
    void a_nested_bad_request_is_never_transient_at_any_depth(
            @ForAll @IntRange(min = 1, max = 5_000) int depth, @ForAll("nestedMessages") String message) {
        ArmError error = ArmError.of("BadRequest", message);
        for (int i = 0; i < depth; i++) {
            error = ArmError.of("BadRequest", message, error);
        }
        ErrorClassification c = ErrorClassifier.classify(error);
        assertThat(c.category()).isEqualTo(ErrorCategory.INVALID_CONFIGURATION);
        assertThat(c.retryable()).isFalse();
    }

    @Provide
    Arbitrary<String> nestedMessages() {
        return Arbitraries.of(
                "", "Bad Request", "The request body could not be parsed.", "{\"error\":{\"code\":\"BadRequest\"}}");
    }

    @Property
    void every_node_is_inspected_at_most_once_and_never_more_than_the_node_budget(
            @ForAll @IntRange(min = 1, max = 40) int depth, @ForAll @IntRange(min = 1, max = 5) int fanOut) {
        ArmError shared = ArmError.of("Leaf", "");
        int distinct = 1;
        for (int i = 0; i < depth; i++) {
            ArmError[] children = new ArmError[fanOut];
            Arrays.fill(children, shared);
            shared = ArmError.of("Level" + i, "", children);
            distinct++;
        }
        List<ArmError> inspected = ErrorClassifier.innerFirst(shared);
        assertThat(inspected)
                .hasSize(Math.min(distinct, Math.min(ErrorClassifier.MAX_DEPTH + 1, ErrorClassifier.MAX_NODES)));
        assertThat(inspected.stream().map(System::identityHashCode).distinct().count())
                .isEqualTo(inspected.size());
        assertThat(inspected.get(inspected.size() - 1)).isSameAs(shared);
    }

    @Property(tries = 20)
    void a_wide_tree_is_cut_at_the_node_budget(@ForAll @IntRange(min = 1, max = 5_000) int width) {
        List<ArmError> children = new ArrayList<>();
        for (int i = 0; i < width; i++) {
            children.add(ArmError.of("Child" + i, "m"));
        }
        ArmError root = new ArmError("DeploymentFailed", "", children);
        assertThat(ErrorClassifier.innerFirst(root)).hasSize(Math.min(width + 1, ErrorClassifier.MAX_NODES));
    }

    @Example
    void words_beyond_the_classified_prefix_of_a_message_are_not_read() {
        String pad = "x".repeat(ErrorClassifier.MAX_MESSAGE_CHARS_CLASSIFIED);
        assertThat(ErrorClassifier.classify("SomethingNew", "quota " + pad).category())
                .isEqualTo(ErrorCategory.QUOTA_EXCEEDED);
        assertThat(ErrorClassifier.classify("SomethingNew", pad + " quota").category())
                .isEqualTo(ErrorCategory.UNKNOWN);
    }

    // ---- stored sizes -------------------------------------------------------------------------------

    @Property
    void stored_code_and_message_are_bounded_prefixes(
            @ForAll @IntRange(min = 0, max = 50_000) int length, @ForAll boolean nul) {
        String message = (nul ? "\u0000" : "") + "q".repeat(length);
        ErrorClassification c = ErrorClassifier.classify("C".repeat(Math.min(length, 1_000) + 1), message);
        assertThat(c.message().length()).isLessThanOrEqualTo(ErrorClassification.MAX_MESSAGE_CHARS);
        assertThat(c.code().length()).isLessThanOrEqualTo(ErrorClassification.MAX_CODE_CHARS);
        assertThat(c.message()).doesNotContain("\u0000");
        String expected = message.replace('\u0000', '\uFFFD');
        if (expected.length() <= ErrorClassification.MAX_MESSAGE_CHARS) {
            assertThat(c.message()).isEqualTo(expected);
        } else {
            assertThat(c.message()).endsWith(ErrorClassification.CUT_MARK);
            assertThat(expected)
                    .startsWith(c.message().substring(0, c.message().length() - ErrorClassification.CUT_MARK.length()));
        }
    }

    @Example
    void a_cut_never_splits_a_surrogate_pair() {
        String emoji = "\uD83D\uDE00";
        String message = emoji.repeat(ErrorClassification.MAX_MESSAGE_CHARS);
        String stored = new ErrorClassification(ErrorCategory.UNKNOWN, "X", message).message();
        String kept = stored.substring(0, stored.length() - ErrorClassification.CUT_MARK.length());
        assertThat(Character.isHighSurrogate(kept.charAt(kept.length() - 1))).isFalse();
    }

    // ---- hostile bodies -----------------------------------------------------------------------------

    @Example
    void a_one_megabyte_message_and_repeated_phrases_classify() {
        String mb = "exceed ".repeat(150_000);
        ErrorClassification c = assertTimeoutPreemptively(FINISHES, () -> ErrorClassifier.classify("SomethingNew", mb));
        assertThat(c.category()).isEqualTo(ErrorCategory.UNKNOWN);
        assertThat(c.message().length()).isLessThanOrEqualTo(ErrorClassification.MAX_MESSAGE_CHARS);
        assertThat(assertTimeoutPreemptively(
                                FINISHES,
                                () -> ErrorClassifier.classify("DeploymentFailed", "exceed ".repeat(16_000) + " cores"))
                        .category())
                .isEqualTo(ErrorCategory.UNKNOWN);
        assertThat(assertTimeoutPreemptively(
                                FINISHES,
                                () -> ErrorClassifier.classify("DeploymentFailed", "limit of ".repeat(100_000)))
                        .category())
                .isEqualTo(ErrorCategory.UNKNOWN);
    }

    @Example
    void a_twenty_level_tree_sharing_one_child_per_level_classifies() {
        ArmError tree = sharedTree(20, 3, "exceed ".repeat(10_000));
        ErrorClassification c = assertTimeoutPreemptively(FINISHES, () -> ErrorClassifier.classify(tree));
        assertThat(c.category()).isEqualTo(ErrorCategory.QUOTA_EXCEEDED); // the leaf's code, 20 levels down
    }

    /** {@code depth} levels, each node's {@code fanOut} details all the same child; the leaf is QuotaExceeded. */
    static ArmError sharedTree(int depth, int fanOut, String message) {
        ArmError node = ArmError.of("QuotaExceeded", message);
        for (int i = 0; i < depth; i++) {
            ArmError[] children = new ArmError[fanOut];
            Arrays.fill(children, node);
            node = ArmError.of("DeploymentFailed", message, children);
        }
        return node;
    }

    @Example
    void nulls_are_tolerated() {
        assertThatCode(() -> ArmError.of("X", "m", (ArmError[]) null)).doesNotThrowAnyException();
        assertThat(ArmError.of("X", "m", (ArmError[]) null).details()).isEmpty();
        assertThat(ArmError.of("X", null, null, ArmError.of("QuotaExceeded", null), null)
                        .details())
                .hasSize(1);
        assertThat(new ArmError(null, null, null).details()).isEmpty();
        assertThat(new ArmError("X", "m", Arrays.asList(null, ArmError.of(null, null))).details())
                .hasSize(1);
        ErrorClassification c = ErrorClassifier.classify(new ArmError(null, null, Arrays.asList((ArmError) null)));
        assertThat(c.category()).isEqualTo(ErrorCategory.UNKNOWN);
        assertThat(ErrorClassifier.classify(ArmError.of(null, null, null, ArmError.of("QuotaExceeded", null)))
                        .category())
                .isEqualTo(ErrorCategory.QUOTA_EXCEEDED);
    }

    @Example
    void to_string_hash_code_and_equals_of_a_deep_error_do_not_overflow_the_stack() {
        ArmError a = chain(200_000, "QuotaExceeded");
        ArmError b = chain(200_000, "QuotaExceeded");
        ArmError c = chain(200_000, "Other");
        assertThat(a.toString()).startsWith("ArmError[code=DeploymentFailed").hasSizeLessThan(400);
        assertThat(a.hashCode()).isEqualTo(b.hashCode());
        assertThat(a).isEqualTo(b).isNotEqualTo(c);
        ArmError shared = sharedTree(60, 4, "m");
        assertThat(shared).isEqualTo(sharedTree(60, 4, "m")).isNotEqualTo(sharedTree(60, 4, "n"));
        assertThat(ArmError.of("X", "y".repeat(1_000_000)).toString()).hasSizeLessThan(400);
    }

    private static ArmError chain(int depth, String leaf) {
        ArmError e = ArmError.of(leaf, "deepest");
        for (int i = 0; i < depth; i++) {
            e = ArmError.of("DeploymentFailed", null, e);
        }
        return e;
    }

    @Property(tries = 200)
    void equal_trees_have_equal_hash_codes_and_equality_is_structural(@ForAll("pairs") ArmError[] pair) {
        boolean structurallyEqual = render(pair[0]).equals(render(pair[1]));
        assertThat(pair[0].equals(pair[1])).isEqualTo(structurallyEqual);
        if (structurallyEqual) {
            assertThat(pair[0].hashCode()).isEqualTo(pair[1].hashCode());
        }
    }

    @Provide
    Arbitrary<ArmError[]> pairs() {
        Arbitrary<String> words = Arbitraries.of("A", "B", null);
        Arbitrary<ArmError> leaf =
                net.jqwik.api.Combinators.combine(words, words).as(ArmError::of);
        Arbitrary<ArmError> tree = Arbitraries.recursive(
                () -> leaf,
                inner -> net.jqwik.api.Combinators.combine(
                                words, words, inner.list().ofMaxSize(2))
                        .as(ArmError::new),
                0,
                3);
        return tree.list().ofSize(2).map(l -> new ArmError[] {l.get(0), l.get(1)});
    }

    private static String render(ArmError e) {
        StringBuilder sb = new StringBuilder("(").append(e.code()).append('|').append(e.message());
        for (ArmError d : e.details()) {
            sb.append(render(d));
        }
        return sb.append(')').toString();
    }

    // ---- the stored message's masking reads only what can be stored ------------------------------------

    @Provide
    Arbitrary<String> messagesWithCredentials() {
        Arbitrary<String> piece = Arbitraries.of(
                "exceed ",
                "quota ",
                "password=hunter2 ",
                "token=abc.def ",
                "\"secret\": \"s3cr3t\", ",
                "https://user:pa55@example.net/x ",
                "Bearer eyJhbGciOi ",
                "x".repeat(700),
                " ");
        return piece.list().ofMinSize(0).ofMaxSize(60).map(l -> String.join("", l));
    }

    @Property(tries = 300)
    void the_stored_message_is_the_prefix_of_the_whole_message_masked(
            @ForAll("messagesWithCredentials") String message) {
        String stored = new ErrorClassification(ErrorCategory.UNKNOWN, "X", message).message();

        assertThat(stored)
                .isEqualTo(ErrorClassification.bounded(
                        org.elb.warmkeeper.core.Secrets.masked(message), ErrorClassification.MAX_MESSAGE_CHARS));
    }

    @Property(tries = 60)
    void only_a_bounded_prefix_of_a_long_message_is_masked(
            @ForAll @IntRange(min = 0, max = 2_000_000) int length, @ForAll("phrases") String phrase) {
        String message = phrase.repeat(length / phrase.length() + 1);

        String masked = ErrorClassification.maskedPrefix(message, ErrorClassification.MAX_MESSAGE_CHARS);

        assertThat(masked.length())
                .as("characters masked of a %d-character message", message.length())
                .isLessThanOrEqualTo(ErrorClassification.MAX_MESSAGE_CHARS + ErrorClassification.MASK_MARGIN);
    }

    @Provide
    Arbitrary<String> phrases() {
        return Arbitraries.of("exceed ", "x", "limit of ", "https://host/path?api-version=1 ", "\uD83D\uDE00");
    }
}
