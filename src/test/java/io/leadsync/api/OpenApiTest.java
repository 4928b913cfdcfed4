package io.leadsync.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.in;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.leadsync.testing.CrmFakes;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The OpenAPI document at /q/openapi against the README: every call the README's API tables name is
 * in the document with its method, every operation of the document is named in the README, and every
 * error answer is a problem+json Problem.
 */
@QuarkusTest
@QuarkusTestResource(CrmFakes.class)
class OpenApiTest {

    /** Quarkus's own endpoints, listed in the README's tables but not part of leadsync's API document. */
    static final Set<String> QUARKUS_OWN = Set.of("/q/health/live", "/q/health/ready", "/q/metrics");

    static final Pattern CALL = Pattern.compile("^(?:(GET|POST|PUT|PATCH|DELETE) )?(/[^\\[?\\s]*)");

    static String readme;
    static JsonNode document;

    @BeforeAll
    static void read() throws IOException {
        readme = Files.readString(Path.of("README.md"));
    }

    static JsonNode document() throws IOException {
        if (document == null) {
            document = new ObjectMapper().readTree(given().queryParam("format", "json").get("/q/openapi")
                    .then().statusCode(200).extract().asString());
        }
        return document;
    }

    /** "GET /stages" for every call in the first cell of a README table row; "/q/…" for Quarkus's own. */
    static List<String> readmeCalls() {
        List<String> calls = new ArrayList<>();
        for (String line : readme.lines().toList()) {
            if (!line.startsWith("| `")) {
                continue;
            }
            String firstCell = line.substring(1).split("(?<!\\\\)\\|", 2)[0];
            Matcher token = Pattern.compile("`([^`]*)`").matcher(firstCell);
            while (token.find()) {
                Matcher call = CALL.matcher(token.group(1));
                if (call.find()) {
                    calls.add(call.group(1) == null ? call.group(2) : call.group(1) + " " + call.group(2));
                }
            }
        }
        return calls;
    }

    /** "GET /stages" for every operation of the document. */
    static Set<String> documentedCalls() throws IOException {
        Set<String> calls = new TreeSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = document().path("paths").fields(); paths.hasNext();) {
            Map.Entry<String, JsonNode> path = paths.next();
            path.getValue().fieldNames().forEachRemaining(method -> calls.add(method.toUpperCase() + " " + path.getKey()));
        }
        return calls;
    }

    @Test
    void everyCallOfTheReadmeIsDocumentedWithItsMethod() throws IOException {
        List<String> readme = readmeCalls();
        List<String> ours = readme.stream().filter(c -> !c.startsWith("/")).toList();
        // The parse itself: the tables of Stages, Lead routing and dead letters, and the comma-separated rows.
        assertThat(ours, hasItems("GET /stages", "GET /stages/changes", "POST /stages/refresh", "POST /leads",
                "GET /leads/{id}", "GET /dead-letters", "GET /dead-letters/{id}", "DELETE /dead-letters/{id}",
                "POST /dead-letters/{id}/replay", "POST /dead-letters/replay"));
        Set<String> documented = documentedCalls();
        assertThat("README calls missing from /q/openapi", ours.stream().filter(c -> !documented.contains(c)).toList(), empty());

        // Rows without a method are Quarkus's own endpoints: known ones, outside the document, and served.
        List<String> quarkus = readme.stream().filter(c -> c.startsWith("/")).toList();
        assertThat(quarkus, everyItem(is(in(QUARKUS_OWN))));
        assertThat(quarkus, hasItems(QUARKUS_OWN.toArray(String[]::new)));
        for (String endpoint : quarkus) {
            assertThat(endpoint, document().path("paths").has(endpoint), is(false));
            assertThat(endpoint, given().get(endpoint).statusCode(), is(in(List.of(200, 503))));
        }
    }

    @Test
    void everyDocumentedCallIsInTheReadme() throws IOException {
        Set<String> documented = documentedCalls();
        assertThat(documented, hasItems("GET /etl/runs", "POST /etl/jobs/{job}/run"));
        assertThat("operations the README never names", documented.stream().filter(c -> !readme.contains(c)).toList(),
                empty());
        assertThat("the sandbox fakes are not leadsync's API", documented.stream().map(c -> c.split(" ", 2)[1]).toList(),
                everyItem(not(startsWith("/sandbox"))));
    }

    @Test
    void errorAnswersAreProblems() throws IOException {
        for (Iterator<Map.Entry<String, JsonNode>> paths = document().path("paths").fields(); paths.hasNext();) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext();) {
                Map.Entry<String, JsonNode> op = ops.next();
                String call = op.getKey().toUpperCase() + " " + path.getKey();
                JsonNode responses = op.getValue().path("responses");
                assertThat(call + " has 401 and 500", responses.has("401") && responses.has("500"), is(true));
                assertThat(call + " has a summary", op.getValue().path("summary").asText(), not(is("")));
                boolean success = false;
                for (Iterator<Map.Entry<String, JsonNode>> answers = responses.fields(); answers.hasNext();) {
                    Map.Entry<String, JsonNode> answer = answers.next();
                    if (answer.getKey().startsWith("2")) {
                        success = true;
                        continue;
                    }
                    JsonNode content = answer.getValue().path("content");
                    assertThat(call + " " + answer.getKey(), content.size(), is(1));
                    assertThat(call + " " + answer.getKey(),
                            content.path(Problem.MEDIA_TYPE).path("schema").path("$ref").asText(),
                            is("#/components/schemas/Problem"));
                }
                assertThat(call + " has a success answer", success, is(true));
            }
        }
        // The schema says what the record holds.
        Set<String> properties = new TreeSet<>();
        document().path("components").path("schemas").path("Problem").path("properties").fieldNames()
                .forEachRemaining(properties::add);
        assertThat(properties, is(new TreeSet<>(Arrays.stream(Problem.class.getRecordComponents()).map(c -> c.getName()).toList())));
    }

    @Test
    void theAnswersTheApiGivesAreDeclared() throws IOException {
        JsonNode paths = document().path("paths");
        assertThat(codes(paths.path("/leads").path("post")), hasItems("202", "400", "401", "413", "503"));
        assertThat(paths.path("/leads").path("post").path("requestBody").path("content").has("application/json"), is(true));
        assertThat(codes(paths.path("/leads/{id}").path("get")), hasItems("200", "404"));
        assertThat(codes(paths.path("/stages").path("get")), hasItems("200", "400"));
        assertThat(codes(paths.path("/stages/refresh").path("post")), hasItems("200", "400", "409"));
        assertThat(codes(paths.path("/dead-letters/{id}/replay").path("post")), hasItems("202", "404", "409"));
        assertThat(codes(paths.path("/dead-letters/{id}").path("delete")), hasItems("204", "404"));
        assertThat(codes(paths.path("/etl/jobs/{job}/run").path("post")), hasItems("202", "404", "409"));
        // The UI is served too (quarkus.swagger-ui.always-include).
        given().get("/q/swagger-ui/").then().statusCode(200);
    }

    static List<String> codes(JsonNode operation) {
        List<String> codes = new ArrayList<>();
        operation.path("responses").fieldNames().forEachRemaining(codes::add);
        return codes;
    }
}
