package io.leadsync.sandbox;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;

@QuarkusTest
@TestProfile(SandboxTest.SandboxOn.class)
class SandboxTest {

    public static class SandboxOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("leadsync.sandbox.enabled", "true");
        }
    }

    static final String TELECRM = "/sandbox/telecrm/autoupdate/v2/enterprise/{id}/lead-stage-pipeline";
    static final String SUPERFONE = "/sandbox/superfone/enterprise/api/lead-stage";
    static final String TRUTO = "/sandbox/truto/unified/crm/stages";

    // ---- TeleCRM ----

    @Test
    void telecrmPipelineHasTheDocumentedShape() {
        given().header("Authorization", "Bearer sandbox-telecrm-token")
                .get(TELECRM, "demo")
                .then().statusCode(200)
                .body("keySet()", containsInAnyOrder("leadStages", "activeLeadLostReasons", "archivedLeadLostReasons",
                        "creationTimestamp", "modificationTimestamp", "lastModifiedBy", "version"))
                .body("leadStages.stageid", contains("stage_open_1", "stage_won_1", "stage_lost_1"))
                .body("leadStages.stageType", contains("OPEN", "WON", "LOST"))
                .body("leadStages.visibility", contains(true, true, true))
                .body("leadStages[0].keySet()", containsInAnyOrder(
                        "stageid", "stageType", "visibility", "activeStatuses", "archivedStatuses"))
                .body("leadStages[0].activeStatuses.statusid", contains(1, 2, 3))
                .body("leadStages[0].activeStatuses.label", contains("Fresh", "Contacted", "Qualified"))
                .body("leadStages[0].activeStatuses.color", contains("#FF5733", "#33A8FF", "#33FF57"))
                .body("leadStages[0].archivedStatuses", hasSize(1))
                .body("leadStages[0].archivedStatuses[0].statusid", equalTo(4))
                .body("leadStages[0].archivedStatuses[0].label", equalTo("Call Back Later"))
                .body("leadStages[0].archivedStatuses[0].keySet()", containsInAnyOrder("statusid", "label", "color"))
                .body("leadStages[1].activeStatuses.label", contains("Won"))
                .body("leadStages[1].activeStatuses.statusid", contains(10))
                .body("leadStages[2].activeStatuses.label", contains("Lost"))
                .body("leadStages[2].activeStatuses.statusid", contains(20))
                .body("leadStages[1].archivedStatuses", empty())
                .body("activeLeadLostReasons.reasonid", contains(1, 2))
                .body("activeLeadLostReasons.reasonLabel", contains("Price too high", "No Need"))
                .body("activeLeadLostReasons.isDefault", contains(false, false))
                .body("archivedLeadLostReasons[0].keySet()", containsInAnyOrder("reasonid", "reasonLabel", "isDefault"))
                .body("archivedLeadLostReasons.reasonid", contains(3))
                .body("archivedLeadLostReasons.reasonLabel", contains("Duplicate lead"))
                .body("creationTimestamp", equalTo(1609459200000L))
                .body("modificationTimestamp", equalTo(1735689600000L))
                .body("lastModifiedBy", equalTo("admin@example.com"))
                .body("version", equalTo(3));
    }

    @Test
    void telecrmRejectsAMissingOrWrongToken() {
        for (RequestSpecification request : List.of(given(), given().header("Authorization", "Bearer nope"),
                given().header("Authorization", "sandbox-telecrm-token"))) {
            request.get(TELECRM, "demo")
                    .then().statusCode(401)
                    .body("error.code", equalTo("NOT_AUTHORIZED"))
                    .body("error.message", notNullValue());
        }
    }

    @Test
    void telecrmAnswersEnterpriseNotFound() {
        given().header("Authorization", "Bearer sandbox-telecrm-token")
                .get(TELECRM, "62ab16e")
                .then().statusCode(404)
                .body("error.code", equalTo("ENTERPRISE_NOT_FOUND"))
                .body("error.message", equalTo("The enterprise with ID 62ab16e was not found."));
    }

    // ---- Superfone ----

    @Test
    void superfoneFirstPageHasTheDocumentedShapeAndACappedPageSize() {
        superfone().queryParam("page", 1).queryParam("page_size", 50)
                .get(SUPERFONE)
                .then().statusCode(200)
                .body("message", equalTo("success"))
                .body("data.keySet()", containsInAnyOrder(
                        "rows", "total_pages", "current_page", "page_size", "total_items"))
                .body("data.page_size", equalTo(3))
                .body("data.current_page", equalTo(1))
                .body("data.total_items", equalTo(8))
                .body("data.total_pages", equalTo(3))
                .body("data.rows", hasSize(3))
                .body("data.rows[0].keySet()", containsInAnyOrder("id", "org_id", "title", "status", "type",
                        "position", "is_editable", "identifier", "created_by", "updated_by", "created_at", "updated_at"))
                .body("data.rows[0].id", equalTo(9))
                .body("data.rows[0].org_id", equalTo(42))
                .body("data.rows[0].title", equalTo("New Lead"))
                .body("data.rows[0].status", equalTo("ACTIVE"))
                .body("data.rows[0].type", equalTo("INITIAL"))
                .body("data.rows[0].position", equalTo(1))
                .body("data.rows[0].is_editable", equalTo(true))
                .body("data.rows[0].identifier", nullValue())
                .body("data.rows[0].created_by", equalTo(678))
                .body("data.rows[0].updated_by", nullValue())
                .body("data.rows[0].created_at", equalTo("2026-01-15T09:00:00.000Z"))
                .body("data.rows[0].updated_at", equalTo("2026-01-15T09:00:00.000Z"))
                .body("data.rows[1].id", equalTo(10))
                .body("data.rows[1].title", equalTo("Qualified"))
                .body("data.rows[1].type", equalTo("NONE"));
    }

    @Test
    void superfoneDefaultsToPageOne() {
        superfone().get(SUPERFONE)
                .then().statusCode(200)
                .body("data.current_page", equalTo(1))
                .body("data.page_size", equalTo(3))
                .body("data.rows.id", contains(9, 10, 11));
    }

    @Test
    void walkingAllSuperfonePagesCollectsEveryStageOnce() {
        List<Integer> ids = new ArrayList<>();
        List<Map<String, Object>> rows = new ArrayList<>();
        int totalPages = 1;
        for (int page = 1; page <= totalPages; page++) {
            JsonPath json = superfone().queryParam("page", page).queryParam("page_size", 50)
                    .get(SUPERFONE).then().statusCode(200).extract().jsonPath();
            assertEquals(page, json.getInt("data.current_page"));
            assertEquals(8, json.getInt("data.total_items"));
            totalPages = json.getInt("data.total_pages");
            ids.addAll(json.getList("data.rows.id", Integer.class));
            rows.addAll(json.getList("data.rows"));
        }
        assertEquals(3, totalPages);
        assertEquals(List.of(9, 10, 11, 12, 13, 14, 15, 16), ids);
        assertEquals(List.of("New Lead", "Qualified", "Demo Scheduled", "Negotiation", "Won", "Lost",
                "AI Follow-up", "Cold (old)"), rows.stream().map(row -> row.get("title")).toList());
        assertEquals(List.of("INITIAL", "NONE", "NONE", "NONE", "FINAL_POSITIVE", "FINAL_NEGATIVE", "NONE", "NONE"),
                rows.stream().map(row -> row.get("type")).toList());
        Map<String, Object> system = rows.get(6);
        assertEquals(false, system.get("is_editable"));
        assertEquals("AI_RECEPTIONIST", system.get("identifier"));
        Map<String, Object> disabled = rows.get(7);
        assertEquals("DISABLED", disabled.get("status"));
        assertNull(disabled.get("position"));
        assertEquals(7, rows.stream().filter(row -> "ACTIVE".equals(row.get("status"))).count());
    }

    @Test
    void superfonePageBeyondTheLastIsEmptyWithTotals() {
        superfone().queryParam("page", 4)
                .get(SUPERFONE)
                .then().statusCode(200)
                .body("data.rows", empty())
                .body("data.current_page", equalTo(4))
                .body("data.total_pages", equalTo(3))
                .body("data.total_items", equalTo(8))
                .body("data.page_size", equalTo(3));
    }

    @Test
    void superfoneTextFiltersTitlesCaseInsensitively() {
        superfone().queryParam("text", "LEAD")
                .get(SUPERFONE)
                .then().statusCode(200)
                .body("data.rows.title", contains("New Lead"))
                .body("data.total_items", equalTo(1))
                .body("data.total_pages", equalTo(1));
        superfone().queryParam("text", "oL")
                .get(SUPERFONE)
                .then().statusCode(200)
                .body("data.rows.title", contains("AI Follow-up", "Cold (old)"))
                .body("data.total_items", equalTo(2));
        superfone().queryParam("text", "no such stage")
                .get(SUPERFONE)
                .then().statusCode(200)
                .body("data.rows", empty())
                .body("data.total_items", equalTo(0));
    }

    @Test
    void superfoneRejectsBadPaging() {
        for (Map<String, String> query : List.of(Map.of("page", "abc"), Map.of("page", "0"),
                Map.of("page_size", "-1"), Map.of("page_size", "ten"))) {
            superfone().queryParams(query)
                    .get(SUPERFONE)
                    .then().statusCode(400)
                    .body("keySet()", contains("message"))
                    .body("message", not(empty()));
        }
    }

    @Test
    void superfoneRejectsAMissingOrWrongKey() {
        for (RequestSpecification request : List.of(given(), given().header("x-api-key", "wrong"))) {
            request.get(SUPERFONE)
                    .then().statusCode(401)
                    .body("keySet()", contains("message"))
                    .body("message", equalTo("UnAuthorized, Please Provide Valid API Key"));
        }
    }

    // ---- Truto ----

    @Test
    void trutoFirstPageHasTheDocumentedShape() {
        truto().queryParam("integrated_account_id", "demo-pipedrive")
                .get(TRUTO)
                .then().statusCode(200)
                .body("keySet()", containsInAnyOrder(
                        "result", "next_cursor", "prev_cursor", "result_count", "is_partial_response"))
                .body("result_count", equalTo(2))
                .body("result", hasSize(2))
                .body("is_partial_response", equalTo(false))
                .body("prev_cursor", nullValue())
                .body("next_cursor", notNullValue())
                .body("result[0].keySet()", containsInAnyOrder("id", "name", "position", "status", "pipeline",
                        "created_at", "updated_at", "remote_data"))
                .body("result[0].id", equalTo("1"))
                .body("result[0].name", equalTo("Lead In"))
                .body("result[0].position", equalTo(1))
                .body("result[0].status", equalTo("active"))
                .body("result[0].pipeline.id", equalTo("1"))
                .body("result[0].pipeline.name", equalTo("Sales"))
                .body("result[0].created_at", equalTo("2026-01-10T09:00:00.000Z"))
                .body("result[0].remote_data.id", equalTo(1))
                .body("result[0].remote_data.name", equalTo("Lead In"))
                .body("result[0].remote_data.active_flag", equalTo(true))
                .body("result[0].remote_data.pipeline_id", equalTo(1));
    }

    @Test
    void walkingAllTrutoCursorsCollectsEveryStageOnce() {
        List<Map<String, Object>> stages = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            RequestSpecification request = truto().queryParam("integrated_account_id", "demo-pipedrive")
                    .queryParam("limit", 100);
            if (cursor != null) {
                request.queryParam("next_cursor", cursor);
            }
            JsonPath json = request.get(TRUTO).then().statusCode(200).extract().jsonPath();
            List<Map<String, Object>> result = json.getList("result");
            assertEquals(result.size(), json.getInt("result_count"));
            assertEquals(false, json.getBoolean("is_partial_response"));
            assertEquals(pages == 0, json.getString("prev_cursor") == null);
            stages.addAll(result);
            cursor = json.getString("next_cursor");
            pages++;
        } while (cursor != null && pages < 10);

        assertNull(cursor);
        assertEquals(4, pages);
        assertEquals(List.of("1", "2", "3", "4", "5", "6", "7"), stages.stream().map(s -> s.get("id")).toList());
        assertEquals(List.of("Sales", "Sales", "Sales", "Sales", "Partnerships", "Partnerships", "Partnerships"),
                stages.stream().map(s -> ((Map<?, ?>) s.get("pipeline")).get("name")).toList());
        assertEquals(List.of("active", "active", "active", "active", "active", "active", "inactive"),
                stages.stream().map(s -> s.get("status")).toList());
        assertEquals(false, ((Map<?, ?>) stages.get(6).get("remote_data")).get("active_flag"));
    }

    @Test
    void trutoRejectsBadCursors() {
        String outOfRange = Base64.getUrlEncoder().encodeToString("99".getBytes(StandardCharsets.UTF_8));
        for (String cursor : List.of("not a cursor!", "abc", outOfRange)) {
            truto().queryParam("integrated_account_id", "demo-pipedrive").queryParam("next_cursor", cursor)
                    .get(TRUTO)
                    .then().statusCode(400)
                    .body("statusCode", equalTo(400))
                    .body("error", equalTo("Bad Request"))
                    .body("message", notNullValue());
        }
    }

    @Test
    void trutoNeedsAKnownIntegratedAccount() {
        truto().get(TRUTO)
                .then().statusCode(400)
                .body("statusCode", equalTo(400))
                .body("error", equalTo("Bad Request"))
                .body("message", notNullValue());
        truto().queryParam("integrated_account_id", "62f44730-dd91-461e-bd6a-aedd9e0ad79d")
                .get(TRUTO)
                .then().statusCode(404)
                .body("statusCode", equalTo(404))
                .body("error", equalTo("Not Found"))
                .body("message", notNullValue());
    }

    @Test
    void trutoRejectsAMissingOrWrongToken() {
        for (RequestSpecification request : List.of(given(), given().header("Authorization", "Bearer nope"))) {
            request.queryParam("integrated_account_id", "demo-pipedrive")
                    .get(TRUTO)
                    .then().statusCode(401)
                    .body("statusCode", equalTo(401))
                    .body("error", equalTo("Unauthorized"))
                    .body("message", notNullValue());
        }
    }

    private static RequestSpecification superfone() {
        return given().header("x-api-key", "sandbox-superfone-key");
    }

    private static RequestSpecification truto() {
        return given().header("Authorization", "Bearer sandbox-truto-token");
    }
}
