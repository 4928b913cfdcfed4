package io.leadsync.catalog;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.leadsync.testing.CrmFakes.wireMock;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;

import io.leadsync.testing.CrmFakes;
import io.leadsync.testing.Fixtures;
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

    public static class CopiedRoutes implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                if (Files.isDirectory(ROUTES)) {
                    try (Stream<Path> old = Files.list(ROUTES)) {
                        for (Path file : old.toList()) {
                            Files.delete(file);
                        }
                    }
                }
                Files.createDirectories(ROUTES);
                try (Stream<Path> files = Files.list(Path.of("routes"))) {
                    for (Path file : files.toList()) {
                        Files.copy(file, ROUTES.resolve(file.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    }
                }
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

        // An operator adds a header to the TeleCRM call, in YAML only.
        Path route = ROUTES.resolve("telecrm-stages.yaml");
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
    void aRouteThatCannotBeCreatedMakesTheServiceUnready() throws IOException {
        Path route = ROUTES.resolve("superfone-stages.yaml");
        String original = Files.readString(route);
        io.restassured.RestAssured.given().get("/q/health/ready").then().statusCode(200);

        Files.writeString(route, original.replace("- to: direct:publish-catalog", "- to: nosuchcomponent:publish"));
        Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> io.restassured.RestAssured.given()
                .get("/q/health/ready").then().statusCode(503)
                .body("checks.find { it.name == 'required-routes' }.data.notRunning",
                        is("superfone-stages (missing: check its file under routes/)")));

        Files.writeString(route, original);
        Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> io.restassured.RestAssured.given()
                .get("/q/health/ready").then().statusCode(200));
    }

    @Test
    void aNewRouteFileAddsARoute() throws IOException {
        Files.writeString(ROUTES.resolve("ops-extra.yaml"), """
                - route:
                    id: ops-extra
                    from:
                      uri: direct:ops-extra
                      steps:
                        - setBody:
                            constant: hello from a new file
                """);
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> camel.getRoute("ops-extra") != null);
        assertThat(camel.createProducerTemplate().requestBody("direct:ops-extra", null, String.class),
                is("hello from a new file"));
    }
}
