package org.elb.warmkeeper.core.provision;

/**
 * A rule of the {@link ProvisionPolicy}. Its {@link #wireName()} is the suffix of its configuration key
 * ({@code elb.provision.<wireName>}), the {@code rule} field of a refusal's body and the {@code rule} tag
 * of the refusal counter: a fixed, small set.
 */
public enum ProvisionRule {
    /** The subscription/resource-group pair is not among the allowed scopes. */
    ALLOWED_SCOPES("allowed-scopes", Kind.RULE),
    /** The region is not among the allowed regions. */
    ALLOWED_REGIONS("allowed-regions", Kind.RULE),
    /** The VM size is not among the allowed sizes. */
    ALLOWED_VM_SIZES("allowed-vm-sizes", Kind.RULE),
    /** More nodes than the policy's maximum. */
    MAX_NODES("max-nodes", Kind.RULE),
    /** The owner already has the maximum number of provisions under way. */
    MAX_ACTIVE_PER_OWNER("max-active-per-owner", Kind.QUOTA),
    /** The owner sent more requests this minute than the policy's rate. */
    OWNER_RATE("owner-rate", Kind.QUOTA),
    /** The queue of accepted creates that ARM has not taken yet is full. */
    MAX_QUEUED("max-queued", Kind.CAPACITY);

    /** How a refusal reads to a caller: a rule (403), a quota or rate (429), or a full queue (503). */
    public enum Kind {
        /** The request can never pass as it is (HTTP 403). */
        RULE,
        /** The owner must wait for a provision to end or for the rate window (HTTP 429). */
        QUOTA,
        /** This process is busy; any caller may retry later (HTTP 503). */
        CAPACITY;

        /** Lower-case name for JSON bodies and meter tags. */
        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final String wireName;
    private final Kind kind;

    ProvisionRule(String wireName, Kind kind) {
        this.wireName = wireName;
        this.kind = kind;
    }

    public String wireName() {
        return wireName;
    }

    public Kind kind() {
        return kind;
    }
}
