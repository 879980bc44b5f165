package org.elb.warmkeeper.spring.boot;

import java.util.UUID;
import javax.sql.DataSource;
import org.elb.warmkeeper.core.provision.JobStateRepository;
import org.elb.warmkeeper.core.warm.AutoWarmPreferences;
import org.elb.warmkeeper.core.warm.DatabaseInventory;
import org.elb.warmkeeper.core.warm.WarmAttemptHistory;
import org.elb.warmkeeper.jdbi.JdbiAutoWarmPreferences;
import org.elb.warmkeeper.jdbi.JdbiStore;
import org.elb.warmkeeper.spring.boot.ElbSettings.ManagedCluster;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.ConfigurationCondition;
import org.springframework.context.annotation.Lazy;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.ClassUtils;

/**
 * The store (elb-adapters-jdbi): job state, auto-warm preferences, the inventory and the attempt history,
 * in tables of their own ({@code elb.jdbc.*}: the schema and the table prefix are the application's
 * choice). Off with {@code elb.store.enabled=false} (the application then gives the ports it needs).
 */
@AutoConfiguration(
        before = ElbAutoConfiguration.class,
        afterName = {
            "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration",
            "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration"
        })
@ConditionalOnElbEnabled
@ConditionalOnClass(JdbiStore.class)
@ConditionalOnProperty(prefix = "elb.store", name = "enabled", havingValue = "true", matchIfMissing = true)
public class ElbStoreAutoConfiguration {

    private static final Logger log = LoggerFactory.getLogger(ElbStoreAutoConfiguration.class);

    /**
     * Where an in-memory store lives when there is neither {@code elb.jdbc.url} nor a DataSource (each
     * context's store gets a name of its own in place of {@code elb-warmkeeper}).
     */
    static final String IN_MEMORY_URL = "jdbc:h2:mem:elb-warmkeeper;DB_CLOSE_DELAY=-1";

    /** The H2 driver: the in-memory default needs it on the class path (the application adds it). */
    static final String H2_DRIVER = "org.h2.Driver";

    /**
     * The store: on {@code elb.jdbc.url} when it is set (it wins over the application's DataSource), else
     * on the application's DataSource, else an in-memory H2 of this context's own when H2 is on the class
     * path (a warning: nothing survives a restart); with none of the three the context fails at start,
     * naming the key. Tuned by {@link ElbStoreCustomizer} beans. The configured clusters' preferences are
     * seeded into it once ({@link JdbiStore#seedCluster}; {@code elb.autowarm.reseed=true} writes them again).
     */
    @Bean(destroyMethod = "close")
    @Lazy
    @ConditionalOnMissingBean
    public JdbiStore elbJdbiStore(
            ElbSettings settings,
            ObjectProvider<DataSource> dataSource,
            ElbClock clock,
            ObjectProvider<ElbStoreCustomizer> customizers) {
        ElbProperties.Jdbc jdbc = settings.properties().getJdbc();
        JdbiStore.Builder b;
        DataSource app;
        if (jdbc.getUrl() != null) {
            b = JdbiStore.builder(jdbc.getUrl());
            if (jdbc.getUser() != null) {
                b.credentials(jdbc.getUser(), jdbc.getPassword());
            }
        } else if ((app = dataSource.getIfUnique()) != null) {
            b = JdbiStore.builder(app);
        } else if (ClassUtils.isPresent(H2_DRIVER, getClass().getClassLoader())) {
            log.warn("ELB Warmkeeper: no 'elb.jdbc.url' and no DataSource: job state and preferences live in an"
                    + " in-memory H2 database and are lost on restart");
            // A database of this context's own: two starters in one JVM do not share preferences or jobs.
            b = JdbiStore.builder(IN_MEMORY_URL.replace("elb-warmkeeper", "elb-warmkeeper-" + UUID.randomUUID()));
        } else {
            throw NoStoreSource.failure();
        }
        if (jdbc.getSchema() != null) {
            b.schema(jdbc.getSchema());
        }
        b.tablePrefix(jdbc.getTablePrefix()).migrate(jdbc.isMigrate()).clock(clock.clock());
        customizers.orderedStream().forEach(c -> c.customize(b));
        JdbiStore store = b.build();
        // Preferences seed once: what users change through the API survives restarts (elb.autowarm.reseed).
        boolean reseed = settings.properties().getAutowarm().isReseed();
        for (ManagedCluster c : settings.clusters()) {
            store.seedCluster(c.ref(), c.databases(), c.downloaded(), reseed);
        }
        return store;
    }

    /**
     * Fails the start, naming {@code elb.jdbc.url}, when the store would have nothing to run on (no URL,
     * no DataSource, no H2) and the application gives no store of its own: the store is built lazily, so
     * without this check the error would surface only at the first tick or request.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnMissingBean(JdbiStore.class)
    @Conditional(NoStoreSource.Condition.class)
    static class NoStoreSource {
        static ElbConfigurationException failure() {
            return new ElbConfigurationException(
                    "elb.jdbc.url",
                    "'elb.jdbc.url' must be set (a jdbc:postgresql: URL), or the application"
                            + " must have one DataSource, for the ELB Warmkeeper store; for an in-memory store (lost on"
                            + " restart) add com.h2database:h2 instead, or switch the store off with elb.store.enabled=false");
        }

        @Bean
        Object elbStoreSourceCheck() {
            throw failure();
        }

        /** Matches when the store has nothing to run on; read once the bean definitions are registered. */
        static class Condition extends SpringBootCondition implements ConfigurationCondition {
            @Override
            public ConfigurationPhase getConfigurationPhase() {
                return ConfigurationPhase.REGISTER_BEAN;
            }

            @Override
            public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
                boolean url = context.getEnvironment().containsProperty("elb.jdbc.url");
                boolean dataSource = context.getBeanFactory() != null
                        && context.getBeanFactory().getBeanNamesForType(DataSource.class, true, false).length > 0;
                boolean h2 = ClassUtils.isPresent(H2_DRIVER, context.getClassLoader());
                return url || dataSource || h2
                        ? ConditionOutcome.noMatch("the store has a source (elb.jdbc.url, a DataSource or H2)")
                        : ConditionOutcome.match("the store has no source: no elb.jdbc.url, no DataSource, no H2");
            }
        }
    }

    @Bean
    @Lazy
    @ConditionalOnMissingBean
    public JobStateRepository elbJobStateRepository(JdbiStore store) {
        return store.jobStateRepository();
    }

    @Bean
    @Lazy
    @ConditionalOnMissingBean
    public AutoWarmPreferences elbAutoWarmPreferences(JdbiStore store) {
        return store.autoWarmPreferences();
    }

    @Bean
    @Lazy
    @ConditionalOnMissingBean
    public DatabaseInventory elbDatabaseInventory(JdbiStore store) {
        return store.databaseInventory();
    }

    /**
     * The attempt history (backoff, early lock release, stuck loading) in the store, shared by replicas,
     * when the preferences are the store's; an application that gives its own preferences gets a bounded
     * one in this JVM ({@link WarmAttemptHistory#inProcess()}: right for one replica) unless it also gives
     * a {@link WarmAttemptHistory} bean.
     */
    @Bean
    @Lazy
    @ConditionalOnMissingBean
    public WarmAttemptHistory elbWarmAttemptHistory(AutoWarmPreferences preferences, ObjectProvider<JdbiStore> store) {
        return preferences instanceof JdbiAutoWarmPreferences
                ? store.getObject().warmAttemptHistory()
                : WarmAttemptHistory.inProcess();
    }
}
