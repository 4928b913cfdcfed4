package io.leadsync.intake;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import io.leadsync.api.StrictJson;

/**
 * An intake file's lines, whatever its bytes, in bounded memory: a line is at most {@link #MAX_LINE} bytes
 * (a longer one is skipped to its end and reported, never held), CRLF and LF both end a line, a UTF-8 BOM
 * at the start is dropped, and a line that is not UTF-8 is reported instead of being read with U+FFFD in it.
 * A CSV record may span lines inside a quoted value, so {@link #next(boolean)} can join lines until the
 * quotes balance (a quote byte never occurs inside a UTF-8 multi-byte character, so counting bytes is exact).
 */
final class IntakeLines implements AutoCloseable {

    static final int MAX_LINE = StrictJson.MAX_BYTES;
    /** How much of an unreadable line a dead letter keeps, for a person to recognise it. */
    private static final int SHOWN = 500;

    /** One record: its first line's number, and its text or why it could not be read. */
    record Record(long line, String text, String error, String shown) {
    }

    private final InputStream in;
    /** The record being read; grows up to MAX_LINE only. */
    private byte[] buffer = new byte[8192];
    private int size;
    private long quotes;
    private long lines;
    private boolean atStart = true;
    private boolean eof;

    IntakeLines(InputStream in) {
        this.in = new BufferedInputStream(in);
    }

    /** The next non-blank record, or null at the end; with {@code csvQuotes}, quoted line breaks join lines. */
    Record next(boolean csvQuotes) throws IOException {
        while (!eof) {
            size = 0;
            quotes = 0;
            long first = lines + 1;
            boolean tooLong;
            do {
                tooLong = size > 0 && !append('\n') || readLine();
            } while (csvQuotes && quotes % 2 == 1 && !eof && !tooLong);
            if (tooLong) {
                skipToRecordEnd(csvQuotes);
                return new Record(first, null, "line is longer than " + MAX_LINE / 1024 + " KiB", shown());
            }
            if (csvQuotes && quotes % 2 == 1) {
                return new Record(first, null, "a quoted value is never closed (a \" is missing before the end of the file)",
                        shown());
            }
            String text;
            try {
                text = StrictJson.utf8(buffer, size);
            } catch (StrictJson.InvalidJsonException e) {
                return new Record(first, null, "line " + e.getMessage(), shown());
            }
            if (!text.isBlank()) {
                return new Record(first, text, null, text);
            }
        }
        return null;
    }

    /** Reads one line onto the record, without its line end; true if it was cut at MAX_LINE. */
    private boolean readLine() throws IOException {
        int b;
        while ((b = in.read()) != -1 && b != '\n') {
            if (atStart && b == 0xEF) { // a BOM: EF BB BF
                in.mark(2);
                if (in.read() == 0xBB && in.read() == 0xBF) {
                    atStart = false;
                    continue;
                }
                in.reset();
            }
            atStart = false;
            if (b == '"') {
                quotes++;
            }
            if (!append(b)) {
                return true;
            }
        }
        atStart = false;
        lines++;
        eof = b == -1;
        if (size > 0 && buffer[size - 1] == '\r') { // CRLF
            size--;
        }
        return false;
    }

    private boolean append(int b) {
        if (size >= MAX_LINE) {
            return false;
        }
        if (size == buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.min(MAX_LINE, buffer.length * 2));
        }
        buffer[size++] = (byte) b;
        return true;
    }

    /** Past the rest of an over-long record, counting its lines, without keeping it. */
    private void skipToRecordEnd(boolean csvQuotes) throws IOException {
        int b;
        while ((b = in.read()) != -1) {
            if (b == '"') {
                quotes++;
            } else if (b == '\n') {
                lines++;
                if (!csvQuotes || quotes % 2 == 0) {
                    return;
                }
            }
        }
        lines++;
        eof = true;
    }

    private String shown() {
        String text = new String(buffer, 0, Math.min(size, SHOWN), StandardCharsets.UTF_8);
        return size > SHOWN ? text + "…" : text;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
