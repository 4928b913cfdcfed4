package io.leadsync.intake;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.SimpleDateFormat;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
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
import org.apache.camel.Body;
import org.apache.camel.ConsumerTemplate;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.apache.camel.ProducerTemplate;
import org.jboss.logging.Logger;
import io.leadsync.delivery.LeadStore;

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
    /**
     * The prefix of a file moved to .done/ or .failed/: when its exchange was created, so the reason written
     * beside a failed file ({@link #failed}) gets the very name the file component moves it to.
     */
    static final String STAMP = "yyyyMMdd-HHmmss";
    /** The import directory, read on demand; files move aside like the intake directory's. */
    private static final String IMPORT_DIR = "file:{{leadsync.etl.lead-import.dir}}?antInclude=*.jsonl,*.csv"
            + "&readLock=changed&readLockMinAge={{leadsync.intake.min-age-ms}}&readLockMinLength=0"
            + "&move=.done/${date:exchangeCreated:" + STAMP + "}-${file:name}"
            + "&moveFailed=.failed/${date:exchangeCreated:" + STAMP + "}-${file:name}";
    private static final CsvMapper CSV = new CsvMapper();
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

    /** What a file without a single update is said to be, in its summary and the log. */
    static final String EMPTY = "empty: no lines to read, no updates";

    /** What became of a file's lines. */
    public static final class Tally {
        final Instant started = Instant.now();
        long lastLine;
        int rows;
        int accepted;
        final List<Long> rejected = new ArrayList<>();
    }

    /** A file's tally (property intakeTally), empty until its lines are read. */
    public Tally newTally() {
        return new Tally();
    }

    /** The file's lines, read lazily, for a streaming splitter. */
    public Iterator<Line> lines(@Header(Exchange.FILE_NAME_ONLY) String file, @Body InputStream content)
            throws IOException {
        IntakeLines lines = new IntakeLines(content);
        return file.toLowerCase().endsWith(".csv") ? csv(file, lines) : jsonLines(file, lines);
    }

    /** Accepts one line's update into the store, or parks the line as a dead letter. */
    public void accept(Line line, @ExchangeProperty(TALLY) Tally tally) throws IOException {
        synchronized (tally) {
            tally.rows++;
            tally.lastLine = Math.max(tally.lastLine, line.number());
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
    public void summarize(@Header(Exchange.FILE_NAME_ONLY) String file, @ExchangeProperty(TALLY) Tally tally,
            @ExchangeProperty(ExportRun.PROPERTY) ExportRun job) {
        List<Long> lines;
        synchronized (tally) {
            lines = List.copyOf(tally.rejected);
        }
        if (job != null) {
            job.read(file);
            job.counted(tally.accepted);
            lines.forEach(line -> job.skip(file + " line " + line, "see GET /dead-letters"));
        } else {
            List<String> rejected = new ArrayList<>(lines.stream().map(line -> "line " + line + ": see GET /dead-letters").toList());
            if (tally.rows == 0) {
                rejected.add(EMPTY);
            }
            etl.record(new EtlRun(TimeOrderedIds.next(), "lead-import", "file " + file, tally.started, Instant.now(),
                    EtlRun.Status.SUCCEEDED, tally.accepted, lines.size(), rejected, List.of(file), null));
        }
        if (tally.rows == 0) {
            LOG.infof("Intake %s: %s", file, EMPTY);
            return;
        }
        LOG.infof("Intake %s: %d lines, %d accepted, %d rejected%s", file, tally.rows, tally.accepted,
                tally.rejected.size(), tally.rejected.isEmpty() ? "" : " (lines " + tally.rejected + ", see GET /dead-letters)");
    }

    /**
     * A file that could not be read through: the reason goes beside it in .failed/ ({@code <name>.reason.txt})
     * and in the log, then the failure goes on to the file component, which moves the file there.
     */
    // Exchange: the reason file is named after the exchange's creation time, as the route's moveFailed names the file.
    public void failed(Exchange exchange, @ExchangeProperty(TALLY) Tally tally) throws Exception {
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        String file = exchange.getMessage().getHeader(Exchange.FILE_NAME_ONLY, String.class);
        String parent = exchange.getMessage().getHeader(Exchange.FILE_PARENT, String.class);
        String moved = new SimpleDateFormat(STAMP).format(new Date(exchange.getClock().getCreated())) + "-" + file;
        String accepted = tally == null || tally.rows == 0 ? "no line was read"
                : tally.accepted + " line(s) were accepted and " + tally.rejected.size()
                        + " dead-lettered before it: resubmit only the lines after line " + tally.lastLine;
        String reason = "could not read " + file + ": " + cause + "\n" + accepted + "\n";
        LOG.errorf("Intake %s moved to .failed/%s: %s; %s", file, moved, cause, accepted);
        try {
            Path failedDir = Path.of(parent, ".failed");
            Files.createDirectories(failedDir);
            Files.writeString(failedDir.resolve(moved + ".reason.txt"), reason, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            LOG.errorf(e, "Could not write the reason beside .failed/%s", moved);
        }
        throw cause;
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

    private Iterator<Line> jsonLines(String file, IntakeLines lines) {
        return new Records(lines, false) {
            Line read(IntakeLines.Record record) {
                return FileIntake.read(file, record, () -> reader.read(record.text()));
            }
        };
    }

    /** CSV: the first record names the columns; each later record is parsed on its own, so one bad row stays one. */
    private Iterator<Line> csv(String file, IntakeLines lines) throws IOException {
        IntakeLines.Record header = lines.next(true);
        if (header == null) {
            lines.close();
            return java.util.Collections.emptyIterator();
        }
        if (header.error() != null) {
            throw new IOException("the header row (line " + header.line() + ") cannot be read: " + header.error());
        }
        List<String> columns = CSV.readerForListOf(String.class).readValue(header.text()); // schemaless: a row is an array
        if (columns.stream().anyMatch(c -> c == null || c.isBlank()) || columns.size() != Set.copyOf(columns).size()) {
            throw new IOException("the header row (line " + header.line() + ") must name each column once: " + columns);
        }
        ObjectReader rows = CSV.readerForMapOf(String.class)
                .with(CsvSchema.builder().addColumns(columns, CsvSchema.ColumnType.STRING).build());
        return new Records(lines, true) {
            Line read(IntakeLines.Record record) {
                if (record.error() != null) {
                    return FileIntake.read(file, record, null);
                }
                Map<String, String> row;
                try {
                    row = rows.readValue(record.text());
                } catch (JsonProcessingException e) {
                    return new Line(file, record.line(), null, "not a CSV row: " + e.getOriginalMessage(), record.text());
                } catch (IOException e) {
                    throw new UncheckedIOException(e); // reading a String: not expected
                }
                return FileIntake.read(file, record, () -> reader.read(toUpdate(row)));
            }
        };
    }

    /** An intake file's records as Lines, read one ahead; an unreadable record is a Line with its error. */
    private abstract static class Records implements Iterator<Line> {
        private final IntakeLines lines;
        private final boolean csvQuotes;
        private IntakeLines.Record next;

        Records(IntakeLines lines, boolean csvQuotes) {
            this.lines = lines;
            this.csvQuotes = csvQuotes;
            advance();
        }

        abstract Line read(IntakeLines.Record record);

        private void advance() {
            try {
                next = lines.next(csvQuotes);
                if (next == null) {
                    lines.close();
                }
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
            IntakeLines.Record record = next;
            advance();
            return read(record);
        }
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

    private static Line read(String file, IntakeLines.Record record, java.util.function.Supplier<LeadUpdate> read) {
        if (record.error() != null) {
            return new Line(file, record.line(), null, record.error(), record.shown());
        }
        try {
            return new Line(file, record.line(), read.get(), null, record.text());
        } catch (InvalidUpdateException e) {
            return new Line(file, record.line(), null, e.getMessage(), record.text());
        }
    }
}
