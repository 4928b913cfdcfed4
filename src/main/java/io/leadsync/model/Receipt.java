package io.leadsync.model;

import java.time.Instant;
import java.util.List;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** What became of an accepted update, as GET /leads/{id} shows it. */
@RegisterForReflection
public record Receipt(String id, String target, Status status, int attempts, String targetLeadId,
        List<Remark> remarks, String error, Instant acceptedAt, Instant updatedAt) {

    /** SKIPPED: not written, the target already had what the update sets (read before write); its remark says so. */
    public enum Status {
        PENDING, DELIVERED, SKIPPED, DEAD_LETTER
    }

    /**
     * A field or action the CRM dropped although it accepted the update (TeleCRM's IGNORED remarks), or the stage a
     * SKIPPED update did not write (status UNCHANGED).
     */
    @RegisterForReflection
    public record Remark(String field, String status, String remark) {
    }

    public static Receipt pending(String id, String target, Instant at) {
        return new Receipt(id, target, Status.PENDING, 0, null, List.of(), null, at, at);
    }

    public Receipt attempted(int count, String lastError, Instant at) {
        return new Receipt(id, target, Status.PENDING, count, targetLeadId, remarks, lastError, acceptedAt, at);
    }

    public Receipt delivered(int count, String leadId, List<Remark> dropped, Instant at) {
        return new Receipt(id, target, Status.DELIVERED, count, leadId, dropped, null, acceptedAt, at);
    }

    public Receipt skipped(int count, String leadId, Remark why, Instant at) {
        return new Receipt(id, target, Status.SKIPPED, count, leadId, List.of(why), null, acceptedAt, at);
    }

    public Receipt deadLettered(int count, String reason, Instant at) {
        return new Receipt(id, target, Status.DEAD_LETTER, count, targetLeadId, remarks, reason, acceptedAt, at);
    }
}
