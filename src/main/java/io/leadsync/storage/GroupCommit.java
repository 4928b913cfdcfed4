package io.leadsync.storage;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.jboss.logging.Logger;

/**
 * One writer thread that commits many callers' writes in one transaction: a durable commit costs one
 * sync of the log, shared by every write that queued while the previous one was syncing (group commit).
 * A caller blocks until its write is committed (or failed), so a 202 always follows a commit. When a batch
 * fails, its writes are retried one transaction each, so one bad write fails only its own caller.
 * The queue is bounded: when the database cannot keep up, callers wait instead of memory growing.
 */
public final class GroupCommit implements AutoCloseable {

    /** A write: statements on the writer's connection, inside the batch's transaction. */
    @FunctionalInterface
    public interface Write<T> {
        T apply(Connection connection) throws SQLException;
    }

    /** Runs on the writer thread right after the commit, in commit order (hand-off to delivery). */
    @FunctionalInterface
    public interface AfterCommit<T> {
        void accept(T result);
    }

    private static final Logger LOG = Logger.getLogger(GroupCommit.class);
    private static final int MAX_BATCH = 512;

    private record Queued<T>(Write<T> write, AfterCommit<T> afterCommit, CompletableFuture<T> result) {
        void complete(Object value) {
            @SuppressWarnings("unchecked")
            T typed = (T) value;
            if (afterCommit != null) {
                try {
                    afterCommit.accept(typed);
                } catch (RuntimeException e) {
                    LOG.error("After a commit", e); // committed all the same: the caller must hear so
                }
            }
            result.complete(typed);
        }
    }

    private final DataSource dataSource;
    private final String name;
    private final BlockingQueue<Queued<?>> queue = new ArrayBlockingQueue<>(4 * MAX_BATCH);
    private final Thread writer;
    private volatile boolean closed;
    private Connection connection;

    GroupCommit(DataSource dataSource, String name) {
        this.dataSource = dataSource;
        this.name = name;
        this.writer = new Thread(this::run, "store-writer");
        writer.setDaemon(true);
        writer.start();
    }

    /** Commits the write (with others) and returns its result; throws what it threw, or the commit's failure. */
    public <T> T write(Write<T> write) throws SQLException {
        return write(write, null);
    }

    public <T> T write(Write<T> write, AfterCommit<T> afterCommit) throws SQLException {
        if (closed) {
            throw new SQLException("the store is closed: leadsync is stopping");
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        try {
            queue.put(new Queued<>(write, afterCommit, result));
            return result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while waiting for the store", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SQLException sql) {
                throw sql;
            }
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new SQLException(e.getCause());
        }
    }

    private void run() {
        List<Queued<?>> batch = new ArrayList<>(MAX_BATCH);
        while (!closed || !queue.isEmpty()) {
            try {
                Queued<?> first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                commit(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                batch.clear();
            }
        }
    }

    private void commit(List<Queued<?>> batch) {
        List<Object> results = new ArrayList<>(batch.size());
        try {
            Connection c = connection();
            for (Queued<?> queued : batch) {
                results.add(queued.write().apply(c));
            }
            c.commit();
        } catch (SQLException | RuntimeException e) {
            rollback();
            if (batch.size() == 1) {
                batch.get(0).result().completeExceptionally(e);
            } else {
                for (Queued<?> queued : batch) { // one by one: only the bad write fails
                    commit(List.of(queued));
                }
            }
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).complete(results.get(i));
        }
    }

    private Connection connection() throws SQLException {
        if (connection == null) {
            connection = dataSource.getConnection();
            connection.setAutoCommit(false);
        }
        return connection;
    }

    /**
     * Rolls back and gives the connection back: the next batch takes another, as the one that failed may be
     * broken (the database restarted) or opened read-only (SQLite on a read-only data dir) for good.
     */
    private void rollback() {
        if (connection == null) {
            return;
        }
        try {
            connection.rollback();
        } catch (SQLException e) {
            LOG.debugf("Rolling back on the %s writer's connection: %s", name, e.getMessage());
        }
        try {
            connection.close();
        } catch (SQLException ignored) {
            // already gone
        }
        connection = null;
    }

    @Override
    public void close() {
        closed = true;
        try {
            writer.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                LOG.debugf("Closing the %s writer's connection: %s", name, e.getMessage());
            }
            connection = null;
        }
    }
}
