package io.leadsync.catalog;

import java.time.Instant;
import java.util.List;

import io.leadsync.model.LostReason;
import io.leadsync.model.Stage;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** The last good catalog of one source: what GET /stages serves and what is kept on disk. */
@RegisterForReflection
public record SourceCatalog(String source, Instant polledAt, List<Stage> stages, List<LostReason> lostReasons,
        List<String> warnings) {
}
