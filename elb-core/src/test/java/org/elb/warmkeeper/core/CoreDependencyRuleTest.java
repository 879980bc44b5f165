package org.elb.warmkeeper.core;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import org.elb.warmkeeper.core.archfixture.LeakyHttpProbe;
import org.elb.warmkeeper.core.archfixture.LeakyJdbcStore;
import org.junit.jupiter.api.Test;

/**
 * The core stays pure: no class of {@code org.elb.warmkeeper.core..} depends on
 * a vendor SDK, JDBC, an HTTP or network client, metrics or JSON library, the testkit or an adapter. One
 * rule per forbidden direction, checked on the production classes (tests excluded).
 */
@AnalyzeClasses(packages = "org.elb.warmkeeper.core", importOptions = ImportOption.DoNotIncludeTests.class)
class CoreDependencyRuleTest {

    static final String CORE = "org.elb.warmkeeper.core..";

    static ArchRule coreMustNotUse(String forbiddenPackage) {
        return noClasses()
                .that()
                .resideInAPackage(CORE)
                .should()
                .dependOnClassesThat()
                .resideInAPackage(forbiddenPackage)
                .because("elb-core is pure: " + forbiddenPackage + " belongs in an adapter");
    }

    @ArchTest
    static final ArchRule no_fabric8 = coreMustNotUse("io.fabric8..");

    @ArchTest
    static final ArchRule no_azure_sdk = coreMustNotUse("com.azure..");

    @ArchTest
    static final ArchRule no_redisson = coreMustNotUse("org.redisson..");

    @ArchTest
    static final ArchRule no_jdbi = coreMustNotUse("org.jdbi..");

    @ArchTest
    static final ArchRule no_jdbc = coreMustNotUse("java.sql..");

    @ArchTest
    static final ArchRule no_http_client = coreMustNotUse("java.net.http..");

    @ArchTest
    static final ArchRule no_netty = coreMustNotUse("io.netty..");

    @ArchTest
    static final ArchRule no_micrometer = coreMustNotUse("io.micrometer..");

    @ArchTest
    static final ArchRule no_jackson = coreMustNotUse("com.fasterxml.jackson..");

    @ArchTest
    static final ArchRule no_testkit = coreMustNotUse("org.elb.warmkeeper.testkit..");

    /** Adapters, the runner, benchmarks: any project package outside the core. */
    @ArchTest
    static final ArchRule no_adapter_or_other_module = noClasses()
            .that()
            .resideInAPackage(CORE)
            .should()
            .dependOnClassesThat(resideInAPackage("org.elb.warmkeeper..").and(not(resideInAPackage(CORE))))
            .because("adapters depend on the core, never the other way round");

    /** The rules can fail: fixture classes (test sources, outside the analysed set) that break two of them. */
    @Test
    void the_rules_catch_a_violation() {
        JavaClasses leaky = new ClassFileImporter().importClasses(LeakyHttpProbe.class, LeakyJdbcStore.class);
        assertThat(no_http_client.evaluate(leaky).hasViolation()).isTrue();
        assertThat(no_jdbc.evaluate(leaky).hasViolation()).isTrue();
        assertThat(no_jackson.allowEmptyShould(true).evaluate(leaky).hasViolation())
                .isFalse();
    }
}
