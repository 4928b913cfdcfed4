package io.leadsync.model;

import java.time.Instant;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * One difference between two polls of a source's catalog. {@code before} is null for ADDED,
 * {@code after} is null for REMOVED.
 */
@RegisterForReflection
public record StageChange(String source, Entity entity, Kind kind, String id, String name,
        CatalogItem before, CatalogItem after, Instant detectedAt) {

    public enum Entity {
        STAGE, LOST_REASON
    }

    public enum Kind {
        ADDED, REMOVED, RENAMED, ARCHIVED, REACTIVATED,
        /** Same id, name and state, but another category, pipeline or position. */
        CHANGED
    }
}
