package io.leadsync.catalog;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.leadsync.testing.CrmFakes.wireMock;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;

import io.leadsync.testing.CrmFakes;
import io.leadsync.testing.Fixtures;
import io.leadsync.testing.Leads;
import io.leadsync.testing.Polls;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.awaitility.Awaitility;

/**
 * Route files are read from the file system: an operator's edit of a YAML file changes what the
 * running service does, with no rebuild. Works on a copy of routes/ so the real files stay untouched.
 */
@QuarkusTest
@QuarkusTestResource(CrmFakes.class)
@TestProfile(RouteReloadTest.CopiedRoutes.class)
class RouteReloadTest {

    static final Path ROUTES = Path.of("target", "test-routes");
    static final String PATH = "/telecrm/autoupdate/v2/enterprise/ent-1/lead-stage-pipeline";
    static final String LEAD = "/telecrm/autoupdate/v2/enterprise/ent-1/lead";

    public static class CopiedRoutes implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                io.leadsync.testing.RouteCopies.freshCopy(ROUTES);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return Map.of("camel.main.routes-include-pattern", "file:" + ROUTES + "/*.yaml",
                    "camel.main.routes-reload-directory", ROUTES.toString());
        }
    }

    @Inject
    CamelContext camel;

    @Test
    void anEditedRouteFileChangesWhatTheServiceDoes() throws IOException {
        wireMock().resetAll();
        wireMock().stubFor(get(urlPathEqualTo(PATH)).willReturn(aResponse().withStatus(200)
                .withBody(Fixtures.read("telecrm-lead-stage-pipeline.json"))));
        assertThat(Polls.refresh("telecrm").getString("status"), is("OK"));
        wireMock().verify(0, getRequestedFor(urlPathEqualTo(PATH)).withHeader("X-Requested-By", equalTo("ops")));

        // An operator adds a header to every TeleCRM call (the README's third everyday edit), in YAML only.
        Path route = ROUTES.resolve("telecrm-api.yaml");
        String call = "- to: \"{{leadsync.telecrm.base-url}}";
        String yaml = Files.readString(route);
        String indent = yaml.substring(yaml.lastIndexOf('\n', yaml.indexOf(call)) + 1, yaml.indexOf(call));
        Files.writeString(route, yaml.replace(call, "- setHeader:\n" + indent + "    name: X-Requested-By\n"
                + indent + "    constant: ops\n" + indent + call));

        Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            assertThat(Polls.refresh("telecrm").getString("status"), is("OK"));
            wireMock().verify(getRequestedFor(urlPathEqualTo(PATH)).withHeader("X-Requested-By", equalTo("ops")));
        });
        // The other routes, Java ones included, are still there.
        assertThat(camel.getRoute("publish-catalog") != null, is(true));
        assertThat(camel.getRoute("test-stage-changes") != null, is(true));
        assertThat(camel.getRoute("superfone-stages") != null, is(true));
    }

    @Test
    void aRouteThatCannotBeCreatedIsRejectedAndTheOldRouteKeepsRunning() throws IOException {
        String step = "- to: direct:publish-catalog";
        rejected("superfone-stages.yaml", "superfone-stages", step, "- to: nosuchcomponent:publish", "nosuchcomponent");
    }

    @Test
    void aBeanThatDoesNotExistIsRejectedAndTheOldRouteKeepsRunning() throws IOException {
        // The line reported is the step's: "- bean:".
        rejected("superfone-stages.yaml", "superfone-stage-page",
                "- bean:\n            ref: superfoneStagePages\n            method: readPage",
                "- bean:\n            ref: noSuchBean\n            method: readPage", "noSuchBean");
    }

    @Test
    void aYamlSyntaxErrorIsRejectedAndTheOldRouteKeepsRunning() throws IOException {
        rejected("superfone-stages.yaml", "superfone-stages", "- to: direct:publish-catalog", "- to: direct:publish-catalog: [", "");
    }

    /**
     * The README's first everyday edit: one more field on every TeleCRM create, by appending to the jq mapping
     * telecrm-create-request in the running service's route file. The next create carries it; nothing was rebuilt.
     */
    @Test
    void aMappingEditedInTheRouteFileShapesTheNextCreate() throws IOException {
        wireMock().resetAll();
        wireMock().stubFor(get(urlPathEqualTo(PATH)).willReturn(aResponse().withStatus(200)
                .withBody(Fixtures.read("telecrm-lead-stage-pipeline.json"))));
        assertThat(Polls.refresh("telecrm").getString("status"), is("OK"));
        wireMock().stubFor(post(urlPathEqualTo(LEAD)).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody("{\"lead_id\":\"L-1\",\"remarks\":[]}")));
        Leads.awaitReceipt(Leads.submit("{\"target\":\"telecrm\",\"phone\":\"+919800000101\",\"stage\":\"Qualified\"}"),
                "DELIVERED");
        wireMock().verify(1, postRequestedFor(urlPathEqualTo(LEAD)).withRequestBody(
                equalToJson("{\"fields\":{\"phone\":\"+919800000101\",\"status\":\"Qualified\"}}")));

        Path route = ROUTES.resolve("telecrm-leads.yaml");
        String original = Files.readString(route);
        save(route, appendToMapping(original, "telecrm-create-request", " | .fields.lead_source = \"partner\""));
        loaded("telecrm-leads.yaml");

        Leads.awaitReceipt(Leads.submit("{\"target\":\"telecrm\",\"phone\":\"+919800000102\",\"stage\":\"Qualified\"}"),
                "DELIVERED");
        wireMock().verify(1, postRequestedFor(urlPathEqualTo(LEAD)).withRequestBody(equalToJson(
                "{\"fields\":{\"phone\":\"+919800000102\",\"status\":\"Qualified\",\"lead_source\":\"partner\"}}")));
        save(route, original);
        loaded("telecrm-leads.yaml");
    }

    /**
     * A mapping that compiles but fails on an update (here jq's {@code error}): that update is a VALIDATION dead letter
     * naming the mapping and jq's words, nothing is sent; once the mapping is fixed, its replay is delivered.
     */
    @Test
    void anUpdateItsMappingFailsOnIsAValidationDeadLetterReplayedOnceTheMappingIsFixed() throws IOException {
        wireMock().resetAll();
        wireMock().stubFor(get(urlPathEqualTo(PATH)).willReturn(aResponse().withStatus(200)
                .withBody(Fixtures.read("telecrm-lead-stage-pipeline.json"))));
        assertThat(Polls.refresh("telecrm").getString("status"), is("OK"));
        wireMock().stubFor(post(urlPathEqualTo(LEAD)).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody("{\"lead_id\":\"L-2\",\"remarks\":[]}")));
        Path route = ROUTES.resolve("telecrm-leads.yaml");
        String original = Files.readString(route);
        save(route, appendToMapping(original, "telecrm-create-request", " | error(\"no partner code for \\(.fields.phone)\")"));
        loaded("telecrm-leads.yaml");

        String id = Leads.submit("{\"target\":\"telecrm\",\"phone\":\"+919800000103\",\"stage\":\"Qualified\"}");
        Leads.awaitReceipt(id, "DEAD_LETTER");
        io.restassured.path.json.JsonPath deadLetter = Leads.deadLetterOf(id);
        assertThat(deadLetter.getString("reason"), is("VALIDATION"));
        assertThat(deadLetter.getString("error"), containsString("telecrm-create-request"));
        assertThat(deadLetter.getString("error"), containsString("no partner code for +919800000103"));
        wireMock().verify(0, postRequestedFor(urlPathEqualTo(LEAD)));

        save(route, original);
        loaded("telecrm-leads.yaml");
        io.restassured.RestAssured.given().post("/dead-letters/" + deadLetter.getString("id") + "/replay").then().statusCode(202);
        assertThat(Leads.awaitReceipt(id, "DELIVERED").getString("targetLeadId"), is("L-2"));
    }

    private static void loaded(String file) {
        Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                io.restassured.RestAssured.given().get("/routes").then().statusCode(200)
                        .body("files.find { it.file == '" + file + "' }.state", is("LOADED"))
                        .body("files.find { it.file == '" + file + "' }.routes.every { it.running }", is(true)));
    }

    /** A mapping that is no jq: refused at reload with its file and line, the running route kept, the service ready. */
    @Test
    void aBrokenMappingIsRejectedAndTheOldRouteKeepsRunning() throws IOException {
        String yaml = Files.readString(ROUTES.resolve("telecrm-leads.yaml"));
        String expressionLine = mappingLines(yaml, "telecrm-create-request").get(0);
        // The line reported is the expression's, and the error names the mapping.
        rejected("telecrm-leads.yaml", "telecrm-create-lead", expressionLine, expressionLine.replace("{fields:", "{fields: ((("),
                "step telecrm-create-request: ");
    }

    /** The route file with {@code tail} appended to the last line of the jq expression of the step {@code id}. */
    static String appendToMapping(String yaml, String id, String tail) {
        List<String> lines = mappingLines(yaml, id);
        String last = lines.get(lines.size() - 1);
        return yaml.replace(last + "\n", last + tail + "\n");
    }

    /** The lines of the folded jq expression of the step {@code id} (the lines after "expression: >-"). */
    static List<String> mappingLines(String yaml, String id) {
        List<String> all = yaml.lines().toList();
        int at = all.indexOf(all.stream().filter(l -> l.trim().equals("id: " + id)).findFirst().orElseThrow());
        while (!all.get(at).trim().startsWith("expression:")) {
            at++;
        }
        int indent = all.get(at + 1).length() - all.get(at + 1).stripLeading().length();
        List<String> expression = new java.util.ArrayList<>();
        for (int i = at + 1; i < all.size() && all.get(i).length() - all.get(i).stripLeading().length() == indent; i++) {
            expression.add(all.get(i));
        }
        return expression;
    }

    /**
     * Saves {@code file} with {@code good} replaced by {@code bad}: the edit is rejected with the bad line, the
     * running route {@code routeId} is the very same one as before and readiness stays 200; then the original is
     * saved again and loads.
     */
    private void rejected(String file, String routeId, String good, String bad, String errorMentions) throws IOException {
        rejected(file, routeId, good, bad, 0, errorMentions);
    }

    /** As above, the error at {@code line} (0: the line of {@code bad}). */
    private void rejected(String file, String routeId, String good, String bad, int line, String errorMentions)
            throws IOException {
        Path route = ROUTES.resolve(file);
        String original = Files.readString(route);
        // Ready first: another test's route file may still be reloading (its route Stopped for a moment).
        Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                io.restassured.RestAssured.given().get("/q/health/ready").then().statusCode(200));
        org.apache.camel.Route running = camel.getRoute(routeId);
        double rejectedBefore = reloads(file, "rejected");
        double loadedBefore = reloads(file, "loaded");

        String broken = original.replace(good, bad);
        int badLine = line > 0 ? line
                : (int) broken.substring(0, broken.indexOf(bad)).chars().filter(c -> c == '\n').count() + 1;
        save(route, broken);
        Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                io.restassured.RestAssured.given().get("/routes").then().statusCode(200)
                        .body("files.find { it.file == '" + file + "' }.state", is("REJECTED")));
        io.restassured.RestAssured.given().get("/routes").then().statusCode(200)
                .body("files.find { it.file == '" + file + "' }.line", is(badLine))
                .body("files.find { it.file == '" + file + "' }.error", containsString(errorMentions))
                .body("files.find { it.file == '" + file + "' }.routes.find { it.id == '" + routeId + "' }.running",
                        is(true));
        assertThat(reloads(file, "rejected"), is(rejectedBefore + 1));
        // The old route was never touched: same instance, still running, the service still ready.
        assertThat(camel.getRoute(routeId) == running, is(true));
        io.restassured.RestAssured.given().get("/q/health/ready").then().statusCode(200);

        save(route, original);
        Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                io.restassured.RestAssured.given().get("/routes").then().statusCode(200)
                        .body("files.find { it.file == '" + file + "' }.state", is("LOADED"))
                        .body("files.find { it.file == '" + file + "' }.error", nullValue()));
        assertThat(reloads(file, "loaded"), is(loadedBefore + 1));
        assertThat(camel.getRoute(routeId) != running, is(true));
        io.restassured.RestAssured.given().get("/q/health/ready").then().statusCode(200);
    }

    /** Saves as the README says operators should: a finished file renamed over the old one. */
    private static void save(Path route, String text) throws IOException {
        Path temporary = route.resolveSibling("." + route.getFileName() + ".tmp");
        Files.writeString(temporary, text);
        Files.move(temporary, route, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** leadsync_route_reloads_total of one file for one outcome, 0 before the first. */
    private static double reloads(String file, String outcome) {
        String metrics = io.restassured.RestAssured.given().get("/q/metrics").then().statusCode(200).extract().asString();
        return metrics.lines()
                .filter(l -> l.startsWith("leadsync_route_reloads_total{") && l.contains("file=\"" + file + "\"")
                        && l.contains("outcome=\"" + outcome + "\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst().orElse(0);
    }

    @Test
    void aNewRouteFileAddsARoute() throws IOException {
        save(ROUTES.resolve("ops-extra.yaml"), """
                - route:
                    id: ops-extra
                    from:
                      uri: direct:ops-extra
                      steps:
                        - setBody:
                            constant: hello from a new file
                """);
        // Until the reload has finished, not just until Camel knows the route: Camel adds a reloaded route before it
        // starts it, and a test ending in between left the next one a readiness of 503 (ops-extra not started).
        Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                io.restassured.RestAssured.given().get("/routes").then().statusCode(200)
                        .body("files.find { it.file == 'ops-extra.yaml' }.state", is("LOADED"))
                        .body("files.find { it.file == 'ops-extra.yaml' }.routes.find { it.id == 'ops-extra' }.running",
                                is(true)));
        assertThat(camel.createProducerTemplate().requestBody("direct:ops-extra", null, String.class),
                is("hello from a new file"));
    }
}
