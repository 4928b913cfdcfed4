package io.leadsync.it;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Per-lead order: the updates of one lead reach the CRM in the order they were accepted, even when the CRM
 * refuses a random fifth of the calls with 503 and every refused call is retried, while other leads' updates
 * are delivered in parallel. 50 leads × 20 updates from 8 client threads; a lead's update k+1 is posted only
 * after k was accepted (202), which is what acceptance order means; different leads interleave freely.
 */
@ExtendWith(ServiceLogs.class)
class LeadOrderIT {

    static final int LEADS = 50;
    static final int UPDATES = 20;
    static final int CLIENTS = 8;
    static final String[] STAGES = { "New Lead", "Qualified" }; // the fixture's catalog, cycled through

    @Test
    void eachLeadsUpdatesReachTheCrmInAcceptanceOrder() throws Exception {
        long seed = Long.getLong("leadorder.seed", System.nanoTime());
        System.out.println("LeadOrderIT seed: " + seed + " (rerun with -Dleadorder.seed=" + seed + ")");
        try (FakeSuperfone crm = new FakeSuperfone(0.2, 20, seed);
                ServiceProcess service = new ServiceProcess("lead-order")
                        .env("LEADSYNC_SUPERFONE_BASE_URL", crm.baseUrl("order"))
                        .env("LEADSYNC_SUPERFONE_API_KEY", "order-test-key-0042")
                        .env("LEADSYNC_STAGES_INITIAL_DELAY", "1s")
                        .env("LEADSYNC_DELIVERY_RETRY_MAX_REDELIVERIES", "1000")
                        .env("LEADSYNC_DELIVERY_RETRY_DELAY_MS", "10")
                        .env("LEADSYNC_DELIVERY_RETRY_MAX_DELAY_MS", "50")) {
            service.start();
            Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                    service.api().get("/stages").then().extract().jsonPath().getString("sources[0].status"), is("OK")));

            // ids[lead][k]: the id POST /leads answered for lead's update k.
            String[][] ids = new String[LEADS][UPDATES];
            LeadsClient client = new LeadsClient();
            ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int t = 0; t < CLIENTS; t++) {
                    int thread = t;
                    Random random = new Random(seed + t);
                    done.add(clients.submit(() -> {
                        // This thread's leads, round robin, a burst of 1 to 4 updates of a lead at a time: a lead's next
                        // update often follows its previous one at once (while that one is still being delivered),
                        // and often after other leads' updates.
                        List<Integer> leads = new ArrayList<>(IntStream.range(0, LEADS).filter(l -> l % CLIENTS == thread)
                                .boxed().toList());
                        int[] next = new int[LEADS];
                        while (!leads.isEmpty()) {
                            for (Integer lead : List.copyOf(leads)) {
                                for (int burst = 1 + random.nextInt(4); burst > 0 && next[lead] < UPDATES; burst--) {
                                    int k = next[lead]++;
                                    LeadsClient.Answer answer = client.post(service.baseUri(), update(lead, k), null);
                                    if (answer.status() != 202) {
                                        throw new AssertionError("update " + k + " of lead " + lead + ": " + answer);
                                    }
                                    ids[lead][k] = answer.id();
                                }
                                if (next[lead] == UPDATES) {
                                    leads.remove(lead);
                                }
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get(5, TimeUnit.MINUTES);
                }
            } finally {
                clients.shutdownNow();
            }

            List<String> all = new ArrayList<>();
            for (String[] lead : ids) {
                all.addAll(List.of(lead));
            }
            Map<String, JsonNode> receipts = new HashMap<>();
            try {
                Awaitility.await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
                        .until(() -> client.readFinished(service.baseUri(), all, receipts) == 0);
            } catch (ConditionTimeoutException e) {
                throw new AssertionError("not every update finished: " + LeadsClient.statuses(receipts) + " of "
                        + all.size() + ", the rest PENDING; " + crm.calls().size() + " CRM calls", e);
            }

            assertThat("receipts by status", LeadsClient.statuses(receipts), is(Map.of("DELIVERED", LEADS * UPDATES)));

            // Per phone, the CRM applied updates 0..19, each once, in that order; refused calls were retried.
            Map<String, List<Integer>> applied = new HashMap<>();
            Map<String, Integer> callsPerUpdate = new HashMap<>();
            for (FakeSuperfone.Call call : crm.calls()) {
                callsPerUpdate.merge(call.phone() + "#" + call.seq(), 1, Integer::sum);
                if (call.status() == 200) {
                    applied.computeIfAbsent(call.phone(), p -> new ArrayList<>()).add(call.seq());
                    assertThat("stage of " + call, call.stage(), is(STAGES[call.seq() % STAGES.length]));
                }
            }
            List<Integer> inOrder = IntStream.range(0, UPDATES).boxed().toList();
            assertThat(applied.size(), is(LEADS));
            for (int lead = 0; lead < LEADS; lead++) {
                assertThat("updates applied for " + phone(lead), applied.get(phone(lead)), contains(inOrder.toArray()));
            }
            long refused = crm.calls().stream().filter(c -> c.status() == 503).count();
            assertThat("the CRM refused calls (the retries were exercised)", refused, greaterThan(0L));
            for (int lead = 0; lead < LEADS; lead++) {
                for (int k = 0; k < UPDATES; k++) {
                    JsonNode receipt = receipts.get(ids[lead][k]);
                    assertThat("target lead id of " + ids[lead][k], receipt.path("targetLeadId").asText(), is(phone(lead)));
                    // Every call the CRM saw for this update is counted in its receipt: none was sent twice unseen.
                    assertThat("attempts of update " + k + " of " + phone(lead), receipt.path("attempts").asInt(),
                            is(callsPerUpdate.get(phone(lead) + "#" + k)));
                }
            }

            // The order was at stake: a lead's next update was often accepted while the previous one was still on
            // its way (not yet DELIVERED), so delivering them in parallel would have reordered them.
            int overlapping = 0;
            for (int lead = 0; lead < LEADS; lead++) {
                for (int k = 0; k + 1 < UPDATES; k++) {
                    Instant previousDone = Instant.parse(receipts.get(ids[lead][k]).path("updatedAt").asText());
                    Instant nextAccepted = Instant.parse(receipts.get(ids[lead][k + 1]).path("acceptedAt").asText());
                    if (nextAccepted.isBefore(previousDone)) {
                        overlapping++;
                    }
                }
            }
            System.out.println("LeadOrderIT: " + crm.calls().size() + " CRM calls, " + refused + " refused with 503; "
                    + overlapping + " of " + LEADS * (UPDATES - 1) + " next updates accepted before the previous was delivered");
            assertThat("next updates accepted while the previous one of the lead was still pending", overlapping,
                    greaterThan(LEADS));
        }
    }

    static String phone(int lead) {
        return "+9170000" + String.format("%05d", lead);
    }

    /** Update k of a lead: {@code fields.seq} reaches the CRM's body as {@code seq}; the stage cycles too. */
    static String update(int lead, int k) {
        return "{\"target\":\"superfone\",\"phone\":\"" + phone(lead) + "\",\"stage\":\"" + STAGES[k % STAGES.length]
                + "\",\"fields\":{\"seq\":" + k + "}}";
    }
}
