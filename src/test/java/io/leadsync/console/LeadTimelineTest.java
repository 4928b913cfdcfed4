package io.leadsync.console;

import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.leadsync.delivery.LeadHistory;
import io.leadsync.delivery.LeadStore;
import io.leadsync.model.DeadLetter;
import io.leadsync.model.LeadUpdate;
import io.leadsync.model.Receipt;
import io.leadsync.storage.Store;
import io.leadsync.storage.TimeOrderedIds;
import io.leadsync.webhooks.WebhookEvents;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * A lead's timeline over the store: pages that lose and repeat nothing when many events share a millisecond, an old
 * update found on its own page, and what a receipt overwrites (failed attempts, a replayed or deleted dead letter)
 * still shown. Updates stay as stored (no intake, no CRM); each test uses its own phone.
 */
@QuarkusTest
@TestProfile(ConsoleOpenTest.Open.class)
class LeadTimelineTest {

    @Inject
    LeadTimeline timeline;

    @Inject
    LeadStore store;

    @Inject
    WebhookEvents events;

    @Inject
    Store database;

    static LeadUpdate update(String phone, String stage) {
        return new LeadUpdate("superfone", null, phone, "Asha", null, stage, null, null, null, null);
    }

    /** Sets a column of every row of one phone to {@code at} minus (seq mod {@code spread}) milliseconds. */
    void crowd(String table, String column, String phone, long at, int spread) {
        database.write(c -> {
            try (PreparedStatement set = c.prepareStatement("update " + table + " set " + column + " = ? - (seq % ?) where phone = ?")) {
                set.setLong(1, at);
                set.setInt(2, spread);
                set.setString(3, phone);
                return set.executeUpdate();
            }
        });
    }

    @Test
    void eventsThatShareAMillisecondAreNeitherLostNorRepeatedAcrossPages() {
        String phone = "+919811100001";
        Set<String> updates = new HashSet<>();
        for (int i = 0; i < 120; i++) {
            updates.add(store.accept(update(phone, "S" + i), null, "test"));
        }
        for (int i = 0; i < 30; i++) {
            String stage = "W" + i;
            database.write(c -> events.storeIn(c, "superfone", "timeline-" + stage, "lead.updated", phone, stage, Instant.now(), "{}"));
        }
        // 150 events in three milliseconds: every page boundary falls inside a run of equal times.
        long at = 1_760_000_000_000L;
        crowd("lead_update", "accepted_at", "919811100001", at, 2);
        crowd("webhook_event", "received_at", phone, at, 3);

        List<String> seenUpdates = new ArrayList<>();
        List<String> seenWebhooks = new ArrayList<>();
        List<Instant> times = new ArrayList<>();
        String before = null;
        int pages = 0;
        do {
            LeadTimeline.Page page = timeline.find(phone, before);
            assertThat(page.newer(), is(before != null));
            for (LeadTimeline.Item item : page.items()) {
                if (item.kind().equals("ACCEPTED")) {
                    seenUpdates.add(item.updateId());
                } else if (item.kind().equals("WEBHOOK")) {
                    seenWebhooks.add(item.title());
                }
                times.add(item.at());
            }
            before = page.older() == null ? null : page.older().toString();
            pages++;
        } while (before != null && pages < 10);

        assertThat(pages, is(3));
        assertThat(seenUpdates.size(), is(120));
        assertThat(new HashSet<>(seenUpdates), is(updates));
        assertThat(new HashSet<>(seenWebhooks).size(), is(30));
        assertThat(seenWebhooks.size(), is(30));
        for (int i = 1; i < times.size(); i++) {
            assertThat(times.get(i), lessThanOrEqualTo(times.get(i - 1)));
        }
        // The page links to the next one with its cursor, and a cursor that is none is refused with what it should be.
        String first = given().queryParam("q", phone).get("/console/lead").then().statusCode(200).extract().asString();
        assertThat(first, containsString("before=" + timeline.find(phone, null).older()));
        given().queryParam("q", phone).queryParam("before", "yesterday").get("/console/lead").then().statusCode(200)
                .body(containsString("before must be a place in the timeline such as 1733480000000u42, not &#39;yesterday&#39;"));
    }

    @Test
    void anOldUpdateIdOpensThePageThatHoldsIt() {
        String phone = "+919811100002";
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 70; i++) {
            ids.add(store.accept(update(phone, "S" + i), null, "test"));
        }
        String oldest = ids.get(0);
        assertThat(accepted(timeline.find(phone, null)), not(hasItem(oldest)));

        LeadTimeline.Page page = timeline.find(oldest, null);
        assertThat(page.updateId(), is(oldest));
        assertThat(accepted(page), hasItem(oldest));
        assertThat(page.newer(), is(true));
        assertThat(page.phone(), is("919811100002"));
        // The newest update is on the newest page, which its id opens.
        assertThat(timeline.find(ids.get(69), null).newer(), is(false));
    }

    @Test
    void attemptsAndReplayedOrDeletedDeadLettersStayOnTheTimeline() {
        String phone = "+919811100003";
        String replayed = deadLettered(phone, "Won");
        String deleted = deadLettered(phone, "Lost");
        DeadLetter replayedLetter = store.deadLettersOf(List.of(replayed)).get(0);
        DeadLetter deletedLetter = store.deadLettersOf(List.of(deleted)).get(0);
        // Replayed as the console does it: the letter with the update as a person corrected it.
        LeadUpdate corrected = update(phone, "Qualified");
        assertThat(store.replay(new DeadLetter(replayedLetter.id(), replayed, "superfone", replayedLetter.reason(), 503, 1,
                replayedLetter.failedAt(), replayedLetter.error(), corrected, replayedLetter.origin(), null)), is(replayed));
        assertThat(store.deleteDeadLetter(deletedLetter.id()), is(true));

        List<String> shown = timeline.find(phone, null).items().stream()
                .map(i -> i.kind() + " " + i.status() + " " + i.title() + (i.detail().isEmpty() ? "" : " | " + i.detail())
                        + (i.deadLetterId() == null ? "" : " | letter"))
                .toList();
        assertThat(shown, containsInAnyOrder(
                // the replayed update: its first life, then the replay, pending again
                "ACCEPTED ACCEPTED Update accepted from test, before its replay",
                "ATTEMPT FAILED Attempt 1 failed: UNREACHABLE (HTTP 503) | HTTP 503: busy",
                "DEAD_LETTER UNREACHABLE Dead letter: UNREACHABLE (HTTP 503) after 1 attempt(s) | HTTP 503: busy",
                "REPLAYED REPLAYED Dead letter replayed | dead letter " + replayedLetter.id() + " replayed, edited: stage Won → Qualified",
                "ACCEPTED ACCEPTED Update accepted from test (replay of dead letter " + replayedLetter.id() + ") | stage Qualified; name Asha",
                // the deleted one: its receipt stays DEAD_LETTER, the letter's words stay, and that it was deleted
                "ACCEPTED ACCEPTED Update accepted from test | stage Lost; name Asha",
                "ATTEMPT FAILED Attempt 1 failed: UNREACHABLE (HTTP 503) | HTTP 503: busy",
                "RECEIPT DEAD_LETTER Dead-lettered after 1 attempt(s) | UNREACHABLE: HTTP 503: busy",
                "DEAD_LETTER UNREACHABLE Dead letter: UNREACHABLE (HTTP 503) after 1 attempt(s) | HTTP 503: busy",
                "DELETED DELETED Dead letter deleted | dead letter " + deletedLetter.id() + " deleted"));
        assertThat(store.deadLetter(replayedLetter.id()).orElse(null), nullValue());
    }

    /** An update that failed once with a 503 and became a dead letter, as the delivery route records it. */
    private String deadLettered(String phone, String stage) {
        LeadUpdate update = update(phone, stage);
        String id = store.accept(update, null, "test");
        Receipt pending = store.receipt(id).orElseThrow();
        Instant now = Instant.now();
        Receipt attempted = pending.attempted(1, "HTTP 503: busy", now);
        store.attempted(attempted, LeadHistory.attempt(id, now, 1, DeadLetter.Reason.UNREACHABLE, 503, "HTTP 503: busy"));
        store.deadLettered(attempted.deadLettered(1, "UNREACHABLE: HTTP 503: busy", now), new DeadLetter(TimeOrderedIds.next(),
                id, "superfone", DeadLetter.Reason.UNREACHABLE, 503, 1, now, "HTTP 503: busy", update, "test", null));
        return id;
    }

    private static List<String> accepted(LeadTimeline.Page page) {
        return page.items().stream().filter(i -> i.kind().equals("ACCEPTED")).map(LeadTimeline.Item::updateId).toList();
    }
}
