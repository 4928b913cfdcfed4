package io.leadsync.etl;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The state of one export while its route runs: the files being written and what was counted. The
 * routes reach it as the exchange property {@link #PROPERTY}.
 */
@RegisterForReflection
public final class ExportRun {

    public static final String PROPERTY = "exportRun";

    /** Positions of skipped records kept for the run's listing; the count goes on past it. */
    private static final int SKIPPED_KEPT = 100;

    private final List<RecordSink> sinks;
    private final Long from;
    private Long reached;
    private long records;
    private long errors;
    private final List<String> skipped = new ArrayList<>();

    ExportRun(List<RecordSink> sinks, Long from) {
        this.sinks = sinks;
        this.from = from;
    }

    /** Where an incremental job starts (the checkpoint); empty for a full run. */
    public java.util.Optional<Long> from() {
        return java.util.Optional.ofNullable(from);
    }

    /** Notes how far the source has been read (for TeleCRM: a lead's created_on, epoch ms). */
    public synchronized void reached(long position) {
        reached = reached == null ? position : Math.max(reached, position);
    }

    synchronized java.util.Optional<Long> reached() {
        return java.util.Optional.ofNullable(reached);
    }

    public synchronized void write(Map<String, Object> record) throws IOException {
        for (RecordSink sink : sinks) {
            sink.write(record);
        }
        records++;
    }

    /** A malformed record: counted, its position kept, never silently dropped. */
    public synchronized void skip(String position, String reason) {
        errors++;
        if (skipped.size() < SKIPPED_KEPT) {
            skipped.add(position + ": " + reason);
        }
    }

    synchronized long records() {
        return records;
    }

    synchronized long errors() {
        return errors;
    }

    synchronized List<String> skipped() {
        return List.copyOf(skipped);
    }

    /** Commits every sink; returns where the records went. */
    List<String> commit() throws IOException {
        List<String> outputs = new ArrayList<>();
        for (RecordSink sink : sinks) {
            outputs.addAll(sink.commit());
        }
        return outputs;
    }

    void abort() {
        sinks.forEach(RecordSink::abort);
    }
}
