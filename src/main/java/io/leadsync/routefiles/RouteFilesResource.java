package io.leadsync.routefiles;

import java.io.File;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.leadsync.routefiles.RouteFileStates.FileState;
import io.leadsync.routefiles.RouteFileStates.State;
import io.quarkus.runtime.annotations.RegisterForReflection;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;

/**
 * GET /routes: every route file, whether its last edit was loaded or rejected (with the line and what is
 * wrong), and the routes it runs now. A file changed on disk but not checked yet is PENDING.
 */
@Path("/routes")
@Produces(MediaType.APPLICATION_JSON)
public class RouteFilesResource {

    @Inject
    CamelContext camel;

    @Inject
    RouteFileStates states;

    @RegisterForReflection
    public record RouteFiles(List<RouteFile> files) {
    }

    @RegisterForReflection
    public record RouteFile(String file, State state, Instant checkedAt, Instant loadedAt, String error, Integer line,
            List<RouteFileProblem> problems, List<RunningRoute> routes) {
    }

    @RegisterForReflection
    public record RunningRoute(String id, boolean running) {
    }

    @GET
    public RouteFiles files() {
        Map<String, List<RunningRoute>> routes = new TreeMap<>();
        for (Route route : camel.getRoutes()) {
            String file = route.getSourceResource() == null ? null : RouteFileCheck.fileName(route.getSourceResource().getLocation());
            if (file != null) {
                routes.computeIfAbsent(file, f -> new ArrayList<>()).add(new RunningRoute(route.getRouteId(),
                        camel.getRouteController().getRouteStatus(route.getRouteId()) == ServiceStatus.Started));
            }
        }
        Map<String, File> onDisk = new TreeMap<>();
        CheckedRouteReload reload = camel.hasService(CheckedRouteReload.class);
        if (reload != null && reload.getFileFilter() != null) {
            File[] files = new File(reload.getFolder()).listFiles(f -> f.isFile() && reload.getFileFilter().accept(f));
            for (File file : files == null ? new File[0] : files) {
                onDisk.put(file.getName(), file);
            }
        }
        TreeMap<String, Boolean> names = new TreeMap<>();
        routes.keySet().forEach(n -> names.put(n, true));
        onDisk.keySet().forEach(n -> names.put(n, true));

        List<RouteFile> answer = new ArrayList<>();
        for (String name : names.keySet()) {
            FileState state = states.state(name);
            File file = onDisk.get(name);
            boolean changedSince = file != null
                    && (state == null || file.lastModified() > state.checkedAt().toEpochMilli());
            RouteFileProblem first = state == null || state.problems().isEmpty() ? null : state.problems().get(0);
            answer.add(new RouteFile(name,
                    changedSince ? State.PENDING : state == null ? State.LOADED : state.state(),
                    state == null ? null : state.checkedAt(), state == null ? null : state.loadedAt(),
                    first == null ? null : first.message(), first == null ? null : first.line(),
                    state == null ? List.of() : state.problems(), routes.getOrDefault(name, List.of())));
        }
        return new RouteFiles(answer);
    }
}
