package io.leadsync.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.ServiceLoader;
import java.util.Set;

import io.smallrye.config.ConfigValidationException;
import io.smallrye.config.ConfigValidator;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.SmallRyeConfigBuilderCustomizer;

/**
 * The {@code leadsync.*} values checked when the configuration is read, before anything starts: SmallRye runs
 * this on every mapping it reads (it is the mappings' validator, set by {@link Installer}); once it has read every
 * leadsync mapping ({@link #mappings()}) they are checked together, and SmallRye reports the problems with its own
 * (a number that is not a number, an unknown key in a properties file), then Quarkus exits 1 printing one line per
 * problem. A value the types accept but leadsync cannot work with — a negative interval, a URL without a host, a
 * cron Quartz cannot read, a stage-map pair naming no CRM — stops the service here, instead of failing the first
 * poll, delivery or schedule hours later.
 * Secrets ({@code token}, {@code api-key}) are never checked here, so their values are never printed. A feature's
 * own keys (each CRM's), and the keys whose check needs a feature's knowledge (which CRMs exist, what a sync flow may
 * join), are checked by that feature's {@link ConfigRule}, run here too: this package imports no feature.
 */
public final class ConfigCheck implements ConfigValidator {

    static final String PREFIX = "leadsync: bad configuration: ";

    /** Below this Camel's timer may fire before the leader's consumer has started, and that first tick is lost. */
    static final long MIN_INITIAL_DELAY_MS = 1000;

    /**
     * Registered in META-INF/services: makes {@link ConfigCheck} the validator of every config Quarkus builds, and
     * {@link DurationKeys} the reader of the deprecated {@code -ms} keys.
     */
    public static final class Installer implements SmallRyeConfigBuilderCustomizer {
        @Override
        public void configBuilder(SmallRyeConfigBuilder builder) {
            builder.withValidator(new ConfigCheck()).withInterceptors(new DurationKeys());
        }
    }

    /** The leadsync mappings SmallRye has read so far: it validates each as it reads it, they are checked together. */
    private final Map<Class<?>, Object> read = new HashMap<>();
    private final Set<Class<?>> expected = mappings().keySet();

    @Override
    public void validateMapping(Class<?> mappingClass, String prefix, Object mappingObject) {
        if (!expected.contains(mappingClass)) {
            return;
        }
        read.put(mappingClass, mappingObject);
        if (!read.keySet().containsAll(expected)) {
            return; // a feature's check may read another feature's keys (a sync flow, the CRMs it joins)
        }
        List<String> problems = problems(this::readMapping, System.getenv());
        if (!problems.isEmpty()) {
            throw new ConfigValidationException(problems.stream().map(p -> new ConfigValidationException.Problem(PREFIX + p))
                    .toArray(ConfigValidationException.Problem[]::new));
        }
    }

    private <T> T readMapping(Class<T> mapping) {
        return mapping.cast(read.get(mapping));
    }

    /** What is wrong with {@code config}, one {@code key=value (ENV_VAR): what is allowed} per problem. */
    public static List<String> problems(Mappings config, Map<String, String> env) {
        ConfigProblems p = new ConfigProblems();
        LeadsyncConfig leadsync = config.get(LeadsyncConfig.class);
        for (Timed time : times(config)) {
            p.millis(time.key(), time.value(), time.oldMillis(), time.leastMs());
        }
        p.camelDuration("leadsync.stages.poll-interval", leadsync.stages().pollInterval(), 1);
        p.camelDuration("leadsync.stages.initial-delay", leadsync.stages().initialDelay(), MIN_INITIAL_DELAY_MS);
        p.atLeast("leadsync.stages.max-pages", leadsync.stages().maxPages(), 1);
        p.atLeast("leadsync.stages.change-history", leadsync.stages().changeHistory(), 0);
        p.atLeast("leadsync.stages.retry.max-redeliveries", leadsync.stages().retry().maxRedeliveries(), 0);

        p.atLeast("leadsync.http.max-answer-size", leadsync.http().maxAnswerSize().asLongValue(), 1);

        LeadsyncConfig.Delivery delivery = leadsync.delivery();
        p.atLeast("leadsync.delivery.retry.max-redeliveries", delivery.retry().maxRedeliveries(), 0);
        p.atLeast("leadsync.delivery.window", delivery.window(), 1);
        p.positive("leadsync.delivery.keep-done", delivery.keepDone());
        p.positive("leadsync.delivery.idempotency-window", delivery.idempotencyWindow());
        p.positive("leadsync.delivery.prune-interval", delivery.pruneInterval());

        LeadsyncConfig.Etl etl = leadsync.etl();
        p.atLeast("leadsync.etl.max-pages", etl.maxPages(), 1);
        p.atLeast("leadsync.etl.retry.max-redeliveries", etl.retry().maxRedeliveries(), 0);
        p.cron("leadsync.etl.stages.cron", etl.stages().cron());
        p.cron("leadsync.etl.lead-import.cron", etl.leadImport().cron());

        p.positive("leadsync.cluster.takeover", leadsync.cluster().takeover());
        p.positive("leadsync.webhooks.max-age", leadsync.webhooks().maxAge());
        p.positive("leadsync.sync.echo-window", leadsync.sync().echoWindow());
        for (ConfigRule rule : rules()) {
            rule.check(config, p);
        }
        // Every mapping of the leadsync.* keys, for telling a misspelt LEADSYNC_* environment variable.
        p.unknownEnvironment(env, mappings());
        return p.found();
    }

    /** Every mapping of {@code leadsync.*} keys and its prefix: {@link LeadsyncConfig} and the features' own. */
    public static Map<Class<?>, String> mappings() {
        Map<Class<?>, String> mappings = new LinkedHashMap<>(Map.of(LeadsyncConfig.class, "leadsync"));
        for (ConfigRule rule : rules()) {
            mappings.putAll(rule.mappings());
        }
        return mappings;
    }

    /**
     * One start-up line per deprecated {@code -ms} key that is set: the duration key to use instead, with the value
     * in force ({@code leadsync.delivery.retry.delay-ms is deprecated: use leadsync.delivery.retry.delay=500ms}), or,
     * when the duration key is set too, that the {@code -ms} key is ignored. Logged by {@link DeprecatedKeys}.
     */
    public static List<String> deprecations(Mappings config) {
        List<String> lines = new ArrayList<>();
        for (Timed time : times(config)) {
            if (time.oldMillis().isEmpty()) {
                continue;
            }
            long ms = time.oldMillis().getAsLong();
            String old = DurationKeys.oldKey(time.key());
            String now = time.key() + "=" + DurationKeys.text(time.value());
            // The duration is the -ms key's when the duration key is not set (DurationKeys); set to the same value as
            // the -ms key, the duration key makes no difference to the advice.
            lines.add(time.value().equals(Duration.ofMillis(ms))
                    ? old + " is deprecated: use " + now
                    : old + "=" + ms + " is deprecated and ignored: " + now + " is set too, and wins");
        }
        return lines;
    }

    /** A duration key, its value, its deprecated {@code -ms} key's value as set, and the least it may be. */
    record Timed(String key, Duration value, OptionalLong oldMillis, long leastMs) {
    }

    /** The times of {@link LeadsyncConfig} that were a number of milliseconds. */
    @SuppressWarnings("deprecation") // the -ms keys, read here only to tell which key set a time
    private static final List<DurationKey> DURATION_KEYS = List.of(
            new DurationKey("leadsync.stages.retry.delay", 0, c -> leadsync(c).stages().retry().delay(),
                    c -> leadsync(c).stages().retry().delayMs()),
            new DurationKey("leadsync.etl.retry.delay", 0, c -> leadsync(c).etl().retry().delay(),
                    c -> leadsync(c).etl().retry().delayMs()),
            new DurationKey("leadsync.http.connect-timeout", 1, c -> leadsync(c).http().connectTimeout(),
                    c -> leadsync(c).http().connectTimeoutMs()),
            new DurationKey("leadsync.http.response-timeout", 1, c -> leadsync(c).http().responseTimeout(),
                    c -> leadsync(c).http().responseTimeoutMs()),
            new DurationKey("leadsync.http.answer-timeout", 1, c -> leadsync(c).http().answerTimeout(),
                    c -> leadsync(c).http().answerTimeoutMs()),
            new DurationKey("leadsync.delivery.retry.delay", 0, c -> leadsync(c).delivery().retry().delay(),
                    c -> leadsync(c).delivery().retry().delayMs()),
            new DurationKey("leadsync.delivery.retry.max-delay", 0, c -> leadsync(c).delivery().retry().maxDelay(),
                    c -> leadsync(c).delivery().retry().maxDelayMs()),
            new DurationKey("leadsync.delivery.retry-after-cap", 0, c -> leadsync(c).delivery().retryAfterCap(),
                    c -> leadsync(c).delivery().retryAfterCapMs()),
            new DurationKey("leadsync.delivery.claim-interval", 1, c -> leadsync(c).delivery().claimInterval(),
                    c -> leadsync(c).delivery().claimIntervalMs()),
            new DurationKey("leadsync.delivery.catalog-wait", 1, c -> leadsync(c).delivery().catalogWait(),
                    c -> leadsync(c).delivery().catalogWaitMs()),
            new DurationKey("leadsync.intake.min-age", 0, c -> leadsync(c).intake().minAge(),
                    c -> leadsync(c).intake().minAgeMs()),
            new DurationKey("leadsync.sync.interval", 1, c -> leadsync(c).sync().interval(),
                    c -> leadsync(c).sync().intervalMs()));

    private static LeadsyncConfig leadsync(Mappings config) {
        return config.get(LeadsyncConfig.class);
    }

    /** Every time that was a number of milliseconds: {@link LeadsyncConfig}'s and the features'. */
    static List<DurationKey> durationKeys() {
        List<DurationKey> keys = new ArrayList<>(DURATION_KEYS);
        for (ConfigRule rule : rules()) {
            keys.addAll(rule.durationKeys());
        }
        return keys;
    }

    /** Every key of {@link DurationKeys#KEYS} as read: the times that were a number of milliseconds. */
    static List<Timed> times(Mappings config) {
        return durationKeys().stream().map(key -> new Timed(key.key(), key.value().apply(config),
                key.oldMillis().apply(config), key.leastMs())).toList();
    }

    /** The features' checks of their own keys (META-INF/services/io.leadsync.config.ConfigRule). */
    static List<ConfigRule> rules() {
        List<ConfigRule> rules = new ArrayList<>();
        ServiceLoader.load(ConfigRule.class, ConfigRule.class.getClassLoader()).forEach(rules::add);
        return rules;
    }

    /** The environment variable that sets {@code key}. */
    static String env(String key) {
        return ConfigProblems.env(key);
    }
}
