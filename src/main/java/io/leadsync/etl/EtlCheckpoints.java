package io.leadsync.etl;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadsync.config.LeadsyncConfig;
import io.leadsync.storage.JsonFiles;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Where each incremental job's last successful run ended ({@code <data-dir>/etl/checkpoints/<job>.json}):
 * the next run starts there. Only a successful run moves it.
 */
@ApplicationScoped
public class EtlCheckpoints {

    @RegisterForReflection
    public record Checkpoint(String job, long value, Instant savedAt) {
    }

    @Inject
    LeadsyncConfig config;

    @Inject
    ObjectMapper json;

    public Optional<Long> load(String job) {
        try {
            return new JsonFiles(json).read(file(job), Checkpoint.class).map(Checkpoint::value);
        } catch (IOException e) {
            throw new UncheckedIOException("the checkpoint of " + job + " is unreadable (" + file(job)
                    + "); delete it to start over with a full run", e);
        }
    }

    public void save(String job, long value) throws IOException {
        new JsonFiles(json).write(file(job), new Checkpoint(job, value, Instant.now()));
    }

    private Path file(String job) {
        return config.dataDir().resolve("etl").resolve("checkpoints").resolve(job + ".json");
    }
}
