package io.leadsync.etl;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadsync.config.LeadsyncConfig;
import io.leadsync.storage.JsonFiles;
import io.leadsync.storage.Store;
import io.quarkus.runtime.annotations.RegisterForReflection;
import org.jboss.logging.Logger;

/**
 * Where each incremental job's last successful run ended, per stream it reads (TeleCRM: "created_on"; Truto: one
 * cursor per account), in the store's table {@code etl_checkpoint}: the next run starts there, on any replica.
 * Only a successful run moves it, in the transaction that records the run ({@link #save}).
 */
@ApplicationScoped
public class EtlCheckpoints {

    private static final Logger LOG = Logger.getLogger(EtlCheckpoints.class);
    private static final TypeReference<Map<String, String>> POSITIONS = new TypeReference<>() {
    };

    /** A checkpoint file of leadsync before the store ({@code <data-dir>/etl/checkpoints/<job>.json}). */
    @RegisterForReflection
    public record Checkpoint(String job, Map<String, String> positions, Instant savedAt) {
    }

    @Inject
    Store store;

    @Inject
    LeadsyncConfig config;

    @Inject
    ObjectMapper json;

    private volatile boolean filesImported;

    public Map<String, String> load(String job) {
        importFiles();
        return store.query(c -> {
            try (PreparedStatement select = c.prepareStatement("select positions from etl_checkpoint where job = ?")) {
                select.setString(1, job);
                try (ResultSet rows = select.executeQuery()) {
                    return rows.next() ? read(rows.getString(1)) : Map.<String, String>of();
                }
            }
        });
    }

    /** Moves the job's checkpoint, inside the caller's transaction. */
    void save(Connection c, String job, Map<String, String> positions) throws SQLException {
        upsert(c, job, positions, Instant.now(), true);
    }

    private void upsert(Connection c, String job, Map<String, String> positions, Instant savedAt, boolean replace)
            throws SQLException {
        try (PreparedStatement upsert = c.prepareStatement("insert into etl_checkpoint (job, positions, saved_at)"
                + " values (?, ?, ?) on conflict (job) do " + (replace
                        ? "update set positions = excluded.positions, saved_at = excluded.saved_at" : "nothing"))) {
            upsert.setString(1, job);
            upsert.setString(2, write(positions));
            upsert.setLong(3, savedAt.toEpochMilli());
            upsert.executeUpdate();
        }
    }

    /**
     * Upgrade: the checkpoint files of leadsync before the store go in once, where the store has none yet (an
     * import cut off by a crash runs again), then the folder is renamed {@code checkpoints.imported-<time>}.
     */
    private synchronized void importFiles() {
        Path dir = config.dataDir().resolve("etl").resolve("checkpoints");
        if (filesImported || !Files.isDirectory(dir)) {
            filesImported = true;
            return;
        }
        JsonFiles files = new JsonFiles(json);
        List<Checkpoint> found = new ArrayList<>();
        try (DirectoryStream<Path> each = Files.newDirectoryStream(dir, "[!.]*.json")) {
            for (Path file : each) {
                Optional<Checkpoint> saved = files.read(file, Checkpoint.class);
                saved.filter(s -> s.positions() != null).ifPresent(found::add);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the checkpoint files in " + dir + " are unreadable; move the folder away"
                    + " to start over with full runs", e);
        }
        store.write(c -> {
            for (Checkpoint checkpoint : found) {
                upsert(c, checkpoint.job(), checkpoint.positions(),
                        checkpoint.savedAt() == null ? Instant.now() : checkpoint.savedAt(), false);
            }
            return null;
        });
        Path aside = dir.resolveSibling("checkpoints.imported-"
                + DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(Instant.now()));
        try {
            Files.move(dir, aside);
        } catch (IOException e) {
            throw new UncheckedIOException("could not rename " + dir + " after importing it", e);
        }
        filesImported = true;
        LOG.infof("Imported %d ETL checkpoints into %s; the files are now in %s", found.size(), store.describe(), aside);
    }

    private String write(Map<String, String> positions) {
        try {
            return json.writeValueAsString(positions);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private Map<String, String> read(String positions) {
        try {
            return json.readValue(positions, POSITIONS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the stored checkpoint is unreadable: " + e.getOriginalMessage(), e);
        }
    }
}
