package io.leadsync.crm.superfone;

import java.time.Instant;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import io.leadsync.webhooks.Incoming;
import io.leadsync.webhooks.Incoming.InvalidPayloadException;
import io.leadsync.webhooks.JsonFields;
import io.leadsync.webhooks.PhoneNumbers;
import io.leadsync.webhooks.Signatures;

/**
 * Superfone's event notifications of a lead (docs.superfone.dev/docs/crm/event-notifications/ and its
 * payload-reference page): one flat JSON object, {@code event} the event name, {@code contact_id} the lead,
 * {@code contact_phones} its numbers as {@code {phone, customer_id}}, {@code contact_lead_stage_name} its current
 * stage title, and for {@code *_CHANGE} events {@code updated_key} / {@code updated_value} what changed.
 * CUSTOMER_CREATE (a new lead) and CUSTOMER_CHANGE of {@code lead_stage} are stage changes; other notifications
 * are answered and not stored. The reference gives the payload neither an id nor a time: an event is known by
 * the hash of its body (a repeat of the lead's latest event within leadsync.webhooks.max-age is a retry) and timed by
 * its arrival. Its stage is only a hint: the sync flows read the lead's current stage when they carry it, so
 * notifications that arrive late, twice or swapped still leave the target at the stage Superfone shows last.
 */
final class SuperfoneNotifications {

    static final String SOURCE = "superfone";
    private static final Set<String> LEAD_EVENTS = Set.of("CUSTOMER_CREATE", "CUSTOMER_CHANGE");

    private SuperfoneNotifications() {
    }

    static Incoming read(JsonNode root, byte[] body) {
        if (!root.isObject()) {
            throw new InvalidPayloadException("body must be a JSON object, not " + JsonFields.describe(root));
        }
        String event = JsonFields.text(root, "", "event");
        if (!LEAD_EVENTS.contains(event)) {
            return Incoming.ignored("event " + event + " is not a lead's stage change (leadsync takes " + LEAD_EVENTS + ")");
        }
        JsonNode contactId = root.get("contact_id");
        if (contactId == null || !contactId.isIntegralNumber()) {
            throw new InvalidPayloadException("contact_id must be a number (the lead's id), not " + JsonFields.describe(contactId));
        }
        String phone = phone(root.get("contact_phones"));
        String updatedKey = JsonFields.optionalText(root, "", "updated_key");
        if (event.equals("CUSTOMER_CHANGE") && updatedKey == null) {
            throw new InvalidPayloadException("updated_key must say which field of the lead changed in a CUSTOMER_CHANGE, not "
                    + JsonFields.describe(root.get("updated_key")));
        }
        String stage = JsonFields.optionalText(root, "", "contact_lead_stage_name");
        if (event.equals("CUSTOMER_CHANGE") && !updatedKey.equals("lead_stage")) {
            return Incoming.ignored("CUSTOMER_CHANGE of " + updatedKey + " is not a stage change");
        }
        if (stage == null) {
            // updated_value is "the new value of updated_key": the stage's title when the current one is not given
            stage = JsonFields.optionalText(root, "", "updated_value");
        }
        return new Incoming(SOURCE, "sha256:" + Signatures.sha256Hex(body), event, phone, stage, contactId.asText(), Instant.now(), true,
                null);
    }

    /** The first of the lead's numbers, as E.164. */
    private static String phone(JsonNode phones) {
        if (phones == null || !phones.isArray() || phones.isEmpty()) {
            throw new InvalidPayloadException("contact_phones must be a non-empty array of {phone, customer_id}, not "
                    + JsonFields.describe(phones));
        }
        JsonNode first = phones.get(0);
        if (!first.isObject()) {
            throw new InvalidPayloadException("contact_phones[0] must be a JSON object {phone, customer_id}, not "
                    + JsonFields.describe(first));
        }
        String phone = JsonFields.text(first, "contact_phones[0].", "phone");
        String e164 = PhoneNumbers.e164(phone);
        if (e164 == null) {
            throw new InvalidPayloadException("contact_phones[0].phone must be a phone number with its country code, not '"
                    + phone + "'");
        }
        return e164;
    }
}
