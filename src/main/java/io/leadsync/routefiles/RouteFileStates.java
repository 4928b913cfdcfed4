package io.leadsync.routefiles;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.micrometer.core.instrument.MeterRegistry;

/**
 * What live reload last did with each route file, for {@code GET /routes}, and the text it last accepted,
 * which is what the other files are checked against when one file changes.
 */
@ApplicationScoped
public class RouteFileStates {

    public enum State {
        LOADED, REJECTED, PENDING
    }

    /** The outcome of the last check of a file; {@code loadedAt} is when its current routes were loaded. */
    public record FileState(State state, Instant checkedAt, Instant loadedAt, List<RouteFileProblem> problems) {
    }

    @Inject
    MeterRegistry metrics;

    private final Map<String, FileState> states = new ConcurrentHashMap<>();
    private final Map<String, String> accepted = new ConcurrentHashMap<>();

    /** A file the service started with: its routes are running. */
    void started(String file, String text) {
        Instant now = Instant.now();
        accepted.put(file, text);
        states.put(file, new FileState(State.LOADED, now, now, List.of()));
    }

    void loaded(String file, String text) {
        Instant now = Instant.now();
        accepted.put(file, text);
        states.put(file, new FileState(State.LOADED, now, now, List.of()));
        metrics.counter("leadsync.route.reloads", "file", file, "outcome", "loaded").increment();
    }

    void rejected(String file, List<RouteFileProblem> problems) {
        FileState before = states.get(file);
        states.put(file, new FileState(State.REJECTED, Instant.now(), before == null ? null : before.loadedAt(), problems));
        metrics.counter("leadsync.route.reloads", "file", file, "outcome", "rejected").increment();
    }

    void deleted(String file) {
        accepted.remove(file);
        states.remove(file);
    }

    /** The last accepted text of every file, by file name, in name order (the order they load in). */
    Map<String, String> accepted() {
        return new TreeMap<>(accepted);
    }

    public FileState state(String file) {
        return states.get(file);
    }
}
