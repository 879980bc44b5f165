package org.elb.warmkeeper.runner;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.cluster.OwnerId;
import org.elb.warmkeeper.core.provision.JobState;
import org.elb.warmkeeper.core.provision.JobStatus;
import org.elb.warmkeeper.core.provision.ProvisionAccepted;
import org.elb.warmkeeper.core.provision.ProvisionRequest;
import org.elb.warmkeeper.core.provision.ProvisioningService;
import org.elb.warmkeeper.runner.RunConfig.ConfigException;
import org.elb.warmkeeper.runner.http.JsonViews;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code provision}: records the job row, starts the AKS create, waits until ARM accepted or refused it
 * (or {@code --wait} passed) and prints the job as JSON. Polling to the end is the {@code run} process's
 * work: its {@code resumeUnfinished} picks the row up from its checkpoint.
 */
@Command(
        name = "provision",
        mixinStandardHelpOptions = true,
        description = "Starts an AKS cluster create, records it as a job row and prints the job as JSON.")
final class ProvisionCommand extends ConfiguredCommand implements Callable<Integer> {

    @Option(names = "--cluster", required = true, description = "AKS cluster name.")
    String cluster;

    @Option(names = "--subscription", description = "Subscription id (default: the configured cluster's).")
    @Nullable String subscription;

    @Option(names = "--resource-group", description = "Resource group (default: the configured cluster's).")
    @Nullable String resourceGroup;

    @Option(names = "--region", required = true, description = "Azure region, e.g. koreacentral.")
    String region;

    @Option(
            names = "--vm-size",
            defaultValue = "Standard_E32s_v5",
            description = "VM size (default: ${DEFAULT-VALUE}).")
    String vmSize;

    @Option(names = "--node-count", defaultValue = "3", description = "Nodes (default: ${DEFAULT-VALUE}).")
    int nodeCount;

    @Option(names = "--kubernetes-version", description = "Kubernetes version (default: AKS's default).")
    @Nullable String kubernetesVersion;

    @Option(names = "--owner", description = "The caller's identity (default: elb.owner / ELB_OWNER).")
    @Nullable String owner;

    @Option(
            names = "--wait",
            defaultValue = "PT30S",
            description =
                    "Longest wait for ARM to accept or refuse the create (default: ${DEFAULT-VALUE}); PT0S returns at once.")
    Duration await;

    @Override
    public Integer call() throws InterruptedException {
        RunSettings settings = settings();
        OwnerId ownerId = owner(owner, settings);
        Optional<RunSettings.Cluster> known =
                settings.clusters.stream().filter(c -> c.name().equals(cluster)).findFirst();
        String sub = subscription != null
                ? subscription
                : known.map(c -> c.ref().subscriptionId())
                        .orElseThrow(() -> new ConfigException(
                                "'--subscription' is required: '" + cluster + "' is not in 'elb.clusters'"));
        String rg = resourceGroup != null
                ? resourceGroup
                : known.map(c -> c.ref().resourceGroup())
                        .orElseThrow(() -> new ConfigException(
                                "'--resource-group' is required: '" + cluster + "' is not in 'elb.clusters'"));
        ProvisionRequest request;
        try {
            request =
                    new ProvisionRequest(ClusterRef.of(sub, rg, cluster), region, vmSize, nodeCount, kubernetesVersion);
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("invalid request: " + e.getMessage());
            return 2;
        }
        try (Wiring w = wiring()) {
            ProvisioningService service = w.provisioning();
            ProvisionAccepted accepted = service.provision(ownerId, request);
            Optional<JobState> job = waitPastQueued(service, ownerId, accepted);
            ObjectNode result = JsonViews.accepted(accepted);
            result.set("job", job.map(JsonViews::job).orElse(null));
            printJson(result);
            return job.map(j -> j.status() == JobStatus.FAILED ? 1 : 0).orElse(0);
        }
    }

    private Optional<JobState> waitPastQueued(ProvisioningService service, OwnerId ownerId, ProvisionAccepted accepted)
            throws InterruptedException {
        long deadline = System.nanoTime() + await.toNanos();
        Optional<JobState> job = service.job(ownerId, accepted.taskId());
        while (System.nanoTime() < deadline
                && (job.isEmpty() || job.get().status() == JobStatus.QUEUED || checkpointMissing(job.get()))) {
            Thread.sleep(50);
            job = service.job(ownerId, accepted.taskId());
        }
        return job;
    }

    /**
     * Running but the operation URL not yet stored (a restarted runner could not resume it yet), or the
     * first cluster state, reported right after it, not yet stored.
     */
    private static boolean checkpointMissing(JobState job) {
        return job.status() == JobStatus.RUNNING
                && (job.payloadValue("aks_polling_url").isEmpty() || job.clusterState() == null);
    }
}
