package org.elb.warmkeeper.k8s.internal;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.elb.warmkeeper.core.warm.WarmStatus;
import org.elb.warmkeeper.k8s.Fabric8NodeReadinessProbe;
import org.elb.warmkeeper.k8s.WarmupStatusMapping;

/**
 * The informer event handlers of the watching probes: they turn the few events that may call for a
 * warmup into one call of {@code notify}, and ignore the rest (additions, a pod going from Pending to
 * Ready, a relist that changes nothing). The handler runs on the informer's event thread; {@code notify}
 * must be quick.
 */
public final class InformerChanges {

    private InformerChanges() {}

    /**
     * Warmup pods: {@code notify} when a pod of a database that was READY or LOADING is no longer (failed,
     * evicted, being deleted) or is deleted.
     */
    public static void onPodLeavingWarm(SharedIndexInformer<Pod> informer, Runnable notify) {
        informer.addEventHandler(leaving(InformerChanges::holdsWarm, notify));
    }

    /** Warmup jobs: {@code notify} when an active or complete job of a database fails or is deleted. */
    public static void onJobLeavingWarm(SharedIndexInformer<Job> informer, Runnable notify) {
        informer.addEventHandler(leaving(InformerChanges::holdsWarm, notify));
    }

    /**
     * Nodes: {@code notify} when a node that could not take pods becomes Ready and schedulable. A node
     * added Ready is left to the tick: the initial list adds every node, and a new node registers NotReady.
     */
    public static void onNodeBecomingReady(SharedIndexInformer<Node> informer, Runnable notify) {
        informer.addEventHandler(new ResourceEventHandler<Node>() {
            @Override
            public void onAdd(Node node) {}

            @Override
            public void onUpdate(Node before, Node after) {
                if (!usable(before) && usable(after)) {
                    notify.run();
                }
            }

            @Override
            public void onDelete(Node node, boolean finalStateUnknown) {}
        });
    }

    private static <T> ResourceEventHandler<T> leaving(Predicate<T> holdsWarm, Runnable notify) {
        return new ResourceEventHandler<T>() {
            @Override
            public void onAdd(T object) {}

            @Override
            public void onUpdate(T before, T after) {
                if (holdsWarm.test(before) && !holdsWarm.test(after)) {
                    notify.run();
                }
            }

            @Override
            public void onDelete(T object, boolean finalStateUnknown) {
                if (finalStateUnknown || holdsWarm.test(object)) {
                    notify.run();
                }
            }
        };
    }

    static boolean holdsWarm(Pod pod) {
        if (WarmupStatusMapping.databaseOf(pod).isEmpty()) {
            return false;
        }
        Optional<WarmStatus> verdict = WarmupStatusMapping.ofPod(pod);
        return verdict.isPresent() && (verdict.get() == WarmStatus.READY || verdict.get() == WarmStatus.LOADING);
    }

    static boolean holdsWarm(Job job) {
        if (WarmupStatusMapping.databaseOf(job).isEmpty()) {
            return false;
        }
        return WarmupStatusMapping.isActive(job)
                || WarmupStatusMapping.ofJob(job)
                        .filter(s -> s == WarmStatus.READY)
                        .isPresent();
    }

    static boolean usable(Node node) {
        return Fabric8NodeReadinessProbe.judge(List.of(node)).isReady();
    }
}
