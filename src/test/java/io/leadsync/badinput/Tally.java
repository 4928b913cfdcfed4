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
 * What became of each bad input of the suite, across its family classes: each outcome is one line of
 * {@link #OUTCOMES}, a file because @QuarkusTest classes load this class in their own class loader. The
 * extension (on every family class) empties it once per test run and, when the run ends, prints the
 * tally line and writes it to {@link #LINE}. A family adds itself by being a class of this package with
 * {@code @ExtendWith(Tally.class)} that calls {@link #record}; a 5xx, a lost or a duplicated update also
 * fails the case that saw it.
 */
public final class Tally implements BeforeAllCallback {

    static final Path OUTCOMES = Path.of("target", "bad-input", "outcomes.tsv");
    static final Path LINE = Path.of("target", "bad-input", "tally.txt");

    enum Outcome {
        ANSWERED_4XX("answered 4xx"),
        DEAD_LETTERED("dead-lettered"),
        FAILED_WITH_REASON("moved to .failed/ with a reason"),
        RECOVERED("recovered"),
        TAKEN("taken as if good"),
        LOST("lost"),
        DUPLICATED("duplicated"),
        SERVER_ERROR("5xx");

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
    static synchronized void record(String family, String input, Outcome outcome) {
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
    static int refused(String family, String input, io.restassured.response.Response answer) {
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
            try {
                Files.deleteIfExists(OUTCOMES);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() throws IOException {
            List<String> lines = Files.exists(OUTCOMES) ? Files.readAllLines(OUTCOMES) : List.of();
            Map<Outcome, Long> counts = new EnumMap<>(Outcome.class);
            Arrays.stream(Outcome.values()).forEach(o -> counts.put(o, 0L));
            lines.stream().map(l -> Outcome.valueOf(l.split("\t")[1])).forEach(o -> counts.merge(o, 1L, Long::sum));
            long inputs = counts.entrySet().stream().filter(e -> e.getKey().isInput()).mapToLong(Map.Entry::getValue).sum();
            String families = lines.stream().map(l -> l.split("\t")[0]).distinct().collect(Collectors.joining(", "));
            String line = "BAD INPUT TALLY: " + inputs + " inputs (" + families + "), "
                    + counts.get(Outcome.ANSWERED_4XX) + " answered 4xx, "
                    + counts.get(Outcome.DEAD_LETTERED) + " dead-lettered, "
                    + counts.get(Outcome.FAILED_WITH_REASON) + " moved to .failed/ with a reason, "
                    + counts.get(Outcome.RECOVERED) + " recovered, "
                    + "taken as if good " + counts.get(Outcome.TAKEN) + ", "
                    + "lost " + counts.get(Outcome.LOST) + ", duplicated " + counts.get(Outcome.DUPLICATED)
                    + ", 5xx " + counts.get(Outcome.SERVER_ERROR);
            System.out.println(line);
            Files.writeString(LINE, line + "\n", StandardCharsets.UTF_8);
        }
    }
}
