package io.leadsync.badinput;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What became of each bad input and fault of the suite, across its family classes: each outcome is one line of
 * the phase's outcomes file, a file because @QuarkusTest classes load this class in their own class loader. Two
 * phases record: {@code test} (surefire: the families against one Quarkus app) and {@code process} (failsafe,
 * {@code -Dbad-input.tally.phase=process}: faults that need the packaged service as a process, such as a kill -9
 * or a full disk). The extension (on every family class) empties its phase's file once per JVM, so a surefire
 * rerun adds to it instead of starting over, and, when the run ends, prints the tally over every phase's file
 * and writes it to {@link #LINE}. A family adds itself by being a class with {@code @ExtendWith(Tally.class)}
 * that calls {@link #record}; a 5xx, a lost or a duplicated update also fails the case that saw it.
 * <p>
 * Its system properties stay outside the {@code leadsync.} namespace: Quarkus reads system properties into the
 * service's configuration, whose mapping refuses an unknown {@code leadsync.*} key (SRCFG00050), so a flag set by
 * the first run would stop every later app start of the JVM (a surefire rerun, the next test profile).
 */
public final class Tally implements BeforeAllCallback {

    static final Path DIR = Path.of("target", "bad-input");
    /** Which phase records: {@code test} unless the pom's failsafe configuration says {@code process}. */
    public static final String PHASE_PROPERTY = "bad-input.tally.phase";
    /** Set once the phase's file was emptied in this JVM: JVM-wide, unlike this class. */
    public static final String EMPTIED_PROPERTY = "bad-input.tally.emptied";

    static final String PHASE = System.getProperty(PHASE_PROPERTY, "test");
    static final Path OUTCOMES = DIR.resolve("outcomes-" + PHASE + ".tsv");
    static final Path LINE = DIR.resolve("tally.txt");

    public enum Outcome {
        ANSWERED_4XX("answered 4xx"),
        /** The asked answer to a store that cannot be written (disk full, read-only): not a failure. */
        UNAVAILABLE_503("answered 503 with a reason"),
        DEAD_LETTERED("dead-lettered"),
        FAILED_WITH_REASON("moved to .failed/ with a reason"),
        REFUSED_AT_START("refused at start-up"),
        REJECTED_ON_RELOAD("route files rejected on reload"),
        RECOVERED("recovered"),
        // What must never happen: counted last, each must be 0.
        TAKEN("taken as if good"),
        LOST("lost"),
        DUPLICATED("duplicated"),
        SERVER_ERROR("unexpected 5xx");

        final String label;

        Outcome(String label) {
            this.label = label;
        }

        /** Inputs are counted by what they were answered; lost and duplicated count good updates around them. */
        boolean isInput() {
            return this != LOST && this != DUPLICATED;
        }
    }

    /** One input's (or one good update's) outcome. */
    public static synchronized void record(String family, String input, Outcome outcome) {
        try {
            Files.createDirectories(OUTCOMES.getParent());
            Files.writeString(OUTCOMES, family + "\t" + outcome + "\t" + input.replaceAll("[\\t\\r\\n]", " ") + "\n",
                    StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Tallies an HTTP answer to a bad input: a 5xx or a 2xx/3xx (taken as if good) is recorded so and fails the
     * case; a 4xx is recorded as answered, for the caller to check its status and reason.
     */
    public static int refused(String family, String input, io.restassured.response.Response answer) {
        int status = answer.statusCode();
        if (status >= 500) {
            record(family, input, Outcome.SERVER_ERROR);
            org.junit.jupiter.api.Assertions.fail(input + ": " + status + " " + answer.asString());
        }
        if (status < 400) {
            record(family, input, Outcome.TAKEN);
            org.junit.jupiter.api.Assertions.fail(input + ": taken with " + status + " " + answer.asString());
        }
        record(family, input, Outcome.ANSWERED_4XX);
        return status;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(Tally.class.getName(), key -> new Printer(), Printer.class);
    }

    /** Lives as long as the test run: empties the outcomes when created, prints the tally when closed. */
    static final class Printer implements ExtensionContext.Store.CloseableResource {

        Printer() {
            // JVM-wide, unlike this class: a surefire rerun makes a new root context in the same JVM.
            if (System.getProperties().putIfAbsent(EMPTIED_PROPERTY, PHASE) == null) {
                try {
                    Files.deleteIfExists(OUTCOMES);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }

        @Override
        public void close() throws IOException {
            List<String> lines = new java.util.ArrayList<>();
            Files.createDirectories(DIR);
            try (var files = Files.newDirectoryStream(DIR, "outcomes-*.tsv")) {
                for (Path file : files) {
                    lines.addAll(Files.readAllLines(file));
                }
            }
            Map<Outcome, Long> counts = new EnumMap<>(Outcome.class);
            Arrays.stream(Outcome.values()).forEach(o -> counts.put(o, 0L));
            lines.stream().map(l -> Outcome.valueOf(l.split("\t")[1])).forEach(o -> counts.merge(o, 1L, Long::sum));
            long inputs = counts.entrySet().stream().filter(e -> e.getKey().isInput()).mapToLong(Map.Entry::getValue).sum();
            String families = lines.stream().map(l -> l.split("\t")[0]).distinct().collect(Collectors.joining(", "));
            String handled = Arrays.stream(Outcome.values()).filter(o -> o.ordinal() < Outcome.TAKEN.ordinal())
                    .map(o -> counts.get(o) + " " + o.label).collect(Collectors.joining(", "));
            String never = Arrays.stream(Outcome.values()).filter(o -> o.ordinal() >= Outcome.TAKEN.ordinal())
                    .map(o -> o.label + " " + counts.get(o)).collect(Collectors.joining(", "));
            String line = "BAD INPUT TALLY: " + inputs + " inputs (" + families + "), " + handled + "; " + never;
            System.out.println(line);
            Files.writeString(LINE, line + "\n", StandardCharsets.UTF_8);
        }
    }
}
