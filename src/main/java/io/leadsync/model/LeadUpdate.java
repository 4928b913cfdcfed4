package io.leadsync.model;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * One change to one lead, for one target CRM. {@code stage} is a name in the target's
 * vocabulary, or in {@code stageSource}'s, then mapped; {@code fields} pass through as the target's own.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LeadUpdate(String target, String leadId, String phone, String name, String email, String stage,
        String stageSource, String lostReason, Map<String, Object> fields, List<Action> actions) {

    /** A TeleCRM timeline action: a custom code ("1001") or PAYMENT, with its fields. */
    @RegisterForReflection
    public record Action(String type, Map<String, Object> fields) {
    }

    /** The CRM part of the target: "telecrm", "superfone" or "truto". */
    public String crm() {
        return target.split(":", 2)[0];
    }

    /** The first word of the name, for CRMs that split names; null without a name. */
    public String firstName() {
        return name == null || name.isBlank() ? null : name.trim().split("\\s+", 2)[0];
    }

    /** The rest of the name after its first word; null if there is none. */
    public String lastName() {
        String[] names = name == null ? new String[0] : name.trim().split("\\s+", 2);
        return names.length > 1 ? names[1] : null;
    }

    /** The same update with the stage in the target's own vocabulary. */
    public LeadUpdate withStage(String targetStage) {
        return new LeadUpdate(target, leadId, phone, name, email, targetStage, null, lostReason, fields, actions);
    }

    /** Only what a flow's write to an existing lead changes: its stage (the name and e-mail go with a new lead). */
    public LeadUpdate stageOnly() {
        return new LeadUpdate(target, leadId, phone, null, null, stage, stageSource, null, null, null);
    }

    /**
     * What a person changed from {@code before}, field by field ("stage Hot → Qualified", "fields changed"): what
     * the lead's timeline says of an edited replay. Empty when nothing differs.
     */
    public List<String> changesFrom(LeadUpdate before) {
        List<String> changes = new java.util.ArrayList<>();
        changed(changes, "target", before.target, target);
        changed(changes, "lead", before.leadId, leadId);
        changed(changes, "phone", before.phone, phone);
        changed(changes, "name", before.name, name);
        changed(changes, "email", before.email, email);
        changed(changes, "stage", before.stage, stage);
        changed(changes, "stage source", before.stageSource, stageSource);
        changed(changes, "lost reason", before.lostReason, lostReason);
        if (!java.util.Objects.equals(before.fields, fields)) {
            changes.add("fields changed");
        }
        if (!java.util.Objects.equals(before.actions, actions)) {
            changes.add("actions changed");
        }
        return changes;
    }

    private static void changed(List<String> changes, String what, String before, String after) {
        if (!java.util.Objects.equals(before, after)) {
            changes.add(what + " " + (before == null ? "(none)" : before) + " → " + (after == null ? "(none)" : after));
        }
    }

    public LeadUpdate withLeadId(String id) {
        return new LeadUpdate(target, id, phone, name, email, stage, stageSource, lostReason, fields, actions);
    }
}
