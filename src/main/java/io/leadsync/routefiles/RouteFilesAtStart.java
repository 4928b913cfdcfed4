package io.leadsync.routefiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.quarkus.runtime.PreventFurtherStepsException;
import org.apache.camel.quarkus.main.events.BeforeConfigure;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Before Camel loads the route files ({@code camel.main.routes-include-pattern} {@code file:<dir>/*.yaml}), they get
 * the check an edit gets on live reload ({@link RouteFileCheck}): a file that cannot load stops the service with
 * one {@code leadsync: bad route file: routes/x.yaml:LINE: what is wrong} per problem and exit code 1, where Camel
 * would print two stack traces for the first problem only. Nothing has started yet: no route, timer or intake.
 */
@ApplicationScoped
public class RouteFilesAtStart {

    static final String PREFIX = "leadsync: bad route file: ";

    @Inject
    RouteFilesValidation validation;

    @ConfigProperty(name = "camel.main.routes-include-pattern", defaultValue = "")
    String includePattern;

    void beforeConfigure(@Observes BeforeConfigure event) {
        List<String> lines = new ArrayList<>();
        for (String include : includePattern.split(",")) {
            include = include.strip();
            if (!include.startsWith("file:") || !include.endsWith("/*.yaml")) {
                continue; // the classpath (validate mode) or a pattern of another form: Camel's own errors then
            }
            Path dir = Path.of(include.substring("file:".length(), include.length() - "/*.yaml".length()));
            if (!Files.isDirectory(dir)) {
                lines.add(PREFIX + dir + ": no such directory (camel.main.routes-include-pattern=" + include
                        + "); start leadsync where its routes/ directory is");
                continue;
            }
            try {
                validation.loadingProblems(dir, event.getCamelContext())
                        .forEach(problem -> lines.add(PREFIX + dir.resolve(problem.file()) + ":" + problem.line() + ": "
                                + problem.message()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        if (!lines.isEmpty()) {
            // Quarkus prints the message of this exception alone, no stack trace, and exits with its code.
            throw new PreventFurtherStepsException(String.join(System.lineSeparator(), lines), 1);
        }
    }
}
