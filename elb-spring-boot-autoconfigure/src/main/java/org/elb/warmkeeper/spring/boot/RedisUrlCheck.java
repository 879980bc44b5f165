package org.elb.warmkeeper.spring.boot;

import org.elb.warmkeeper.redis.RedissonClients;
import org.springframework.util.ClassUtils;

/**
 * Parses {@code elb.redis.url} the way the Redis adapter will; the only class of the settings that names
 * the adapter, loaded only when it is on the class path.
 */
final class RedisUrlCheck {

    private static final String ADAPTER = "org.elb.warmkeeper.redis.RedissonClients";

    private RedisUrlCheck() {}

    /**
     * @throws IllegalArgumentException when the URL does not parse
     * @throws IllegalStateException when the Redis adapter (elb-adapters-redis) is not on the class path
     */
    static void parse(String url) {
        if (!ClassUtils.isPresent(ADAPTER, RedisUrlCheck.class.getClassLoader())) {
            throw new IllegalStateException("'elb.redis.url' is set but the Redis adapter (elb-adapters-redis) is"
                    + " not on the class path: add it (elb-spring-boot-starter-autowarm brings it), or remove the key");
        }
        Parser.parse(url);
    }

    /** Loaded only after the check above. */
    private static final class Parser {
        static void parse(String url) {
            RedissonClients.builder(url);
        }
    }
}
