package io.leadsync.cluster;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Properties;

import org.apache.camel.support.cluster.AbstractCamelClusterService;

/**
 * A Camel cluster service on PostgreSQL: in each namespace the replica that holds a session-level advisory
 * lock ({@code pg_try_advisory_lock}) is the leader. Each view keeps its own connection, opened with the
 * driver, not borrowed from the pool: the lock lives as long as that session, and a replica that dies
 * (kill -9, OOM) takes its socket with it, so PostgreSQL ends the session and frees the lock at once.
 * Followers try for the lock every {@code takeover/3}; the leader checks its hold just as often and steps
 * down the moment its session is gone (see {@link PostgresClusterView}).
 */
public class PostgresClusterService extends AbstractCamelClusterService<PostgresClusterView> {

    private final String jdbcUrl;
    private final Properties connectionProperties;
    private final Duration takeover;

    /**
     * @param jdbcUrl              a {@code jdbc:postgresql:} URL
     * @param connectionProperties user, password and any other driver property; never logged
     * @param takeover             how long the replicas may be without a leader when the leader dies
     */
    public PostgresClusterService(String jdbcUrl, Properties connectionProperties, Duration takeover) {
        if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("leader election needs a jdbc:postgresql: URL, not '" + safeUrl(jdbcUrl) + "'");
        }
        ClusterServices.checkTakeover(takeover);
        this.jdbcUrl = jdbcUrl;
        this.connectionProperties = new Properties();
        this.connectionProperties.putAll(connectionProperties);
        this.takeover = takeover;
    }

    @Override
    protected PostgresClusterView createView(String namespace) {
        return new PostgresClusterView(this, namespace);
    }

    public Duration takeover() {
        return takeover;
    }

    /** How often a follower tries for the lock and the leader checks its hold: a third of the takeover time. */
    Duration interval() {
        return takeover.dividedBy(3);
    }

    String jdbcUrl() {
        return jdbcUrl;
    }

    Properties connectionProperties() {
        Properties copy = new Properties();
        copy.putAll(connectionProperties);
        return copy;
    }

    /** The URL for messages: its query may hold credentials ({@code ?password=…}). */
    static String safeUrl(String url) {
        return url == null ? "" : url.replaceFirst("\\?.*", "");
    }

    /**
     * The advisory lock key of a namespace: the first 8 bytes of SHA-256("leadsync-cluster:" + namespace), so
     * the same namespace is the same lock on every replica and unlikely to meet another application's keys.
     */
    public static long lockKey(String namespace) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256")
                    .digest(("leadsync-cluster:" + namespace).getBytes(StandardCharsets.UTF_8));
            long key = 0;
            for (int i = 0; i < 8; i++) {
                key = (key << 8) | (hash[i] & 0xff);
            }
            return key;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
