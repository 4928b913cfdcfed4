package io.leadsync.model;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** A reason a lead was lost, as a CRM lists it; archived reasons are {@code active:false}. */
@RegisterForReflection
public record LostReason(String source, String id, String name, boolean active) implements CatalogItem {
}
