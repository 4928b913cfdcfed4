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
    private final Map<String, String> from;
    private final Map<String, String> reached = new java.util.HashMap<>();
    private final List<String> inputs = new ArrayList<>();
    private long records;
    private long errors;
    private final List<String> skipped = new ArrayList<>();

    ExportRun(List<RecordSink> sinks, Map<String, String> from) {
        this.sinks = sinks;
        this.from = Map.copyOf(from);
    }

    /**
     * Where an incremental job starts reading a stream (TeleCRM: "created_on"; Truto: an account), from
     * its checkpoint; empty for a full run or a stream never read to the end.
     */
    public java.util.Optional<String> from(String stream) {
        return java.util.Optional.ofNullable(from.get(stream));
    }

    /** Notes how far a stream has been read: where the next run starts if this one succeeds. */
    public synchronized void reached(String stream, String position) {
        reached.put(stream, position);
    }

    public synchronized java.util.Optional<String> reached(String stream) {
        return java.util.Optional.ofNullable(reached.get(stream));
    }

    synchronized Map<String, String> reached() {
        return Map.copyOf(reached);
    }

    /** An input the run consumed (an imported file), listed with the run's outputs. */
    public synchronized void read(String input) {
        inputs.add(input);
    }

    /** Records counted without a sink (an import's accepted lines). */
    public synchronized void counted(long accepted) {
        records += accepted;
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
        List<String> outputs = new ArrayList<>(inputs);
        for (RecordSink sink : sinks) {
            outputs.addAll(sink.commit());
        }
        return outputs;
    }

    void abort() {
        sinks.forEach(RecordSink::abort);
    }
}
