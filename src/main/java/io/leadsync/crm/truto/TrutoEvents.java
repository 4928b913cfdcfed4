package io.leadsync.crm.truto;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import io.leadsync.webhooks.Incoming;
import io.leadsync.webhooks.JsonFields;
import io.leadsync.webhooks.PhoneNumbers;
import io.leadsync.webhooks.Signatures;

/**
 * Truto's webhook events (truto.one/docs/guides/webhooks): an envelope of {@code id} (unique per event), {@code event}
 * (the event list page says {@code event_type}), {@code payload}, {@code created_at}, {@code environment_id},
 * {@code webhook_id}. Truto retries any 4xx or 5xx and then deactivates the webhook, so an authentic event is never
 * refused for its shape: whatever leadsync cannot use is answered 200 IGNORED with the reason, and stored so the
 * lead's history shows it.
 *
 * <p>A {@code record:*} payload is shaped per integration by a JSONata transform and may be overridden per
 * environment; no vendor example of a {@code crm/leads} record event exists. So the integrated account and the record
 * id are taken from wherever the payload carries them ({@code integrated_account_id}, {@code id},
 * {@code resource_id}, {@code record_id}, or a {@code record} / {@code snapshot} object), and the lead itself is read
 * through the Unified API when the sync flows carry it (io.leadsync.crm.truto.TrutoLeads): the record or snapshot in the
 * payload is only a hint. RapidBridge's {@code sync_job_run:record} delivers {@code {resource, records, meta}}: each
 * {@code crm/leads} record is a lead's change of its own.
 */
final class TrutoEvents {

    private static final String LEADS = "crm/leads";
    private static final Set<String> RECORD_EVENTS = Set.of("record:created", "record:updated");
    private static final String SYNC_RECORDS = "sync_job_run:record";
    /** The docs show both "2023-06-16T09:21:22.369Z" and "2024-09-10 12:00:00" (UTC). */
    private static final DateTimeFormatter SPACED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss[.SSS]");

    private TrutoEvents() {
    }

    /**
     * What an authentic event holds: one or more leads' changes to store, or why it carries none. {@code accounts}
     * are the configured integrated accounts, {@code maxAge} the oldest event taken (older: a possible replay).
     */
    static List<Incoming> read(JsonNode root, byte[] body, List<String> accounts, Duration maxAge) {
        if (!root.isObject()) {
            return List.of(Incoming.ignored("the body is " + JsonFields.describe(root) + ", not a Truto event"));
        }
        String event = firstText(root, "event", "event_type");
        String id = firstText(root, "id");
        if (id == null) {
            id = "sha256:" + Signatures.sha256Hex(body); // Truto documents a unique id; without one, the same bytes are the same event
        }
        Instant now = Instant.now();
        Instant createdAt = time(firstText(root, "created_at"));
        if (createdAt == null) {
            createdAt = now;
        } else if (createdAt.isBefore(now.minus(maxAge)) || createdAt.isAfter(now.plus(maxAge))) {
            // Not stored: an old event again may be a replay of one stored and carried already.
            return List.of(Incoming.ignored("event " + id + " was created at " + createdAt + ", more than "
                    + maxAge.toSeconds() + " s (leadsync.webhooks.max-age) from now: not taken, as a possible replay"));
        }
        String type = event == null ? "(none)" : event;
        if (event == null) {
            return List.of(Incoming.ignored("truto", id, type, createdAt, "the event names no event (nor event_type)"));
        }
        JsonNode payload = root.path("payload");
        if (!payload.isObject()) {
            return List.of(Incoming.ignored("truto", id, type, createdAt, "payload is " + JsonFields.describe(root.get("payload"))
                    + ", not a JSON object"));
        }
        if (event.equals(SYNC_RECORDS)) {
            return syncJobRecords(root, payload, id, createdAt, accounts);
        }
        if (!RECORD_EVENTS.contains(event)) {
            return List.of(Incoming.ignored("truto", id, type, createdAt, "event " + event
                    + " is not a lead's change (leadsync takes record:created, record:updated and sync_job_run:record of crm/leads)"));
        }
        JsonNode record = firstObject(payload, "record", "snapshot");
        String resource = firstText(payload, "resource", "resource_name");
        if (resource == null) {
            resource = firstText(root, "resource");
        }
        if (!LEADS.equals(resource)) {
            return List.of(Incoming.ignored("truto", id, type, createdAt, resource == null
                    ? "the payload names no resource (payload.resource)" : "resource " + resource + " is not " + LEADS));
        }
        String account = account(root, payload, record);
        String recordId = firstText(payload, "resource_id", "record_id", "id");
        if (recordId == null) {
            recordId = firstText(record, "id");
        }
        return List.of(lead(id, type, createdAt, account, recordId, record, accounts));
    }

    /** RapidBridge's sync_job_run:record: each crm/leads record of the batch is a change of its own. */
    private static List<Incoming> syncJobRecords(JsonNode root, JsonNode payload, String id, Instant createdAt,
            List<String> accounts) {
        String resource = firstText(payload, "resource", "resource_name");
        if (!LEADS.equals(resource)) {
            return List.of(Incoming.ignored("truto", id, SYNC_RECORDS, createdAt, resource == null
                    ? "the payload names no resource (payload.resource)" : "resource " + resource + " is not " + LEADS));
        }
        JsonNode records = payload.path("records");
        if (!records.isArray() || records.isEmpty()) {
            return List.of(Incoming.ignored("truto", id, SYNC_RECORDS, createdAt, "payload.records is "
                    + (records.isArray() ? "empty" : JsonFields.describe(payload.get("records"))) + ": no lead to carry"));
        }
        String account = account(root, payload, payload.path("meta"));
        List<Incoming> leads = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            JsonNode record = records.get(i);
            String recordId = record.isObject() ? firstText(record, "id") : null;
            String recordAccount = account != null ? account : account(record, record, record);
            // One stored event per record: the envelope's id with the record's (or its place in the batch).
            leads.add(lead(id + " record " + (recordId != null ? recordId : "#" + i), SYNC_RECORDS, createdAt,
                    recordAccount, recordId, record.isObject() ? record : null, accounts));
        }
        return leads;
    }

    /** A crm/leads record to read and carry, or why not. */
    private static Incoming lead(String id, String type, Instant createdAt, String account, String recordId,
            JsonNode record, List<String> accounts) {
        if (account == null) {
            return Incoming.ignored("truto", id, type, createdAt, "the payload names no integrated account"
                    + " (integrated_account_id): the lead cannot be read");
        }
        if (!accounts.contains(account)) {
            return Incoming.ignored("truto", id, type, createdAt, "integrated account " + account
                    + " is not one of leadsync.truto.integrated-account-ids");
        }
        String source = "truto:" + account;
        if (recordId == null) {
            return Incoming.ignored(source, id, type, createdAt, "the payload names no record id (id, resource_id,"
                    + " record.id): the lead cannot be read");
        }
        return new Incoming(source, id, type, phoneHint(record), firstText(record, "status"), recordId, createdAt, false,
                null);
    }

    /** The account from wherever the payload carries it: the payload, its record or meta, the envelope. */
    private static String account(JsonNode root, JsonNode payload, JsonNode inner) {
        for (JsonNode node : List.of(payload, inner == null ? payload : inner, root)) {
            String account = firstText(node, "integrated_account_id");
            if (account == null) {
                account = firstText(node.path("integrated_account"), "id");
            }
            if (account != null) {
                return account;
            }
        }
        return null;
    }

    /** The record's first phone number as E.164, or null: a hint only, so a bad one is no error. */
    private static String phoneHint(JsonNode record) {
        if (record == null) {
            return null;
        }
        for (JsonNode number : record.path("phone_numbers")) {
            String e164 = PhoneNumbers.e164(firstText(number, "number"));
            if (e164 != null) {
                return e164;
            }
        }
        return null;
    }

    /** The first of these fields that is a non-blank string or a number, as text (at most 1000 characters). */
    private static String firstText(JsonNode node, String... names) {
        if (node == null || !node.isObject()) {
            return null;
        }
        for (String name : names) {
            JsonNode value = node.get(name);
            if (value != null && (value.isTextual() || value.isIntegralNumber()) && !value.asText().isBlank()
                    && value.asText().length() <= 1000) {
                return value.asText();
            }
        }
        return null;
    }

    private static JsonNode firstObject(JsonNode node, String... names) {
        for (String name : names) {
            if (node.path(name).isObject()) {
                return node.get(name);
            }
        }
        return null;
    }

    /** ISO-8601 or "yyyy-MM-dd HH:mm:ss" (UTC); null when absent or neither. */
    static Instant time(String text) {
        if (text == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException iso) {
            try {
                return LocalDateTime.parse(text, SPACED).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException spaced) {
                return null;
            }
        }
    }
}
