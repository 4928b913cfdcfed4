package io.leadsync.delivery;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.leadsync.storage.TimeOrderedIds;
import io.leadsync.etl.EtlJobs;
import io.leadsync.etl.EtlRun;
import io.leadsync.etl.ExportRun;
import io.leadsync.model.DeadLetter;
import io.leadsync.model.LeadUpdate;
import io.quarkus.runtime.annotations.RegisterForReflection;
import org.apache.camel.ConsumerTemplate;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.ProducerTemplate;
import org.jboss.logging.Logger;

/**
 * Lead updates dropped as files into {@code leadsync.intake.dir}: JSON Lines (one update per line) or
 * CSV (a header row of target, leadId, phone, name, email, stage, stageSource, lostReason; other columns
 * become {@code fields}). Lines are streamed one at a time; a line that is not a valid update becomes a
 * VALIDATION dead letter naming the file and line, and the rest of the file goes through.
 */
@ApplicationScoped
@RegisterForReflection // the routes call its methods by name
@Named("fileIntake")
public class FileIntake {

    /** The exchange property that counts a file's lines. */
    public static final String TALLY = "intakeTally";

    private static final Logger LOG = Logger.getLogger(FileIntake.class);
    /** The import directory, read on demand; files move aside like the intake directory's. */
    private static final String IMPORT_DIR = "file:{{leadsync.etl.lead-import.dir}}?antInclude=*.jsonl,*.csv"
            + "&readLock=changed&readLockMinAge={{leadsync.intake.min-age-ms}}"
            + "&move=.done/${date:now:yyyyMMdd-HHmmss}-${file:name}"
            + "&moveFailed=.failed/${date:now:yyyyMMdd-HHmmss}-${file:name}";
    private static final Set<String> COLUMNS = Set.of("target", "leadId", "phone", "name", "email", "stage",
            "stageSource", "lostReason");

    @Inject
    ObjectMapper json;

    @Inject
    LeadUpdateReader reader;

    @Inject
    LeadStore store;

    @Inject
    EtlJobs etl;

    @Inject
    ConsumerTemplate files;

    @Inject
    ProducerTemplate routes;

    /** One line of an intake file: the update read from it, or why it could not be read. */
    @RegisterForReflection
    public record Line(String file, long number, LeadUpdate update, String error, String raw) {
        String origin() {
            return "file " + file + " line " + number;
        }
    }

    /** What became of a file's lines. */
    public static final class Tally {
        final Instant started = Instant.now();
        int rows;
        int accepted;
        final List<Long> rejected = new ArrayList<>();
    }

    /** The file's lines, read lazily, for a streaming splitter. */
    public Iterator<Line> lines(Exchange exchange) {
        String file = exchange.getMessage().getHeader(Exchange.FILE_NAME_ONLY, String.class);
        exchange.setProperty(TALLY, new Tally());
        InputStream in = exchange.getMessage().getBody(InputStream.class);
        Reader text = new InputStreamReader(in, StandardCharsets.UTF_8);
        return file.toLowerCase().endsWith(".csv") ? csv(file, text) : jsonLines(file, new BufferedReader(text));
    }

    /** Accepts one line's update into the inbox, or parks the line as a dead letter. */
    public void accept(Line line, @ExchangeProperty(TALLY) Tally tally) throws IOException {
        synchronized (tally) {
            tally.rows++;
        }
        if (line.update() != null) {
            store.accept(line.update(), null, line.origin());
            synchronized (tally) {
                tally.accepted++;
            }
            return;
        }
        store.save(new DeadLetter(TimeOrderedIds.next(), null, null, DeadLetter.Reason.VALIDATION, null, 0,
                Instant.now(), line.origin() + ": " + line.error(), null, line.origin(), line.raw()));
        synchronized (tally) {
            tally.rejected.add(line.number());
        }
    }

    /**
     * The file's summary: in the log, and in GET /etl/runs — counted into the run of the lead-import job
     * that read it, or as a "lead-import" run of its own for a file dropped in the intake directory.
     */
    public void summarize(Exchange exchange, @ExchangeProperty(TALLY) Tally tally,
            @ExchangeProperty(ExportRun.PROPERTY) ExportRun job) {
        String file = exchange.getMessage().getHeader(Exchange.FILE_NAME_ONLY, String.class);
        List<Long> lines;
        synchronized (tally) {
            lines = List.copyOf(tally.rejected);
        }
        if (job != null) {
            job.read(file);
            job.counted(tally.accepted);
            lines.forEach(line -> job.skip(file + " line " + line, "see GET /dead-letters"));
        } else {
            List<String> rejected = lines.stream().map(line -> "line " + line + ": see GET /dead-letters").toList();
            etl.record(new EtlRun(TimeOrderedIds.next(), "lead-import", "file " + file, tally.started, Instant.now(),
                    EtlRun.Status.SUCCEEDED, tally.accepted, rejected.size(), rejected, List.of(file), null));
        }
        LOG.infof("Intake %s: %d lines, %d accepted, %d rejected%s", file, tally.rows, tally.accepted,
                tally.rejected.size(), tally.rejected.isEmpty() ? "" : " (lines " + tally.rejected + ", see GET /dead-letters)");
    }

    /**
     * The lead-import job: every file waiting in {@code leadsync.etl.lead-import.dir}, one after the other,
     * through the same route as the intake directory's files. Each file moves to .done/ when read, or to
     * .failed/ when it could not be read at all, which fails the run once the other files are through.
     */
    public void importWaiting(@ExchangeProperty(ExportRun.PROPERTY) ExportRun job) {
        List<String> failed = new ArrayList<>();
        Exchange file;
        while ((file = files.receiveNoWait(IMPORT_DIR)) != null) {
            file.setProperty(ExportRun.PROPERTY, job);
            try {
                routes.send("direct:lead-file", file);
                if (file.getException() != null) {
                    failed.add(file.getMessage().getHeader(Exchange.FILE_NAME_ONLY, String.class) + " ("
                            + file.getException().getMessage() + ")");
                }
            } finally {
                files.doneUoW(file); // the file component moves the file now
            }
        }
        if (!failed.isEmpty()) {
            throw new IllegalStateException(failed.size() + " file(s) could not be read and were moved to .failed/: "
                    + String.join("; ", failed));
        }
    }

    private Iterator<Line> jsonLines(String file, BufferedReader lines) {
        return new Iterator<>() {
            long number;
            String next = advance();

            private String advance() {
                try {
                    String line;
                    do {
                        line = lines.readLine();
                        number++;
                    } while (line != null && line.isBlank());
                    if (line == null) {
                        lines.close();
                    }
                    return line;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }

            public boolean hasNext() {
                return next != null;
            }

            public Line next() {
                if (next == null) {
                    throw new NoSuchElementException();
                }
                String raw = next;
                long at = number;
                next = advance();
                return read(file, at, raw, () -> reader.read(raw));
            }
        };
    }

    private Iterator<Line> csv(String file, Reader text) {
        MappingIterator<Map<String, String>> rows;
        try {
            rows = new CsvMapper().readerForMapOf(String.class)
                    .with(CsvSchema.emptySchema().withHeader()).readValues(text);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the header row of " + file, e);
        }
        return new Iterator<>() {
            public boolean hasNext() {
                return rows.hasNext();
            }

            public Line next() {
                long line = rows.getCurrentLocation().getLineNr() + (rows.getCurrentLocation().getColumnNr() > 1 ? 1 : 0);
                try {
                    Map<String, String> row = rows.nextValue();
                    return read(file, line, String.valueOf(row), () -> reader.read(toUpdate(row)));
                } catch (IOException | RuntimeException e) {
                    return new Line(file, line, null, "not a CSV row: " + e.getMessage(), null);
                }
            }
        };
    }

    private ObjectNode toUpdate(Map<String, String> row) {
        ObjectNode update = json.createObjectNode();
        ObjectNode fields = json.createObjectNode();
        row.forEach((column, value) -> {
            if (value == null || value.isEmpty()) {
                return;
            }
            if (COLUMNS.contains(column)) {
                update.put(column, value);
            } else {
                fields.put(column, value);
            }
        });
        if (!fields.isEmpty()) {
            update.set("fields", fields);
        }
        return update;
    }

    private static Line read(String file, long number, String raw, java.util.function.Supplier<LeadUpdate> read) {
        try {
            return new Line(file, number, read.get(), null, raw);
        } catch (InvalidUpdateException e) {
            return new Line(file, number, null, e.getMessage(), raw);
        }
    }
}
