package io.leadsync.config;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.annotation.Priority;

import io.smallrye.config.ConfigSourceInterceptor;
import io.smallrye.config.ConfigSourceInterceptorContext;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.Priorities;

/**
 * The time keys that were a number of milliseconds ({@code leadsync.delivery.retry.delay-ms=1000}) and are durations
 * now ({@code leadsync.delivery.retry.delay=1s}; {@code 500ms}, {@code 30s}, {@code 5m}, {@code PT30S}, and a bare
 * number is seconds). The old {@code -ms} keys stay accepted, wherever they are set (an environment variable, a
 * {@code -D} option, a properties file, a profile):
 * <ul>
 * <li>This interceptor answers a duration key that is set nowhere (its {@code @WithDefault} aside) with its
 * {@code -ms} key's value, as milliseconds, so {@link LeadsyncConfig} and the code see one duration. A duration key
 * that is set wins over its {@code -ms} key.</li>
 * <li>The {@code -ms} keys stay in {@link LeadsyncConfig} as they were set (never derived), so no {@code -ms} key is
 * taken for an unknown one, a bad number is reported naming the key it was given as, and
 * {@link ConfigCheck#deprecations} writes the start-up line naming the key to use instead.</li>
 * <li>Route files keep their {@code {{leadsync.delivery.retry.delay-ms}}} placeholders where Camel wants a number of
 * milliseconds: {@link ConfigPropertiesSource} answers each such placeholder with the duration in force, in
 * milliseconds, whichever key set it ({@link #millis}).</li>
 * </ul>
 * Installed with {@link ConfigCheck}'s validator ({@link ConfigCheck.Installer}); above the profile and expression
 * interceptors, so the {@code -ms} key it looks at is already a profile's and already expanded.
 */
@Priority(Priorities.LIBRARY + 500)
public final class DurationKeys implements ConfigSourceInterceptor {

    private static final long serialVersionUID = 1L;

    /** What an old key's name ends in. */
    public static final String MS = "-ms";

    /** The duration keys that replaced a {@code <key>-ms} key of milliseconds: {@link LeadsyncConfig}'s and the features'. */
    public static final Set<String> KEYS = ConfigCheck.durationKeys().stream().map(DurationKey::key)
            .collect(Collectors.toCollection(LinkedHashSet::new));

    @Override
    public ConfigValue getValue(ConfigSourceInterceptorContext context, String name) {
        ConfigValue value = context.proceed(name);
        if (!KEYS.contains(name) || isSet(value)) {
            return value;
        }
        ConfigValue old = context.proceed(oldKey(name));
        Long ms = isSet(old) ? number(old.getValue()) : null;
        if (ms == null) {
            // Not set, or not a number: then the -ms key's own conversion in LeadsyncConfig fails, naming it.
            return value;
        }
        String duration = Duration.ofMillis(ms).toString();
        return old.from().withName(name).withValue(duration).withRawValue(duration).build();
    }

    /** The {@code -ms} key {@code key} replaced. */
    public static String oldKey(String key) {
        return key + MS;
    }

    /** The duration key that replaced {@code name}, or null when {@code name} is no such {@code -ms} key. */
    public static String durationKey(String name) {
        if (!name.endsWith(MS)) {
            return null;
        }
        String key = name.substring(0, name.length() - MS.length());
        return KEYS.contains(key) ? key : null;
    }

    /** A duration as a Camel option wants it, a number of milliseconds. */
    public static String millis(Duration duration) {
        return Long.toString(duration.toMillis());
    }

    /** A duration as one would write it: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 7d}. */
    public static String text(Duration duration) {
        if (duration.isZero()) {
            return "0s";
        }
        if (duration.toNanosPart() % 1_000_000 != 0) {
            return duration.toString();
        }
        long ms = duration.toMillis();
        long[] sizes = {86_400_000, 3_600_000, 60_000, 1_000};
        String[] units = {"d", "h", "m", "s"};
        for (int i = 0; i < sizes.length; i++) {
            if (ms % sizes[i] == 0) {
                return ms / sizes[i] + units[i];
            }
        }
        return ms + "ms";
    }

    /**
     * Set by the operator, the tests or a profile: not a mapping's default (SmallRye's and Quarkus's default-value
     * sources have the lowest ordinals there are).
     */
    private static boolean isSet(ConfigValue value) {
        return value != null && value.getValue() != null && !value.getValue().isBlank() && value.getConfigSourceOrdinal() > 0;
    }

    private static Long number(String value) {
        try {
            return Long.valueOf(value.strip());
        } catch (NumberFormatException notANumber) {
            return null;
        }
    }
}
