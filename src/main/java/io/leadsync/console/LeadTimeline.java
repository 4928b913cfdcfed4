package io.leadsync.console;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.leadsync.delivery.LeadHistory;
import io.leadsync.delivery.LeadStore;
import io.leadsync.model.DeadLetter;
import io.leadsync.model.Receipt;
import io.leadsync.webhooks.PhoneNumbers;
import io.leadsync.webhooks.WebhookEvent;
import io.leadsync.webhooks.WebhookEvents;

/**
 * "Where is my lead": every event of one lead, newest first, from the store the API reads: its updates (accepted,
 * their failed attempts with the CRMs' answers, their receipts), their dead letters (also those since replayed or
 * deleted, from {@link LeadHistory}) and the CRMs' webhook events about it. A lead is its phone, in any CRM's format;
 * an update id finds the lead of that update, on the page that holds it. A page holds the newest {@link #PAGE}
 * updates and webhook events below its {@link Cursor}, in one order: (time, kind, seq), so events that share a
 * millisecond are neither lost nor shown twice between pages.
 */
@ApplicationScoped
public class LeadTimeline {

    static final int PAGE = 50;
    private static final Pattern UPDATE_ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final Pattern CURSOR = Pattern.compile("([0-9]{1,15})([uw])([0-9]{1,18})");
    /** The timeline's order, oldest first: time, then webhook events above updates, then seq. */
    private static final Comparator<Cursor> ORDER = Comparator.comparing(Cursor::at).thenComparing(Cursor::webhook)
            .thenComparingLong(Cursor::seq);
    /** Above everything: the newest page's cursor. */
    private static final Cursor NEWEST = new Cursor(Instant.ofEpochMilli(Long.MAX_VALUE), true, Long.MAX_VALUE);

    @Inject
    LeadStore store;

    @Inject
    LeadHistory history;

    @Inject
    WebhookEvents events;

    /**
     * One event on the timeline. {@code kind}: ACCEPTED, ATTEMPT, RECEIPT, DEAD_LETTER, REPLAYED, DELETED or
     * WEBHOOK; {@code status}: its badge (a receipt's or webhook event's status, a dead letter's reason, FAILED).
     */
    public record Item(Instant at, String kind, String status, String target, String title, String detail,
            String updateId, String deadLetterId) {
    }

    /**
     * A page: the lead's phone (digits), its items, the update asked for, the cursor of the older page (null: none)
     * and whether newer events may be above it.
     */
    public record Page(String phone, List<Item> items, String updateId, Cursor older, boolean newer) {
    }

    /**
     * A place in a lead's timeline: the items below (older than) an update ({@code webhook} false) or a webhook event
     * with this time and seq. Written in a link as millis, {@code u} or {@code w}, seq: {@code 1733480000000u42}.
     */
    public record Cursor(Instant at, boolean webhook, long seq) {

        /** The cursor in a link's {@code before}; null for none; a NotALead that says what is wrong. */
        static Cursor parse(String text) {
            if (text == null || text.isBlank()) {
                return null;
            }
            Matcher m = CURSOR.matcher(text);
            if (!m.matches()) {
                throw new NotALead("before must be a place in the timeline such as 1733480000000u42, not '" + text + "'");
            }
            return new Cursor(Instant.ofEpochMilli(Long.parseLong(m.group(1))), m.group(2).equals("w"), Long.parseLong(m.group(3)));
        }

        @Override
        public String toString() {
            return at.toEpochMilli() + (webhook ? "w" : "u") + seq;
        }

        /** Updates below the cursor: those at its time too when it is a webhook event's (they sort below it). */
        long updateSeq() {
            return webhook ? Long.MAX_VALUE : seq;
        }

        /** Webhook events below the cursor: at its time, only below its seq when it is a webhook event's. */
        long webhookSeq() {
            return webhook ? seq : Long.MIN_VALUE;
        }
    }

    /** Thrown for a search that is neither a phone nor an update id, or a cursor that is none; the message says so. */
    public static class NotALead extends RuntimeException {
        NotALead(String message) {
            super(message);
        }
    }

    /** The timeline of a phone or an update id, below {@code before} (the newest when null). */
    public Page find(String query, String before) {
        String q = query == null ? "" : query.strip();
        Cursor cursor = Cursor.parse(before);
        if (UPDATE_ID.matcher(q).matches()) {
            LeadStore.Entry entry = store.entry(q).orElseThrow(() -> new NotALead("no update has the id " + q));
            String phone = entry.update() == null ? null : LeadStore.phoneDigits(entry.update().phone());
            if (phone == null) { // an update by lead id only: itself is all that is known of its lead
                return new Page(null, items(List.of(entry), List.of()), q, null, false);
            }
            Page page = page(phone, cursor);
            if (cursor == null && page.items().stream().noneMatch(i -> q.equals(i.updateId()))) {
                // An older update: the page that starts with it, rather than the newest one without it.
                page = page(phone, new Cursor(entry.receipt().acceptedAt(), false, entry.seq() + 1));
            }
            return new Page(page.phone(), page.items(), q, page.older(), page.newer());
        }
        String e164 = PhoneNumbers.e164(q);
        String digits = e164 != null ? e164.substring(1) : LeadStore.phoneDigits(q);
        if (digits == null || digits.length() < 6 || q.chars().anyMatch(Character::isLetter)) {
            throw new NotALead("'" + q + "' is neither a phone number nor an update id");
        }
        return page(digits, cursor);
    }

    /** An update or a webhook event, at its place in the timeline's order. */
    private record Placed(Cursor place, LeadStore.Entry update, WebhookEvent event) {
    }

    /** The page below {@code before}; the newest when null. */
    private Page page(String digits, Cursor before) {
        Cursor below = before == null ? NEWEST : before;
        List<Placed> placed = new ArrayList<>();
        // One more of each than a page: if the merged list is longer than a page, there is an older one.
        for (LeadStore.Entry u : store.ofPhone(digits, below.at(), below.updateSeq(), PAGE + 1)) {
            placed.add(new Placed(new Cursor(u.receipt().acceptedAt(), false, u.seq()), u, null));
        }
        for (WebhookEvents.Numbered e : events.ofPhone("+" + digits, below.at(), below.webhookSeq(), PAGE + 1)) {
            placed.add(new Placed(new Cursor(e.event().receivedAt(), true, e.seq()), null, e.event()));
        }
        placed.sort(Comparator.comparing(Placed::place, ORDER).reversed());
        Cursor older = placed.size() > PAGE ? placed.get(PAGE - 1).place() : null;
        List<Placed> shown = placed.subList(0, Math.min(PAGE, placed.size()));
        List<Item> items = items(shown.stream().filter(p -> p.update() != null).map(Placed::update).toList(),
                shown.stream().filter(p -> p.event() != null).map(Placed::event).toList());
        return new Page(digits, items, null, older, before != null);
    }

    private List<Item> items(List<LeadStore.Entry> updates, List<WebhookEvent> received) {
        List<Item> items = new ArrayList<>();
        // Webhook events first: the sort below is stable, and within a millisecond the pages put them above updates.
        for (WebhookEvent e : received) {
            items.add(new Item(e.receivedAt(), "WEBHOOK", e.status().name(), e.source(),
                    "Webhook " + e.type() + " from " + e.source() + (e.stage() == null ? "" : ": stage " + e.stage()),
                    Optional.ofNullable(e.outcome()).orElse(""), null, null));
        }
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
        List<String> ids = updates.stream().map(u -> u.receipt().id()).toList();
        Map<String, String> targets = updates.stream().collect(Collectors.toMap(u -> u.receipt().id(),
                u -> u.receipt().target(), (a, b) -> a));
        for (DeadLetter d : store.deadLettersOf(ids)) {
            items.add(new Item(d.failedAt(), "DEAD_LETTER", d.reason().name(), d.target(), deadLetterTitle(d.reason().name(),
                    d.httpStatus(), d.attempts()), Optional.ofNullable(d.error()).orElse(""), d.updateId(), d.id()));
        }
        for (LeadHistory.Event e : history.of(ids)) {
            items.add(item(e, targets.get(e.updateId())));
        }
        items.sort(Comparator.comparing(Item::at).reversed());
        return items;
    }

    /** An event of an update's past: what its receipt and letters no longer say. */
    private static Item item(LeadHistory.Event e, String target) {
        String detail = Optional.ofNullable(e.detail()).orElse("");
        return switch (e.kind()) {
            case ATTEMPT -> new Item(e.at(), "ATTEMPT", "FAILED", target, "Attempt " + e.attempt() + " failed: "
                    + e.status() + (e.httpStatus() == null ? "" : " (HTTP " + e.httpStatus() + ")"), detail, e.updateId(), null);
            case ACCEPTED -> new Item(e.at(), "ACCEPTED", "ACCEPTED", target, "Update accepted from "
                    + (e.detail() == null ? "an unknown origin" : e.detail()) + ", before its replay", "", e.updateId(), null);
            case DEAD_LETTER -> new Item(e.at(), "DEAD_LETTER", e.status(), target,
                    deadLetterTitle(e.status(), e.httpStatus(), e.attempt()), detail, e.updateId(), null);
            case REPLAYED -> new Item(e.at(), "REPLAYED", "REPLAYED", target, "Dead letter replayed", detail, e.updateId(), null);
            case DELETED -> new Item(e.at(), "DELETED", "DELETED", target, "Dead letter deleted", detail, e.updateId(), null);
        };
    }

    private static String deadLetterTitle(String reason, Integer httpStatus, Integer attempts) {
        return "Dead letter: " + reason + (httpStatus == null ? "" : " (HTTP " + httpStatus + ")")
                + (attempts == null ? "" : " after " + attempts + " attempt(s)");
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
