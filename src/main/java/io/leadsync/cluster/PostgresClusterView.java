package io.leadsync.cluster;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.camel.cluster.CamelClusterMember;
import org.apache.camel.support.cluster.AbstractCamelClusterView;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;

/**
 * One namespace's leader election on PostgreSQL. A worker thread owns a dedicated connection and, every
 * {@code takeover/3} ("the interval"):
 * <ul>
 * <li>as a follower, tries {@code pg_try_advisory_lock(key)};</li>
 * <li>holding the lock, checks in {@code pg_locks} that its session still holds it, with a network timeout of
 * one interval; a failed check steps down at once (leadership-lost fires before the connection is closed).</li>
 * </ul>
 * Between checks the holder waits reading its socket, so a session PostgreSQL ended ({@code pg_terminate_backend},
 * a server restart) is noticed within {@value #SLICE_MS} ms, not at the next check.
 * <p>
 * A lock just won is confirmed by one more check, one interval later, before this replica calls itself leader:
 * that interval gives an old leader whose session was just ended time to notice and stop first. So a
 * takeover after the leader died takes at most two intervals (the next try, then the confirming check).
 * <p>
 * Network partition: a leader cut off from PostgreSQL without a reset (no FIN, no RST) fails its next check
 * within two intervals and steps down. Its session stays open on the server until the server notices; the
 * session's {@code idle_session_timeout} (PostgreSQL 14+), set to the takeover time, ends it then, three
 * intervals after the leader's last check, so the old leader has stepped down before the lock can be won
 * elsewhere. TCP keep-alive on the connection lets the client side notice a dead peer even without traffic.
 * What no lock can fence is a leader frozen (a stop-the-world pause, SIGSTOP) for longer than the takeover
 * time: it may act once more on waking, before it reads its dead socket.
 */
final class PostgresClusterView extends AbstractCamelClusterView {

    private static final Logger LOG = Logger.getLogger(PostgresClusterService.class);

    /** The longest single wait: a stop or a dead session is noticed within this. */
    static final long SLICE_MS = 200;

    private final PostgresClusterService service;
    private final long key;
    private final long intervalMs;
    private final Member local = new Member();
    private final Object transitions = new Object();

    private volatile boolean leader;
    private volatile boolean running;
    private volatile Thread worker;
    private volatile Connection connection;

    // The worker's own state.
    private boolean holding;
    private long quietUntil;
    private String outage;
    private boolean idleTimeoutMissing;

    PostgresClusterView(PostgresClusterService service, String namespace) {
        super(service, namespace);
        this.service = service;
        this.key = PostgresClusterService.lockKey(namespace);
        this.intervalMs = service.interval().toMillis();
    }

    @Override
    public Optional<CamelClusterMember> getLeader() {
        return leader ? Optional.of(local) : Optional.empty();
    }

    @Override
    public CamelClusterMember getLocalMember() {
        return local;
    }

    @Override
    public List<CamelClusterMember> getMembers() {
        return List.of(local);
    }

    @Override
    protected void doStart() {
        holding = false;
        outage = null;
        running = true;
        Thread thread = new Thread(this::elect, "leadsync-leader-election-" + getNamespace());
        thread.setDaemon(true);
        worker = thread;
        thread.start();
    }

    @Override
    protected void doStop() throws InterruptedException {
        running = false;
        Thread thread = worker;
        worker = null;
        if (thread == null) {
            return;
        }
        // The worker waits in slices; a query or a connect gives up after one interval (network timeouts).
        thread.join(SLICE_MS + 2 * intervalMs + 1000);
        if (thread.isAlive()) { // stuck on a network that does not answer: step down, then cut the socket
            demote();
            abort(connection);
            thread.join(1000);
        }
    }

    private void elect() {
        quietUntil = System.nanoTime();
        while (running) {
            if (System.nanoTime() - quietUntil < 0) { // just stepped down: the followers go first
                pause();
                continue;
            }
            try {
                if (connection == null) {
                    connection = connect();
                }
                if (!holding) {
                    holding = tryLock();
                    if (holding) {
                        LOG.debugf("Leader election (%s): advisory lock won; leading after the next check", getNamespace());
                    }
                } else {
                    checkHold();
                    promote();
                }
                if (outage != null) {
                    LOG.infof("Leader election (%s): PostgreSQL answers again", getNamespace());
                    outage = null;
                }
            } catch (SQLException | RuntimeException e) {
                lost(e);
            }
            pause();
        }
        // Step down first, then end the session: once it is closed another replica may win the lock.
        demote();
        Connection open = connection;
        connection = null;
        holding = false;
        if (open != null) {
            try {
                open.close();
            } catch (SQLException ignored) {
                abort(open);
            }
        }
    }

    private Connection connect() throws SQLException {
        Properties properties = service.connectionProperties();
        String seconds = String.valueOf(Math.max(1, TimeUnit.MILLISECONDS.toSeconds(intervalMs + 999)));
        properties.setProperty("tcpKeepAlive", "true");
        properties.setProperty("connectTimeout", seconds);
        properties.setProperty("socketTimeout", seconds); // logging in
        String id = service.getId() == null ? "" : " " + service.getId();
        properties.setProperty("ApplicationName", ("leadsync leader" + id).substring(0, Math.min(63, 15 + id.length())));
        Connection opened = new org.postgresql.Driver().connect(service.jdbcUrl(), properties);
        if (opened == null) {
            throw new SQLException("the PostgreSQL driver does not accept the URL");
        }
        // A check that gets no answer fails within one interval, to the millisecond (socketTimeout counts seconds).
        opened.setNetworkTimeout(Runnable::run, (int) intervalMs);
        try (Statement statement = opened.createStatement()) {
            statement.execute("set idle_session_timeout = " + service.takeover().toMillis());
        } catch (SQLException olderThan14) {
            if (!idleTimeoutMissing) {
                idleTimeoutMissing = true;
                LOG.infof("Leader election (%s): PostgreSQL has no idle_session_timeout (before 14): after a network "
                        + "partition the lock is freed only when the server drops the dead session (tcp_keepalives_*)",
                        getNamespace());
            }
        }
        return opened;
    }

    private boolean tryLock() throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("select pg_try_advisory_lock(?)")) {
            statement.setLong(1, key);
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                return row.getBoolean(1);
            }
        }
    }

    /** This session still holds the lock; else throws. A bigint key shows as classid (high half) and objid (low half). */
    private void checkHold() throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("""
                select count(*) from pg_locks where locktype = 'advisory' and pid = pg_backend_pid() and granted
                and classid::bigint = ? and objid::bigint = ? and objsubid = 1""")) {
            statement.setLong(1, key >>> 32);
            statement.setLong(2, key & 0xffffffffL);
            try (ResultSet row = statement.executeQuery()) {
                if (!row.next() || row.getLong(1) != 1) {
                    throw new SQLException("this session no longer holds the advisory lock");
                }
            }
        }
    }

    /** Waits one interval; holding the lock, it waits reading the socket, so a session ended meanwhile shows at once. */
    private void pause() {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(intervalMs);
        while (running) {
            long left = TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime());
            if (left <= 0) {
                return;
            }
            long slice = Math.min(SLICE_MS, left);
            Connection open = connection;
            try {
                long start = System.nanoTime();
                if (holding && open != null) {
                    open.unwrap(PGConnection.class).getNotifications((int) Math.max(1, slice));
                }
                if (System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(slice / 2)) {
                    Thread.sleep(slice); // not holding, or the driver did not wait
                }
            } catch (SQLException e) {
                lost(e);
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** The session failed: step down at once, drop the connection, and try again from scratch next interval. */
    private void lost(Exception e) {
        boolean wasLeader = leader;
        demote();
        holding = false;
        Connection open = connection;
        connection = null;
        abort(open);
        if (!running) {
            return;
        }
        String reason = e.getMessage() != null ? e.getMessage().strip() : e.getClass().getSimpleName();
        String url = PostgresClusterService.safeUrl(service.jdbcUrl());
        if (wasLeader) {
            // A follower tries within one interval: sitting out two lets it win rather than this replica again.
            quietUntil = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(2 * intervalMs);
            LOG.warnf("Leader election (%s): the PostgreSQL session holding the leadership failed (%s): stepped down; "
                    + "a follower may take over, this replica tries again in %d ms", getNamespace(), reason, 2 * intervalMs);
            outage = reason;
        } else if (outage == null) {
            LOG.warnf("Leader election (%s): PostgreSQL (%s) is not usable: %s; this replica stays a follower and tries "
                    + "again every %d ms", getNamespace(), url, reason, intervalMs);
            outage = reason;
        } else {
            LOG.debugf("Leader election (%s): still failing: %s", getNamespace(), reason);
        }
    }

    private void promote() {
        synchronized (transitions) {
            if (leader || !running) {
                return;
            }
            leader = true;
        }
        fireLeadershipChangedEvent(local);
    }

    private void demote() {
        synchronized (transitions) {
            if (!leader) {
                return;
            }
            leader = false;
        }
        fireLeadershipChangedEvent((CamelClusterMember) null);
    }

    private static void abort(Connection open) {
        if (open != null) {
            try {
                open.abort(Runnable::run); // closes the socket without waiting for the server
            } catch (SQLException | RuntimeException ignored) {
                // already gone
            }
        }
    }

    private final class Member implements CamelClusterMember {
        @Override
        public boolean isLeader() {
            return leader;
        }

        @Override
        public boolean isLocal() {
            return true;
        }

        @Override
        public String getId() {
            return service.getId();
        }
    }
}
