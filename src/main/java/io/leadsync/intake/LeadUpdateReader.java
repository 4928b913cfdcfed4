package io.leadsync.intake;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadsync.api.StrictJson;
import io.leadsync.catalog.CatalogSources;
import io.leadsync.crm.Crm;
import io.leadsync.crm.Crms;
import io.leadsync.model.LeadUpdate;

/**
 * Reads a lead update from JSON, strictly: every problem is reported with the field it
 * is in, so a caller can fix its request without reading our code.
 */
@ApplicationScoped
public class LeadUpdateReader {

    private static final Set<String> FIELDS = Set.of("target", "leadId", "phone", "name", "email", "stage",
            "stageSource", "lostReason", "fields", "actions");
    private static final String E164 = "\\+?[1-9][0-9]{6,14}";
    /** An address a CRM takes: one @, no spaces, a dot in the domain; the CRM does the rest. */
    private static final String EMAIL = "[^@\\s]{1,64}@[^@\\s.]+(\\.[^@\\s.]+)+";
    /** An id or a name fits in this; longer is a mistake, not a lead. */
    private static final int MAX_TEXT = 1000;

    @Inject
    ObjectMapper json;

    @Inject
    CatalogSources sources;

    /** Reads an update from a body's or an intake line's text, strictly ({@link StrictJson}). */
    public LeadUpdate read(String body) {
        JsonNode root;
        try {
            root = StrictJson.read(body);
        } catch (StrictJson.InvalidJsonException e) {
            throw new InvalidUpdateException("body " + e.getMessage());
        }
        return read(root);
    }

    public LeadUpdate read(JsonNode root) {
        if (root == null || !root.isObject()) {
            throw new InvalidUpdateException("body must be a JSON object");
        }
        for (Iterator<String> names = root.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw new InvalidUpdateException("unknown field '" + name + "'; the fields are " + FIELDS);
            }
        }
        String target = text(root, "target");
        if (target == null || target.isBlank()) {
            throw new InvalidUpdateException("field 'target' is required: one of " + sources.enabled());
        }
        enabledSource("target", target, "target");
        String stageSource = text(root, "stageSource");
        if (stageSource != null) {
            // Checked here like the target, not left to the delivery: a stage of no source could only be a dead letter.
            enabledSource("stageSource", stageSource, "source");
        }
        LeadUpdate update = new LeadUpdate(target, text(root, "leadId"), text(root, "phone"), text(root, "name"),
                text(root, "email"), text(root, "stage"), stageSource, text(root, "lostReason"),
                object(root.get("fields"), "fields"), actions(root.get("actions")));
        identify(update);
        if (update.email() != null && !update.email().matches(EMAIL)) {
            throw new InvalidUpdateException("field 'email': '" + update.email() + "' is not an e-mail address (name@domain)");
        }
        return update;
    }

    /** A field that names a source (a target, a stage's source) must name an enabled one: the problem lists them. */
    private void enabledSource(String field, String value, String what) {
        List<String> enabled = sources.enabled();
        if (!enabled.contains(value)) {
            throw new InvalidUpdateException("field '" + field + "': '" + value + "' is not an enabled " + what + "; the "
                    + what + "s are " + enabled);
        }
    }

    /** Every target needs a way to find or create the lead. */
    private static void identify(LeadUpdate update) {
        if (update.phone() != null && !update.phone().matches(E164)) {
            throw new InvalidUpdateException("field 'phone': '" + update.phone()
                    + "' is not a phone number in E.164 form (+ and 7 to 15 digits)");
        }
        Crm crm = Crms.named(update.crm()).orElseThrow(); // an enabled source's (read checks that first)
        if (crm.upsertsByPhone() && update.phone() == null) {
            throw new InvalidUpdateException("field 'phone' is required for target " + update.target() + " (it upserts by phone)");
        }
        if (!crm.upsertsByPhone() && update.leadId() == null && update.phone() == null) {
            throw new InvalidUpdateException("field 'leadId' or 'phone' is required for target " + update.target());
        }
        if (update.actions() != null && !crm.takesActions()) {
            List<String> taking = Crms.ALL.stream().filter(Crm::takesActions).map(Crm::title).toList();
            throw new InvalidUpdateException("field 'actions': only " + String.join(" and ", taking)
                    + (taking.size() == 1 ? " takes" : " take") + " actions, not " + update.target());
        }
    }

    private static String text(JsonNode root, String field) {
        JsonNode value = root.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new InvalidUpdateException("field '" + field + "' must be a string, not " + value.getNodeType().name().toLowerCase());
        }
        String text = value.asText();
        if (text.isBlank()) {
            throw new InvalidUpdateException("field '" + field + "' must not be empty: leave it out instead");
        }
        if (text.length() > MAX_TEXT) {
            throw new InvalidUpdateException("field '" + field + "' is longer than " + MAX_TEXT + " characters");
        }
        if (text.chars().anyMatch(c -> Character.isISOControl(c))) {
            throw new InvalidUpdateException("field '" + field + "' must not contain control characters");
        }
        return text;
    }

    private Map<String, Object> object(JsonNode value, String field) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isObject()) {
            throw new InvalidUpdateException("field '" + field + "' must be an object of the target's own fields");
        }
        Map<String, Object> map = new LinkedHashMap<>();
        value.fields().forEachRemaining(e -> map.put(e.getKey(), json.convertValue(e.getValue(), Object.class)));
        return map;
    }

    private List<LeadUpdate.Action> actions(JsonNode value) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isArray()) {
            throw new InvalidUpdateException("field 'actions' must be an array of {\"type\",\"fields\"}");
        }
        List<LeadUpdate.Action> actions = new ArrayList<>();
        for (int i = 0; i < value.size(); i++) {
            JsonNode action = value.get(i);
            String where = "actions[" + i + "]";
            if (!action.isObject()) {
                throw new InvalidUpdateException("field '" + where + "' must be an object");
            }
            JsonNode type = action.get("type");
            if (type == null || !type.isTextual() || type.asText().isBlank()) {
                throw new InvalidUpdateException("field '" + where + ".type' is required: a custom action code or PAYMENT");
            }
            actions.add(new LeadUpdate.Action(type.asText(), object(action.get("fields"), where + ".fields")));
        }
        return actions;
    }
}
