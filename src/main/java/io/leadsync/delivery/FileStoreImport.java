package io.leadsync.delivery;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadsync.catalog.CatalogSources;
import io.leadsync.crm.Crms;
import io.leadsync.config.LeadsyncConfig;
import io.leadsync.model.DeadLetter;
import io.leadsync.model.LeadUpdate;
import io.leadsync.model.Receipt;
import io.leadsync.storage.JsonFiles;
import io.leadsync.storage.Store;
import org.jboss.logging.Logger;

/**
 * Upgrades a data dir written by the file store (leadsync before the database store): pending updates
 * ({@code leads/inbox/<crm>}), receipts, dead letters and idempotency keys go into the store, then
 * {@code leads/} is renamed {@code leads.imported-<time>}. Every row is inserted "if absent", in batches,
 * so an import cut off by a crash simply runs again on the next start; nothing is lost or doubled.
 */
@ApplicationScoped
public class FileStoreImport {

    private static final Logger LOG = Logger.getLogger(FileStoreImport.class);
    private static final int BATCH = 500;

    @Inject
    Store store;

    @Inject
    LeadsyncConfig config;

    @Inject
    ObjectMapper json;

    @Inject
    LeadStore leadStore;

    /** False until the import has run (or found nothing): readiness waits for it, so no old id answers 404. */
    private volatile boolean done;

    @PostConstruct
    void nothingToImport() {
        done = !Files.isDirectory(config.dataDir().resolve("leads"));
    }

    public boolean done() {
        return done;
    }

    /** Imports {@code <data-dir>/leads} if it is there; returns how many updates, receipts and letters came in. */
    public int importIfPresent() throws IOException, SQLException {
        Path leads = config.dataDir().resolve("leads");
        if (!Files.isDirectory(leads)) {
            done = true;
            return 0;
        }
        LOG.infof("Importing the file store in %s into %s", leads, store.describe());
        JsonFiles files = new JsonFiles(json);
        List<Row> rows = new ArrayList<>();
        int imported = 0;
        // Pending updates first: the inbox holds the update, its receipt (if an attempt failed) the progress.
        for (String crm : Crms.NAMES) {
            for (Path file : jsonFiles(leads.resolve("inbox").resolve(crm))) {
                Optional<Accepted> accepted = readOrSkip(files, file, Accepted.class);
                if (accepted.isPresent()) {
                    Accepted a = accepted.get();
                    Receipt receipt = readOrSkip(files, leads.resolve("receipts").resolve(a.id() + ".json"), Receipt.class)
                            .filter(r -> r.status() == Receipt.Status.PENDING)
                            .orElse(Receipt.pending(a.id(), a.update().target(), a.acceptedAt()));
                    rows.add(new Row(receipt, a.update(), a.origin()));
                }
                imported += flush(rows, false);
            }
        }
        // Finished updates: their receipts, with the update itself where done/<crm> still has it.
        for (Path file : jsonFiles(leads.resolve("receipts"))) {
            Optional<Receipt> receipt = readOrSkip(files, file, Receipt.class);
            if (receipt.isPresent() && receipt.get().status() != Receipt.Status.PENDING) {
                Receipt r = receipt.get();
                Optional<Accepted> done = readOrSkip(files,
                        leads.resolve("done").resolve(r.target().split(":", 2)[0]).resolve(r.id() + ".json"), Accepted.class);
                rows.add(new Row(r, done.map(Accepted::update).orElse(null), done.map(Accepted::origin).orElse(null)));
            }
            imported += flush(rows, false);
        }
        imported += flush(rows, true);
        List<DeadLetter> letters = new ArrayList<>();
        for (Path file : jsonFiles(leads.resolve("dead-letters"))) {
            readOrSkip(files, file, DeadLetter.class).ifPresent(letters::add);
            if (letters.size() == BATCH) {
                imported += insertLetters(letters);
            }
        }
        imported += insertLetters(letters);
        imported += importKeys(leads.resolve("idempotency"));
        Path aside = leads.resolveSibling("leads.imported-"
                + DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(Instant.now()));
        Files.move(leads, aside);
        done = true;
        LOG.infof("Imported %d updates, receipts, dead letters and idempotency keys; the file store is now %s", imported, aside);
        return imported;
    }

    private record Row(Receipt receipt, LeadUpdate update, String origin) {
    }

    private int flush(List<Row> rows, boolean always) throws SQLException {
        if (rows.isEmpty() || (!always && rows.size() < BATCH)) {
            return 0;
        }
        List<Row> batch = List.copyOf(rows);
        rows.clear();
        return store.writes().write(c -> {
            try (PreparedStatement insert = c.prepareStatement("""
                    insert into lead_update (id, crm, target, lead_key, status, attempts, target_lead_id, remarks, error,
                        accepted_at, updated_at, origin, body, owner)
                    values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, null) on conflict (id) do nothing""")) {
                for (Row row : batch) {
                    Receipt r = row.receipt();
                    int i = 0;
                    insert.setString(++i, r.id());
                    insert.setString(++i, r.target().split(":", 2)[0]);
                    insert.setString(++i, r.target());
                    insert.setString(++i, row.update() == null ? r.target() + "|update:" + r.id() : LeadStore.leadKey(row.update(), r.id()));
                    insert.setString(++i, r.status().name());
                    insert.setInt(++i, r.attempts());
                    insert.setString(++i, r.targetLeadId());
                    insert.setString(++i, r.remarks() == null || r.remarks().isEmpty() ? null : json.writeValueAsString(r.remarks()));
                    insert.setString(++i, r.error());
                    insert.setLong(++i, r.acceptedAt().toEpochMilli());
                    insert.setLong(++i, r.updatedAt().toEpochMilli());
                    insert.setString(++i, row.origin());
                    insert.setString(++i, row.update() == null ? null : json.writeValueAsString(row.update()));
                    insert.addBatch();
                }
                insert.executeBatch();
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new SQLException(e);
            }
            return batch.size();
        });
    }

    private int insertLetters(List<DeadLetter> letters) throws SQLException {
        if (letters.isEmpty()) {
            return 0;
        }
        List<DeadLetter> batch = List.copyOf(letters);
        letters.clear();
        return store.writes().write(c -> {
            for (DeadLetter letter : batch) {
                leadStore.insert(c, letter);
            }
            return batch.size();
        });
    }

    /** Keys were files named by the key's SHA-256 holding the update id; their age is the file's. */
    private int importKeys(Path dir) throws IOException, SQLException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        int imported = 0;
        List<String[]> keys = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "[0-9a-f]*")) {
            for (Path file : files) {
                keys.add(new String[] { file.getFileName().toString(), Files.readString(file, StandardCharsets.UTF_8).trim(),
                        Long.toString(Files.getLastModifiedTime(file).toMillis()) });
                if (keys.size() == BATCH) {
                    imported += insertKeys(keys);
                }
            }
        }
        return imported + insertKeys(keys);
    }

    private int insertKeys(List<String[]> keys) throws SQLException {
        if (keys.isEmpty()) {
            return 0;
        }
        List<String[]> batch = List.copyOf(keys);
        keys.clear();
        return store.writes().write((Connection c) -> {
            try (PreparedStatement insert = c.prepareStatement("insert into idempotency_key (key_hash, update_id, created_at)"
                    + " values (?, ?, ?) on conflict (key_hash) do nothing")) {
                for (String[] key : batch) {
                    insert.setString(1, key[0]);
                    insert.setString(2, key[1]);
                    insert.setLong(3, Long.parseLong(key[2]));
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            return batch.size();
        });
    }

    private static List<Path> jsonFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "[!.]*.json")) {
            files.forEach(found::add);
        }
        found.sort(null); // ids sort by time: pending updates keep their acceptance order
        return found;
    }

    /** An unreadable file is reported and left in the moved-aside folder, never fatal. */
    private static <T> Optional<T> readOrSkip(JsonFiles files, Path file, Class<T> type) {
        try {
            return files.read(file, type);
        } catch (IOException e) {
            LOG.errorf("Not imported, unreadable (it stays in the moved-aside folder): %s: %s", file, e.getMessage());
            return Optional.empty();
        }
    }
}
