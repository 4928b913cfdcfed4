package io.leadsync.etl;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.quarkus.arc.InjectableInstance;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

/**
 * The PostgreSQL output of the ETL jobs, when a datasource URL is configured. Flyway owns the schema and
 * migrates it before the first run that writes, not at start-up: a database that is down fails the runs
 * that need it, with a clear message, while the rest of leadsync starts and works.
 * Leads are upserted by source and lead id; stages keep their history (a row per version, the current
 * one open-ended). A run writes in one transaction, so a failed run changes nothing.
 */
@ApplicationScoped
public class EtlDatabase {

    @Inject
    InjectableInstance<AgroalDataSource> dataSource;

    @Inject
    ObjectMapper json;

    @Inject
    InjectableInstance<Flyway> flyway;

    @org.eclipse.microprofile.config.inject.ConfigProperty(name = "quarkus.datasource.jdbc.url")
    Optional<String> jdbcUrl;

    private boolean migrated;

    /** A sink for the job's records, or none without a configured datasource. */
    Optional<RecordSink> sink(String job, Instant at) {
        if (!dataSource.getHandle().getBean().isActive()) {
            return Optional.empty();
        }
        migrate();
        Connection connection = connect(dataSource.get());
        return Optional.of(job.equals("stages") ? new StageHistory(connection, at) : new LeadRows(connection, at));
    }

    private synchronized void migrate() {
        if (!migrated) {
            try {
                flyway.get().migrate();
            } catch (FlywayException e) {
                Throwable root = e; // Flyway's message is a multi-line report: the driver's says it in one line
                while (!(root instanceof SQLException) && root.getCause() != null) {
                    root = root.getCause();
                }
                String url = jdbcUrl.orElse("").replaceFirst("\\?.*", ""); // the query may hold credentials
                throw new IllegalStateException("PostgreSQL (" + url + "): cannot migrate the schema: "
                        + String.valueOf(root.getMessage()).strip(), e);
            }
            migrated = true;
        }
    }

    private static Connection connect(DataSource source) {
        try {
            Connection connection = source.getConnection();
            connection.setAutoCommit(false);
            return connection;
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL is not reachable: " + e.getMessage(), e);
        }
    }

    /** Shared by both tables: one connection, one transaction, batches of statements. */
    private abstract static class Transaction implements RecordSink {
        final Connection connection;
        final Timestamp at;

        Transaction(Connection connection, Instant at) {
            this.connection = connection;
            this.at = Timestamp.from(at);
        }

        abstract String table();

        void finish() throws SQLException {
        }

        @Override
        public List<String> commit() throws IOException {
            try (connection) {
                finish();
                connection.commit();
                return List.of("postgresql:" + table());
            } catch (SQLException e) {
                throw new IOException("PostgreSQL: " + e.getMessage(), e);
            }
        }

        @Override
        public void abort() {
            try (connection) {
                connection.rollback();
            } catch (SQLException ignored) {
                // the connection is gone: nothing was committed either
            }
        }
    }

    /** The lead table: one row per (source, lead id), replaced by each run that sees the lead. */
    private final class LeadRows extends Transaction {
        private final PreparedStatement upsert;
        private int batched;

        LeadRows(Connection connection, Instant at) {
            super(connection, at);
            try {
                upsert = connection.prepareStatement("""
                        insert into lead (source, lead_id, stage, phone, name, email, fields, synced_at)
                        values (?, ?, ?, ?, ?, ?, cast(? as jsonb), ?)
                        on conflict (source, lead_id) do update set stage = excluded.stage, phone = excluded.phone,
                            name = excluded.name, email = excluded.email, fields = excluded.fields,
                            synced_at = excluded.synced_at""");
            } catch (SQLException e) {
                throw new IllegalStateException("PostgreSQL: " + e.getMessage(), e);
            }
        }

        @Override
        String table() {
            return "lead";
        }

        @Override
        public void write(Map<String, Object> lead) throws IOException {
            if (lead.get("leadId") == null) {
                return; // the files still hold it; a row needs an id
            }
            try {
                int i = 0;
                for (String column : List.of("source", "leadId", "stage", "phone", "name", "email")) {
                    upsert.setString(++i, (String) lead.get(column));
                }
                upsert.setString(++i, json.writeValueAsString(lead.get("fields")));
                upsert.setTimestamp(++i, at);
                upsert.addBatch();
                if (++batched % 500 == 0) {
                    upsert.executeBatch();
                }
            } catch (SQLException e) {
                throw new IOException("PostgreSQL: " + e.getMessage(), e);
            }
        }

        @Override
        void finish() throws SQLException {
            upsert.executeBatch();
        }
    }

    /** The stage history: a changed stage closes its current row and opens a new one; a gone stage is closed. */
    private static final class StageHistory extends Transaction {
        private final Set<String> seen = new HashSet<>();
        private final Set<String> sources = new HashSet<>();

        StageHistory(Connection connection, Instant at) {
            super(connection, at);
        }

        @Override
        String table() {
            return "stage_history";
        }

        @Override
        public void write(Map<String, Object> stage) throws IOException {
            String source = (String) stage.get("source");
            String id = (String) stage.get("id");
            sources.add(source);
            seen.add(source + "\u0000" + id);
            try (PreparedStatement current = connection.prepareStatement("""
                    select name, pipeline, category, position, active from stage_history
                    where source = ? and stage_id = ? and valid_to is null""")) {
                current.setString(1, source);
                current.setString(2, id);
                try (ResultSet row = current.executeQuery()) {
                    if (row.next() && Objects.equals(row.getString(1), stage.get("name"))
                            && Objects.equals(row.getString(2), stage.get("pipeline"))
                            && Objects.equals(row.getString(3), stage.get("category"))
                            && Objects.equals((Integer) row.getObject(4), stage.get("position"))
                            && row.getBoolean(5) == (Boolean) stage.get("active")) {
                        return; // unchanged
                    }
                }
                close(source, id);
                try (PreparedStatement insert = connection.prepareStatement("""
                        insert into stage_history (source, stage_id, name, pipeline, category, position, active, valid_from)
                        values (?, ?, ?, ?, ?, ?, ?, ?)""")) {
                    insert.setString(1, source);
                    insert.setString(2, id);
                    insert.setString(3, (String) stage.get("name"));
                    insert.setString(4, (String) stage.get("pipeline"));
                    insert.setString(5, (String) stage.get("category"));
                    insert.setObject(6, stage.get("position"));
                    insert.setBoolean(7, (Boolean) stage.get("active"));
                    insert.setTimestamp(8, at);
                    insert.executeUpdate();
                }
            } catch (SQLException e) {
                throw new IOException("PostgreSQL: " + e.getMessage(), e);
            }
        }

        /** Stages of the exported sources that this run no longer saw have disappeared. */
        @Override
        void finish() throws SQLException {
            try (PreparedStatement open = connection.prepareStatement(
                    "select source, stage_id from stage_history where valid_to is null")) {
                try (ResultSet row = open.executeQuery()) {
                    List<String[]> gone = new java.util.ArrayList<>();
                    while (row.next()) {
                        if (sources.contains(row.getString(1)) && !seen.contains(row.getString(1) + "\u0000" + row.getString(2))) {
                            gone.add(new String[] { row.getString(1), row.getString(2) });
                        }
                    }
                    for (String[] stage : gone) {
                        close(stage[0], stage[1]);
                    }
                }
            }
        }

        private void close(String source, String id) throws SQLException {
            try (PreparedStatement close = connection.prepareStatement(
                    "update stage_history set valid_to = ? where source = ? and stage_id = ? and valid_to is null")) {
                close.setTimestamp(1, at);
                close.setString(2, source);
                close.setString(3, id);
                close.executeUpdate();
            }
        }
    }
}
