package io.leadsync.sandbox;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;


import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;

/** The fakes' lead endpoints, against the shapes of the CRMs' public docs (/work/shared/seeds, API-NOTES §1–3). */
@QuarkusTest
@TestProfile(SandboxLeadsTest.LeadsOn.class)
class SandboxLeadsTest {

    /** Two more Truto accounts: one for another account's view, one that only the rate-limit test spends. */
    public static class LeadsOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("leadsync.sandbox.enabled", "true",
                    "leadsync.sandbox.truto-accounts", "demo-pipedrive,demo-hubspot,demo-throttled");
        }
    }

    static final String TELECRM_LEAD = "/sandbox/telecrm/autoupdate/v2/enterprise/{id}/lead";
    static final String SUPERFONE_LEAD = "/sandbox/superfone/enterprise/api/lead";
    static final String TRUTO_LEADS = "/sandbox/truto/unified/crm/leads";
    private static final String HEX_24 = "[0-9a-f]{24}";
    private static final String ISO_MILLIS = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z";
    private static final String NOT_WRITABLE = "Only custom actions and payment actions can be created";

    // ---- TeleCRM ----

    @Test
    void telecrmCreatesTheDocsExampleAndGetsItBack() {
        String leadId = telecrm().body("""
                {
                  "fields": {
                    "name": "Jane Doe",
                    "phone": "919999999999",
                    "email": "jane.doe@example.com",
                    "contact_source": "Website",
                    "interests": ["VIP", "Returning"],
                    "deal_size": 1000
                  },
                  "actions": [
                    { "type": "1001", "fields": { "note": "Site visit completed", "outcome": "Interested" } }
                  ]
                }""")
                .post(TELECRM_LEAD, "demo")
                .then().statusCode(201)
                .body("keySet()", containsInAnyOrder("lead_id", "actions", "remarks"))
                .body("lead_id", matchesPattern(HEX_24))
                .body("actions", hasSize(1))
                .body("actions[0].action_id", matchesPattern(HEX_24))
                .body("actions[0].status", equalTo("CREATED"))
                .body("remarks", empty())
                .extract().path("lead_id");

        telecrm().get(TELECRM_LEAD + "/{leadId}", "demo", leadId)
                .then().statusCode(200)
                .body("keySet()", contains("fields"))
                .body("fields.name", equalTo("Jane Doe"))
                .body("fields.phone", equalTo("919999999999"))
                .body("fields.email", equalTo("jane.doe@example.com"))
                .body("fields.contact_source", equalTo("Website"))
                .body("fields.interests", contains("VIP", "Returning"))
                .body("fields.deal_size", equalTo(1000));
        telecrm().queryParam("includeActions", true)
                .get(TELECRM_LEAD + "/{leadId}", "demo", leadId)
                .then().statusCode(200)
                .body("keySet()", containsInAnyOrder("fields", "actions", "actions_skip", "actions_limit"))
                .body("actions", hasSize(1))
                .body("actions[0].type", equalTo("1001"))
                .body("actions[0].fields.note", equalTo("Site visit completed"))
                .body("actions_skip", equalTo(0))
                .body("actions_limit", equalTo(10));
    }

    @Test
    void telecrmCreateDropsWhatItCannotTakeIntoRemarks() {
        String leadId = telecrm().body("""
                {
                  "fields": { "name": "Partial", "phone": "910000000002", "rating": 9, "status": "Nope" },
                  "actions": [
                    { "type": "OUTGOING_CALL" },
                    { "type": "1001", "fields": { "note": "kept" } },
                    { "type": "ACTION_1001" },
                    { "type": "PAYMENT", "status": "COMPLETED", "currency": "INR", "amount": 500 },
                    { "type": "PAYMENT", "status": "DONE", "currency": "INR", "amount": 1 }
                  ]
                }""")
                .post(TELECRM_LEAD, "demo")
                .then().statusCode(201)
                .body("lead_id", matchesPattern(HEX_24))
                .body("actions.status", contains("IGNORED", "CREATED", "IGNORED", "CREATED", "IGNORED"))
                .body("actions[0].action_id", nullValue())
                .body("actions[0].keySet()", containsInAnyOrder("action_id", "status"))
                .body("actions[1].action_id", matchesPattern(HEX_24))
                .body("actions[2].action_id", nullValue())
                .body("actions[3].action_id", matchesPattern(HEX_24))
                .body("actions[4].action_id", nullValue())
                .body("remarks.field", contains("fields.rating", "fields.status", "actions[0].type",
                        "actions[2].type", "actions[4].status"))
                .body("remarks.status", contains("IGNORED", "IGNORED", "IGNORED", "IGNORED", "IGNORED"))
                .body("remarks[0].remark", equalTo("Rating must be between 1 and 5"))
                .body("remarks[1].remark", containsString("Unknown status label"))
                .body("remarks[2].remark", equalTo(NOT_WRITABLE))
                .body("remarks[3].remark", containsString("ACTION_"))
                .body("remarks[0].keySet()", containsInAnyOrder("field", "status", "remark"))
                .extract().path("lead_id");

        telecrm().queryParam("includeActions", "true")
                .get(TELECRM_LEAD + "/{leadId}", "demo", leadId)
                .then().statusCode(200)
                .body("fields.keySet()", containsInAnyOrder("name", "phone", "created_on"))
                .body("actions.type", contains("PAYMENT", "1001"));
    }

    @Test
    void telecrmCreateNeedsThePhone() {
        for (String body : List.of("{}", "{\"fields\":{\"name\":\"No phone\"}}", "{\"fields\":{\"phone\":\"  \"}}",
                "{\"fields\":{\"phone\":{\"n\":1}}}", "not json", "[1]")) {
            telecrm().body(body)
                    .post(TELECRM_LEAD, "demo")
                    .then().statusCode(400)
                    .body("error.code", equalTo("BAD_REQUEST"))
                    .body("error.message", notNullValue());
        }
    }

    @Test
    void telecrmRefusesASecondLeadWithThePhone() {
        String body = "{\"fields\":{\"name\":\"First\",\"phone\":\"910000000003\"}}";
        telecrm().body(body).post(TELECRM_LEAD, "demo").then().statusCode(201);
        telecrm().body("{\"fields\":{\"name\":\"Second\",\"phone\":\"910000000003\"}}")
                .post(TELECRM_LEAD, "demo")
                .then().statusCode(409)
                .body("error.code", equalTo("LEAD_ALREADY_EXISTS"))
                .body("error.message", containsString("910000000003"));
        telecrm().body("{\"fields\":{\"phone\":\"910000000003\"}}")
                .post(TELECRM_LEAD + "/search", "demo")
                .then().statusCode(200)
                .body("total_count", equalTo(1))
                .body("data[0].fields.name", equalTo("First"));
    }

    @Test
    void telecrmUpdateAnswersTheCurrentFieldsAndDropsBadValues() {
        String leadId = createTeleCrmLead("{\"name\":\"Upd\",\"phone\":\"910000000004\",\"status\":\"Fresh\"}");

        telecrm().body("{\"fields\":{\"status\":\"Qualified\",\"rating\":5}}")
                .post(TELECRM_LEAD + "/{leadId}", "demo", leadId)
                .then().statusCode(200)
                .body("keySet()", containsInAnyOrder("fields", "remarks"))
                .body("fields.name", equalTo("Upd"))
                .body("fields.phone", equalTo("910000000004"))
                .body("fields.status", equalTo("Qualified"))
                .body("fields.rating", equalTo(5))
                .body("remarks", empty());

        telecrm().body("{\"fields\":{\"rating\":9,\"status\":\"Call Back Later\",\"email\":\"u@example.com\"}}")
                .post(TELECRM_LEAD + "/{leadId}", "demo", leadId)
                .then().statusCode(200)
                .body("fields.rating", equalTo(5))
                .body("fields.status", equalTo("Qualified"))
                .body("fields.email", equalTo("u@example.com"))
                .body("remarks.field", contains("fields.rating", "fields.status"))
                .body("remarks.status", contains("IGNORED", "IGNORED"))
                .body("remarks[0].remark", equalTo("Rating must be between 1 and 5"))
                .body("remarks[1].remark", containsString("archived"));

        // status labels match case-sensitively; a rating must be a whole number
        telecrm().body("{\"fields\":{\"status\":\"won\",\"rating\":\"4\"}}")
                .post(TELECRM_LEAD + "/{leadId}", "demo", leadId)
                .then().statusCode(200)
                .body("fields.status", equalTo("Qualified"))
                .body("fields.rating", equalTo(5))
                .body("remarks.field", contains("fields.status", "fields.rating"));

        telecrm().get(TELECRM_LEAD + "/{leadId}", "demo", leadId)
                .then().statusCode(200)
                .body("fields.status", equalTo("Qualified"))
                .body("fields.rating", equalTo(5))
                .body("fields.email", equalTo("u@example.com"));
    }

    @Test
    void telecrmUpdateRefusesTheIdentifierAnUnknownLeadAndActions() {
        String leadId = createTeleCrmLead("{\"name\":\"Fixed\",\"phone\":\"910000000005\"}");
        telecrm().body("{\"fields\":{\"phone\":\"910000000005\",\"name\":\"Renamed\"}}")
                .post(TELECRM_LEAD + "/{leadId}", "demo", leadId)
                .then().statusCode(403)
                .body("error.code", equalTo("INVALID_LEAD"))
                .body("error.message", notNullValue());
        telecrm().get(TELECRM_LEAD + "/{leadId}", "demo", leadId)
                .then().statusCode(200)
                .body("fields.name", equalTo("Fixed"));

        telecrm().body("{\"fields\":{\"name\":\"x\"}}")
                .post(TELECRM_LEAD + "/{leadId}", "demo", "62ab16e")
                .then().statusCode(404)
                .body("error.code", equalTo("LEAD_NOT_FOUND"))
                .body("error.message", equalTo("The lead with ID 62ab16e was not found."));
        telecrm().body("{\"fields\":{\"name\":\"x\"},\"actions\":[{\"type\":\"1001\"}]}")
                .post(TELECRM_LEAD + "/{leadId}", "demo", leadId)
                .then().statusCode(400)
                .body("error.code", equalTo("BAD_REQUEST"));
    }

    @Test
    void telecrmAddsActionsInRequestOrder() {
        String leadId = createTeleCrmLead("{\"phone\":\"910000000006\"}");
        telecrm().body("""
                { "actions": [
                    { "type": "1001", "fields": { "note": "first" } },
                    { "type": "INCOMING_CALL" },
                    { "type": "PAYMENT", "status": "PENDING", "currency": "USD", "amount": "99.50" }
                ] }""")
                .post(TELECRM_LEAD + "/{leadId}/action", "demo", leadId)
                .then().statusCode(200)
                .body("keySet()", containsInAnyOrder("lead_id", "actions", "remarks"))
                .body("lead_id", equalTo(leadId))
                .body("actions.status", contains("CREATED", "IGNORED", "CREATED"))
                .body("actions[0].action_id", matchesPattern(HEX_24))
                .body("actions[1].action_id", nullValue())
                .body("remarks.field", contains("actions[1].type"))
                .body("remarks[0].status", equalTo("IGNORED"));

        telecrm().queryParam("includeActions", true).queryParam("limit", 1).queryParam("skip", 1)
                .get(TELECRM_LEAD + "/{leadId}", "demo", leadId)
                .then().statusCode(200)
                .body("actions.type", contains("1001"))
                .body("actions_skip", equalTo(1))
                .body("actions_limit", equalTo(1));

        telecrm().body("{\"actions\":[{\"type\":\"OUTGOING_CALL\"},{\"type\":\"LEAD_ASSIGNMENT\"}]}")
                .post(TELECRM_LEAD + "/{leadId}/action", "demo", leadId)
                .then().statusCode(400)
                .body("error.code", equalTo("BAD_REQUEST"))
                .body("error.message", equalTo(NOT_WRITABLE));
        telecrm().body("{\"actions\":[]}")
                .post(TELECRM_LEAD + "/{leadId}/action", "demo", leadId)
                .then().statusCode(400);
        telecrm().body("{\"actions\":[{\"type\":\"1001\"}]}")
                .post(TELECRM_LEAD + "/{leadId}/action", "demo", "62ab16e")
                .then().statusCode(404)
                .body("error.code", equalTo("LEAD_NOT_FOUND"));
        telecrm().queryParam("includeActions", true)
                .get(TELECRM_LEAD + "/{leadId}", "demo", leadId)
                .then().statusCode(200)
                .body("actions.type", contains("PAYMENT", "1001"));
    }

    @Test
    void telecrmGetChecksItsActionLimitOnlyWithActions() {
        String leadId = createTeleCrmLead("{\"phone\":\"910000000007\"}");
        for (String limit : List.of("0", "101", "ten")) {
            telecrm().queryParam("includeActions", true).queryParam("limit", limit)
                    .get(TELECRM_LEAD + "/{leadId}", "demo", leadId)
                    .then().statusCode(400)
                    .body("error.code", equalTo("BAD_REQUEST"))
                    .body("error.message", equalTo("Limit should be between 1 and 100"));
        }
        telecrm().queryParam("limit", 0)
                .get(TELECRM_LEAD + "/{leadId}", "demo", leadId)
                .then().statusCode(200)
                .body("keySet()", contains("fields"));
        telecrm().get(TELECRM_LEAD + "/{leadId}", "demo", "62ab16e")
                .then().statusCode(404)
                .body("error.code", equalTo("LEAD_NOT_FOUND"))
                .body("error.message", equalTo("The lead with ID 62ab16e was not found."));
    }

    @Test
    void telecrmSearchFiltersPagesNewestFirstAndChecksTheLimit() {
        String fresh = createTeleCrmLead("{\"phone\":\"910000000011\",\"campaign\":\"spring\",\"status\":\"Fresh\"}");
        String contacted = createTeleCrmLead(
                "{\"phone\":\"910000000012\",\"campaign\":\"spring\",\"status\":\"Contacted\"}");
        String won = createTeleCrmLead("{\"phone\":\"910000000013\",\"campaign\":\"spring\",\"status\":\"Won\"}");

        telecrm().body("{\"fields\":{\"campaign\":\"spring\"}}")
                .post(TELECRM_LEAD + "/search", "demo")
                .then().statusCode(200)
                .body("keySet()", containsInAnyOrder("data", "total_count"))
                .body("total_count", equalTo(3))
                .body("data.id", contains(won, contacted, fresh))
                .body("data[0].keySet()", containsInAnyOrder("id", "fields"))
                .body("data[0].fields.status", equalTo("Won"));
        telecrm().body("{\"fields\":{\"campaign\":\"SPRING\",\"status\":[\"Fresh\",\"Won\"]}}")
                .post(TELECRM_LEAD + "/search", "demo")
                .then().statusCode(200)
                .body("total_count", equalTo(2))
                .body("data.id", contains(won, fresh));
        telecrm().body("{\"fields\":{\"campaign\":\"spring\",\"status\":\"fresh\"}}")
                .post(TELECRM_LEAD + "/search", "demo")
                .then().statusCode(200)
                .body("total_count", equalTo(0))
                .body("data", empty());
        telecrm().queryParam("limit", 2).body("{\"fields\":{\"campaign\":\"spring\"}}")
                .post(TELECRM_LEAD + "/search", "demo")
                .then().statusCode(200)
                .body("total_count", equalTo(3))
                .body("data.id", contains(won, contacted));
        telecrm().queryParam("limit", 2).queryParam("skip", 2).body("{\"fields\":{\"campaign\":\"spring\"}}")
                .post(TELECRM_LEAD + "/search", "demo")
                .then().statusCode(200)
                .body("total_count", equalTo(3))
                .body("data.id", contains(fresh));
        JsonPath all = telecrm().post(TELECRM_LEAD + "/search", "demo")
                .then().statusCode(200)
                .body("total_count", greaterThanOrEqualTo(3))
                .extract().jsonPath();
        assertEquals(Math.min(all.getInt("total_count"), 10), all.getList("data").size());

        for (String limit : List.of("0", "101", "-5", "many")) {
            telecrm().queryParam("limit", limit).body("{}")
                    .post(TELECRM_LEAD + "/search", "demo")
                    .then().statusCode(400)
                    .body("error.code", equalTo("BAD_REQUEST"))
                    .body("error.message", equalTo("Limit should be between 1 and 100"));
        }
        telecrm().queryParam("limit", 100).body("{}")
                .post(TELECRM_LEAD + "/search", "demo")
                .then().statusCode(200);
        telecrm().body("{\"actions\":{\"type\":[\"OUTGOING_CALL\"]}}")
                .post(TELECRM_LEAD + "/search", "demo")
                .then().statusCode(400)
                .body("error.code", equalTo("BAD_REQUEST"));

        // created_on is the fake's own time of creation (epoch ms): a walk of new leads filters on it.
        long wonCreated = telecrm().body("{\"fields\":{\"phone\":\"910000000013\"}}").post(TELECRM_LEAD + "/search", "demo")
                .then().extract().jsonPath().getLong("data[0].fields.created_on");
        long freshCreated = telecrm().body("{\"fields\":{\"phone\":\"910000000011\"}}").post(TELECRM_LEAD + "/search", "demo")
                .then().extract().jsonPath().getLong("data[0].fields.created_on");
        telecrm().body("{\"fields\":{\"campaign\":\"spring\",\"created_on\":{\"from\":" + wonCreated + "}}}")
                .post(TELECRM_LEAD + "/search", "demo")
                .then().statusCode(200)
                .body("data.id", hasItem(won))
                .body("data.id", freshCreated < wonCreated ? not(hasItem(fresh)) : hasItem(fresh));
        telecrm().body("{\"fields\":{\"campaign\":\"spring\",\"created_on\":{\"to\":" + (freshCreated - 1) + "}}}")
                .post(TELECRM_LEAD + "/search", "demo")
                .then().statusCode(200)
                .body("data", empty());
        telecrm().body("{\"fields\":{\"created_on\":{\"from\":\"yesterday\"}}}")
                .post(TELECRM_LEAD + "/search", "demo")
                .then().statusCode(400)
                .body("error.message", containsString("epoch milliseconds"));
        telecrm().body("{\"fields\":{\"phone\":\"910000000014\",\"created_on\":1}}").post(TELECRM_LEAD, "demo")
                .then().statusCode(201)
                .body("remarks[0].field", equalTo("fields.created_on"));
    }

    @Test
    void telecrmLeadsNeedTheTokenAndTheEnterprise() {
        for (RequestSpecification request : List.of(given(), given().header("Authorization", "Bearer nope"))) {
            request.contentType(ContentType.JSON).body("{\"fields\":{\"phone\":\"910000000099\"}}")
                    .post(TELECRM_LEAD, "demo")
                    .then().statusCode(401)
                    .body("error.code", equalTo("NOT_AUTHORIZED"));
        }
        telecrm().body("{}")
                .post(TELECRM_LEAD + "/search", "62ab16e")
                .then().statusCode(404)
                .body("error.code", equalTo("ENTERPRISE_NOT_FOUND"));
        telecrm().body("{\"fields\":{\"phone\":\"910000000099\"}}")
                .post(TELECRM_LEAD + "/search", "demo")
                .then().statusCode(200)
                .body("total_count", equalTo(0));
    }

    // ---- Superfone ----

    @Test
    void superfoneUpsertCreatesWhenAskedAndGetShowsTheSameLead() {
        JsonPath created = superfone().body("""
                {
                  "customer_phone": "+919800000001",
                  "create_customer_if_customer_phone_not_found": true,
                  "first_name": "Asha",
                  "last_name": "Rao",
                  "email": ["asha@example.com"],
                  "lead_stage_name": "Qualified",
                  "add_labels": ["VIP", "Inbound"]
                }""")
                .post(SUPERFONE_LEAD)
                .then().statusCode(200)
                .body("message", equalTo("success"))
                .body("data.id", notNullValue())
                .body("data.first_name", equalTo("Asha"))
                .body("data.last_name", equalTo("Rao"))
                .body("data.email", contains("asha@example.com"))
                .body("data.lead_stage_id", equalTo(10))
                .body("data.lead_stage.keySet()", containsInAnyOrder("id", "title", "status", "type", "position"))
                .body("data.lead_stage.id", equalTo(10))
                .body("data.lead_stage.title", equalTo("Qualified"))
                .body("data.lead_stage.status", equalTo("ACTIVE"))
                .body("data.lead_stage.type", equalTo("NONE"))
                .body("data.lead_stage.position", equalTo(2))
                .body("data.phones", hasSize(1))
                .body("data.phones[0].phone", equalTo("+919800000001"))
                .body("data.phones[0].customer_id", notNullValue())
                .body("data.labels", contains("VIP", "Inbound"))
                .body("data.created_at", matchesPattern(ISO_MILLIS))
                .body("data.updated_at", matchesPattern(ISO_MILLIS))
                .body("data.keySet()", hasItem("lead_group_id"))
                .extract().jsonPath();

        JsonPath got = superfone().queryParam("phone", "+919800000001")
                .get(SUPERFONE_LEAD)
                .then().statusCode(200)
                .body("message", equalTo("success"))
                .extract().jsonPath();
        assertEquals(created.getMap("data"), got.getMap("data"));
        // a '+' left unencoded in the query arrives as a space: still the same phone
        superfone().urlEncodingEnabled(false).queryParam("phone", "+919800000001")
                .get(SUPERFONE_LEAD)
                .then().statusCode(200)
                .body("data.id", equalTo(created.getInt("data.id")));
    }

    @Test
    void superfoneUpsertUpdatesTheLeadOfThePhone() {
        int id = superfone().body("""
                { "customer_phone": "+919800000002", "create_customer_if_customer_phone_not_found": true,
                  "first_name": "Ravi", "last_name": "K", "lead_stage_name": "New Lead", "add_labels": ["VIP"] }""")
                .post(SUPERFONE_LEAD).then().statusCode(200).extract().path("data.id");

        superfone().body("""
                { "customer_phone": "+919800000002", "first_name": "Ravi Kumar", "lead_stage_name": "Won",
                  "remove_labels": ["VIP"] }""")
                .post(SUPERFONE_LEAD)
                .then().statusCode(200)
                .body("data.id", equalTo(id))
                .body("data.first_name", equalTo("Ravi Kumar"))
                .body("data.last_name", equalTo("K"))
                .body("data.lead_stage_id", equalTo(13))
                .body("data.lead_stage.type", equalTo("FINAL_POSITIVE"))
                .body("data.labels", empty());

        superfone().body("{\"customer_phone\":\"+919800000002\",\"lead_stage_name\":null}")
                .post(SUPERFONE_LEAD)
                .then().statusCode(200)
                .body("data.id", equalTo(id))
                .body("data.lead_stage_id", nullValue())
                .body("data.lead_stage", nullValue());
    }

    @Test
    void superfoneNeedsAKnownPhoneUnlessAskedToCreate() {
        superfone().body("{\"customer_phone\":\"+919800000003\",\"first_name\":\"Nobody\"}")
                .post(SUPERFONE_LEAD)
                .then().statusCode(400)
                .body("keySet()", contains("message"))
                .body("message", equalTo("Customer not found"));
        superfone().body("{\"customer_phone\":\"+919800000003\",\"create_customer_if_customer_phone_not_found\":false}")
                .post(SUPERFONE_LEAD)
                .then().statusCode(400)
                .body("message", equalTo("Customer not found"));
        superfone().queryParam("phone", "+919800000003")
                .get(SUPERFONE_LEAD)
                .then().statusCode(400)
                .body("keySet()", contains("message"))
                .body("message", equalTo("Customer not found"));
    }

    @Test
    void superfoneChecksThePhone() {
        for (String body : List.of("{}", "{\"customer_phone\":\"\"}", "{\"customer_phone\":null}")) {
            superfone().body(body)
                    .post(SUPERFONE_LEAD)
                    .then().statusCode(400)
                    .body("message", equalTo("Customer phone is required"));
        }
        for (String phone : List.of("919800000004", "+12345", "+9198000000041234", "+91 98000 00004")) {
            superfone().body(Map.of("customer_phone", phone, "create_customer_if_customer_phone_not_found", true))
                    .post(SUPERFONE_LEAD)
                    .then().statusCode(400)
                    .body("keySet()", contains("message"))
                    .body("message", not(equalTo("success")));
        }
    }

    @Test
    void superfoneStageNameMustBeAnExactTitle() {
        for (String name : List.of("qualified", "Qualified ", "No Such Stage")) {
            superfone().body(Map.of("customer_phone", "+919800000005",
                    "create_customer_if_customer_phone_not_found", true, "lead_stage_name", name))
                    .post(SUPERFONE_LEAD)
                    .then().statusCode(400)
                    .body("message", equalTo("Lead stage not found"));
        }
        // a refused upsert creates nothing
        superfone().queryParam("phone", "+919800000005").get(SUPERFONE_LEAD)
                .then().statusCode(400).body("message", equalTo("Customer not found"));

        superfone().body(Map.of("customer_phone", "+919800000005",
                "create_customer_if_customer_phone_not_found", true, "lead_stage_name", "Demo Scheduled"))
                .post(SUPERFONE_LEAD).then().statusCode(200).body("data.lead_stage_id", equalTo(11));
        superfone().body(Map.of("customer_phone", "+919800000005", "lead_stage_name", "Lost!"))
                .post(SUPERFONE_LEAD).then().statusCode(400).body("message", equalTo("Lead stage not found"));
        superfone().queryParam("phone", "+919800000005").get(SUPERFONE_LEAD)
                .then().statusCode(200).body("data.lead_stage.title", equalTo("Demo Scheduled"));
    }

    @Test
    void superfoneRefusesAddAndRemoveLabelsTogetherAndBadTypes() {
        superfone().body("""
                { "customer_phone": "+919800000006", "create_customer_if_customer_phone_not_found": true,
                  "add_labels": ["A"], "remove_labels": ["B"] }""")
                .post(SUPERFONE_LEAD)
                .then().statusCode(400)
                .body("keySet()", contains("message"));
        superfone().body("""
                { "customer_phone": "+919800000006", "create_customer_if_customer_phone_not_found": true,
                  "email": "not-a-list" }""")
                .post(SUPERFONE_LEAD)
                .then().statusCode(400);
        superfone().body("not json")
                .post(SUPERFONE_LEAD)
                .then().statusCode(400)
                .body("keySet()", contains("message"));
    }

    @Test
    void superfoneLeadsNeedTheKey() {
        for (RequestSpecification request : List.of(given(), given().header("x-api-key", "wrong"))) {
            request.contentType(ContentType.JSON).body("{\"customer_phone\":\"+919800000001\"}")
                    .post(SUPERFONE_LEAD)
                    .then().statusCode(401)
                    .body("message", equalTo("UnAuthorized, Please Provide Valid API Key"));
        }
        given().queryParam("phone", "+919800000001").get(SUPERFONE_LEAD)
                .then().statusCode(401)
                .body("message", equalTo("UnAuthorized, Please Provide Valid API Key"));
    }

    // ---- Truto ----

    @Test
    void trutoCreatesGetsAndPatchesALead() {
        JsonPath created = truto("demo-pipedrive").body("""
                {
                  "first_name": "Mei",
                  "last_name": "Lin",
                  "email_addresses": [{ "email": "mei@example.com" }],
                  "phone_numbers": [{ "number": "+6591234567" }],
                  "status": "New",
                  "lead_source": "Website"
                }""")
                .post(TRUTO_LEADS)
                .then().statusCode(201)
                .body("id", matchesPattern("[0-9a-f-]{36}"))
                .body("first_name", equalTo("Mei"))
                .body("last_name", equalTo("Lin"))
                .body("email_addresses[0].email", equalTo("mei@example.com"))
                .body("phone_numbers[0].number", equalTo("+6591234567"))
                .body("status", equalTo("New"))
                .body("lead_source", equalTo("Website"))
                .body("created_at", matchesPattern(ISO_MILLIS))
                .extract().jsonPath();
        String id = created.getString("id");

        truto("demo-pipedrive").get(TRUTO_LEADS + "/{id}", id)
                .then().statusCode(200)
                .body("id", equalTo(id))
                .body("first_name", equalTo("Mei"));
        truto("demo-pipedrive").body("{\"status\":\"Qualified\",\"id\":\"other\"}")
                .patch(TRUTO_LEADS + "/{id}", id)
                .then().statusCode(200)
                .body("id", equalTo(id))
                .body("status", equalTo("Qualified"))
                .body("first_name", equalTo("Mei"))
                .body("created_at", equalTo(created.getString("created_at")));
        truto("demo-pipedrive").get(TRUTO_LEADS + "/{id}", id)
                .then().statusCode(200)
                .body("status", equalTo("Qualified"));

        // another integrated account does not see it
        truto("demo-hubspot").get(TRUTO_LEADS + "/{id}", id)
                .then().statusCode(404);
        truto("demo-pipedrive").get(TRUTO_LEADS + "/{id}", "no-such-lead")
                .then().statusCode(404)
                .body("statusCode", equalTo(404))
                .body("error", equalTo("Not Found"))
                .body("message", notNullValue());
        truto("demo-pipedrive").body("{\"status\":\"Qualified\"}")
                .patch(TRUTO_LEADS + "/{id}", "no-such-lead")
                .then().statusCode(404)
                .body("statusCode", equalTo(404));
    }

    @Test
    void trutoIdempotencyKeyAnswersTheFirstCreateAgain() {
        String body = "{\"first_name\":\"Idem\",\"last_name\":\"Potent\"}";
        String first = truto("demo-pipedrive").header("Idempotency-Key", "key-1").body(body)
                .post(TRUTO_LEADS).then().statusCode(201).extract().path("id");
        truto("demo-pipedrive").header("Idempotency-Key", "key-1")
                .body("{ \"last_name\": \"Potent\", \"first_name\": \"Idem\" }")
                .post(TRUTO_LEADS)
                .then().statusCode(201)
                .body("id", equalTo(first));
        truto("demo-pipedrive").header("Idempotency-Key", "key-1").body("{\"first_name\":\"Other\"}")
                .post(TRUTO_LEADS)
                .then().statusCode(422)
                .body("statusCode", equalTo(422))
                .body("error", equalTo("Unprocessable Entity"))
                .body("message", containsString("key-1"));

        String withoutKey1 = truto("demo-pipedrive").body(body).post(TRUTO_LEADS)
                .then().statusCode(201).extract().path("id");
        String withoutKey2 = truto("demo-pipedrive").body(body).post(TRUTO_LEADS)
                .then().statusCode(201).extract().path("id");
        assertNotEquals(withoutKey1, withoutKey2);
        assertNotEquals(first, withoutKey1);
    }

    @Test
    void trutoChecksTheLeadBody() {
        for (String body : List.of("{\"email_addresses\":\"a@b.c\"}", "{\"phone_numbers\":[{\"phone\":\"1\"}]}",
                "{\"first_name\":7}", "not json")) {
            truto("demo-pipedrive").body(body)
                    .post(TRUTO_LEADS)
                    .then().statusCode(400)
                    .body("statusCode", equalTo(400))
                    .body("error", equalTo("Bad Request"));
        }
    }

    @Test
    void trutoLeadsNeedTheTokenAndAKnownAccount() {
        given().contentType(ContentType.JSON).queryParam("integrated_account_id", "demo-pipedrive").body("{}")
                .post(TRUTO_LEADS)
                .then().statusCode(401)
                .body("statusCode", equalTo(401))
                .body("error", equalTo("Unauthorized"));
        given().header("Authorization", "Bearer sandbox-truto-token").contentType(ContentType.JSON).body("{}")
                .post(TRUTO_LEADS)
                .then().statusCode(400)
                .body("error", equalTo("Bad Request"));
        truto("62f44730-dd91-461e-bd6a-aedd9e0ad79d").get(TRUTO_LEADS + "/{id}", "x")
                .then().statusCode(404)
                .body("message", containsString("Integrated account"));
    }

    @Test
    void trutoAnswers429PastTheAccountsRateLimit() {
        for (int i = 1; i <= 50; i++) {
            truto("demo-throttled").get(TRUTO_LEADS + "/{id}", "none-" + i).then().statusCode(404);
        }
        truto("demo-throttled").body("{\"first_name\":\"Late\"}")
                .post(TRUTO_LEADS)
                .then().statusCode(429)
                .header("Retry-After", "10")
                .body("statusCode", equalTo(429))
                .body("error", equalTo("Too Many Requests"))
                .body("message", notNullValue());
        // the limit is per account and covers every unified call
        given().header("Authorization", "Bearer sandbox-truto-token")
                .queryParam("integrated_account_id", "demo-throttled")
                .get(SandboxTest.TRUTO)
                .then().statusCode(429)
                .header("Retry-After", "10");
        truto("demo-hubspot").get(TRUTO_LEADS + "/{id}", "none")
                .then().statusCode(404);
    }

    private static String createTeleCrmLead(String fields) {
        return telecrm().body("{\"fields\":" + fields + "}")
                .post(TELECRM_LEAD, "demo")
                .then().statusCode(201)
                .body("remarks", empty())
                .extract().path("lead_id");
    }


    private static RequestSpecification telecrm() {
        return given().header("Authorization", "Bearer sandbox-telecrm-token").contentType(ContentType.JSON);
    }

    private static RequestSpecification superfone() {
        return given().header("x-api-key", "sandbox-superfone-key").contentType(ContentType.JSON);
    }

    private static RequestSpecification truto(String account) {
        return given().header("Authorization", "Bearer sandbox-truto-token").contentType(ContentType.JSON)
                .queryParam("integrated_account_id", account);
    }
}
