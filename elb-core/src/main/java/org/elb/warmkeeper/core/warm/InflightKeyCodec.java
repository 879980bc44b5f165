package org.elb.warmkeeper.core.warm;

import java.util.Optional;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.cluster.DatabaseName;

/**
 * The lock key format shared with the existing dashboard:
 * {@code autowarmup:inflight:<subscription>:<resourceGroup>:<cluster>:<db>}.
 *
 * <p>Injective: no component may contain {@code :} (the value types forbid it), so a key splits back
 * into exactly the parts it was made of.
 */
public final class InflightKeyCodec {

    public static final String PREFIX = "autowarmup:inflight:";

    private InflightKeyCodec() {}

    public static String encode(InflightKey key) {
        ClusterRef c = key.cluster();
        return PREFIX
                + c.subscriptionId()
                + ':'
                + c.resourceGroup()
                + ':'
                + c.clusterName()
                + ':'
                + key.database().value();
    }

    /** The key a string encodes, or empty when it is not a well-formed in-flight key. */
    public static Optional<InflightKey> decode(String encoded) {
        if (!encoded.startsWith(PREFIX)) {
            return Optional.empty();
        }
        String[] parts = encoded.substring(PREFIX.length()).split(":", -1);
        if (parts.length != 4) {
            return Optional.empty();
        }
        try {
            return Optional.of(
                    new InflightKey(new ClusterRef(parts[0], parts[1], parts[2]), new DatabaseName(parts[3])));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
