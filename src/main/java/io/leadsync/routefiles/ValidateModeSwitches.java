package io.leadsync.routefiles;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

import io.leadsync.crm.Crms;
import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.common.MapBackedConfigSource;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * With {@code leadsync.validate-routes} set, the service starts only as far as the check needs: its beans,
 * components and placeholders exist, but Camel loads no route file (the ones being checked may be broken),
 * watches none, and nothing polls, delivers or takes in files. The check ends the start before any of that
 * would run anyway ({@link RouteFilesValidation}); these switches also keep out what Quarkus itself would set
 * up before it: no HTTP listener, no log file, no banner, and a console that shows errors only, on standard
 * error, so the report is all a run prints. Above application.properties (250) and ./config/application.properties
 * (260), below environment variables (300) and -D options (400): an operator can still ask for more, e.g.
 * {@code QUARKUS_LOG_CONSOLE_LEVEL=INFO} to see how far a start that fails before the check got.
 */
public class ValidateModeSwitches implements ConfigSourceFactory {

    private static final int ORDINAL = 275;

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        ConfigValue dir = context.getValue("leadsync.validate-routes");
        if (dir == null || dir.getValue() == null || dir.getValue().isBlank()) {
            return List.of();
        }
        Map<String, String> switches = new HashMap<>(Map.ofEntries(
                Map.entry("camel.main.routes-collector-enabled", "false"),
                Map.entry("camel.main.routes-reload-enabled", "false"),
                // Nothing to load or scan: the files under check may be broken.
                Map.entry("camel.main.routes-include-pattern", "classpath:io/leadsync/routefiles/none/*.yaml"),
                Map.entry("leadsync.intake.enabled", "false"),
                // No port: a check in CI or next to a running service opens nothing.
                Map.entry("quarkus.http.host-enabled", "false"),
                // No file: the log goes nowhere but the console.
                Map.entry("quarkus.log.file.enabled", "false"),
                // Only the report on the console: errors still show (a start that fails before the check), on stderr.
                Map.entry("quarkus.banner.enabled", "false"),
                Map.entry("quarkus.log.console.level", "ERROR"),
                Map.entry("quarkus.log.console.stderr", "true")));
        // Nothing polls: no CRM's stage-poll timer starts.
        Crms.NAMES.forEach(crm -> switches.put("leadsync." + crm + ".polling", "false"));
        return List.of(new MapBackedConfigSource("leadsync validate mode", switches, ORDINAL) {
        });
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(ORDINAL);
    }
}
