package io.leadsync.crm.telecrm;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.leadsync.testing.CrmFakes.wireMock;
import static io.leadsync.testing.Webhooks.awaitEvent;
import static io.leadsync.testing.Webhooks.superfone;
import static io.leadsync.testing.Webhooks.superfoneChanged;
import static io.leadsync.testing.Webhooks.superfoneStageChange;
import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.leadsync.storage.Store;
import io.leadsync.testing.ChangeEventSink;
import io.leadsync.testing.CrmFakes;
import io.leadsync.testing.Leads;
import io.leadsync.testing.Webhooks;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/**
 * TeleCRM's stage changes found by walking its leads (WireMock serving POST lead/search in pages of 2, the real
 * store), carried by the flow telecrm>superfone to the Superfone fake; superfone>telecrm configured too, so an echo
 * could bounce. The tests run in order on one TeleCRM account: the first walk is the baseline the others build on.
 */
@QuarkusTest
@QuarkusTestResource(CrmFakes.class)
@TestProfile(TelecrmChangesTest.Profile.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TelecrmChangesTest {

    static final String SEARCH = "/telecrm/autoupdate/v2/enterprise/ent-1/lead/search";
    static final String TELECRM = "/telecrm/autoupdate/v2/enterprise/ent-1/lead";
    static final String SUPERFONE = "/superfone/enterprise/api/lead";
    static final Duration PATIENCE = Duration.ofSeconds(30);

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("leadsync.superfone.webhook-secret", Webhooks.SUPERFONE_SECRET,
                    "leadsync.api-key", Webhooks.API_KEY,
                    "leadsync.sync.flows", "telecrm>superfone, superfone>telecrm",
                    "leadsync.sync.interval-ms", "100",
                    "leadsync.sync.telecrm.interval", "300",
                    "leadsync.sync.telecrm.full-interval", "2s",
                    "leadsync.leads.changes-uri", "direct:test-lead-changes");
        }
    }

    /** TeleCRM's leads as its search answers them: those every walk reads, and those only a new-leads walk finds. */
    record Lead(String id, String phone, String stage, long createdOn) {
        String json() {
            return "{\"id\":\"" + id + "\",\"fields\":{\"name\":\"N " + id + "\",\"phone\":\"" + phone + "\",\"status\":\""
                    + stage + "\",\"created_on\":" + createdOn + "}}";
        }
    }

    static final Map<String, Lead> ALL = new java.util.LinkedHashMap<>();
    static final Map<String, Lead> NEW = new java.util.LinkedHashMap<>();
    static boolean started;

    @Inject
    Store store;

    @BeforeAll
    static void apiKeyAndAccount() {
        Webhooks.useApiKey();
        // A new service and a new fake for each class (PostgresTelecrmChangesTest too): the account starts over.
        started = false;
        ChangeEventSink.LEAD_CHANGES.clear();
        ALL.clear();
        NEW.clear();
        // There from the start: the first walk must find them, not an empty account.
        for (Lead lead : List.of(new Lead("L1", "919820060001", "Fresh", 1000), new Lead("L2", "919820060002", "Qualified", 2000),
                new Lead("L3", "+91 98200 60003", "Contacted", 3000))) {
            ALL.put(lead.id(), lead);
        }
    }

    @AfterAll
    static void noApiKey() {
        Webhooks.forgetApiKey();
    }

    @BeforeEach
    void crms() {
        if (started) {
            return;
        }
        started = true;
        Webhooks.catalogs();
        wireMock().stubFor(post(urlPathEqualTo(TELECRM)).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody("{\"lead_id\":\"T-1\",\"actions\":[],\"remarks\":[]}")));
        wireMock().stubFor(post(urlPathEqualTo(SUPERFONE)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"data\":{\"id\":77},\"message\":\"success\"}")));
        // The reads before a flow's write find no lead: every carried change is written.
        wireMock().stubFor(get(urlPathEqualTo(SUPERFONE)).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json").withBody("{\"message\":\"Customer not found\"}")));
        wireMock().stubFor(post(urlPathEqualTo(SEARCH)).withRequestBody(matchingJsonPath("$.fields.phone"))
                .willReturn(answer(List.of(), 0)));
        serve();
    }

    static void put(Map<String, Lead> where, Lead lead) {
        where.put(lead.id(), lead);
        serve();
    }

    /** The walk of every lead pages by skip (limit 2, leadsync.etl.page-size); a new-leads walk filters created_on. */
    static void serve() {
        List<Lead> all = new ArrayList<>(ALL.values());
        for (int skip = 0; skip == 0 || skip < all.size(); skip += 2) {
            servePage(skip, all.subList(Math.min(skip, all.size()), Math.min(skip + 2, all.size())), all.size());
        }
        wireMock().stubFor(post(urlPathEqualTo(SEARCH)).withQueryParam("skip", equalTo("0"))
                .withRequestBody(matchingJsonPath("$.fields.created_on.from"))
                .willReturn(answer(new ArrayList<>(NEW.values()), NEW.size())));
    }

    static void servePage(int skip, List<Lead> page, int total) {
        wireMock().stubFor(post(urlPathEqualTo(SEARCH)).withQueryParam("skip", equalTo(String.valueOf(skip)))
                .withQueryParam("limit", equalTo("2")).withRequestBody(equalToJson("{}")).willReturn(answer(page, total)));
    }

    static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder answer(List<Lead> page, int total) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody("{\"data\":["
                + String.join(",", page.stream().map(Lead::json).toList()) + "],\"total_count\":" + total + "}");
    }

    static double walks(String pass, String outcome) {
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher count = Pattern.compile("^leadsync_telecrm_walks_total\\{outcome=\"" + outcome + "\",pass=\"" + pass
                + "\"} (\\S+)$", Pattern.MULTILINE).matcher(metrics);
        return count.find() ? Double.parseDouble(count.group(1)) : 0;
    }

    /** Waits for this many more walks of every lead to finish than had when called. */
    static void awaitFullWalks(int more) {
        double before = walks("full", "done");
        Awaitility.await("walks of every lead").atMost(PATIENCE).until(() -> walks("full", "done") >= before + more);
    }

    /** The ids of the events the walks stored for this lead's change to this stage. */
    List<String> events(String leadId, String stage) {
        return store.query(c -> {
            try (PreparedStatement select = c.prepareStatement("select id from webhook_event where source = 'telecrm'"
                    + " and event_id like ? order by seq")) {
                select.setString(1, "lead " + leadId + " stage " + stage + " seen %");
                List<String> ids = new ArrayList<>();
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        ids.add(rows.getString(1));
                    }
                }
                return ids;
            }
        });
    }

    long count(String sql) {
        return store.query(c -> {
            try (PreparedStatement select = c.prepareStatement(sql); ResultSet rows = select.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        });
    }

    String awaitOneEvent(String leadId, String stage) {
        Awaitility.await("event of " + leadId + " to " + stage).atMost(PATIENCE).until(() -> !events(leadId, stage).isEmpty());
        return events(leadId, stage).get(0);
    }

    static List<LoggedRequest> superfoneWrites(String phone) {
        return wireMock().findAll(postRequestedFor(urlPathEqualTo(SUPERFONE))
                .withRequestBody(matchingJsonPath("$.customer_phone", equalTo(phone))));
    }

    /** The lead change events published for this phone (leadsync.leads.changes-uri). */
    static List<JsonPath> leadChanges(String phone) {
        return ChangeEventSink.LEAD_CHANGES.stream().map(JsonPath::from).filter(e -> phone.equals(e.getString("phone"))).toList();
    }

    static String updateFor(JsonPath event, String target) {
        Matcher update = Pattern.compile("lead update (\\S+) for " + Pattern.quote(target) + "(;|$)").matcher(event.getString("outcome"));
        assertThat(event.getString("outcome"), update.find(), is(true));
        return update.group(1);
    }

    @Test
    @Order(1)
    void theFirstWalkRecordsStagesAndReportsNoChange() {
        awaitFullWalks(2);
        assertThat(count("select count(*) from telecrm_stage_seen"), is(3L));
        assertThat(count("select count(*) from webhook_event where source = 'telecrm'"), is(0L));
        assertThat(superfoneWrites("+919820060002").size(), is(0));
    }

    @Test
    @Order(2)
    void aStageChangeOfAnOldLeadReachesSuperfoneOnce() {
        put(ALL, new Lead("L2", "919820060002", "Won", 2000));

        JsonPath event = awaitEvent(awaitOneEvent("L2", "Won"), "CARRIED");
        assertThat(event.getString("phone"), is("+919820060002"));
        assertThat(event.getString("type"), is("stage changed"));
        Leads.awaitReceipt(updateFor(event, "superfone"), "DELIVERED");
        awaitFullWalks(2); // the same stage read again is no change
        assertThat(events("L2", "Won").size(), is(1));
        assertThat(count("select count(*) from webhook_event where source = 'telecrm'"), is(1L));
        assertThat(superfoneWrites("+919820060002").size(), is(1));
        assertThat(superfoneWrites("+919820060002").get(0).getBodyAsString(), containsString("\"lead_stage_name\":\"Won\""));
        // And published once as a lead change event, naming the update it became.
        List<JsonPath> published = leadChanges("+919820060002");
        assertThat(published.size(), is(1));
        assertThat(published.get(0).getString("source"), is("telecrm"));
        assertThat(published.get(0).getString("stage"), is("Won"));
        assertThat(published.get(0).getString("event"), is(event.getString("id")));
        assertThat(published.get(0).getString("updates[0].id"), is(updateFor(event, "superfone")));
        assertThat(published.get(0).getString("updates[0].target"), is("superfone"));
    }

    @Test
    @Order(3)
    void aNewLeadIsFoundByTheWalkOfNewLeads() {
        // Only a search filtered on created_on finds it: the walk of every lead does not.
        put(NEW, new Lead("L9", "919820060009", "Qualified", 5000));

        JsonPath event = awaitEvent(awaitOneEvent("L9", "Qualified"), "CARRIED");
        assertThat(event.getString("type"), is("lead created"));
        Leads.awaitReceipt(updateFor(event, "superfone"), "DELIVERED");
        wireMock().verify(postRequestedFor(urlPathEqualTo(SEARCH))
                .withRequestBody(equalToJson("{\"fields\":{\"created_on\":{\"from\":3000}}}")));
        awaitFullWalks(1);
        assertThat(events("L9", "Qualified").size(), is(1));
        assertThat(superfoneWrites("+919820060009").size(), is(1));
        // A lead Superfone does not have yet: created with the name the walk read (TeleCRM's fields.name, split).
        String created = superfoneWrites("+919820060009").get(0).getBodyAsString();
        assertThat(created, containsString("\"first_name\":\"N\""));
        assertThat(created, containsString("\"last_name\":\"L9\""));
    }

    @Test
    @Order(4)
    void aSuperfoneChangeCarriedToTeleCrmDoesNotComeBack() {
        String phone = "+919820060003";
        JsonPath fromSuperfone = awaitEvent(JsonPath.from(superfoneChanged(6003, phone, "Won").body())
                .getString("id"), "CARRIED");
        Leads.awaitReceipt(updateFor(fromSuperfone, "telecrm"), "DELIVERED");

        // TeleCRM now shows leadsync's write; the walk of every lead sees it as a change of L3.
        put(ALL, new Lead("L3", "+91 98200 60003", "Won", 3000));
        JsonPath echo = awaitEvent(awaitOneEvent("L3", "Won"), "ECHO");
        assertThat(echo.getString("outcome"), containsString("leadsync wrote stage 'Won' to telecrm for this lead in update "
                + updateFor(fromSuperfone, "telecrm")));
        awaitFullWalks(1);
        assertThat(superfoneWrites(phone).size(), is(0));
        // Only the change carried from Superfone is published; the echo is not a change.
        assertThat(leadChanges(phone).size(), is(1));
        assertThat(leadChanges(phone).get(0).getString("source"), is("superfone"));
    }

    @Test
    @Order(5)
    void aWalkCutShortByTeleCrmLosesNoChangeAndReportsNoneTwice() {
        double failedBefore = walks("full", "failed");
        Map<String, Lead> changed = new HashMap<>(ALL);
        changed.put("L1", new Lead("L1", "919820060001", "Qualified", 1000));
        changed.put("L3", new Lead("L3", "+91 98200 60003", "Qualified", 3000));
        // The second page (L3) fails while the first (L1, L2) has its change.
        wireMock().stubFor(post(urlPathEqualTo(SEARCH)).withQueryParam("skip", equalTo("2"))
                .withRequestBody(equalToJson("{}")).willReturn(aResponse().withStatus(503)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"error\":{\"code\":\"UNAVAILABLE\",\"message\":\"down for maintenance\"}}")));
        servePage(0, List.of(changed.get("L1"), changed.get("L2")), 3);

        Awaitility.await("failed walks").atMost(PATIENCE).until(() -> walks("full", "failed") >= failedBefore + 2);
        assertThat(events("L1", "Qualified").size(), is(1));
        assertThat(events("L3", "Qualified").size(), is(0));

        ALL.putAll(changed);
        serve(); // TeleCRM is back
        JsonPath l3 = awaitEvent(awaitOneEvent("L3", "Qualified"), "CARRIED");
        Leads.awaitReceipt(updateFor(l3, "superfone"), "DELIVERED");
        Leads.awaitReceipt(updateFor(awaitEvent(events("L1", "Qualified").get(0), "CARRIED"), "superfone"), "DELIVERED");
        awaitFullWalks(2);
        assertThat(events("L1", "Qualified").size(), is(1));
        assertThat(events("L3", "Qualified").size(), is(1));
        assertThat(superfoneWrites("+919820060001").size(), is(1));
        assertThat(superfoneWrites("+919820060003").size(), is(1));
        assertThat(walks("full", "failed"), greaterThanOrEqualTo(failedBefore + 2));
    }
}
