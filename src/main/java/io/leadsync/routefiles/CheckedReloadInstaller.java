package io.leadsync.routefiles;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.apache.camel.CamelContext;
import org.apache.camel.quarkus.main.events.AfterStart;
import org.apache.camel.support.RouteWatcherReloadStrategy;
import org.jboss.logging.Logger;

/**
 * With {@code camel.main.routes-reload-enabled=true}, Camel Main registers its route-file watcher as a
 * service of the context, and has no option for another class. Once the context has started, this swaps
 * it for {@link CheckedRouteReload}, configured from the watcher Camel built (directory, pattern,
 * remove-all-routes), so the {@code camel.main.routes-reload-*} keys keep their meaning. (Not earlier:
 * a service added before the start is started by a deferred listener that {@code removeService} does not
 * reach, and both watchers would run.)
 */
@ApplicationScoped
public class CheckedReloadInstaller {

    private static final Logger LOG = Logger.getLogger(CheckedReloadInstaller.class);

    @Inject
    RouteFileStates states;

    void afterStart(@Observes AfterStart event) throws Exception {
        CamelContext camel = event.getCamelContext();
        RouteWatcherReloadStrategy camels = camel.hasService(RouteWatcherReloadStrategy.class);
        if (camels == null || camels instanceof CheckedRouteReload) {
            return; // live reload is off (or already checked)
        }
        CheckedRouteReload checked = new CheckedRouteReload(camels.getFolder(), camels.isRecursive(), states);
        checked.setPattern(camels.getPattern());
        checked.setRemoveAllRoutes(camels.isRemoveAllRoutes());
        camel.removeService(camels);
        camels.stop();
        camel.addService(checked);
        LOG.debugf("Route files in %s are checked before they are reloaded", camels.getFolder());
    }
}
