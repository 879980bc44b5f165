package org.elb.warmkeeper.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;
import org.elb.warmkeeper.core.cluster.DatabaseName;
import org.junit.jupiter.api.Test;

class WarmupNamesTest {

    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final String ALPHABET = "abcxyzABCXYZ0189_.-";

    @Test
    void keys_are_dns_labels_that_keep_a_readable_slug() {
        assertThat(WarmupNames.key(DatabaseName.of("core_nt"))).matches("core-nt-[0-9a-f]{10}");
        assertThat(WarmupNames.key(DatabaseName.of("16S_ribosomal_RNA"))).startsWith("16s-ribosomal-rna-");
        assertThat(WarmupNames.key(DatabaseName.of("nt.00"))).startsWith("nt-00-");
        assertThat(WarmupNames.key(DatabaseName.of("a___b..c"))).startsWith("a-b-c-");
    }

    @Test
    void names_differing_only_in_case_or_punctuation_get_different_keys() {
        assertThat(WarmupNames.key(DatabaseName.of("core_nt")))
                .isNotEqualTo(WarmupNames.key(DatabaseName.of("Core_NT")))
                .isNotEqualTo(WarmupNames.key(DatabaseName.of("core.nt")))
                .isNotEqualTo(WarmupNames.key(DatabaseName.of("core-nt")));
    }

    @Test
    void keys_are_deterministic() {
        assertThat(WarmupNames.key(DatabaseName.of("swissprot")))
                .isEqualTo(WarmupNames.key(DatabaseName.of("swissprot")));
    }

    @Test
    void random_names_map_to_distinct_valid_keys_and_job_names_of_at_most_63_characters() {
        Random random = new Random(42);
        Map<String, String> seen = new HashMap<>();
        for (int i = 0; i < 20_000; i++) {
            StringBuilder sb = new StringBuilder().append((char) ('a' + random.nextInt(26)));
            int len = random.nextInt(100);
            for (int j = 0; j < len; j++) {
                sb.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
            }
            DatabaseName db = DatabaseName.of(sb.toString());
            String key = WarmupNames.key(db);
            String job = WarmupNames.jobName(WarmupNames.DEFAULT_JOB_PREFIX, db);
            assertThat(key).matches(DNS_LABEL).hasSizeLessThanOrEqualTo(WarmupNames.KEY_MAX);
            assertThat(job).matches(DNS_LABEL).hasSizeLessThanOrEqualTo(63);
            String previous = seen.putIfAbsent(key, db.value());
            assertThat(previous == null || previous.equals(db.value()))
                    .as("key %s of %s also names %s", key, db, previous)
                    .isTrue();
        }
    }

    @Test
    void the_longest_prefix_still_fits() {
        DatabaseName longest = DatabaseName.of("X".repeat(100));
        assertThat(WarmupNames.jobName("a".repeat(WarmupNames.PREFIX_MAX), longest))
                .hasSize(63);
    }

    @Test
    void bad_prefixes_are_rejected_naming_the_field() {
        assertThatThrownBy(() -> WarmupNames.checkPrefix("a".repeat(WarmupNames.PREFIX_MAX + 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("jobNamePrefix");
        assertThatThrownBy(() -> WarmupNames.checkPrefix("Warm-"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("jobNamePrefix");
        assertThatThrownBy(() -> WarmupNames.checkPrefix("-warm")).isInstanceOf(IllegalArgumentException.class);
    }
}
