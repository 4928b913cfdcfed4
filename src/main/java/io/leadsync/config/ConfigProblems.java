package io.leadsync.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.parser.CronParser;
import io.smallrye.config.ConfigMappings;
import org.apache.camel.util.TimeUtils;

/**
 * The configuration problems found so far by {@link ConfigCheck} and the features' {@link ConfigRule}s, each worded
 * {@code key=value (ENV_VAR): what is wrong and what is allowed}. Never given a secret's value.
 */
public final class ConfigProblems {

    private static final CronParser QUARTZ = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.QUARTZ));

    private final List<String> found = new ArrayList<>();

    ConfigProblems() {
    }

    List<String> found() {
        return found;
    }

    /** A problem of {@code key}, shown with {@code value} as written (never pass a secret). */
    public void add(String key, String value, String problem) {
        found.add(key + "=" + value + " (" + env(key) + "): " + problem);
    }

    public void atLeast(String key, long value, long least) {
        if (value < least) {
            add(key, String.valueOf(value), least == 0 ? "must not be negative" : least == 1 ? "must be at least 1"
                    : "must be at least " + least);
        }
    }

    public void positive(String key, Duration value) {
        if (value.isNegative() || value.isZero()) {
            // As written, give or take the unit: the mapping holds the converted value only.
            add(key, value.toMillis() % 1000 == 0 ? value.toSeconds() + "s" : value.toMillis() + "ms",
                    "must be a positive duration such as 30s, 10m or 7d");
        }
    }

    /**
     * A time that was a number of milliseconds (DurationKeys): at least {@code leastMs} milliseconds. The problem names
     * the key that set it: its deprecated {@code -ms} key, with the number as given, when the time is that key's,
     * else the duration key.
     */
    public void millis(String key, Duration value, OptionalLong oldMillis, long leastMs) {
        if (!value.isNegative() && value.toMillis() >= leastMs) {
            return;
        }
        if (oldMillis.isPresent() && value.equals(Duration.ofMillis(oldMillis.getAsLong()))) {
            atLeast(DurationKeys.oldKey(key), oldMillis.getAsLong(), leastMs);
        } else {
            add(key, DurationKeys.text(value), leastMs == 0 ? "must not be negative; give a duration such as 500ms, 30s or 5m"
                    : "must be at least " + leastMs + "ms; give a duration such as 500ms, 30s or 5m");
        }
    }

    /** A duration as Camel's timer reads it: {@code 500} (ms), {@code 30s}, {@code 5m}, {@code 1h30m}. */
    public void camelDuration(String key, String value, long leastMs) {
        long ms;
        try {
            ms = TimeUtils.toMilliSeconds(value.strip());
        } catch (RuntimeException notADuration) {
            add(key, value, "not a duration; give one such as 30s, 5m or 1h (a bare number is milliseconds)");
            return;
        }
        if (ms < leastMs) {
            add(key, value, leastMs <= 1 ? "must be a positive duration such as 30s, 5m or 1h"
                    : "must be at least " + TimeUtils.printDuration(leastMs) + ": a leader's first poll fired sooner can be"
                            + " lost, and the next comes a whole poll interval later");
        }
    }

    /** An http(s) URL with a host; shown without any user:password part. */
    public void url(String key, String value) {
        String shown = value.replaceAll("//[^/@]*@", "//****@");
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            add(key, shown, "not a URL: " + e.getReason() + " at index " + e.getIndex()
                    + "; give one such as https://api.example.com/v1");
            return;
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            add(key, shown, "must start with https:// or http://");
        } else if (uri.getHost() == null) {
            add(key, shown, "has no valid host name (letters, digits, '-' and '.')");
        } else if (uri.getQuery() != null || uri.getFragment() != null) {
            add(key, shown, "must not have a query or fragment: leadsync appends the API's paths to it");
        }
    }

    /** A Quartz cron expression, or {@code off} / {@code disabled}. */
    public void cron(String key, String value) {
        if (value.strip().equalsIgnoreCase("off") || value.strip().equalsIgnoreCase("disabled")) {
            return;
        }
        try {
            QUARTZ.parse(value).validate();
        } catch (RuntimeException e) {
            add(key, value, "not a Quartz cron (" + e.getMessage() + "); give one such as '0 0 2 * * ?'"
                    + " (seconds minutes hours day-of-month month day-of-week), or off");
        }
    }

    /**
     * An environment variable LEADSYNC_* that sets no key of {@code mappings} (interface and prefix) is most likely a
     * typo; its value may be a secret, so only its name is shown.
     */
    void unknownEnvironment(Map<String, String> environment, Map<Class<?>, String> mappings) {
        Set<String> known = new TreeSet<>();
        mappings.forEach((mapping, prefix) -> ConfigMappings.getProperties(new ConfigMappings.ConfigClass(mapping, prefix))
                .keySet().forEach(name -> known.add(env(name))));
        for (String name : new TreeSet<>(environment.keySet())) {
            if (name.startsWith("LEADSYNC_") && !known.contains(name)) {
                found.add(name + " (environment variable): sets no leadsync key, is it misspelt? (README, Configuration,"
                        + " lists the keys)");
            }
        }
    }

    /** The environment variable that sets {@code key}. */
    public static String env(String key) {
        return key.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }
}
