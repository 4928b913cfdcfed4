package io.leadsync.kubernetes;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1CronJob;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1EnvFromSource;
import io.kubernetes.client.openapi.models.V1EnvVar;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaim;
import io.kubernetes.client.openapi.models.V1PodDisruptionBudget;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1Probe;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1ServiceAccount;
import io.kubernetes.client.openapi.models.V1Volume;
import io.kubernetes.client.openapi.models.V1VolumeMount;
import io.leadsync.config.ConfigCheck;
import io.leadsync.etl.EtlJobs;
import io.leadsync.testing.CrmFakes;
import io.leadsync.testing.Fixtures;
import io.leadsync.testing.Leads;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.config.ConfigMappings;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

/**
 * The Kustomize manifests in kubernetes/ against the service they deploy: each rendering (the base and
 * every overlay) is parsed strictly with the Kubernetes API's own model classes (an unknown or
 * misplaced field fails), then checked against what the running app really has — its health
 * endpoints and port, its configuration keys, its route files, its ETL jobs and its metrics.
 */
@QuarkusTest
@QuarkusTestResource(CrmFakes.class)
class KubernetesManifestsTest {

    static final Path KUBERNETES = Path.of("kubernetes");
    static final Path ROUTES = Path.of("routes");
    static final Path SECRETS_EXAMPLE = KUBERNETES.resolve("base/secrets.example.yaml");
    static final Path DASHBOARD = KUBERNETES.resolve("grafana/leadsync-dashboard.json");
    static final String HA = "kubernetes/overlays/ha";

    /** Environment variables the image's entrypoint reads (src/main/docker/Dockerfile.jvm), not config keys. */
    static final Set<String> ENTRYPOINT_VARIABLES = Set.of("JAVA_OPTS_APPEND");

    /**
     * The metrics the dashboard may query: the app's own (stage polls, lead delivery) and Micrometer's
     * JVM, process and HTTP server binders. Each must also be exposed by the app.
     */
    static final Set<String> DASHBOARD_METRICS = Set.of("leadsync_stage_polls_total", "leadsync_stages",
            "leadsync_leads_accepted_total", "leadsync_leads_delivered_total", "leadsync_leads_dead_lettered_total",
            "leadsync_delivery_retries_total", "leadsync_leads_pending", "leadsync_delivery_latency_seconds_bucket",
            "jvm_memory_used_bytes", "process_cpu_usage", "http_server_requests_seconds_count");

    static final ObjectMapper JSON = new ObjectMapper();

    /** Each kustomization directory (kubernetes/ and every overlay) and what it renders to, parsed. */
    static Map<String, List<Object>> renderings;

    @BeforeAll
    static void render() throws Exception {
        List<Path> dirs = new ArrayList<>(List.of(KUBERNETES));
        try (Stream<Path> overlays = Files.list(KUBERNETES.resolve("overlays"))) {
            overlays.filter(Files::isDirectory).sorted().forEach(dirs::add);
        }
        renderings = new LinkedHashMap<>();
        for (Path dir : dirs) {
            renderings.put(dir.toString(), parseAll(kustomize(dir), dir.toString()));
        }
    }

    @Test
    void theBaseAndTheExpectedOverlaysRender() {
        assertEquals(Set.of("kubernetes", "kubernetes/overlays/native", "kubernetes/overlays/etl-cronjobs",
                "kubernetes/overlays/demo", HA), renderings.keySet());
        Map<String, Long> kinds = renderings.get("kubernetes").stream()
                .collect(Collectors.groupingBy(o -> o.getClass().getSimpleName(), TreeMap::new, Collectors.counting()));
        assertEquals(Map.of("V1ConfigMap", 1L, "V1Deployment", 1L, "V1PersistentVolumeClaim", 1L, "V1Service", 1L,
                "V1ServiceAccount", 1L), kinds, "the base's objects");
    }

    /** The parser really is strict: otherwise every check below would read what it expects into a typo. */
    @Test
    void theModelClassesRejectUnknownFields() {
        String deployment = "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"x\"},"
                + "\"spec\":{\"selector\":{},\"template\":{\"spec\":{\"containers\":[{\"name\":\"c\",\"imagePullPolicyy\":\"Never\"}]}}}}";
        assertThrows(IllegalArgumentException.class, () -> V1Deployment.fromJson(deployment));
    }

    @Test
    void oneReplicaReplacedNotRolledAndLockedDown() {
        for (var entry : renderings.entrySet()) {
            V1Deployment deployment = only(entry.getValue(), V1Deployment.class, entry.getKey());
            String where = entry.getKey() + ": Deployment " + deployment.getMetadata().getName();
            if (!entry.getKey().equals(HA)) { // several replicas, rolled: theHaOverlayRunsSeveralReplicasOnPostgres
                assertEquals(1, deployment.getSpec().getReplicas(), where + ": one writer of the data dir");
                assertEquals("Recreate", deployment.getSpec().getStrategy().getType(), where);
            }
            assertLockedDown(deployment.getSpec().getTemplate().getSpec(), where);
            assertEquals(deployment.getSpec().getSelector().getMatchLabels(),
                    only(entry.getValue(), V1Service.class, entry.getKey()).getSpec().getSelector(),
                    where + ": the Service selects the Deployment's pods");
            assertEquals(serviceAccount(entry.getValue()), deployment.getSpec().getTemplate().getSpec().getServiceAccountName());
        }
    }

    @Test
    void probesAreTheAppsHealthEndpointsOnItsPort() throws IOException {
        // The port the app listens on outside tests (tests take a free one): application.properties, else Quarkus's default.
        int appPort = Integer.parseInt(applicationProperties().getProperty("quarkus.http.port",
                quarkusRuntimeProperties().get("QUARKUS_HTTP_PORT").defaultValue()));
        for (var entry : renderings.entrySet()) {
            V1Container container = appContainer(only(entry.getValue(), V1Deployment.class, entry.getKey()));
            String where = entry.getKey() + ": container " + container.getName();
            Map<String, String> probes = new TreeMap<>();
            probes.put("startup", probePath(container.getStartupProbe(), container, appPort, where));
            probes.put("liveness", probePath(container.getLivenessProbe(), container, appPort, where));
            probes.put("readiness", probePath(container.getReadinessProbe(), container, appPort, where));
            assertEquals(Map.of("startup", "/q/health/started", "liveness", "/q/health/live", "readiness",
                    "/q/health/ready"), probes, where);
            for (String path : probes.values()) {
                given().get(path).then().statusCode(200); // the app answers each probe, and is up
            }
            V1Service service = only(entry.getValue(), V1Service.class, entry.getKey());
            assertEquals("http", service.getSpec().getPorts().get(0).getTargetPort().getStrValue());
        }
    }

    @Test
    void everyEnvironmentVariableIsARealConfigurationKey() throws IOException {
        Set<String> leadsyncKeys = leadsyncEnvNames();
        Map<String, QuarkusProperty> quarkusKeys = quarkusRuntimeProperties();
        Set<String> profiles = profiles();
        Map<String, String> checked = new TreeMap<>();
        for (var entry : renderings.entrySet()) {
            for (Object object : entry.getValue()) {
                for (V1Container container : containers(object)) {
                    for (V1EnvVar env : container.getEnv()) {
                        checked.put(env.getName(), entry.getKey());
                        assertKnown(env.getName(), env.getValue(), leadsyncKeys, quarkusKeys, profiles,
                                entry.getKey() + ": " + name(object) + " container " + container.getName());
                    }
                }
            }
        }
        for (V1Secret secret : secretsExample()) {
            for (var key : secret.getStringData().entrySet()) {
                checked.put(key.getKey(), SECRETS_EXAMPLE.toString());
                assertKnown(key.getKey(), null, leadsyncKeys, quarkusKeys, profiles,
                        SECRETS_EXAMPLE + ": Secret " + secret.getMetadata().getName());
                assertEquals("", key.getValue(), SECRETS_EXAMPLE + ": placeholders only, never a value: " + key.getKey());
            }
        }
        assertTrue(checked.keySet().containsAll(List.of("LEADSYNC_DATA_DIR", "QUARKUS_LOG_CONSOLE_JSON_ENABLED",
                "LEADSYNC_TELECRM_TOKEN", "QUARKUS_DATASOURCE_JDBC_URL", "LEADSYNC_RUN_ONCE", "QUARKUS_PROFILE")),
                "variables checked: " + checked.keySet());
    }

    @Test
    void theSecretsTheExampleDefinesAreTheOnesThePodsRead() throws IOException {
        Set<String> example = secretsExample().stream().map(s -> s.getMetadata().getName()).collect(Collectors.toSet());
        assertEquals(Set.of("leadsync-credentials", "leadsync-postgres"), example);
        for (var entry : renderings.entrySet()) {
            for (Object object : entry.getValue()) {
                assertFalse(object instanceof V1Secret, entry.getKey() + " must not render a Secret: an apply would "
                        + "overwrite the real credentials");
                for (V1Container container : containers(object)) {
                    Set<String> read = container.getEnvFrom().stream().map(V1EnvFromSource::getSecretRef)
                            .map(ref -> ref.getName() + (Boolean.TRUE.equals(ref.getOptional()) ? "" : " (required)"))
                            .collect(Collectors.toSet());
                    assertEquals(example, read, entry.getKey() + ": " + name(object));
                }
            }
        }
    }

    @Test
    void everyRouteFileIsInTheConfigMapMountedWhereTheServiceReadsRoutes() throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> routes = Files.list(ROUTES)) {
            for (Path file : routes.filter(f -> f.getFileName().toString().endsWith(".yaml")).toList()) {
                files.put(file.getFileName().toString(), Files.readString(file));
            }
        }
        assertFalse(files.isEmpty());
        String include = ConfigProvider.getConfig().getValue("camel.main.routes-include-pattern", String.class);
        Matcher pattern = Pattern.compile("file:([^*]+)/\\*\\.yaml").matcher(include);
        assertTrue(pattern.matches(), "routes-include-pattern " + include);
        String routesDir = pattern.group(1);
        assertEquals(routesDir, ConfigProvider.getConfig().getValue("camel.main.routes-reload-directory", String.class));

        for (var entry : renderings.entrySet()) {
            List<Object> objects = entry.getValue();
            for (Object workload : objects) {
                if (!(workload instanceof V1Deployment) && !(workload instanceof V1CronJob)) {
                    continue;
                }
                String where = entry.getKey() + ": " + name(workload);
                V1PodSpec pod = podSpec(workload);
                V1Container container = pod.getContainers().get(0);
                String workingDir = container.getWorkingDir();
                assertNotNull(workingDir, where + ": routes and data paths are relative to the working dir");

                V1Volume routes = mountedVolume(pod, container, workingDir + "/" + routesDir, where);
                assertNotNull(routes.getConfigMap(), where + ": routes come from a ConfigMap");
                V1ConfigMap configMap = objects.stream().filter(V1ConfigMap.class::isInstance).map(V1ConfigMap.class::cast)
                        .filter(c -> c.getMetadata().getName().equals(routes.getConfigMap().getName())).findFirst()
                        .orElseThrow(() -> new AssertionError(where + ": no ConfigMap " + routes.getConfigMap().getName()));
                assertTrue(configMap.getMetadata().getName().matches("leadsync-routes-[a-z0-9]{10}"),
                        "generated with a hash suffix, so a route edit rolls the pod: " + configMap.getMetadata().getName());
                assertEquals(files.keySet(), configMap.getData().keySet(),
                        where + ": the ConfigMap holds exactly routes/*.yaml (routes/Kustomization lists them)");
                files.forEach((file, content) -> assertEquals(content, configMap.getData().get(file), where + ": " + file));

                String dataDir = env(container).get("LEADSYNC_DATA_DIR");
                V1Volume data = mountedVolume(pod, container, dataDir, where);
                if (entry.getKey().equals(HA)) {
                    assertNotNull(data.getEmptyDir(), where + ": each replica's own data dir is an emptyDir");
                    continue;
                }
                assertNotNull(data.getPersistentVolumeClaim(), where + ": the data dir is a PersistentVolumeClaim");
                String claim = data.getPersistentVolumeClaim().getClaimName();
                assertTrue(objects.stream().anyMatch(o -> o instanceof V1PersistentVolumeClaim pvc
                        && pvc.getMetadata().getName().equals(claim)), where + ": claim " + claim + " is rendered");
            }
        }
    }

    @Test
    void theCronJobsRunRealEtlJobsAndTheServiceNoLongerSchedulesThem() throws Exception {
        Set<String> jobs = etlJobs();
        List<Object> objects = renderings.get("kubernetes/overlays/etl-cronjobs");
        V1Deployment deployment = only(objects, V1Deployment.class, "etl-cronjobs");
        Map<String, String> serviceEnv = env(appContainer(deployment));
        Set<String> offInService = new TreeSet<>();
        for (String job : jobs) {
            String value = serviceEnv.get(cronVariable(job));
            if (value != null) {
                assertEquals("off", value, cronVariable(job));
                offInService.add(job);
            }
        }
        Set<String> cronJobs = new TreeSet<>();
        // The defaults are the mapping's @WithDefault (application.properties sets none: DefaultsInOnePlaceTest).
        var defaults = leadsyncProperties();
        for (Object object : objects) {
            if (!(object instanceof V1CronJob cronJob)) {
                continue;
            }
            String where = "CronJob " + cronJob.getMetadata().getName();
            V1PodSpec pod = cronJob.getSpec().getJobTemplate().getSpec().getTemplate().getSpec();
            String job = env(pod.getContainers().get(0)).get("LEADSYNC_RUN_ONCE");
            assertTrue(jobs.contains(job), where + " runs '" + job + "'; the ETL jobs are " + jobs);
            assertTrue(cronJobs.add(job), where + ": a second CronJob for " + job);
            assertEquals("Forbid", cronJob.getSpec().getConcurrencyPolicy(), where);
            assertNotNull(cronJob.getSpec().getJobTemplate().getSpec().getBackoffLimit(), where + ": backoffLimit");
            assertTrue(Set.of("Never", "OnFailure").contains(pod.getRestartPolicy()), where);
            assertEquals(quartzToCron(defaults.get("leadsync.etl." + job + ".cron")),
                    cronJob.getSpec().getSchedule(), where + ": the service's own default schedule of " + job);
            assertEquals(only(objects, V1Deployment.class, "").getSpec().getTemplate().getSpec().getContainers().get(0)
                    .getImage(), pod.getContainers().get(0).getImage(), where + ": the service's image");
            assertLockedDown(pod, where);
            Map<String, String> labels = cronJob.getSpec().getJobTemplate().getSpec().getTemplate().getMetadata().getLabels();
            Map<String, String> selector = only(objects, V1Service.class, "").getSpec().getSelector();
            assertFalse(labels.entrySet().containsAll(selector.entrySet()),
                    where + ": the Service must not send requests to a run-once pod");
        }
        assertEquals(cronJobs, offInService, "each job a CronJob runs is switched off in the service, and only those");
        assertEquals(Set.of("telecrm-leads", "truto-leads", "stages"), cronJobs,
                "lead-import stays in the service: its run-once writes into the service's data volume");
        for (String dir : renderings.keySet()) {
            if (!dir.endsWith("etl-cronjobs")) {
                assertTrue(renderings.get(dir).stream().noneMatch(V1CronJob.class::isInstance), dir);
                assertTrue(env(appContainer(only(renderings.get(dir), V1Deployment.class, dir))).keySet().stream()
                        .noneMatch(name -> name.startsWith("LEADSYNC_ETL_")), dir + ": the service keeps its schedules");
            }
        }
    }

    /**
     * overlays/ha: several replicas rolled one at a time, a disruption budget over the Deployment's own pods,
     * PostgreSQL required (the leader election and the shared store live there) from the Secret the other
     * workloads read, and no volume that only one pod could mount.
     */
    @Test
    void theHaOverlayRunsSeveralReplicasOnPostgres() throws IOException {
        List<Object> objects = renderings.get(HA);
        V1Deployment deployment = only(objects, V1Deployment.class, HA);
        assertTrue(deployment.getSpec().getReplicas() >= 2, HA + ": replicas " + deployment.getSpec().getReplicas());
        var strategy = deployment.getSpec().getStrategy();
        assertEquals("RollingUpdate", strategy.getType());
        assertEquals(0, strategy.getRollingUpdate().getMaxUnavailable().getIntValue(), "a new pod is ready before an old one goes");
        assertEquals(1, strategy.getRollingUpdate().getMaxSurge().getIntValue());

        V1PodDisruptionBudget pdb = only(objects, V1PodDisruptionBudget.class, HA);
        assertEquals(1, pdb.getSpec().getMinAvailable().getIntValue());
        Map<String, String> selector = pdb.getSpec().getSelector().getMatchLabels();
        assertFalse(selector == null || selector.isEmpty(), "the budget selects pods");
        assertEquals(deployment.getSpec().getSelector().getMatchLabels(), selector, "the budget selects the Deployment's pods");
        assertTrue(deployment.getSpec().getTemplate().getMetadata().getLabels().entrySet().containsAll(selector.entrySet()),
                "the Deployment's pods carry the labels the budget selects");
        assertTrue(pdb.getSpec().getMinAvailable().getIntValue() < deployment.getSpec().getReplicas(),
                "a node can still be drained");

        // PostgreSQL is required: the three keys from the Secret the base and the CronJobs read, not optional.
        V1Container container = appContainer(deployment);
        Map<String, String> secretKeys = secretsExample().stream()
                .filter(secret -> secret.getMetadata().getName().equals("leadsync-postgres")).findFirst().orElseThrow()
                .getStringData();
        for (String name : List.of("QUARKUS_DATASOURCE_JDBC_URL", "QUARKUS_DATASOURCE_USERNAME", "QUARKUS_DATASOURCE_PASSWORD")) {
            V1EnvVar var = container.getEnv().stream().filter(e -> e.getName().equals(name)).findFirst()
                    .orElseThrow(() -> new AssertionError(HA + ": no " + name));
            var ref = var.getValueFrom().getSecretKeyRef();
            assertEquals("leadsync-postgres", ref.getName(), name);
            assertTrue(secretKeys.containsKey(ref.getKey()), name + " reads key " + ref.getKey() + " of leadsync-postgres");
            assertEquals(name, ref.getKey(), "the key is named after the variable, as envFrom would read it");
            assertFalse(Boolean.TRUE.equals(ref.getOptional()), name + ": without PostgreSQL every pod would lead");
        }
        Map<String, QuarkusProperty> quarkusKeys = quarkusRuntimeProperties();
        assertEquals(Set.of("quarkus.datasource.jdbc.url", "quarkus.datasource.username", "quarkus.datasource.password"),
                container.getEnv().stream().filter(e -> e.getName().startsWith("QUARKUS_DATASOURCE_"))
                        .map(e -> quarkusKeys.get(e.getName()).name()).collect(Collectors.toSet()),
                "the variables are the datasource's run-time keys");

        assertTrue(objects.stream().noneMatch(V1PersistentVolumeClaim.class::isInstance),
                HA + ": no claim: a ReadWriteOnce volume cannot be shared by the replicas");
        assertTrue(deployment.getSpec().getTemplate().getSpec().getVolumes().stream()
                .noneMatch(v -> v.getPersistentVolumeClaim() != null), HA + ": no pod mounts a claim");
    }

    @Test
    void eachOverlayRunsItsImage() {
        assertEquals("leadsync:jvm", image("kubernetes"));
        assertEquals("leadsync:jvm", image("kubernetes/overlays/etl-cronjobs"));
        assertEquals("localhost/leadsync:jvm", image("kubernetes/overlays/demo"));
        assertEquals("leadsync:native", image("kubernetes/overlays/native"));
        assertEquals("leadsync:jvm", image(HA));
        V1Container nativeContainer = appContainer(only(renderings.get("kubernetes/overlays/native"), V1Deployment.class, ""));
        assertTrue(env(nativeContainer).keySet().stream().noneMatch(ENTRYPOINT_VARIABLES::contains),
                "no JVM options for a native image: " + env(nativeContainer).keySet());
        assertEquals("demo", env(appContainer(only(renderings.get("kubernetes/overlays/demo"), V1Deployment.class, "")))
                .get("QUARKUS_PROFILE"));
    }

    @Test
    void theDashboardQueriesOnlyMetricsTheAppExposes() throws IOException {
        JsonNode dashboard = JSON.readTree(DASHBOARD.toFile());
        assertEquals("datasource", dashboard.at("/templating/list/0/type").asText(), "the datasource is a variable");
        String datasourceVariable = "${" + dashboard.at("/templating/list/0/name").asText() + "}";
        List<String> expressions = new ArrayList<>();
        for (JsonNode panel : dashboard.get("panels")) {
            if (panel.get("type").asText().equals("row")) {
                continue;
            }
            assertEquals(datasourceVariable, panel.at("/datasource/uid").asText(), panel.get("title").asText());
            assertTrue(panel.get("targets").size() > 0, panel.get("title").asText());
            panel.get("targets").forEach(target -> expressions.add(target.get("expr").asText()));
        }
        dashboard.at("/templating/list").forEach(variable -> {
            if (variable.has("definition")) {
                expressions.add(variable.get("definition").asText());
            }
        });
        Set<String> queried = new TreeSet<>();
        expressions.forEach(expr -> queried.addAll(metricNames(expr)));
        assertEquals(DASHBOARD_METRICS, queried, "the metrics the dashboard queries");

        // leadsync's own counters exist once something counted them: a poll, a delivery after one retry, a dead letter.
        pollAllSources();
        CrmFakes.wireMock().stubFor(post(urlPathEqualTo("/superfone/enterprise/api/lead")).willReturn(aResponse()
                .withStatus(200).withBody("{\"data\":{\"id\":1},\"message\":\"success\"}")));
        CrmFakes.wireMock().stubFor(post(urlPathEqualTo("/superfone/enterprise/api/lead")).atPriority(1)
                .inScenario("one retry").whenScenarioStateIs("Started").willReturn(aResponse().withStatus(503))
                .willSetStateTo("recovered"));
        Leads.awaitReceipt(Leads.submit("{\"target\":\"superfone\",\"phone\":\"+919000000101\",\"stage\":\"Qualified\"}"),
                "DELIVERED");
        Leads.awaitReceipt(Leads.submit("{\"target\":\"superfone\",\"phone\":\"+919000000102\",\"stage\":\"No Such Stage\"}"),
                "DEAD_LETTER");
        String exposed = given().get("/q/metrics").then().statusCode(200).extract().asString();
        for (String metric : queried) {
            assertTrue(Pattern.compile("(?m)^" + Pattern.quote(metric) + "[{ ]").matcher(exposed).find(),
                    "the app does not expose " + metric);
        }
    }

    // --- rendering and strict parsing ---

    static String kustomize(Path dir) throws Exception {
        Process process;
        try {
            process = new ProcessBuilder("kubectl", "kustomize", dir.toString()).redirectErrorStream(false).start();
        } catch (IOException notFound) {
            throw new AssertionError("kubectl is needed to render " + dir + " (client 1.32+, which includes kustomize): "
                    + "install it and put it on the PATH. " + notFound.getMessage());
        }
        byte[] out = process.getInputStream().readAllBytes();
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "kubectl kustomize " + dir + " did not finish");
        assertEquals(0, process.exitValue(), "kubectl kustomize " + dir + " failed: " + err);
        return new String(out, StandardCharsets.UTF_8);
    }

    static final Map<String, Class<?>> KINDS = Map.of("Deployment", V1Deployment.class, "Service", V1Service.class,
            "ServiceAccount", V1ServiceAccount.class, "ConfigMap", V1ConfigMap.class, "PersistentVolumeClaim",
            V1PersistentVolumeClaim.class, "CronJob", V1CronJob.class, "Secret", V1Secret.class, "PodDisruptionBudget",
            V1PodDisruptionBudget.class);

    /** YAML documents to the Kubernetes model, each through its class's strict fromJson. */
    static List<Object> parseAll(String yaml, String where) throws IOException {
        List<Object> objects = new ArrayList<>();
        YAMLMapper yamlMapper = new YAMLMapper();
        try (var documents = yamlMapper.readerFor(JsonNode.class).<JsonNode>readValues(yaml)) {
            while (documents.hasNext()) {
                JsonNode document = documents.next();
                if (document == null || document.isNull() || document.isEmpty()) {
                    continue;
                }
                String kind = document.path("kind").asText();
                Class<?> type = KINDS.get(kind);
                assertNotNull(type, where + ": a kind this test does not know how to check: " + kind);
                try {
                    objects.add(type.getMethod("fromJson", String.class).invoke(null, JSON.writeValueAsString(document)));
                } catch (java.lang.reflect.InvocationTargetException e) {
                    throw new AssertionError(where + ": " + kind + " " + document.at("/metadata/name").asText()
                            + " is not a valid " + type.getSimpleName() + ": " + e.getCause().getMessage(), e.getCause());
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return objects;
    }

    static List<V1Secret> secretsExample() throws IOException {
        return parseAll(Files.readString(SECRETS_EXAMPLE), SECRETS_EXAMPLE.toString()).stream().map(V1Secret.class::cast)
                .toList();
    }

    // --- the service's side ---

    /** Every key of the {@code leadsync.*} mappings (io.leadsync.config.ConfigCheck#mappings), with its default. */
    static Map<String, String> leadsyncProperties() {
        Map<String, String> properties = new TreeMap<>();
        ConfigCheck.mappings().forEach((mapping, prefix) ->
                properties.putAll(ConfigMappings.ConfigClass.configClass(mapping, prefix).getProperties()));
        return properties;
    }

    /** LEADSYNC_* names of every leadsync key: the typed mappings, and the keys application.properties sets. */
    static Set<String> leadsyncEnvNames() throws IOException {
        Set<String> keys = new TreeSet<>();
        keys.addAll(leadsyncProperties().keySet());
        for (String key : applicationProperties().stringPropertyNames()) {
            if (key.startsWith("leadsync.")) {
                keys.add(key);
            }
        }
        return keys.stream().map(KubernetesManifestsTest::envName).collect(Collectors.toCollection(TreeSet::new));
    }

    /** A Quarkus configuration property: its name and its default (null when it has none). */
    record QuarkusProperty(String name, String defaultValue) {
    }

    /**
     * Every Quarkus property settable at run time, by its environment variable, from the config model
     * each Quarkus extension on the class path ships (META-INF/quarkus-config-doc/quarkus-config-model.json).
     * A build-time property set by an environment variable would do nothing: it is not in this map.
     */
    static Map<String, QuarkusProperty> quarkusRuntimeProperties() throws IOException {
        Map<String, QuarkusProperty> properties = new HashMap<>();
        var models = Thread.currentThread().getContextClassLoader()
                .getResources("META-INF/quarkus-config-doc/quarkus-config-model.json");
        for (URL url : Collections.list(models)) {
            try (InputStream in = url.openStream()) {
                collectRuntimeProperties(JSON.readTree(in), properties);
            }
        }
        assertTrue(properties.containsKey("QUARKUS_HTTP_PORT"), "the config models were found: " + properties.size());
        return properties;
    }

    static void collectRuntimeProperties(JsonNode node, Map<String, QuarkusProperty> properties) {
        if (node.isObject() && node.has("path") && node.has("phase")) {
            if (node.get("phase").asText().equals("RUN_TIME")) {
                List<JsonNode> paths = new ArrayList<>(List.of(node.get("path")));
                node.path("additionalPaths").forEach(paths::add);
                String defaultValue = node.hasNonNull("defaultValue") ? node.get("defaultValue").asText() : null;
                for (JsonNode path : paths) {
                    properties.put(path.path("environmentVariable").asText(),
                            new QuarkusProperty(path.path("property").asText(), defaultValue));
                }
            }
            return;
        }
        node.forEach(child -> collectRuntimeProperties(child, properties));
    }

    static void assertKnown(String name, String value, Set<String> leadsyncKeys, Map<String, QuarkusProperty> quarkusKeys,
            Set<String> profiles, String where) {
        if (ENTRYPOINT_VARIABLES.contains(name)) {
            return;
        }
        if (name.startsWith("LEADSYNC_")) {
            assertTrue(leadsyncKeys.contains(name), where + ": " + name + " is no leadsync configuration key");
        } else if (name.startsWith("QUARKUS_")) {
            assertTrue(quarkusKeys.containsKey(name), where + ": " + name + " is no Quarkus key settable at run time");
        } else {
            fail(where + ": " + name + " is neither a configuration key nor read by the image's entrypoint");
        }
        if (name.equals("QUARKUS_PROFILE") && value != null) {
            assertTrue(profiles.contains(value), where + ": no profile '" + value + "' in application.properties");
        }
        if (name.endsWith("_CRON") && value != null) {
            assertEquals("off", value, where + ": " + name);
        }
    }

    static Set<String> profiles() throws IOException {
        Set<String> profiles = new TreeSet<>();
        Matcher m = Pattern.compile("(?m)^%([a-z0-9-]+)\\.").matcher(Files.readString(Path.of("application.properties")));
        while (m.find()) {
            profiles.add(m.group(1));
        }
        return profiles;
    }

    static Properties applicationProperties() throws IOException {
        Properties properties = new Properties();
        try (var reader = Files.newBufferedReader(Path.of("application.properties"))) {
            properties.load(reader);
        }
        return properties;
    }

    /** The ETL jobs the service knows (EtlJobs.JOBS: the names run-once, the schedules and the API accept). */
    @SuppressWarnings("unchecked")
    static Set<String> etlJobs() throws ReflectiveOperationException {
        var field = EtlJobs.class.getDeclaredField("JOBS");
        field.setAccessible(true);
        return new TreeSet<>(((Map<String, ?>) field.get(null)).keySet());
    }

    static String cronVariable(String job) {
        return envName("leadsync.etl." + job + ".cron");
    }

    /** The environment variable SmallRye Config reads for a key: upper case, every other character _. */
    static String envName(String key) {
        return key.replace("[*]", "").replaceAll("[^A-Za-z0-9]", "_").toUpperCase();
    }

    /** Quartz "0 0 2 * * ?" (seconds first, ? for "any") as Kubernetes' five-field "0 2 * * *". */
    static String quartzToCron(String quartz) {
        String[] fields = quartz.trim().split("\\s+");
        assertEquals(6, fields.length, quartz);
        assertEquals("0", fields[0], "a CronJob cannot start at a second: " + quartz);
        return String.join(" ", List.of(fields).subList(1, 6)).replace("?", "*");
    }

    void pollAllSources() {
        CrmFakes.wireMock().stubFor(get(urlPathEqualTo("/telecrm/autoupdate/v2/enterprise/ent-1/lead-stage-pipeline"))
                .willReturn(aResponse().withStatus(200).withBody(Fixtures.read("telecrm-lead-stage-pipeline.json"))));
        CrmFakes.wireMock().stubFor(get(urlPathEqualTo("/superfone/enterprise/api/lead-stage"))
                .willReturn(aResponse().withStatus(200).withBody(Fixtures.read("superfone-lead-stages.json"))));
        CrmFakes.wireMock().stubFor(get(urlPathEqualTo("/truto/unified/crm/stages"))
                .willReturn(aResponse().withStatus(200).withBody(Fixtures.read("truto-stages.json"))));
        given().post("/stages/refresh").then().statusCode(200);
    }

    /** The metric names in a PromQL expression: what is left without strings, label matchers, ranges, functions. */
    static Set<String> metricNames(String expr) {
        String bare = expr.replaceAll("label_values\\(([^,)]+)[^)]*\\)", "$1") // a variable's query: its metric
                .replaceAll("\"[^\"]*\"", "").replaceAll("\\{[^}]*}", "").replaceAll("\\[[^]]*]", "")
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", "")
                .replaceAll("\\$\\w+", "");
        Set<String> names = new TreeSet<>();
        Matcher m = Pattern.compile("\\b([a-zA-Z_:][a-zA-Z0-9_:]*)\\b(\\s*\\()?").matcher(bare);
        while (m.find()) {
            boolean function = m.group(2) != null;
            if (!function && !Set.of("and", "or", "unless", "bool", "offset").contains(m.group(1))) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    // --- reading the manifests ---

    static void assertLockedDown(V1PodSpec pod, String where) {
        assertEquals(Boolean.FALSE, pod.getAutomountServiceAccountToken(), where + ": no API token in the pod");
        assertEquals(Boolean.TRUE, pod.getSecurityContext().getRunAsNonRoot(), where);
        assertEquals(185L, pod.getSecurityContext().getRunAsUser(), where);
        assertEquals("RuntimeDefault", pod.getSecurityContext().getSeccompProfile().getType(), where);
        for (V1Container container : pod.getContainers()) {
            var security = container.getSecurityContext();
            assertEquals(Boolean.TRUE, security.getReadOnlyRootFilesystem(), where);
            assertEquals(Boolean.FALSE, security.getAllowPrivilegeEscalation(), where);
            assertEquals(Boolean.TRUE, security.getRunAsNonRoot(), where);
            assertEquals(List.of("ALL"), security.getCapabilities().getDrop(), where);
            assertNotNull(mountedVolume(pod, container, "/tmp", where).getEmptyDir(), where + ": /tmp is an emptyDir");
            assertNotNull(container.getResources().getLimits().get("memory"), where + ": a memory limit");
            assertNotNull(container.getResources().getRequests().get("memory"), where + ": a memory request");
        }
    }

    static String probePath(V1Probe probe, V1Container container, int appPort, String where) {
        assertNotNull(probe, where + ": a probe is missing");
        var httpGet = probe.getHttpGet();
        assertNotNull(httpGet, where + ": an HTTP probe");
        var port = httpGet.getPort();
        int number = port.isInteger() ? port.getIntValue()
                : container.getPorts().stream().filter(p -> port.getStrValue().equals(p.getName())).findFirst()
                        .orElseThrow(() -> new AssertionError(where + ": no container port named " + port.getStrValue()))
                        .getContainerPort();
        assertEquals(appPort, number, where + ": the probe's port is the app's quarkus.http.port");
        return httpGet.getPath();
    }

    static V1Volume mountedVolume(V1PodSpec pod, V1Container container, String path, String where) {
        V1VolumeMount mount = container.getVolumeMounts().stream().filter(m -> m.getMountPath().equals(path)).findFirst()
                .orElseThrow(() -> new AssertionError(where + ": nothing is mounted at " + path));
        return pod.getVolumes().stream().filter(v -> v.getName().equals(mount.getName())).findFirst()
                .orElseThrow(() -> new AssertionError(where + ": no volume " + mount.getName()));
    }

    static <T> T only(List<Object> objects, Class<T> type, String where) {
        List<T> found = objects.stream().filter(type::isInstance).map(type::cast).toList();
        assertEquals(1, found.size(), where + ": one " + type.getSimpleName());
        return found.get(0);
    }

    static String serviceAccount(List<Object> objects) {
        return only(objects, V1ServiceAccount.class, "").getMetadata().getName();
    }

    static V1Container appContainer(V1Deployment deployment) {
        List<V1Container> containers = deployment.getSpec().getTemplate().getSpec().getContainers();
        assertEquals(1, containers.size());
        return containers.get(0);
    }

    static V1PodSpec podSpec(Object workload) {
        if (workload instanceof V1Deployment deployment) {
            return deployment.getSpec().getTemplate().getSpec();
        }
        if (workload instanceof V1CronJob cronJob) {
            return cronJob.getSpec().getJobTemplate().getSpec().getTemplate().getSpec();
        }
        return null;
    }

    static List<V1Container> containers(Object object) {
        V1PodSpec pod = podSpec(object);
        return pod == null ? List.of() : pod.getContainers();
    }

    static Map<String, String> env(V1Container container) {
        Map<String, String> env = new LinkedHashMap<>();
        for (V1EnvVar var : container.getEnv()) {
            assertTrue(env.put(var.getName(), Objects.requireNonNullElse(var.getValue(), "")) == null,
                    "set twice: " + var.getName());
        }
        return env;
    }

    static String image(String dir) {
        return appContainer(only(renderings.get(dir), V1Deployment.class, dir)).getImage();
    }

    static String name(Object object) {
        if (object instanceof V1Deployment d) {
            return "Deployment " + d.getMetadata().getName();
        }
        if (object instanceof V1CronJob c) {
            return "CronJob " + c.getMetadata().getName();
        }
        return object.getClass().getSimpleName();
    }
}
