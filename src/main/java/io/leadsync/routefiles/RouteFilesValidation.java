package io.leadsync.routefiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.leadsync.config.LeadsyncConfig;
import io.quarkus.runtime.PreventFurtherStepsException;
import org.apache.camel.CamelContext;
import org.apache.camel.quarkus.main.events.BeforeConfigure;

/**
 * Validate mode, for CI and operators: {@code LEADSYNC_VALIDATE_ROUTES=<dir>} checks every {@code *.yaml} in
 * that directory against Camel's YAML DSL schema and by creating its routes in a scratch context, prints one
 * {@code file:line: what is wrong} per problem and a summary line, and exits — 0 clean, 1 problems found, 2 no
 * such directory or no route file in it.
 * <p>
 * The check runs where the service's own start-up check of its route files runs ({@link RouteFilesAtStart}):
 * when Camel is about to configure itself. The service's beans, configuration and components exist by then (a
 * route names them), but nothing has started: no route, no HTTP listener, no store, no leader election. The
 * check then ends the start there ({@link PreventFurtherStepsException}, Quarkus's way to boot only part of an
 * application), so none of that ever starts; {@link ValidateModeSwitches} keeps the HTTP server, the log file and
 * the console log (errors only) out of the way besides.
 */
@ApplicationScoped
public class RouteFilesValidation {

    public static final int CLEAN = 0;
    public static final int PROBLEMS = 1;
    public static final int USAGE = 2;

    /** What a check found: the files read and the problems in them. */
    public record Outcome(int files, List<RouteFileProblem> problems, String usageError) {
        public int exitCode() {
            return usageError != null ? USAGE : problems.isEmpty() ? CLEAN : PROBLEMS;
        }
    }

    @Inject
    LeadsyncConfig config;

    @Inject
    CamelContext camel;

    void beforeConfigure(@Observes BeforeConfigure event) {
        if (config.validateRoutes().isPresent()) {
            Outcome outcome = validate(Path.of(config.validateRoutes().get()));
            // Quarkus prints the message (on standard error, no stack trace), stops what had started and exits with the code.
            throw new PreventFurtherStepsException(report(outcome), outcome.exitCode());
        }
    }

    public Outcome validate(Path dir) {
        if (!Files.isDirectory(dir)) {
            return new Outcome(0, List.of(), dir + ": no such directory");
        }
        Map<String, String> files = new LinkedHashMap<>();
        List<RouteFileProblem> problems = new ArrayList<>();
        int count;
        try {
            count = read(dir, files, problems);
        } catch (IOException e) {
            return new Outcome(0, List.of(), dir + ": cannot be read: " + e.getMessage());
        }
        if (count == 0) {
            return new Outcome(0, List.of(), dir + ": no *.yaml route file in it");
        }
        RouteFileSchema schema = new RouteFileSchema();
        files.forEach((location, text) -> problems.addAll(schema.check(RouteFileCheck.fileName(location), text)));
        // A file the schema already rejects would fail to load for the same reason: report it once.
        List<String> bad = problems.stream().map(RouteFileProblem::file).distinct().toList();
        for (RouteFileProblem loading : new RouteFileCheck(camel).check(files)) {
            if (!bad.contains(loading.file())) {
                problems.add(loading);
            }
        }
        return new Outcome(count, problems, null);
    }

    /**
     * What keeps the route files of {@code dir} from loading, as live reload checks an edit: not UTF-8 text, or
     * routes that cannot be created (the service's start-up check, {@link RouteFilesAtStart}).
     */
    public List<RouteFileProblem> loadingProblems(Path dir, CamelContext context) throws IOException {
        Map<String, String> files = new LinkedHashMap<>();
        List<RouteFileProblem> problems = new ArrayList<>();
        read(dir, files, problems);
        problems.addAll(new RouteFileCheck(context).check(files));
        return problems;
    }

    /** Reads every *.yaml of {@code dir} in name order into {@code files} (by Camel location), or a problem; answers how many. */
    private static int read(Path dir, Map<String, String> files, List<RouteFileProblem> problems) throws IOException {
        try (Stream<Path> listing = Files.list(dir)) {
            List<Path> yaml = listing.filter(f -> f.getFileName().toString().endsWith(".yaml")).sorted().toList();
            for (Path file : yaml) {
                RouteFileCheck.Text text = RouteFileCheck.read(file);
                if (text.problem() != null) {
                    problems.add(text.problem());
                } else {
                    files.put("file:" + file, text.text());
                }
            }
            return yaml.size();
        }
    }

    /**
     * The report: one {@code file:line: message} per problem, then one summary line; never empty (Quarkus reads an
     * empty message as a failed start and logs it so).
     */
    static String report(Outcome outcome) {
        List<String> lines = new ArrayList<>();
        outcome.problems().forEach(problem -> lines.add(problem.toString()));
        if (outcome.usageError() != null) {
            lines.add("route validation: " + outcome.usageError());
        } else if (outcome.exitCode() == CLEAN) {
            lines.add("route validation: OK, " + outcome.files() + " route files");
        } else {
            lines.add("route validation: " + outcome.problems().size() + " problem(s) in " + outcome.files() + " route files");
        }
        return String.join(System.lineSeparator(), lines);
    }
}
