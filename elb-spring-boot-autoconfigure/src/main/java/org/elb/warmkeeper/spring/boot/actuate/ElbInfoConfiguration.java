package org.elb.warmkeeper.spring.boot.actuate;

import java.util.LinkedHashMap;
import java.util.Map;
import org.elb.warmkeeper.spring.boot.ConditionalOnElbEnabled;
import org.elb.warmkeeper.spring.boot.ElbAutoConfiguration;
import org.elb.warmkeeper.spring.boot.ElbSettings;
import org.elb.warmkeeper.spring.boot.ElbVersion;
import org.springframework.boot.actuate.info.InfoContributor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * {@code elb} in {@code /actuator/info}: the library's version, the managed clusters and where warm
 * status comes from. {@code org.springframework.boot.actuate.info} is the same package on Boot 3.5 and
 * 4.0 (unlike health, it did not move), so one configuration serves both.
 */
@AutoConfiguration(after = ElbAutoConfiguration.class)
@ConditionalOnElbEnabled
@ConditionalOnClass(name = "org.springframework.boot.actuate.info.InfoContributor")
public class ElbInfoConfiguration {

    @Bean(name = "elbInfoContributor")
    @ConditionalOnBean(ElbSettings.class)
    @ConditionalOnMissingBean(name = "elbInfoContributor")
    public InfoContributor elbInfoContributor(ElbSettings settings) {
        return builder -> {
            Map<String, Object> elb = new LinkedHashMap<>();
            elb.put("version", ElbVersion.version());
            elb.put(
                    "clusters",
                    settings.clusters().stream()
                            .map(ElbSettings.ManagedCluster::name)
                            .toList());
            elb.put("statusSource", settings.informers() ? "informer" : "list");
            builder.withDetail("elb", elb);
        };
    }
}
