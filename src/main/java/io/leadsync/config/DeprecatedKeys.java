package io.leadsync.config;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.quarkus.runtime.StartupEvent;
import org.jboss.logging.Logger;

/** At start-up, one WARN line per deprecated {@code -ms} key that is set ({@link ConfigCheck#deprecations}). */
@ApplicationScoped
public class DeprecatedKeys {

    private static final Logger LOG = Logger.getLogger(DeprecatedKeys.class);

    @Inject
    Mappings config;

    // Before the other start-up observers: run-once and validate mode exit from theirs.
    void warn(@Observes @Priority(1) StartupEvent started) {
        ConfigCheck.deprecations(config).forEach(LOG::warn);
    }
}
