package io.leadsync.routefiles;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.FailedToCreateRouteException;
import org.apache.camel.LineNumberAware;
import org.apache.camel.RouteConfigurationsBuilder;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.Service;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.StartupSummaryLevel;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.ChoiceDefinition;
import org.apache.camel.model.HasExpressionType;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.language.ExpressionDefinition;
import org.apache.camel.spi.BeanRepository;
import org.apache.camel.spi.PropertiesSource;
import org.apache.camel.spi.Resource;
import org.apache.camel.spi.RoutesLoader;
import org.apache.camel.support.DefaultRegistry;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;

/**
 * Whether a set of route files can become running routes: parses them and creates their routes in a
 * scratch CamelContext that sees the service's beans and property placeholders but starts nothing —
 * no timer fires, no file is polled, no port opens. The files are checked together, because a route
 * names route configurations, templates and {@code direct:} endpoints of other files.
 */
public final class RouteFileCheck {

    private final CamelContext service;

    /** @param service the running context, whose registry and properties the scratch context borrows */
    public RouteFileCheck(CamelContext service) {
        this.service = service;
    }

    /**
     * @param files each route file's Camel location ({@code file:routes/x.yaml}) and text, in load order
     * @return what is wrong, empty when every route of every file could be created
     */
    public List<RouteFileProblem> check(Map<String, String> files) {
        List<RouteFileProblem> problems = new ArrayList<>();
        DefaultCamelContext scratch = new DefaultCamelContext(false);
        try {
            scratch.getCamelContextExtension().setName("route-file-check");
            // Bean lookups fall through to the service's beans; whatever the check binds stays in the scratch.
            scratch.getCamelContextExtension().setRegistry(new DefaultRegistry(new ServiceBeans(service.getRegistry())));
            scratch.setApplicationContextClassLoader(service.getApplicationContextClassLoader());
            scratch.getPropertiesComponent().addPropertiesSource(new ServiceProperties(service));
            scratch.setAutoStartup(false);
            scratch.setStartupSummaryLevel(StartupSummaryLevel.Off); // one check is not worth a route listing in the log
            scratch.build();
            // master: endpoints look up a cluster service when created; this one elects nothing (nothing starts here).
            scratch.addService(io.leadsync.cluster.ClusterServices.routesNeverStarted());

            // Parse each file on its own, so a syntax error is pinned on its file.
            RoutesLoader loader = PluginHelper.getRoutesLoader(scratch);
            Map<RoutesBuilder, String> builders = new LinkedHashMap<>();
            for (Map.Entry<String, String> file : files.entrySet()) {
                Optional<String> shape = shapeProblem(file.getValue());
                if (shape.isPresent()) {
                    problems.add(new RouteFileProblem(fileName(file.getKey()), 1, shape.get()));
                    continue;
                }
                Resource resource = ResourceHelper.fromString(file.getKey(), file.getValue());
                try {
                    loader.findRoutesBuilders(List.of(resource)).forEach(b -> builders.put(b, file.getKey()));
                } catch (Exception e) {
                    problems.add(yamlProblem(file.getKey(), e));
                }
            }
            // Route configurations first, as Camel's own loader does: routes of any file may name them.
            for (Map.Entry<RoutesBuilder, String> builder : builders.entrySet()) {
                if (builder.getKey() instanceof RouteConfigurationsBuilder configurations) {
                    try {
                        configurations.addRouteConfigurationsToCamelContext(scratch);
                    } catch (Exception e) {
                        problems.add(yamlProblem(builder.getValue(), e));
                    }
                }
            }
            // Camel would let a second route of the same id replace the first, even one of another file.
            Map<String, RouteDefinition> ids = new HashMap<>();
            for (Map.Entry<RoutesBuilder, String> builder : builders.entrySet()) {
                try {
                    builder.getKey().addRoutesToCamelContext(scratch);
                } catch (Exception e) {
                    problems.add(yamlProblem(builder.getValue(), e));
                    continue;
                }
                if (builder.getKey() instanceof RouteBuilder routes) {
                    for (RouteDefinition route : routes.getRouteCollection().getRoutes()) {
                        RouteDefinition first = route.hasCustomIdAssigned() ? ids.putIfAbsent(route.getRouteId(), route) : null;
                        if (first != null) {
                            problems.add(new RouteFileProblem(fileName(builder.getValue()), Math.max(route.getLineNumber(), 0),
                                    "route id '" + route.getRouteId() + "' is already used at " + where(first)
                                            + "; route ids must be unique across the route files"));
                        }
                    }
                }
            }

            // The routes are still only definitions. Start the empty context, then create the routes one by
            // one, never started, so every route that cannot be created is reported, not just the first.
            List<RouteDefinition> routes = new ArrayList<>(scratch.getRouteDefinitions());
            scratch.removeRouteDefinitions(routes);
            scratch.start();
            for (RouteDefinition route : routes) {
                route.setAutoStartup("false");
                try {
                    scratch.addRouteDefinition(route);
                } catch (Exception e) {
                    problems.add(creationProblem(route, e, files));
                }
            }
        } catch (Exception e) {
            problems.add(new RouteFileProblem("(all files)", 0, "cannot check the route files: " + message(e)));
        } finally {
            scratch.stop();
        }
        return problems;
    }

    /** A YAML error carries its mark (0-based line); any other parse error at least names its file. */
    private static RouteFileProblem yamlProblem(String location, Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof MarkedYamlEngineException marked) {
                Optional<Mark> mark = marked.getProblemMark().or(marked::getContextMark);
                String what = marked.getProblem() != null ? marked.getProblem() : marked.getContext();
                return new RouteFileProblem(fileName(location), mark.map(m -> m.getLine() + 1).orElse(0), what.strip());
            }
        }
        return new RouteFileProblem(fileName(location), 0, message(e));
    }

    /** A route that cannot be created: the line of the step Camel names (or of its expression), else of the route. */
    private static RouteFileProblem creationProblem(RouteDefinition route, Exception e, Map<String, String> files) {
        String file = route.getResource() != null ? fileName(route.getResource().getLocation()) : "(unknown file)";
        String text = route.getResource() != null ? files.getOrDefault(route.getResource().getLocation(), "") : "";
        int line = route.getLineNumber() > 0 ? route.getLineNumber() : 0;
        String where = "";
        Throwable cause = e;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof FailedToCreateRouteException failed) {
                cause = failed.getCause() != null ? failed.getCause() : failed;
                int at = failed.getMessage().indexOf(" at: >>> ");
                int end = failed.getMessage().indexOf(" <<< in route:");
                if (at >= 0 && end > at) {
                    String failedCause = message(cause);
                    Optional<ProcessorDefinition<?>> step = step(route.getOutputs(), failed.getMessage().substring(at + 9, end));
                    line = step.map(s -> lineOf(s, failedCause, text)).orElse(line);
                    // A step the file names (a request mapping, say) is named in the error too.
                    where = step.filter(ProcessorDefinition::hasCustomIdAssigned).map(s -> "step " + s.getId() + ": ").orElse("");
                }
                break;
            }
        }
        if (line == route.getLineNumber() && route.getInput() != null && route.getInput().getLineNumber() > 0
                && message(cause).contains(String.valueOf(route.getInput().getEndpointUri()))) {
            line = route.getInput().getLineNumber(); // the 'from' endpoint is what failed
        }
        return new RouteFileProblem(file, line, "route " + route.getRouteId() + " cannot be created: " + where + message(cause));
    }

    /** The (nested) step whose description Camel put in its error, found by that description. */
    private static Optional<ProcessorDefinition<?>> step(List<ProcessorDefinition<?>> steps, String description) {
        for (ProcessorDefinition<?> step : steps) {
            if (description.equals(step.toString()) && step.getLineNumber() > 0) {
                return Optional.of(step);
            }
            Optional<ProcessorDefinition<?>> nested = step(step.getOutputs(), description);
            if (nested.isPresent()) {
                return nested;
            }
        }
        return Optional.empty();
    }

    /**
     * A step's line, or the line of the expression the error quotes (a language's syntax error does: simple's, say):
     * the step's own expression, or one of a choice's whens, as Camel names only the whole choice. The expression is
     * looked for in the file's text from the line Camel gives its node on (a when's is the line above it).
     */
    private static int lineOf(ProcessorDefinition<?> step, String error, String text) {
        List<HasExpressionType> nodes = new ArrayList<>();
        if (step instanceof HasExpressionType node) {
            nodes.add(node);
        }
        if (step instanceof ChoiceDefinition choice) {
            nodes.addAll(choice.getWhenClauses());
        }
        for (HasExpressionType node : nodes) {
            ExpressionDefinition definition = node.getExpressionType();
            String expression = definition != null ? definition.getExpression() : null;
            if (expression == null || expression.isBlank()) {
                continue;
            }
            // Its start as the file has it: a folded (>-) expression is one line to Camel, several in the file, and its
            // {{placeholders}} are resolved in the error, so only the start is compared.
            String first = expression.strip().lines().findFirst().orElse("");
            first = first.substring(0, Math.min(first.length(), 40));
            if (!error.contains(first)) {
                continue;
            }
            int from = node instanceof LineNumberAware aware ? aware.getLineNumber() : step.getLineNumber();
            List<String> lines = text.lines().toList();
            for (int i = Math.max(from, 1) - 1; i < lines.size(); i++) {
                if (lines.get(i).contains(first)) {
                    return i + 1;
                }
            }
        }
        return step.getLineNumber();
    }

    /**
     * A file Camel would load as no routes at all, and so remove the routes it had: empty, only comments (a half-saved
     * or truncated file), or a mapping at the top where the YAML DSL wants a list ({@code - route:}, {@code - beans:}, …).
     * The YAML DSL's Kubernetes form (a mapping with apiVersion and kind) is left to Camel.
     */
    private static Optional<String> shapeProblem(String text) {
        boolean empty = true;
        try {
            for (Object document : new Load(LoadSettings.builder().build()).loadAllFromString(text)) {
                if (document instanceof Map<?, ?> map && !(map.containsKey("apiVersion") && map.containsKey("kind"))) {
                    return Optional.of("the top level is a mapping (" + map.keySet().stream().findFirst().map(String::valueOf).orElse("")
                            + ": …); a route file is a list: '- route:', '- routeConfiguration:', '- beans:' …");
                }
                empty &= document == null;
            }
        } catch (RuntimeException notYaml) {
            return Optional.empty(); // the loader reports it, with its line
        }
        return empty ? Optional.of("defines nothing (empty, or only comments); to remove a file's routes, delete the file"
                + " and restart") : Optional.empty();
    }

    private static String where(RouteDefinition route) {
        return (route.getResource() != null ? fileName(route.getResource().getLocation()) : "(unknown file)") + ":"
                + Math.max(route.getLineNumber(), 0);
    }

    /** A route file's text, or (text null) the problem of a file that is not UTF-8 text, at the line of its first bad byte. */
    public record Text(String text, RouteFileProblem problem) {
    }

    public static Text read(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = utf8.decode(in, out, true);
        if (result.isError()) {
            int at = in.position();
            int line = 1;
            for (int i = 0; i < at; i++) {
                line += bytes[i] == '\n' ? 1 : 0;
            }
            return new Text(null, new RouteFileProblem(file.getFileName().toString(), line, String.format(
                    "not UTF-8 text: byte 0x%02X at offset %d (a binary file, or saved in another encoding)", bytes[at] & 0xFF, at)));
        }
        utf8.flush(out);
        return new Text(out.flip().toString(), null);
    }

    static String fileName(String location) {
        int slash = Math.max(location.lastIndexOf('/'), location.lastIndexOf(':'));
        return location.substring(slash + 1);
    }

    private static String message(Throwable e) {
        Throwable deepest = e;
        while (deepest.getCause() != null && deepest.getCause() != deepest && deepest.getMessage() != null
                && deepest.getMessage().startsWith("Failed to create route")) {
            deepest = deepest.getCause();
        }
        return deepest.getMessage() != null ? deepest.getMessage() : deepest.getClass().getSimpleName();
    }

    /**
     * The service's own beans (leadDelivery, stageCatalog, …) for the scratch context's lookups, but nothing
     * bound to the service's context: a component or other Camel service found here would be re-wired to the
     * scratch (CamelContextAware) and break the running routes. A plain wrapper, also because DefaultRegistry
     * hands its context to every repository that is CamelContextAware, as the service's registry is.
     */
    private record ServiceBeans(BeanRepository beans) implements BeanRepository {
        private static boolean plain(Object bean) {
            return !(bean instanceof CamelContextAware || bean instanceof CamelContext || bean instanceof Service);
        }

        @Override
        public Object lookupByName(String name) {
            Object bean = beans.lookupByName(name);
            return plain(bean) ? bean : null;
        }

        @Override
        public <T> T lookupByNameAndType(String name, Class<T> type) {
            T bean = beans.lookupByNameAndType(name, type);
            return plain(bean) ? bean : null;
        }

        @Override
        public <T> Map<String, T> findByTypeWithName(Class<T> type) {
            Map<String, T> found = new LinkedHashMap<>(beans.findByTypeWithName(type));
            found.values().removeIf(bean -> !plain(bean));
            return found;
        }

        @Override
        public <T> Set<T> findByType(Class<T> type) {
            Set<T> found = new LinkedHashSet<>(beans.findByType(type));
            found.removeIf(bean -> !plain(bean));
            return found;
        }
    }

    /** Placeholders resolve exactly as in the service (Quarkus config, derived switches included). */
    private record ServiceProperties(CamelContext service) implements PropertiesSource {
        @Override
        public String getName() {
            return "service-properties";
        }

        @Override
        public String getProperty(String name) {
            return service.getPropertiesComponent().resolveProperty(name).orElse(null);
        }
    }
}
