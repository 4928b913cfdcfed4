package io.leadsync.it;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A small tmpfs mounted on a directory, for the disk faults of a real file system: filled up by a filler file
 * (ENOSPC), emptied again. Mounting needs root (CI runs as root): without it the test fails when {@code CI} is set
 * and is skipped, saying why, elsewhere.
 */
final class Tmpfs implements AutoCloseable {

    private final Path dir;
    private final Path filler;

    private Tmpfs(Path dir) {
        this.dir = dir;
        this.filler = dir.resolve("filler");
    }

    /** Mounts a tmpfs of {@code size} (mount's syntax: {@code 16m}) on {@code dir}, created if need be. */
    static Tmpfs mount(Path dir, String size) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Result mounted = run("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", dir.toString());
        if (mounted.code() != 0) {
            String why = "cannot mount a tmpfs on " + dir + " (needs root): " + mounted.output();
            if (System.getenv("CI") != null) {
                Assertions.fail(why);
            }
            Assumptions.abort(why + "; the disk-fault tests are skipped (they run in CI, as root)");
        }
        return new Tmpfs(dir);
    }

    /** Writes the filler until the file system says it is full (ENOSPC); returns how many bytes it took. */
    long fill() throws IOException {
        byte[] chunk = new byte[64 * 1024];
        long written = 0;
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (true) {
                out.write(chunk);
                out.flush();
                written += chunk.length;
            }
        } catch (IOException full) {
            if (!String.valueOf(full.getMessage()).contains("No space left")) {
                throw full;
            }
        }
        try (OutputStream out = Files.newOutputStream(dir.resolve("filler-tail"))) { // the last partial chunk too
            for (int i = 0; i < chunk.length; i++) {
                out.write(0);
            }
        } catch (IOException full) {
            // full to the last byte
        }
        return written;
    }

    /** Deletes the filler: the space is back. */
    void free() throws IOException {
        Files.deleteIfExists(filler);
        Files.deleteIfExists(dir.resolve("filler-tail"));
    }

    /**
     * Remounts it read-only. The kernel refuses while any process has a file open for writing there ("mount point
     * is busy"): a running leadsync holds its SQLite files so, hence this is for a stopped one.
     */
    void readOnly() throws IOException, InterruptedException {
        remount("ro");
    }

    void writable() throws IOException, InterruptedException {
        remount("rw");
    }

    private void remount(String mode) throws IOException, InterruptedException {
        Result remounted = run("mount", "-o", "remount," + mode, dir.toString());
        Assertions.assertEquals(0, remounted.code(), "remount," + mode + " " + dir + ": " + remounted.output());
    }

    @Override
    public void close() throws IOException, InterruptedException {
        Result unmounted = run("umount", dir.toString());
        if (unmounted.code() != 0) {
            run("umount", "-l", dir.toString()); // a process still holds a file: detach now, gone when it lets go
        }
    }

    record Result(int code, String output) {
    }

    static Result run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return new Result(-1, String.join(" ", command) + " did not finish");
        }
        return new Result(process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip());
    }
}
