package io.leadsync.webhooks;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import io.leadsync.webhooks.Incoming.InvalidPayloadException;

/**
 * Truto's webhook events (truto.one/docs/guides/webhooks/processing-webhook-events): {@code id} unique per event,
 * {@code event} as {@code entity:action}, {@code payload} the data, {@code created_at} when Truto generated it
 * (the overview's advice against replays: refuse an old one, and remember ids). {@code record:created} and
 * {@code record:updated} of the unified {@code crm/leads} resource carry a lead: {@code payload.integrated_account_id},
 * {@code payload.resource} and {@code payload.record}, the lead in the unified model leadsync also writes
 * ({@code status} its stage, {@code phone_numbers[].number}). Other events are answered and not stored.
 */
final class TrutoEvents {

    private static final Set<String> RECORD_EVENTS = Set.of("record:created", "record:updated");
    /** The docs show both "2023-06-16T09:21:22.000Z" and "2024-09-10 12:00:00" (UTC). */
    private static final DateTimeFormatter SPACED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss[.SSS]");

    private TrutoEvents() {
    }

    /** The event, checked; {@code accounts} are the configured integrated accounts, {@code maxAge} the oldest taken. */
    static Incoming read(JsonNode root, List<String> accounts, Duration maxAge) {
        if (!root.isObject()) {
            throw new InvalidPayloadException("body must be a JSON object, not " + JsonFields.describe(root));
        }
        String id = JsonFields.text(root, "", "id");
        String event = JsonFields.text(root, "", "event");
        Instant createdAt = time(JsonFields.text(root, "", "created_at"));
        Instant now = Instant.now();
        if (createdAt.isBefore(now.minus(maxAge)) || createdAt.isAfter(now.plus(maxAge))) {
            throw new StaleEventException("event " + id + " was created at " + createdAt + ", more than "
                    + maxAge.toSeconds() + " s (leadsync.webhooks.max-age) from now: refused as a possible replay");
        }
        JsonNode payload = JsonFields.object(root, "", "payload");
        if (!RECORD_EVENTS.contains(event)) {
            return Incoming.ignored("event " + event + " is not a lead's change (leadsync takes " + RECORD_EVENTS + ")");
        }
        String account = JsonFields.text(payload, "payload.", "integrated_account_id");
        String resource = JsonFields.text(payload, "payload.", "resource");
        if (!resource.equals("crm/leads")) {
            return Incoming.ignored("resource " + resource + " is not crm/leads");
        }
        if (!accounts.contains(account)) {
            return Incoming.ignored("integrated account " + account + " is not one of leadsync.truto.integrated-account-ids");
        }
        JsonNode record = JsonFields.object(payload, "payload.", "record");
        String stage = JsonFields.optionalText(record, "payload.record.", "status");
        String phone = phone(record.get("phone_numbers"));
        if (stage == null || phone == null) {
            return Incoming.ignored("lead " + record.path("id").asText("?") + " has " + (stage == null ? "no status (stage)" : "no phone number"));
        }
        return new Incoming("truto:" + account, id, event, phone, stage, createdAt, null);
    }

    /** The first number of the lead as E.164; null when it has none. */
    private static String phone(JsonNode numbers) {
        if (numbers == null || numbers.isNull()) {
            return null;
        }
        if (!numbers.isArray()) {
            throw new InvalidPayloadException("payload.record.phone_numbers must be an array of {number}, not "
                    + JsonFields.describe(numbers));
        }
        for (int i = 0; i < numbers.size(); i++) {
            JsonNode number = numbers.get(i);
            if (!number.isObject()) {
                throw new InvalidPayloadException("payload.record.phone_numbers[" + i + "] must be a JSON object {number}, not "
                        + JsonFields.describe(number));
            }
            String text = JsonFields.optionalText(number, "payload.record.phone_numbers[" + i + "].", "number");
            if (text != null) {
                String e164 = PhoneNumbers.e164(text);
                if (e164 == null) {
                    throw new InvalidPayloadException("payload.record.phone_numbers[" + i
                            + "].number must be a phone number with its country code, not '" + text + "'");
                }
                return e164;
            }
        }
        return null;
    }

    private static Instant time(String text) {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException iso) {
            try {
                return LocalDateTime.parse(text, SPACED).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException spaced) {
                throw new InvalidPayloadException("created_at must be a time like 2024-09-10T12:00:00.000Z, not '" + text + "'");
            }
        }
    }

    /** An authentic event too old (or too far ahead) to be taken: a replay, or a clock far off. */
    static class StaleEventException extends RuntimeException {
        StaleEventException(String message) {
            super(message);
        }
    }
}
