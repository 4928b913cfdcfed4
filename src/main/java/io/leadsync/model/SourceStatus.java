package io.leadsync.model;

import java.time.Instant;
import java.util.List;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** How a source's catalog polling stands, as GET /stages reports it; {@code failingSince}: its first failure since OK. */
@RegisterForReflection
public record SourceStatus(String source, State status, Instant polledAt, String error, Instant failingSince, int stageCount,
        List<String> warnings) {

    public enum State {
        OK, FAILING, DISABLED,
        /** Enabled, but not polled yet since start-up and no saved catalog. */
        PENDING
    }
}
