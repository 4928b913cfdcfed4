package io.leadsync.config;

import java.time.Duration;
import java.util.OptionalLong;
import java.util.function.Function;

/**
 * A time that was a number of milliseconds ({@link DurationKeys}): its duration key (the old one is {@code <key>-ms}),
 * the least it may be, and how to read both from the mappings, the old one as set.
 */
public record DurationKey(String key, long leastMs, Function<Mappings, Duration> value,
        Function<Mappings, OptionalLong> oldMillis) {
}
