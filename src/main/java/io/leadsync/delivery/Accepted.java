package io.leadsync.delivery;

import java.time.Instant;

import io.leadsync.model.LeadUpdate;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** An accepted update as it waits in the store, and where it came from: the document the delivery route picks up. */
@RegisterForReflection
public record Accepted(String id, Instant acceptedAt, LeadUpdate update, String origin) {

    /** How a sync flow's updates (io.leadsync.sync) begin their origin: echoes and read before write know them by it. */
    public static final String SYNC_FLOW = "sync flow ";

    public boolean fromSyncFlow() {
        return origin != null && origin.startsWith(SYNC_FLOW);
    }
}
