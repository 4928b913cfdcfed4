package io.leadsync.delivery;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadsync.storage.TimeOrderedIds;
import io.leadsync.catalog.CatalogSources;
import io.leadsync.config.LeadsyncConfig;
import io.leadsync.model.DeadLetter;
import io.leadsync.model.LeadUpdate;
import io.leadsync.model.Receipt;
import io.leadsync.storage.JsonFiles;
import io.quarkus.scheduler.Scheduled;
import org.jboss.logging.Logger;

/**
 * The durable state of lead routing, under {@code <data-dir>/leads}: the inbox of accepted updates,
 * one folder per CRM so each target is delivered at its own pace (a Camel file consumer per CRM delivers
 * from it, moving a file to {@code done/<crm>/} only once its update is delivered or dead-lettered),
 * receipts, dead letters and idempotency keys. Every document is written atomically
 * and forced to disk before the caller is told it is stored.
 */
@ApplicationScoped
public class LeadStore {

    private static final Logger LOG = Logger.getLogger(LeadStore.class);
    private static final java.util.regex.Pattern ID = java.util.regex.Pattern.compile("[0-9a-f-]{36}");

    @Inject
    LeadsyncConfig config;

    @Inject
    ObjectMapper json;

    @Inject
    DeliveryMetrics metrics;

    private final Object[] keyLocks = new Object[64];
    private JsonFiles files;
    private Path inbox;
    private Path done;
    private Path receipts;
    private Path deadLetters;
    private Path idempotency;

    @PostConstruct
    void open() {
        files = new JsonFiles(json);
        java.util.Arrays.setAll(keyLocks, i -> new Object());
        Path root = config.dataDir().resolve("leads");
        inbox = root.resolve("inbox");
        done = root.resolve("done");
        receipts = root.resolve("receipts");
        deadLetters = root.resolve("dead-letters");
        idempotency = root.resolve("idempotency");
        try {
            for (Path dir : List.of(inbox, receipts, deadLetters, idempotency)) {
                Files.createDirectories(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the lead store under " + root, e);
        }
        for (String crm : CatalogSources.CRMS) {
            metrics.pending(crm, () -> waiting(crm));
        }
    }

    /** How many updates wait in a CRM's inbox: counted when metrics are scraped, never kept. */
    long waiting(String crm) {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(inbox.resolve(crm), "[!.]*.json")) {
            long count = 0;
            for (Path ignored : files) {
                count++;
            }
            return count;
        } catch (java.nio.file.NoSuchFileException none) {
            return 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Where an update waits: {@code inbox/<crm>/<id>.json}. */
    private Path inboxFile(Accepted accepted) {
        return inbox.resolve(accepted.update().crm()).resolve(accepted.id() + ".json");
    }

    /**
     * Stores an update for delivery and returns its id; with an idempotency key already used, returns the
     * first submission's id and stores nothing. Only submissions sharing a key wait for each other.
     */
    public String accept(LeadUpdate update, String idempotencyKey, String origin) throws IOException {
        if (idempotencyKey == null) {
            return store(update, origin);
        }
        String hash = sha256(idempotencyKey);
        synchronized (keyLocks[Math.floorMod(hash.hashCode(), keyLocks.length)]) {
            Path key = idempotency.resolve(hash);
            if (Files.exists(key)) {
                return Files.readString(key, StandardCharsets.UTF_8).trim();
            }
            String id = store(update, origin);
            Files.writeString(key, id, StandardCharsets.UTF_8);
            return id;
        }
    }

    private String store(LeadUpdate update, String origin) throws IOException {
        String id = TimeOrderedIds.next();
        files.write(inboxFile(new Accepted(id, null, update, null)), new Accepted(id, Instant.now(), update, origin));
        metrics.accepted(update.target());
        return id;
    }

    /** Puts an update back into the inbox under its own id (a replay). */
    public void requeue(Accepted accepted) throws IOException {
        files.write(inboxFile(accepted), accepted);
    }

    /** The update's receipt: the saved one, else PENDING while it waits in the inbox. */
    public Optional<Receipt> receipt(String id) {
        if (!isId(id)) {
            return Optional.empty();
        }
        try {
            Optional<Receipt> receipt = savedReceipt(id);
            if (receipt.isPresent()) {
                return receipt;
            }
            for (String crm : CatalogSources.CRMS) {
                Optional<Accepted> waiting = files.read(inbox.resolve(crm).resolve(id + ".json"), Accepted.class);
                if (waiting.isPresent()) {
                    return waiting.map(a -> Receipt.pending(a.id(), a.update().target(), a.acceptedAt()));
                }
            }
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The receipt saved for the update, if any: none until an attempt failed or the update was finished.
     * A stat first, so the common case (no receipt yet) costs no exception.
     */
    public Optional<Receipt> savedReceipt(String id) throws IOException {
        Path file = receipts.resolve(id + ".json");
        return Files.exists(file) ? files.read(file, Receipt.class) : Optional.empty();
    }

    public void save(Receipt receipt) throws IOException {
        files.write(receipts.resolve(receipt.id() + ".json"), receipt);
    }

    public void save(DeadLetter deadLetter) throws IOException {
        files.write(deadLetters.resolve(deadLetter.id() + ".json"), deadLetter);
    }

    public Optional<DeadLetter> deadLetter(String id) {
        if (!isId(id)) {
            return Optional.empty();
        }
        try {
            return files.read(deadLetters.resolve(id + ".json"), DeadLetter.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * One page of dead letters, oldest first, that match the filter, after the given id (ids sort by
     * time). Only the page is held in memory; an unreadable file is logged and skipped, never fatal.
     */
    public List<DeadLetter> deadLetters(java.util.function.Predicate<DeadLetter> filter, String after, int limit) {
        java.util.TreeSet<String> names = new java.util.TreeSet<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(deadLetters, "[!.]*.json")) {
            for (Path file : stream) {
                String name = file.getFileName().toString();
                if (after == null || name.compareTo(after + ".json") > 0) {
                    names.add(name);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<DeadLetter> page = new ArrayList<>();
        for (String name : names) {
            if (page.size() == limit) {
                break;
            }
            try {
                files.read(deadLetters.resolve(name), DeadLetter.class).filter(filter).ifPresent(page::add);
            } catch (IOException e) {
                LOG.errorf("Dead letter %s is unreadable: %s", name, e.getMessage());
            }
        }
        return page;
    }

    public boolean deleteDeadLetter(String id) throws IOException {
        return isId(id) && Files.deleteIfExists(deadLetters.resolve(id + ".json"));
    }

    /** Hourly, in one sweep: the finished updates' files older than leadsync.delivery.keep-done. */
    @Scheduled(identity = "prune-done", every = "1h", delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void pruneDone() throws IOException {
        int pruned = pruneDone(Instant.now().minus(config.delivery().keepDone()));
        if (pruned > 0) {
            LOG.infof("Pruned %d finished lead updates' files older than %s", pruned, config.delivery().keepDone());
        }
    }

    /**
     * Deletes the inbox files of finished updates (moved to {@code done/<crm>/} by the delivery routes)
     * last modified before the cut-off; returns how many. Their receipts stay.
     */
    public int pruneDone(Instant before) throws IOException {
        int pruned = 0;
        for (String crm : CatalogSources.CRMS) {
            Path dir = done.resolve(crm);
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.json")) {
                for (Path file : files) {
                    if (Files.getLastModifiedTime(file).toInstant().isBefore(before) && Files.deleteIfExists(file)) {
                        pruned++;
                    }
                }
            }
        }
        return pruned;
    }

    /** Ids are ours (UUIDs): anything else never reaches the file system. */
    private static boolean isId(String id) {
        return id != null && ID.matcher(id).matches();
    }

    private static String sha256(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
