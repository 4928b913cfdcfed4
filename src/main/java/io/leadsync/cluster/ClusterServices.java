package io.leadsync.cluster;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.agroal.api.AgroalDataSource;
import io.leadsync.config.LeadsyncConfig;
import io.quarkus.arc.InjectableInstance;
import io.quarkus.arc.Unremovable;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.cluster.CamelClusterView;
import org.apache.camel.component.file.cluster.FileLockClusterService;
import org.apache.camel.support.cluster.AbstractCamelClusterService;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

/**
 * The cluster service behind {@code master:} routes and {@link Leadership}: PostgreSQL advisory locks when the
 * default datasource is configured (several replicas share that database), else a file lock under
 * {@code <data-dir>/cluster} (one replica, or several processes on one data dir). Camel finds it in its registry
 * at start-up and adds it to the CamelContext as a service, so it starts and stops with the context; the master
 * component looks it up there.
 */
@ApplicationScoped
public class ClusterServices {

    private static final Logger LOG = Logger.getLogger(ClusterServices.class);

    static final String JDBC_PROPERTIES = "quarkus.datasource.jdbc.additional-jdbc-properties.";

    @Inject
    LeadsyncConfig config;

    @Inject
    InjectableInstance<AgroalDataSource> dataSource;

    @Inject
    Config mpConfig;

    @Produces
    @Singleton
    @Unremovable
    CamelClusterService clusterService() {
        Duration takeover = config.cluster().takeover();
        checkTakeover(takeover);
        String id = memberId();
        if (dataSource.getHandle().getBean().isActive()) {
            String url = mpConfig.getValue("quarkus.datasource.jdbc.url", String.class);
            PostgresClusterService postgres = new PostgresClusterService(url, connectionProperties(), takeover);
            postgres.setId(id);
            LOG.infof("Leader election on PostgreSQL (%s), takeover within %s", PostgresClusterService.safeUrl(url),
                    takeover);
            return postgres;
        }
        Path root = config.dataDir().resolve("cluster");
        FileLockClusterService local = fileLock(root, takeover);
        local.setId(id);
        LOG.infof("Leader election on a file lock in %s (no PostgreSQL configured)", root);
        return local;
    }

    /** The datasource's user, password and extra driver properties, for the election's own connection. */
    private Properties connectionProperties() {
        Properties properties = new Properties();
        mpConfig.getOptionalValue("quarkus.datasource.username", String.class).ifPresent(u -> properties.setProperty("user", u));
        mpConfig.getOptionalValue("quarkus.datasource.password", String.class)
                .ifPresent(p -> properties.setProperty("password", p));
        for (String name : mpConfig.getPropertyNames()) {
            if (name.startsWith(JDBC_PROPERTIES)) {
                mpConfig.getOptionalValue(name, String.class)
                        .ifPresent(v -> properties.setProperty(name.substring(JDBC_PROPERTIES.length()), v));
            }
        }
        return properties;
    }

    /** Who this replica is, in logs and in pg_stat_activity's application_name: the pod name where there is one. */
    static String memberId() {
        return Optional.ofNullable(System.getenv("HOSTNAME")).filter(h -> !h.isBlank())
                .orElse("pid-" + ProcessHandle.current().pid());
    }

    /**
     * Camel's file-lock cluster service on {@code root}, timed so that a follower takes over within
     * {@code takeover} when the leader dies: the leader writes a heartbeat every sixth of it, a heartbeat half
     * of it old is stale, and a try (every sixth, on the same clock ticks as the heartbeat) wins one tick after
     * that: two thirds at worst, leaving room for a busy machine. A leader that stops cleanly clears its
     * heartbeat, and the next try wins. The heartbeat is what the file lock adds to an OS lock, which a network
     * file system may not keep.
     */
    public static FileLockClusterService fileLock(Path root, Duration takeover) {
        checkTakeover(takeover);
        long interval = takeover.toMillis() / 6;
        FileLockClusterService service = new FileLockClusterService();
        service.setRoot(root.toString());
        service.setAcquireLockInterval(interval, TimeUnit.MILLISECONDS);
        service.setAcquireLockDelay(Math.min(1000, interval), TimeUnit.MILLISECONDS);
        service.setHeartbeatTimeoutMultiplier(3);
        return service;
    }

    static void checkTakeover(Duration takeover) {
        if (takeover == null || takeover.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("leadsync.cluster.takeover must be at least 1s, not " + takeover
                    + ": the leader checks its hold several times within it");
        }
    }

    /**
     * For a CamelContext that creates routes but starts none (the route-file check): {@code master:} endpoints
     * need a cluster service to be created, and this one refuses to elect anything.
     */
    public static CamelClusterService routesNeverStarted() {
        return new AbstractCamelClusterService<CamelClusterView>("no-election") {
            @Override
            protected CamelClusterView createView(String namespace) {
                throw new IllegalStateException("this CamelContext starts no route, so it takes no part in leader election");
            }
        };
    }
}
