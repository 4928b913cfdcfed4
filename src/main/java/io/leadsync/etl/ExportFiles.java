package io.leadsync.etl;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;

/**
 * The files of one export run, JSON Lines and CSV side by side, written record by record (memory stays
 * flat whatever the size) under hidden temporary names, and renamed into place only when the run
 * succeeds: a failed run leaves no complete-looking file.
 */
final class ExportFiles implements RecordSink {

    private final Path jsonl;
    private final Path csv;
    private final Path jsonlTemp;
    private final Path csvTemp;
    private final FileChannel jsonlChannel;
    private final FileChannel csvChannel;
    private final Writer jsonlOut;
    private final SequenceWriter csvOut;
    private final ObjectMapper json;
    private final List<String> columns;

    private static final java.time.format.DateTimeFormatter STAMP = java.time.format.DateTimeFormatter
            .ofPattern("yyyyMMdd'T'HHmmssSSS'Z'").withZone(java.time.ZoneOffset.UTC);

    /** The files of a run are named after its job and start: {@code <job>-<UTC time>.jsonl}. */
    static String baseName(String job, java.time.Instant started) {
        return job + "-" + STAMP.format(started);
    }

    /** Deletes a run's temporary files, left by a process that was killed while writing them; true if any was there. */
    static boolean dropTemporary(Path dir, String baseName) throws IOException {
        boolean jsonl = Files.deleteIfExists(dir.resolve("." + baseName + ".jsonl.part"));
        return Files.deleteIfExists(dir.resolve("." + baseName + ".csv.part")) || jsonl;
    }

    ExportFiles(Path dir, String baseName, List<String> columns, ObjectMapper json) {
        this.json = json;
        this.columns = columns;
        try {
            Files.createDirectories(dir);
            jsonl = dir.resolve(baseName + ".jsonl");
            csv = dir.resolve(baseName + ".csv");
            jsonlTemp = dir.resolve("." + baseName + ".jsonl.part");
            csvTemp = dir.resolve("." + baseName + ".csv.part");
            jsonlChannel = FileChannel.open(jsonlTemp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            csvChannel = FileChannel.open(csvTemp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            jsonlOut = writer(jsonlChannel);
            CsvSchema.Builder schema = CsvSchema.builder().setUseHeader(true);
            columns.forEach(schema::addColumn);
            csvOut = new CsvMapper().writerFor(Map.class).with(schema.build()).writeValues(writer(csvChannel));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the export files in " + dir, e);
        }
    }

    /** One record: every value of the JSON line; the CSV gets the columns, non-text values as JSON. */
    @Override
    public void write(Map<String, Object> record) throws IOException {
        jsonlOut.write(json.writeValueAsString(record));
        jsonlOut.write('\n');
        Map<String, String> row = new java.util.LinkedHashMap<>();
        for (String column : columns) {
            Object value = record.get(column);
            row.put(column, value == null ? "" : value instanceof String text ? text : json.writeValueAsString(value));
        }
        csvOut.write(row);
    }

    /** Forces both files to disk and renames them into place; returns their paths. */
    @Override
    public List<String> commit() throws IOException {
        jsonlOut.flush();
        csvOut.flush();
        jsonlChannel.force(true);
        csvChannel.force(true);
        closeQuietly();
        Files.move(jsonlTemp, jsonl, StandardCopyOption.ATOMIC_MOVE);
        Files.move(csvTemp, csv, StandardCopyOption.ATOMIC_MOVE);
        return new ArrayList<>(List.of(jsonl.toString(), csv.toString()));
    }

    /** Drops what was written: nothing of a failed run is left behind. */
    @Override
    public void abort() {
        closeQuietly();
        try {
            Files.deleteIfExists(jsonlTemp);
            Files.deleteIfExists(csvTemp);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void closeQuietly() {
        try {
            csvOut.close();
        } catch (IOException | RuntimeException ignored) {
            // already closed, or the channel failed: the temp file is dropped or renamed next
        }
        try {
            jsonlOut.close();
        } catch (IOException | RuntimeException ignored) {
            // as above
        }
    }

    private static Writer writer(FileChannel channel) {
        OutputStream out = Channels.newOutputStream(channel);
        return new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 64 * 1024);
    }
}
