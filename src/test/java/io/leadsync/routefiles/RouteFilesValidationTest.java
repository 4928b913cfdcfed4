package io.leadsync.routefiles;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/**
 * Validate mode on copies of routes/: clean files pass; a schema violation, a route that cannot be created
 * (unknown component, missing bean, an expression its language cannot compile) and a YAML syntax error each come
 * back as file:line with what is wrong. The packaged jar's run of it (exit codes, no port, no file): ValidateModeIT.
 */
@QuarkusTest
class RouteFilesValidationTest {

    @Inject
    RouteFilesValidation validation;

    @Test
    void theShippedRoutesAreClean() throws IOException {
        RouteFilesValidation.Outcome outcome = validation.validate(copy("clean"));
        assertThat(outcome.problems().toString(), outcome.problems(), empty());
        assertThat(outcome.exitCode(), is(0));
        try (var files = java.nio.file.Files.list(java.nio.file.Path.of("routes"))) {
            assertThat(outcome.files(), is((int) files.filter(f -> f.toString().endsWith(".yaml")).count()));
        }
    }

    @Test
    void eachBrokenFileIsReportedWithItsLine() throws IOException {
        Path dir = copy("broken");
        int unknownKey = edit(dir, "superfone-stages.yaml", "            method: readPage\n",
                "            method: readPage\n            retries: 3\n", 1);
        int unknownComponent = edit(dir, "telecrm-leads.yaml", "- bean:\n            ref: telecrmLeads\n            method: updated",
                "- to: nosuchcomponent:read", 0);
        int missingBean = edit(dir, "superfone-leads.yaml", "- filter:\n            method:\n              ref: readBeforeWrite",
                "- filter:\n            method:\n              ref: noSuchBean", 0);
        int syntax = edit(dir, "truto-leads.yaml", "    id: truto-deliver", "    id: truto-deliver: [", 0);

        RouteFilesValidation.Outcome outcome = validation.validate(dir);
        List<String> lines = outcome.problems().stream().map(RouteFileProblem::toString).toList();
        assertThat(lines.toString(), outcome.exitCode(), is(1));
        assertThat(lines.toString(), lines, hasSize(4));
        assertThat(problem(outcome, "superfone-stages.yaml").line(), is(unknownKey));
        assertThat(problem(outcome, "superfone-stages.yaml").message(), containsString("retries"));
        assertThat(problem(outcome, "telecrm-leads.yaml").line(), is(unknownComponent));
        assertThat(problem(outcome, "telecrm-leads.yaml").message(), containsString("nosuchcomponent"));
        assertThat(problem(outcome, "superfone-leads.yaml").line(), is(missingBean));
        assertThat(problem(outcome, "superfone-leads.yaml").message(), containsString("noSuchBean"));
        assertThat(problem(outcome, "truto-leads.yaml").line(), is(syntax));
    }

    /**
     * Routes are created in a real CamelContext, so an expression is compiled by its language as the running service
     * would compile it: a broken one is reported at its line, whatever the language (simple, jq).
     */
    @Test
    void anExpressionItsLanguageCannotCompileIsReportedWithItsLine() throws IOException {
        Path dir = copy("expressions");
        // A step's own expression (a filter's), and one of a choice's whens: each at the expression's line.
        int filter = edit(dir, "superfone-leads.yaml", "simple: \"${exchangeProperty.unchanged} == null\"",
                "simple: \"${exchangeProperty.unchanged == null\"", 0);
        int when = edit(dir, "telecrm-leads.yaml", "- simple: \"${header.CamelHttpResponseCode} == 409\"",
                "- simple: \"${header.CamelHttpResponseCode == 409\"", 0);

        RouteFilesValidation.Outcome outcome = validation.validate(dir);
        List<String> lines = outcome.problems().stream().map(RouteFileProblem::toString).toList();
        assertThat(lines.toString(), outcome.exitCode(), is(1));
        assertThat(lines.toString(), lines, hasSize(2));
        assertThat(lines.toString(), problem(outcome, "superfone-leads.yaml").line(), is(filter));
        // Simple's error quotes the expression under its first line: it comes as one line, for file:line tools.
        assertThat(problem(outcome, "superfone-leads.yaml").message(),
                containsString("expected symbol functionEnd but was eol at location 32: ${exchangeProperty.unchanged == null"));
        assertThat(lines.toString(), problem(outcome, "telecrm-leads.yaml").line(), is(when));
        assertThat(problem(outcome, "telecrm-leads.yaml").message(), containsString("${header.CamelHttpResponseCode == 409"));
        assertThat(lines.toString(), lines.stream().filter(l -> l.contains("\n") || l.contains("\r")).toList(), empty());
    }

    /** A request mapping that is no jq: its file, the line of its expression and the mapping's id. */
    @Test
    void aMappingThatIsNoJqIsReportedWithItsLineAndId() throws IOException {
        Path dir = copy("jq");
        int line = edit(dir, "superfone-leads.yaml", "(.fields // {}) + ({customer_phone:", "(.fields // {}) + ((({customer_phone:", 0);

        RouteFilesValidation.Outcome outcome = validation.validate(dir);
        assertThat(outcome.problems().toString(), outcome.exitCode(), is(1));
        assertThat(outcome.problems().toString(), outcome.problems(), hasSize(1));
        assertThat(problem(outcome, "superfone-leads.yaml").line(), is(line));
        assertThat(problem(outcome, "superfone-leads.yaml").message(),
                containsString("route superfone-upsert-lead cannot be created: step superfone-upsert-request: "));
    }

    /** What validate mode prints: each problem as file:line: message, then one summary line. */
    @Test
    void theReportIsTheProblemsThenOneSummaryLine() {
        List<RouteFileProblem> two = List.of(new RouteFileProblem("a.yaml", 3, "bad"), new RouteFileProblem("b.yaml", 7, "worse"));
        assertThat(RouteFilesValidation.report(new RouteFilesValidation.Outcome(5, two, null)).lines().toList(),
                is(List.of("a.yaml:3: bad", "b.yaml:7: worse", "route validation: 2 problem(s) in 5 route files")));
        assertThat(RouteFilesValidation.report(new RouteFilesValidation.Outcome(5, List.of(), null)).lines().toList(),
                is(List.of("route validation: OK, 5 route files")));
        assertThat(RouteFilesValidation.report(new RouteFilesValidation.Outcome(0, List.of(), "x: no such directory")).lines().toList(),
                is(List.of("route validation: x: no such directory")));
    }

    @Test
    void aDirectoryWithoutRouteFilesIsAUsageError() throws IOException {
        assertThat(validation.validate(Path.of("target", "no-such-routes")).exitCode(), is(2));
        Path empty = Files.createDirectories(Path.of("target", "validate-routes", "empty"));
        assertThat(validation.validate(empty).exitCode(), is(2));
    }

    private static RouteFileProblem problem(RouteFilesValidation.Outcome outcome, String file) {
        return outcome.problems().stream().filter(p -> p.file().equals(file)).findFirst()
                .orElseThrow(() -> new AssertionError("no problem reported for " + file + ": " + outcome.problems()));
    }

    /** Replaces {@code good} by {@code bad} and answers the line of bad's line {@code offset}. */
    private static int edit(Path dir, String file, String good, String bad, int offset) throws IOException {
        Path path = dir.resolve(file);
        String text = Files.readString(path);
        if (!text.contains(good)) {
            throw new AssertionError(file + " no longer contains: " + good);
        }
        String broken = text.replaceFirst(java.util.regex.Pattern.quote(good), java.util.regex.Matcher.quoteReplacement(bad));
        Files.writeString(path, broken);
        return (int) broken.substring(0, broken.indexOf(bad)).chars().filter(c -> c == '\n').count() + 1 + offset;
    }

    private static Path copy(String name) throws IOException {
        return io.leadsync.testing.RouteCopies.freshCopy(Path.of("target", "validate-routes", name));
    }
}
