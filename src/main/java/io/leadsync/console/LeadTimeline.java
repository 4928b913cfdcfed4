package io.leadsync.console;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.leadsync.delivery.LeadStore;
import io.leadsync.model.DeadLetter;
import io.leadsync.model.Receipt;
import io.leadsync.webhooks.PhoneNumbers;
import io.leadsync.webhooks.WebhookEvent;
import io.leadsync.webhooks.WebhookEvents;

/**
 * "Where is my lead": every event of one lead, newest first, from the store the API reads: its updates (accepted,
 * then their receipts), their dead letters and the CRMs' webhook events about it. A lead is its phone, in any CRM's
 * format; an update id finds the lead of that update. Paged by time: a page holds the newest {@link #PAGE} updates
 * and events before its cursor, cut where either list would have a gap.
 */
@ApplicationScoped
public class LeadTimeline {

    static final int PAGE = 50;
    private static final Pattern UPDATE_ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    @Inject
    LeadStore store;

    @Inject
    WebhookEvents events;

    /** One event on the timeline. {@code kind}: ACCEPTED, a receipt's status, DEAD_LETTER or WEBHOOK. */
    public record Item(Instant at, String kind, String status, String target, String title, String detail,
            String updateId, String deadLetterId) {
    }

    /** A page: the lead's phone (digits), its items, the update asked for, and the cursor of the older page. */
    public record Page(String phone, List<Item> items, String updateId, Instant older) {
    }

    /** Thrown for a search that is neither a phone nor an update id; the message says so. */
    public static class NotALead extends RuntimeException {
        NotALead(String message) {
            super(message);
        }
    }

    /** The timeline of a phone or an update id, before {@code before} (newest when null). */
    public Page find(String query, Instant before) {
        String q = query == null ? "" : query.strip();
        if (UPDATE_ID.matcher(q).matches()) {
            LeadStore.Entry entry = store.entry(q).orElseThrow(() -> new NotALead("no update has the id " + q));
            String phone = entry.update() == null ? null : LeadStore.phoneDigits(entry.update().phone());
            if (phone == null) { // an update by lead id only: itself is all that is known of its lead
                return new Page(null, items(List.of(entry), List.of()), q, null);
            }
            Page page = page(phone, before);
            return new Page(page.phone(), page.items(), q, page.older());
        }
        String e164 = PhoneNumbers.e164(q);
        String digits = e164 != null ? e164.substring(1) : LeadStore.phoneDigits(q);
        if (digits == null || digits.length() < 6 || q.chars().anyMatch(Character::isLetter)) {
            throw new NotALead("'" + q + "' is neither a phone number nor an update id");
        }
        return page(digits, before);
    }

    private Page page(String digits, Instant before) {
        List<LeadStore.Entry> updates = store.ofPhone(digits, before, PAGE);
        List<WebhookEvent> received = events.ofPhone("+" + digits, before, PAGE);
        // A full list may have more just below its oldest item: the page ends there, the next one starts there.
        Instant cut = null;
        if (updates.size() == PAGE) {
            cut = updates.get(PAGE - 1).receipt().acceptedAt();
        }
        if (received.size() == PAGE && (cut == null || received.get(PAGE - 1).receivedAt().isAfter(cut))) {
            cut = received.get(PAGE - 1).receivedAt();
        }
        Instant from = cut;
        List<LeadStore.Entry> shownUpdates = updates.stream().filter(u -> from == null || !u.receipt().acceptedAt().isBefore(from)).toList();
        List<WebhookEvent> shownEvents = received.stream().filter(e -> from == null || !e.receivedAt().isBefore(from)).toList();
        List<Item> items = items(shownUpdates, shownEvents);
        return new Page(digits, items, null, cut);
    }

    private List<Item> items(List<LeadStore.Entry> updates, List<WebhookEvent> received) {
        List<Item> items = new ArrayList<>();
        for (LeadStore.Entry entry : updates) {
            Receipt r = entry.receipt();
            String asked = entry.update() == null ? "" : describe(entry.update());
            items.add(new Item(r.acceptedAt(), "ACCEPTED", "ACCEPTED", r.target(), "Update accepted from "
                    + Optional.ofNullable(entry.origin()).orElse("an unknown origin"), asked, r.id(), null));
            if (r.status() != Receipt.Status.PENDING || r.attempts() > 0) {
                items.add(new Item(r.updatedAt(), "RECEIPT", r.status().name(), r.target(), receiptTitle(r),
                        receiptDetail(r), r.id(), null));
            }
        }
        for (DeadLetter d : store.deadLettersOf(updates.stream().map(u -> u.receipt().id()).toList())) {
            items.add(new Item(d.failedAt(), "DEAD_LETTER", d.reason().name(), d.target(),
                    "Dead letter: " + d.reason() + (d.httpStatus() == null ? "" : " (HTTP " + d.httpStatus() + ")"),
                    Optional.ofNullable(d.error()).orElse(""), d.updateId(), d.id()));
        }
        for (WebhookEvent e : received) {
            items.add(new Item(e.receivedAt(), "WEBHOOK", e.status().name(), e.source(),
                    "Webhook " + e.type() + " from " + e.source() + (e.stage() == null ? "" : ": stage " + e.stage()),
                    Optional.ofNullable(e.outcome()).orElse(""), null, null));
        }
        items.sort(Comparator.comparing(Item::at).reversed());
        return items;
    }

    private static String describe(io.leadsync.model.LeadUpdate u) {
        List<String> parts = new ArrayList<>();
        if (u.stage() != null) {
            parts.add("stage " + u.stage() + (u.stageSource() == null ? "" : " (" + u.stageSource() + "'s)"));
        }
        if (u.name() != null) {
            parts.add("name " + u.name());
        }
        if (u.email() != null) {
            parts.add("email " + u.email());
        }
        if (u.leadId() != null) {
            parts.add("lead " + u.leadId());
        }
        if (u.lostReason() != null) {
            parts.add("lost reason " + u.lostReason());
        }
        if (u.fields() != null && !u.fields().isEmpty()) {
            parts.add("fields " + String.join(", ", u.fields().keySet()));
        }
        if (u.actions() != null && !u.actions().isEmpty()) {
            parts.add(u.actions().size() + " action(s)");
        }
        return String.join("; ", parts);
    }

    private static String receiptTitle(Receipt r) {
        return switch (r.status()) {
            case PENDING -> "Still pending after " + r.attempts() + " attempt(s)";
            case DELIVERED -> "Delivered" + (r.targetLeadId() == null ? "" : " to lead " + r.targetLeadId())
                    + " after " + r.attempts() + " attempt(s)";
            case SKIPPED -> "Skipped: nothing to write" + (r.targetLeadId() == null ? "" : " (lead " + r.targetLeadId() + ")");
            case DEAD_LETTER -> "Dead-lettered after " + r.attempts() + " attempt(s)";
        };
    }

    private static String receiptDetail(Receipt r) {
        List<String> parts = new ArrayList<>();
        if (r.error() != null) {
            parts.add(r.error());
        }
        if (r.remarks() != null) {
            r.remarks().forEach(m -> parts.add(m.field() + " " + m.status() + (m.remark() == null ? "" : ": " + m.remark())));
        }
        return String.join("; ", parts);
    }
}
