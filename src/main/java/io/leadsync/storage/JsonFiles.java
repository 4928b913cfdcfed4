package io.leadsync.storage;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Durable JSON documents on the file system, the embedded default's storage: a write goes to a hidden
 * temporary file, is forced to disk, then renamed over the target, so a reader (or a crash) sees the
 * old document or the new one, never half of one. Hidden names (".…") are never picked up by a Camel
 * file consumer.
 */
public final class JsonFiles {

    private final ObjectMapper json;

    public JsonFiles(ObjectMapper json) {
        this.json = json;
    }

    public void write(Path target, Object document) throws IOException {
        Path dir = target.getParent();
        Files.createDirectories(dir);
        Path temp = Files.createTempFile(dir, ".tmp-", ".part");
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE);
                    OutputStream out = Channels.newOutputStream(channel)) {
                json.writeValue(nonClosing(out), document);
                channel.force(true);
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    public <T> Optional<T> read(Path file, Class<T> type) throws IOException {
        try {
            return Optional.of(json.readValue(file.toFile(), type));
        } catch (NoSuchFileException | java.io.FileNotFoundException absent) {
            return Optional.empty();
        }
    }

    private static OutputStream nonClosing(OutputStream out) {
        return new java.io.FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                flush();
            }
        };
    }
}
