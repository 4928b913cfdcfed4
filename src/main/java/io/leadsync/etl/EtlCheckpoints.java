package io.leadsync.etl;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadsync.config.LeadsyncConfig;
import io.leadsync.storage.JsonFiles;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Where each incremental job's last successful run ended ({@code <data-dir>/etl/checkpoints/<job>.json}),
 * per stream it reads (TeleCRM: "created_on"; Truto: one cursor per account): the next run starts there.
 * Only a successful run moves it.
 */
@ApplicationScoped
public class EtlCheckpoints {

    @RegisterForReflection
    public record Checkpoint(String job, Map<String, String> positions, Instant savedAt) {
    }

    @Inject
    LeadsyncConfig config;

    @Inject
    ObjectMapper json;

    public Map<String, String> load(String job) {
        try {
            Optional<Checkpoint> saved = new JsonFiles(json).read(file(job), Checkpoint.class);
            return saved.map(Checkpoint::positions).filter(Objects::nonNull).orElse(Map.of());
        } catch (IOException e) {
            throw new UncheckedIOException("the checkpoint of " + job + " is unreadable (" + file(job)
                    + "); delete it to start over with a full run", e);
        }
    }

    public void save(String job, Map<String, String> positions) throws IOException {
        new JsonFiles(json).write(file(job), new Checkpoint(job, positions, Instant.now()));
    }

    private Path file(String job) {
        return config.dataDir().resolve("etl").resolve("checkpoints").resolve(job + ".json");
    }
}
