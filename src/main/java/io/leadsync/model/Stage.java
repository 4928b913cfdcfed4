package io.leadsync.model;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * One lead stage of one source, normalised. {@code category} is null where the CRM has no such
 * notion (Truto, unless configured).
 */
@RegisterForReflection
public record Stage(String source, String id, String name, String pipeline, StageCategory category,
        Integer position, boolean active) implements CatalogItem {
}
