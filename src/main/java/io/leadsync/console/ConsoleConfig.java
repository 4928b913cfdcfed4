package io.leadsync.console;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The operator console at /console (docs/console.md). */
@ConfigMapping(prefix = "leadsync.console")
public interface ConsoleConfig {

    /** Serve the console; false answers 404 under /console. */
    @WithDefault("true")
    boolean enabled();

    /** How long a sign-in lasts when leadsync.api-key is set; then the key is asked for again. */
    @WithDefault("8h")
    Duration sessionLifetime();
}
