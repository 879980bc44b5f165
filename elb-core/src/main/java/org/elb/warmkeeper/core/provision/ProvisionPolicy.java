package org.elb.warmkeeper.core.provision;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.elb.warmkeeper.core.cluster.Checks;
import org.jspecify.annotations.Nullable;

/**
 * What {@link ProvisioningService#provision} accepts, checked before any row is written or any request
 * is sent to Azure. Rules (a refusal is {@link ProvisionRule.Kind#RULE}, HTTP 403):
 *
 * <ul>
 *   <li>{@code allowed-scopes}: subscription/resource-group pairs a cluster may be created in (default
 *       any; the runner and the starter default to the pairs of their configured clusters);
 *   <li>{@code allowed-regions}, {@code allowed-vm-sizes}: default any (VM sizes compare without case);
 *   <li>{@code max-nodes}: default {@value #DEFAULT_MAX_NODES}.
 * </ul>
 *
 * Quotas ({@link ProvisionRule.Kind#QUOTA}, HTTP 429) and capacity ({@link ProvisionRule.Kind#CAPACITY},
 * HTTP 503), counted by this process:
 *
 * <ul>
 *   <li>{@code max-active-per-owner}: provisions of one owner under way at once (default
 *       {@value #DEFAULT_MAX_ACTIVE_PER_OWNER}); a slot is freed when the create ends (succeeded, failed,
 *       cancelled, timed out);
 *   <li>{@code owner-rate}: requests of one owner accepted per minute (default
 *       {@value #DEFAULT_OWNER_RATE_PER_MINUTE}); the minute starts at the owner's first request;
 *   <li>{@code max-queued}: accepted creates that ARM has not taken yet (default
 *       {@value #DEFAULT_MAX_QUEUED}).
 * </ul>
 */
public final class ProvisionPolicy {

    /** Default largest node count of one create. */
    public static final int DEFAULT_MAX_NODES = 100;
    /** Default number of one owner's provisions under way at once. */
    public static final int DEFAULT_MAX_ACTIVE_PER_OWNER = 10;
    /** Default number of one owner's requests accepted per minute. */
    public static final int DEFAULT_OWNER_RATE_PER_MINUTE = 60;
    /** Default number of accepted creates that ARM has not taken yet. */
    public static final int DEFAULT_MAX_QUEUED = 100;
    /** Default number of owners whose rate window is remembered (the least recently used is dropped). */
    public static final int DEFAULT_MAX_TRACKED_OWNERS = 10_000;
    /** The most nodes a request may ask for at all ({@link ProvisionRequest}). */
    public static final int NODE_COUNT_CEILING = 1000;

    private static final ProvisionPolicy DEFAULTS = builder().build();

    private final @Nullable Set<ProvisionScope> allowedScopes;
    private final Set<String> allowedRegions;
    private final Set<String> allowedVmSizes;
    private final int maxNodes;
    private final int maxActivePerOwner;
    private final int ownerRatePerMinute;
    private final int maxQueued;
    private final int maxTrackedOwners;

    private ProvisionPolicy(Builder b) {
        this.allowedScopes = b.allowedScopes == null ? null : Set.copyOf(b.allowedScopes);
        this.allowedRegions = Set.copyOf(b.allowedRegions);
        this.allowedVmSizes = Set.copyOf(b.allowedVmSizes);
        this.maxNodes = b.maxNodes;
        this.maxActivePerOwner = b.maxActivePerOwner;
        this.ownerRatePerMinute = b.ownerRatePerMinute;
        this.maxQueued = b.maxQueued;
        this.maxTrackedOwners = b.maxTrackedOwners;
    }

    /** Any scope, region and size; the default limits. */
    public static ProvisionPolicy ofDefaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The first rule {@code request} breaks (scope, region, VM size, node count, in this order), or empty
     * when it passes them all. Quotas are not checked here ({@link ProvisioningService} counts them).
     */
    public Optional<ProvisionRefusedException> check(ProvisionRequest request) {
        Checks.required(request, "request");
        ProvisionScope scope = ProvisionScope.of(request.cluster());
        if (allowedScopes != null && !allowedScopes.contains(scope)) {
            return Optional.of(new ProvisionRefusedException(
                    ProvisionRule.ALLOWED_SCOPES,
                    allowedScopes.size() + " allowed subscription/resource-group pair(s)",
                    "provisioning into " + scope + " is not allowed: the subscription/resource-group pair is not "
                            + "among the allowed scopes"));
        }
        if (!allowedRegions.isEmpty() && !allowedRegions.contains(request.region())) {
            return Optional.of(new ProvisionRefusedException(
                    ProvisionRule.ALLOWED_REGIONS,
                    sorted(allowedRegions),
                    "region '" + request.region() + "' is not allowed"));
        }
        if (!allowedVmSizes.isEmpty()
                && !allowedVmSizes.contains(request.vmSize().toLowerCase(Locale.ROOT))) {
            return Optional.of(new ProvisionRefusedException(
                    ProvisionRule.ALLOWED_VM_SIZES,
                    sorted(allowedVmSizes),
                    "VM size '" + request.vmSize() + "' is not allowed"));
        }
        if (request.nodeCount() > maxNodes) {
            return Optional.of(new ProvisionRefusedException(
                    ProvisionRule.MAX_NODES,
                    Integer.toString(maxNodes),
                    request.nodeCount() + " nodes is more than the " + maxNodes + " allowed"));
        }
        return Optional.empty();
    }

    private static String sorted(Set<String> values) {
        return values.stream().sorted().collect(Collectors.joining(", "));
    }

    /** The allowed scopes; empty when any scope is allowed. */
    public Optional<Set<ProvisionScope>> allowedScopes() {
        return Optional.ofNullable(allowedScopes);
    }

    /** The allowed regions; empty means any. */
    public Set<String> allowedRegions() {
        return allowedRegions;
    }

    /** The allowed VM sizes, lower case; empty means any. */
    public Set<String> allowedVmSizes() {
        return allowedVmSizes;
    }

    public int maxNodes() {
        return maxNodes;
    }

    public int maxActivePerOwner() {
        return maxActivePerOwner;
    }

    public int ownerRatePerMinute() {
        return ownerRatePerMinute;
    }

    public int maxQueued() {
        return maxQueued;
    }

    public int maxTrackedOwners() {
        return maxTrackedOwners;
    }

    @Override
    public String toString() {
        return "ProvisionPolicy[scopes=" + (allowedScopes == null ? "any" : allowedScopes.size())
                + ", regions=" + (allowedRegions.isEmpty() ? "any" : sorted(allowedRegions))
                + ", vmSizes=" + (allowedVmSizes.isEmpty() ? "any" : sorted(allowedVmSizes))
                + ", maxNodes=" + maxNodes + ", maxActivePerOwner=" + maxActivePerOwner
                + ", ownerRatePerMinute=" + ownerRatePerMinute + ", maxQueued=" + maxQueued + "]";
    }

    /** Builder of {@link ProvisionPolicy}; every setter validates at once. */
    public static final class Builder {
        private @Nullable Set<ProvisionScope> allowedScopes;
        private Set<String> allowedRegions = Set.of();
        private Set<String> allowedVmSizes = Set.of();
        private int maxNodes = DEFAULT_MAX_NODES;
        private int maxActivePerOwner = DEFAULT_MAX_ACTIVE_PER_OWNER;
        private int ownerRatePerMinute = DEFAULT_OWNER_RATE_PER_MINUTE;
        private int maxQueued = DEFAULT_MAX_QUEUED;
        private int maxTrackedOwners = DEFAULT_MAX_TRACKED_OWNERS;

        private Builder() {}

        /** Only these subscription/resource-group pairs (an empty collection allows none). Default any. */
        public Builder allowedScopes(Collection<ProvisionScope> scopes) {
            Checks.required(scopes, "allowedScopes");
            Set<ProvisionScope> s = new LinkedHashSet<>();
            for (ProvisionScope scope : scopes) {
                s.add(Checks.required(scope, "allowedScopes[]"));
            }
            this.allowedScopes = s;
            return this;
        }

        /** Any subscription/resource-group pair (the default). */
        public Builder anyScope() {
            this.allowedScopes = null;
            return this;
        }

        /** Only these regions (Azure location names); empty means any (the default). */
        public Builder allowedRegions(Collection<String> regions) {
            Checks.required(regions, "allowedRegions");
            Set<String> s = new LinkedHashSet<>();
            for (String r : regions) {
                s.add(Checks.matches(
                        r,
                        "allowedRegions[]",
                        ProvisionRequest.REGION,
                        "an Azure location name: 1-40 lower-case letters and digits"));
            }
            this.allowedRegions = s;
            return this;
        }

        /** Only these VM sizes (compared without case); empty means any (the default). */
        public Builder allowedVmSizes(Collection<String> vmSizes) {
            Checks.required(vmSizes, "allowedVmSizes");
            Set<String> s = new LinkedHashSet<>();
            for (String v : vmSizes) {
                s.add(Checks.matches(v, "allowedVmSizes[]", ProvisionRequest.VM_SIZE, "1-64 letters, digits and '_'")
                        .toLowerCase(Locale.ROOT));
            }
            this.allowedVmSizes = s;
            return this;
        }

        /** Largest node count of one create, 1-{@value #NODE_COUNT_CEILING}; default {@value #DEFAULT_MAX_NODES}. */
        public Builder maxNodes(int maxNodes) {
            if (maxNodes < 1 || maxNodes > NODE_COUNT_CEILING) {
                throw new IllegalArgumentException(
                        "'maxNodes' must be between 1 and " + NODE_COUNT_CEILING + ", but was " + maxNodes);
            }
            this.maxNodes = maxNodes;
            return this;
        }

        /** One owner's provisions under way at once; default {@value #DEFAULT_MAX_ACTIVE_PER_OWNER}. */
        public Builder maxActivePerOwner(int maxActivePerOwner) {
            this.maxActivePerOwner = Checks.positive(maxActivePerOwner, "maxActivePerOwner");
            return this;
        }

        /** One owner's requests accepted per minute; default {@value #DEFAULT_OWNER_RATE_PER_MINUTE}. */
        public Builder ownerRatePerMinute(int ownerRatePerMinute) {
            this.ownerRatePerMinute = Checks.positive(ownerRatePerMinute, "ownerRatePerMinute");
            return this;
        }

        /** Accepted creates ARM has not taken yet, in this process; default {@value #DEFAULT_MAX_QUEUED}. */
        public Builder maxQueued(int maxQueued) {
            this.maxQueued = Checks.positive(maxQueued, "maxQueued");
            return this;
        }

        /**
         * Owners whose rate window is remembered; the least recently used beyond it is forgotten (its next
         * request starts a new window). Default {@value #DEFAULT_MAX_TRACKED_OWNERS}.
         */
        public Builder maxTrackedOwners(int maxTrackedOwners) {
            this.maxTrackedOwners = Checks.positive(maxTrackedOwners, "maxTrackedOwners");
            return this;
        }

        public ProvisionPolicy build() {
            return new ProvisionPolicy(this);
        }
    }
}
