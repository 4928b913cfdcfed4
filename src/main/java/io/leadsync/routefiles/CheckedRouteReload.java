package io.leadsync.routefiles;

import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.camel.spi.Resource;
import org.apache.camel.support.RouteWatcherReloadStrategy;
import org.jboss.logging.Logger;

/**
 * Camel's route-file watcher ({@code camel.main.routes-reload-*}), with one step added before an edited
 * file replaces anything: its routes must first be created in a scratch context ({@link RouteFileCheck}),
 * next to the other files as last accepted. An edit that fails leaves the running routes as they are, and
 * shows up in the log (file:line), in {@code leadsync_route_reloads_total{outcome="rejected"}} and in
 * {@code GET /routes}. Only then does Camel's own reload run, on exactly the text that was checked.
 */
class CheckedRouteReload extends RouteWatcherReloadStrategy {

    private static final Logger LOG = Logger.getLogger(CheckedRouteReload.class);

    private final RouteFileStates states;

    CheckedRouteReload(String directory, boolean recursive, RouteFileStates states) {
        super(directory, recursive);
        this.states = states;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart(); // sets the file filter from the pattern
        // The files the service started with were all loaded (else it would not have started).
        File[] files = new File(getFolder()).listFiles(f -> f.isFile() && getFileFilter().accept(f));
        if (files != null) {
            for (File file : files) {
                states.started(file.getName(), RouteFileCheck.read(file.toPath()).text());
            }
        }
    }

    @Override
    protected String startupMessage(File dir) {
        return "Live route reloading enabled, each edited file checked before it replaces anything (directory: " + dir + ")";
    }

    @Override
    protected void onRouteReload(Collection<Resource> resources, boolean removeEverything) {
        if (resources == null || resources.size() != 1) { // a properties file changed: Camel reloads every route
            super.onRouteReload(resources, removeEverything);
            return;
        }
        Resource resource = resources.iterator().next();
        Path path = Path.of(resource.getURI());
        String file = path.getFileName().toString();
        if (!Files.exists(path)) {
            states.deleted(file);
            super.onRouteReload(resources, removeEverything);
            return;
        }
        RouteFileCheck.Text read;
        try {
            read = RouteFileCheck.read(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String text = read.text();
        // The other files as last accepted, then this one: a clash (a route id used twice) is pinned on this file.
        Map<String, String> files = states.accepted().entrySet().stream().filter(e -> !e.getKey().equals(file))
                .collect(Collectors.toMap(e -> "file:" + Path.of(getFolder(), e.getKey()), Map.Entry::getValue, (a, b) -> a,
                        java.util.LinkedHashMap::new));
        files.put(resource.getLocation(), text);

        List<RouteFileProblem> problems;
        try {
            problems = read.problem() != null ? List.of(read.problem()) : new RouteFileCheck(getCamelContext()).check(files);
        } catch (RuntimeException | LinkageError e) { // an Error here would end Camel's watcher thread for good
            LOG.error("Route file " + file + " could not be checked; the running routes stay as they were", e);
            problems = List.of(new RouteFileProblem(file, 0, "could not be checked: " + e));
        }
        if (!problems.isEmpty()) {
            states.rejected(file, problems);
            for (RouteFileProblem problem : problems) {
                LOG.errorf("Route file edit rejected, the running routes stay as they were: %s", problem);
            }
            return;
        }
        super.onRouteReload(List.of(new CheckedText(resource, text)), removeEverything);
        states.loaded(file, text);
    }

    /** The watched file as it was checked: Camel loads these bytes, not a later state of the file. */
    private record CheckedText(Resource file, String text) implements Resource {
        @Override
        public String getScheme() {
            return file.getScheme();
        }

        @Override
        public String getLocation() {
            return file.getLocation();
        }

        @Override
        public boolean exists() {
            return true;
        }

        @Override
        public URI getURI() {
            return file.getURI();
        }

        @Override
        public InputStream getInputStream() {
            return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
        }
    }
}
