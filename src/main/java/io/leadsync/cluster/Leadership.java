package io.leadsync.cluster;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.leadsync.config.LeadsyncConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import org.apache.camel.cluster.CamelClusterEventListener;
import org.apache.camel.cluster.CamelClusterMember;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.cluster.CamelClusterView;
import org.jboss.logging.Logger;

/**
 * Whether this replica is the one that does the work that must run once per cluster: the stage-catalog polls
 * ({@code master:leadsync:…} routes), the scheduled CRM exports and housekeeping. One namespace,
 * {@value #NAMESPACE}, for all of it: one lock (and one database connection) per replica, and all of that work
 * on the same replica. Exposed as the gauge {@code leadsync_cluster_leader} (1 or 0).
 * <p>
 * A run-once job or a route validation takes no part: it would hold the lock (and starve the service's
 * replicas of a leader) for as long as it runs.
 */
@ApplicationScoped
public class Leadership {

    /** The namespace of the route files' {@code master:} endpoints too. */
    public static final String NAMESPACE = "leadsync";

    private static final Logger LOG = Logger.getLogger(Leadership.class);

    @Inject
    CamelClusterService service;

    @Inject
    LeadsyncConfig config;

    @Inject
    MeterRegistry registry;

    private volatile CamelClusterView view;
    private boolean leading;

    void onStart(@Observes StartupEvent started) throws Exception {
        Gauge.builder("leadsync.cluster.leader", this, l -> l.isLeader() ? 1 : 0)
                .description("1 on the replica that runs the once-per-cluster work (stage polls, ETL exports), else 0")
                .register(registry);
        if (config.runOnce().isPresent() || config.validateRoutes().isPresent()) {
            return;
        }
        // Held for the service's life: the view (and its lock) stays even while no master: route is running.
        view = service.getView(NAMESPACE);
        view.addEventListener((CamelClusterEventListener.Leadership) (v, leader) -> changed());
    }

    void onStop(@Observes ShutdownEvent stopping) throws Exception {
        CamelClusterView held = view;
        if (held != null) {
            service.releaseView(held);
        }
    }

    /** True while this replica leads; false in a run-once job or a route validation. */
    public boolean isLeader() {
        CamelClusterView held = view;
        return held != null && held.getLocalMember().isLeader();
    }

    /** The leading replica's id, as the cluster service names its members, when one leads. */
    public Optional<String> leader() {
        CamelClusterView held = view;
        return held == null ? Optional.empty() : held.getLeader().map(CamelClusterMember::getId);
    }

    /** This replica's id, as the cluster service names it. */
    public String id() {
        return service.getId();
    }

    /** Called on every leadership event; logs each real change once. */
    private synchronized void changed() {
        boolean now = isLeader();
        if (now != leading) {
            leading = now;
            if (now) {
                LOG.infof("This replica is now the leader (%s, namespace %s): it runs the stage polls and the scheduled exports",
                        service.getId(), NAMESPACE);
            } else {
                LOG.infof("This replica is no longer the leader (%s, namespace %s): another replica can take over the "
                        + "stage polls and scheduled exports", service.getId(), NAMESPACE);
            }
        }
    }
}
