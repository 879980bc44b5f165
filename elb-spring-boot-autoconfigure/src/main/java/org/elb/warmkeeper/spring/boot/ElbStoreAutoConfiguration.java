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
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Lazy;

/**
 * The store (elb-adapters-jdbi): job state, auto-warm preferences, the inventory and the attempt history,
 * in tables of their own ({@code elb.jdbc.*}).
 */
@AutoConfiguration(
        before = ElbAutoConfiguration.class,
        afterName = {
            "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration",
            "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration"
        })
@ConditionalOnElbEnabled
@ConditionalOnClass(JdbiStore.class)
public class ElbStoreAutoConfiguration {

    private static final Logger log = LoggerFactory.getLogger(ElbStoreAutoConfiguration.class);

    /**
     * The store: on the application's DataSource when there is one, else on {@code elb.jdbc.url}, else an
     * in-memory H2 of this context's own (a warning: nothing survives a restart); tuned by
     * {@link ElbStoreCustomizer} beans. The configured clusters' preferences are seeded into it once
     * ({@link JdbiStore#seedCluster}; {@code elb.autowarm.reseed=true} writes them again).
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
        DataSource app = dataSource.getIfUnique();
        JdbiStore.Builder b;
        if (app != null) {
            b = JdbiStore.builder(app);
        } else if (jdbc.getUrl() != null) {
            b = JdbiStore.builder(jdbc.getUrl());
            if (jdbc.getUser() != null) {
                b.credentials(jdbc.getUser(), jdbc.getPassword());
            }
        } else {
            log.warn("ELB Warmkeeper: no DataSource and no 'elb.jdbc.url': job state and preferences live in an"
                    + " in-memory H2 database and are lost on restart");
            // A database of this context's own: two starters in one JVM do not share preferences or jobs.
            b = JdbiStore.builder("jdbc:h2:mem:elb-warmkeeper-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
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
     * when the preferences are the store's; an application that gives its own preferences gets none
     * (no backoff, as before) unless it also gives a {@link WarmAttemptHistory} bean.
     */
    @Bean
    @Lazy
    @ConditionalOnMissingBean
    public WarmAttemptHistory elbWarmAttemptHistory(AutoWarmPreferences preferences, ObjectProvider<JdbiStore> store) {
        return preferences instanceof JdbiAutoWarmPreferences
                ? store.getObject().warmAttemptHistory()
                : WarmAttemptHistory.NONE;
    }
}
