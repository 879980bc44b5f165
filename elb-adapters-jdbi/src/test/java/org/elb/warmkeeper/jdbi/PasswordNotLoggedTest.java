package org.elb.warmkeeper.jdbi;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Building, migrating and using a store with a password logs the password nowhere (SLF4J simple writes to stderr). */
class PasswordNotLoggedTest {

    private static final String PASSWORD = "Xy9-not-for-logs";

    @Test
    void the_password_appears_in_no_log_line_and_no_to_string() {
        String schema = TestDatabase.uniqueName("elb_test");
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        String described;
        try (JdbiStore store = JdbiStore.builder(TestDatabase.postgresUrl())
                .credentials("postgres", PASSWORD)
                .schema(schema)
                .build()) {
            store.jobStateRepository().findUnfinished("aks_provision");
            described = store + " " + store.jobStateRepository() + " " + store.autoWarmPreferences() + " "
                    + store.databaseInventory();
            store.jdbi().useHandle(h -> h.execute("DROP SCHEMA \"" + schema + "\" CASCADE"));
        } finally {
            System.setErr(original);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        assertThat(log).contains("migration(s) applied").doesNotContain(PASSWORD);
        assertThat(described).doesNotContain(PASSWORD);
    }
}
