package io.leadsync.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.agroal.api.AgroalDataSource;
import io.leadsync.config.LeadsyncConfig;
import io.quarkus.agroal.DataSource;
import io.quarkus.arc.InjectableInstance;
import io.quarkus.flyway.FlywayDataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.jboss.logging.Logger;

/**
 * The database that holds leadsync's durable state: PostgreSQL when {@code quarkus.datasource.jdbc.url} is
 * set (shared by every replica), else SQLite in {@code leadsync.data-dir} (one process). Flyway owns the schema;
 * a database that is down at start-up is not fatal: {@link #ready()} says why, callers answer 503, and
 * the next {@link #ready()} tries again, so leadsync recovers by itself when the database is back.
 * Writes go through {@link #writes()}, one transaction for many callers (group commit).
 */
@ApplicationScoped
public class Store {

    private static final Logger LOG = Logger.getLogger(Store.class);

    public enum Kind {
        SQLITE, POSTGRESQL
    }

    @Inject
    InjectableInstance<AgroalDataSource> postgres;

    @Inject
    @DataSource("store")
    InjectableInstance<AgroalDataSource> sqlite;

    @Inject
    InjectableInstance<Flyway> postgresSchema;

    @Inject
    @FlywayDataSource("store")
    InjectableInstance<Flyway> sqliteSchema;

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    Optional<String> postgresUrl;

    @Inject
    LeadsyncConfig config;

    /** This process in the {@code replica} table; with PostgreSQL its lease says it is alive. */
    private final String process = UUID.randomUUID().toString();

    private volatile Kind kind;
    private AgroalDataSource dataSource;
    private GroupCommit writes;
    private volatile boolean migrated;
    private volatile String unavailable = "not opened yet";
    /**
     * Why the last write failed when the store itself is at fault (disk full, read-only, database down); null once
     * a write succeeds again. Readiness shows it; the heartbeat's write every few seconds clears it by itself.
     */
    private volatile String failing;

    /** Decided once, on first use (the datasources are ready by then): every read asks, so no lock after that. */
    public Kind kind() {
        Kind known = kind;
        return known != null ? known : open();
    }

    private synchronized Kind open() {
        if (kind == null) {
            Kind chosen = postgres.getHandle().getBean().isActive() ? Kind.POSTGRESQL : Kind.SQLITE;
            dataSource = chosen == Kind.POSTGRESQL ? postgres.get() : sqlite.get();
            writes = new GroupCommit(dataSource, chosen.name());
            kind = chosen; // last: whoever sees it sees the data source and the writer too
        }
        return kind;
    }

    /** Where the state is, for logs and errors: never with credentials. */
    public String describe() {
        return kind() == Kind.POSTGRESQL ? "PostgreSQL (" + postgresUrl.orElse("").replaceFirst("\\?.*", "") + ")"
                : "SQLite (" + config.dataDir().toAbsolutePath().normalize().resolve("store.db") + ")";
    }

    /**
     * True once the schema is migrated; otherwise tries (again) now. The reason it is not ready is
     * {@link #unavailable()}.
     */
    public boolean ready() {
        if (migrated) {
            return true;
        }
        synchronized (this) {
            if (migrated) {
                return true;
            }
            try {
                if (kind() == Kind.SQLITE) {
                    Files.createDirectories(config.dataDir()); // SQLite creates the file, not its folder
                }
                (kind == Kind.POSTGRESQL ? postgresSchema : sqliteSchema).get().migrate();
                migrated = true;
                unavailable = null;
                LOG.infof("Lead routing state is in %s", describe());
            } catch (FlywayException | IOException | IllegalStateException e) {
                Throwable root = e; // Flyway's message is a multi-line report: the driver's says it in one line
                while (!(root instanceof SQLException) && root.getCause() != null) {
                    root = root.getCause();
                }
                String reason = describe() + ": " + String.valueOf(root.getMessage()).strip();
                if (!reason.equals(unavailable)) {
                    LOG.errorf("The store is not available: %s", reason);
                }
                unavailable = reason;
            }
            return migrated;
        }
    }

    /** Why the store cannot be used now; null when it can. */
    public String unavailable() {
        String notMigrated = unavailable;
        return notMigrated != null ? notMigrated : failing;
    }

    /** The group-committed writer: every write of lead routing state goes through it. */
    public GroupCommit writes() {
        kind();
        return writes;
    }

    /** A connection for reads, in auto-commit mode. */
    public Connection read() throws SQLException {
        kind();
        return dataSource.getConnection();
    }

    /** The database's clock in Unix milliseconds, in SQL: leases compare against one clock for every replica. */
    public String nowMillis() {
        return kind() == Kind.POSTGRESQL ? "cast(extract(epoch from clock_timestamp()) * 1000 as bigint)"
                : "cast(unixepoch('subsec') * 1000 as integer)";
    }

    /**
     * A write through the group commit, in one transaction, returned once committed; a store that is down
     * (or a failed commit) is {@link StoreUnavailableException}, so the API answers 503.
     */
    public <T> T write(GroupCommit.Write<T> write, GroupCommit.AfterCommit<T> afterCommit) {
        if (!ready()) {
            throw new StoreUnavailableException(unavailable());
        }
        // While failing, only a write that changed rows proves the store takes writes again: one that changed
        // nothing (a claim that found no update) commits without writing a byte, even on a full disk.
        boolean probe = failing != null && kind() == Kind.SQLITE;
        boolean[] wrote = {!probe};
        GroupCommit.Write<T> measured = !probe ? write : c -> {
            long before = totalChanges(c);
            T result = write.apply(c);
            wrote[0] = totalChanges(c) > before;
            return result;
        };
        try {
            T result = writes().write(measured, afterCommit);
            if (failing != null && wrote[0]) {
                failing = null;
                LOG.infof("The store takes writes again: %s", describe());
            }
            return result;
        } catch (SQLException e) {
            StoreUnavailableException refused = unavailable(e);
            if (isStoreFault(e)) {
                if (!refused.getMessage().equals(failing)) {
                    LOG.errorf("The store cannot be written: %s", refused.getMessage());
                }
                failing = refused.getMessage();
                if (opensReadOnly(e)) {
                    // SQLite opened the file read-only (or not at all) and stays so: the pool's connections are
                    // replaced as they come back, so a data dir made writable again is written without a restart.
                    dataSource.flush(AgroalDataSource.FlushMode.GRACEFUL);
                }
            }
            throw refused;
        }
    }

    /**
     * Whether a write failed because of the store rather than of the write: SQLite's disk full, read-only, I/O
     * error or cannot-open (the data dir), PostgreSQL's lost connection, insufficient resources (disk full),
     * shutdown or read-only transaction.
     */
    static boolean isStoreFault(SQLException e) {
        if (e instanceof org.sqlite.SQLiteException sqlite) {
            int primary = sqlite.getResultCode().code & 0xff;
            return primary == SQLITE_READONLY || primary == SQLITE_IOERR || primary == SQLITE_FULL || primary == SQLITE_CANTOPEN;
        }
        String state = e.getSQLState(); // none: not the database's answer (the writer stopping, interrupted)
        return state != null && (state.startsWith("08") || state.startsWith("53") || state.startsWith("57P")
                || state.equals("25006"));
    }

    private static boolean opensReadOnly(SQLException e) {
        if (!(e instanceof org.sqlite.SQLiteException sqlite)) {
            return false;
        }
        int primary = sqlite.getResultCode().code & 0xff;
        return primary == SQLITE_READONLY || primary == SQLITE_CANTOPEN;
    }

    /** SQLite: rows changed on this connection since it opened. */
    private static long totalChanges(Connection c) throws SQLException {
        try (PreparedStatement changes = c.prepareStatement("select total_changes()");
                java.sql.ResultSet row = changes.executeQuery()) {
            row.next();
            return row.getLong(1);
        }
    }

    private static final int SQLITE_READONLY = 8;
    private static final int SQLITE_IOERR = 10;
    private static final int SQLITE_FULL = 13;
    private static final int SQLITE_CANTOPEN = 14;

    public <T> T write(GroupCommit.Write<T> write) {
        return write(write, null);
    }

    /**
     * Prunes: runs {@code delete}, a delete of at most one batch of rows (its {@code limit} inside) whose one parameter
     * is the cut-off time, each batch its own transaction, until a batch deletes nothing; returns how many rows went.
     * Bounded transactions: a prune never holds the writer (or PostgreSQL's locks) for long.
     */
    public int deleteInBatches(String delete, Instant before) {
        int deleted = 0;
        for (int batch; (batch = write(c -> {
            try (PreparedStatement statement = c.prepareStatement(delete)) {
                statement.setLong(1, before.toEpochMilli());
                return statement.executeUpdate();
            }
        })) > 0;) {
            deleted += batch;
        }
        return deleted;
    }

    /** A read on its own connection (auto-commit); failures as for {@link #write}. */
    public <T> T query(GroupCommit.Write<T> read) {
        if (!ready()) {
            throw new StoreUnavailableException(unavailable());
        }
        try (Connection c = read()) {
            return read.apply(c);
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    private StoreUnavailableException unavailable(SQLException e) {
        LOG.debugf(e, "Store failure");
        return new StoreUnavailableException(describe() + ": " + plainReason(e) + String.valueOf(e.getMessage()).strip());
    }

    /** The driver's code in words an operator acts on, before the driver's own message. */
    private static String plainReason(SQLException e) {
        if (!(e instanceof org.sqlite.SQLiteException sqlite)) {
            return "";
        }
        return switch (sqlite.getResultCode().code & 0xff) {
            case SQLITE_FULL -> "the data dir's disk is full: ";
            case SQLITE_READONLY -> "the data dir is read-only: ";
            case SQLITE_IOERR -> "the data dir cannot be written (I/O error): ";
            case SQLITE_CANTOPEN -> "the store file in the data dir cannot be opened: ";
            default -> "";
        };
    }

    /** This process's id, unique per start: the owner of what it holds in the store (leases, ETL runs). */
    public String process() {
        return process;
    }

    /** SQL for the ids of the replicas whose lease has not run out. */
    public String liveReplicas() {
        return "select r.id from replica r where r.lease_until > " + nowMillis();
    }

    /** Renews the lease of {@code replica}: it counts as alive for {@code leadsync.cluster.takeover} more. */
    public int renewLease(Connection c, String replica) throws SQLException {
        try (PreparedStatement renew = c.prepareStatement("insert into replica (id, lease_until) values (?, "
                + nowMillis() + " + ?) on conflict (id) do update set lease_until = excluded.lease_until")) {
            renew.setString(1, replica);
            renew.setLong(2, config.cluster().takeover().toMillis());
            return renew.executeUpdate();
        }
    }

    /** Closes the writer (its connection goes back before the pool closes); later writes fail as "stopping". */
    @PreDestroy
    public synchronized void close() {
        if (writes != null) {
            writes.close();
        }
    }
}
