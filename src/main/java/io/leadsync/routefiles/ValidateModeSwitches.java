package io.leadsync.routefiles;

import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.common.MapBackedConfigSource;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * With {@code leadsync.validate-routes} set, the service starts only as far as the check needs: its beans,
 * components and placeholders exist, but Camel loads no route file (the ones being checked may be broken),
 * watches none, and nothing polls, delivers or takes in files. The HTTP server takes any free port, so a
 * check next to a running service does not collide with it. Above application.properties (250), below
 * environment variables (300).
 */
public class ValidateModeSwitches implements ConfigSourceFactory {

    private static final int ORDINAL = 275;

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        ConfigValue dir = context.getValue("leadsync.validate-routes");
        if (dir == null || dir.getValue() == null || dir.getValue().isBlank()) {
            return List.of();
        }
        Map<String, String> switches = Map.of(
                "camel.main.routes-collector-enabled", "false",
                "camel.main.routes-reload-enabled", "false",
                // Nothing to load or scan: the files under check may be broken.
                "camel.main.routes-include-pattern", "classpath:io/leadsync/routefiles/none/*.yaml",
                "leadsync.intake.enabled", "false",
                "leadsync.telecrm.polling", "false",
                "leadsync.superfone.polling", "false",
                "leadsync.truto.polling", "false",
                "quarkus.http.port", "0");
        return List.of(new MapBackedConfigSource("leadsync validate mode", switches, ORDINAL) {
        });
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(ORDINAL);
    }
}
