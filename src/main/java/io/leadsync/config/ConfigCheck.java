package io.leadsync.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.ServiceLoader;

import io.smallrye.config.ConfigValidationException;
import io.smallrye.config.ConfigValidator;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.SmallRyeConfigBuilderCustomizer;

/**
 * The {@code leadsync.*} values checked when the configuration is read, before anything starts: SmallRye runs
 * this on the {@link LeadsyncConfig} mapping (it is the mapping's validator, set by {@link Installer}) and
 * reports its problems together with its own (a number that is not a number, an unknown key in a properties
 * file), then Quarkus exits 1 printing one line per problem. A value the types accept but leadsync cannot
 * work with — a negative interval, a URL without a host, a cron Quartz cannot read, a stage-map pair naming
 * no CRM — stops the service here, instead of failing the first poll, delivery or schedule hours later.
 * Secrets ({@code token}, {@code api-key}) are never checked here, so their values are never printed. The keys
 * whose check needs a feature's knowledge (which CRMs exist, what a sync flow may join) are checked by that feature's
 * {@link ConfigRule}, run here too: this package imports no feature.
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

    @Override
    public void validateMapping(Class<?> mappingClass, String prefix, Object mappingObject) {
        if (mappingObject instanceof LeadsyncConfig config) {
            List<String> problems = problems(config, System.getenv());
            if (!problems.isEmpty()) {
                throw new ConfigValidationException(problems.stream().map(p -> new ConfigValidationException.Problem(PREFIX + p))
                        .toArray(ConfigValidationException.Problem[]::new));
            }
        }
    }

    /** What is wrong with {@code config}, one {@code key=value (ENV_VAR): what is allowed} per problem. */
    public static List<String> problems(LeadsyncConfig config, Map<String, String> env) {
        ConfigProblems p = new ConfigProblems();
        p.url("leadsync.telecrm.base-url", config.telecrm().baseUrl());
        p.url("leadsync.superfone.base-url", config.superfone().baseUrl());
        p.url("leadsync.truto.base-url", config.truto().baseUrl());
        p.atLeast("leadsync.superfone.page-size", config.superfone().pageSize(), 1);
        p.atLeast("leadsync.truto.page-size", config.truto().pageSize(), 1);
        p.atLeast("leadsync.telecrm.concurrency", config.telecrm().concurrency(), 1);
        p.atLeast("leadsync.superfone.concurrency", config.superfone().concurrency(), 1);
        p.atLeast("leadsync.truto.concurrency", config.truto().concurrency(), 1);
        p.atLeast("leadsync.truto.rate-limit", config.truto().rateLimit(), 1);

        for (Timed time : times(config)) {
            p.millis(time.key(), time.value(), time.oldMillis(), time.leastMs());
        }
        p.camelDuration("leadsync.stages.poll-interval", config.stages().pollInterval(), 1);
        p.camelDuration("leadsync.stages.initial-delay", config.stages().initialDelay(), MIN_INITIAL_DELAY_MS);
        p.atLeast("leadsync.stages.max-pages", config.stages().maxPages(), 1);
        p.atLeast("leadsync.stages.change-history", config.stages().changeHistory(), 0);
        p.atLeast("leadsync.stages.retry.max-redeliveries", config.stages().retry().maxRedeliveries(), 0);

        p.atLeast("leadsync.http.max-answer-size", config.http().maxAnswerSize().asLongValue(), 1);

        LeadsyncConfig.Delivery delivery = config.delivery();
        p.atLeast("leadsync.delivery.retry.max-redeliveries", delivery.retry().maxRedeliveries(), 0);
        p.atLeast("leadsync.delivery.window", delivery.window(), 1);
        p.positive("leadsync.delivery.keep-done", delivery.keepDone());
        p.positive("leadsync.delivery.idempotency-window", delivery.idempotencyWindow());
        p.positive("leadsync.delivery.prune-interval", delivery.pruneInterval());

        LeadsyncConfig.Etl etl = config.etl();
        if (etl.pageSize() < 1 || etl.pageSize() > 100) {
            p.add("leadsync.etl.page-size", String.valueOf(etl.pageSize()), "must be 1 to 100 (TeleCRM's lead search pages)");
        }
        p.atLeast("leadsync.etl.max-pages", etl.maxPages(), 1);
        p.atLeast("leadsync.etl.retry.max-redeliveries", etl.retry().maxRedeliveries(), 0);
        p.cron("leadsync.etl.telecrm-leads.cron", etl.telecrmLeads().cron());
        p.cron("leadsync.etl.truto-leads.cron", etl.trutoLeads().cron());
        p.cron("leadsync.etl.stages.cron", etl.stages().cron());
        p.cron("leadsync.etl.lead-import.cron", etl.leadImport().cron());

        p.positive("leadsync.cluster.takeover", config.cluster().takeover());
        p.positive("leadsync.webhooks.max-age", config.webhooks().maxAge());
        p.positive("leadsync.sync.echo-window", config.sync().echoWindow());
        p.camelDuration("leadsync.sync.telecrm.interval", config.sync().telecrm().interval(), 1);
        p.camelDuration("leadsync.sync.telecrm.full-interval", config.sync().telecrm().fullInterval(), 1);
        // Every mapping of the leadsync.* keys, for telling a misspelt LEADSYNC_* environment variable.
        Map<Class<?>, String> mappings = new LinkedHashMap<>(Map.of(LeadsyncConfig.class, "leadsync"));
        for (ConfigRule rule : rules()) {
            rule.check(config, p);
            mappings.putAll(rule.mappings());
        }
        p.unknownEnvironment(env, mappings);
        return p.found();
    }

    /**
     * One start-up line per deprecated {@code -ms} key that is set: the duration key to use instead, with the value
     * in force ({@code leadsync.delivery.retry.delay-ms is deprecated: use leadsync.delivery.retry.delay=500ms}), or,
     * when the duration key is set too, that the {@code -ms} key is ignored. Logged by {@link DeprecatedKeys}.
     */
    public static List<String> deprecations(LeadsyncConfig config) {
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

    /** Every key of {@link DurationKeys#KEYS}: the times that were a number of milliseconds. */
    @SuppressWarnings("deprecation") // the -ms keys, read here only to tell which key set a time
    static List<Timed> times(LeadsyncConfig config) {
        LeadsyncConfig.Delivery delivery = config.delivery();
        LeadsyncConfig.Http http = config.http();
        return List.of(
                new Timed("leadsync.stages.retry.delay", config.stages().retry().delay(), config.stages().retry().delayMs(), 0),
                new Timed("leadsync.etl.retry.delay", config.etl().retry().delay(), config.etl().retry().delayMs(), 0),
                new Timed("leadsync.http.connect-timeout", http.connectTimeout(), http.connectTimeoutMs(), 1),
                new Timed("leadsync.http.response-timeout", http.responseTimeout(), http.responseTimeoutMs(), 1),
                new Timed("leadsync.http.answer-timeout", http.answerTimeout(), http.answerTimeoutMs(), 1),
                new Timed("leadsync.delivery.retry.delay", delivery.retry().delay(), delivery.retry().delayMs(), 0),
                new Timed("leadsync.delivery.retry.max-delay", delivery.retry().maxDelay(), delivery.retry().maxDelayMs(), 0),
                new Timed("leadsync.delivery.retry-after-cap", delivery.retryAfterCap(), delivery.retryAfterCapMs(), 0),
                new Timed("leadsync.delivery.claim-interval", delivery.claimInterval(), delivery.claimIntervalMs(), 1),
                new Timed("leadsync.delivery.catalog-wait", delivery.catalogWait(), delivery.catalogWaitMs(), 1),
                new Timed("leadsync.intake.min-age", config.intake().minAge(), config.intake().minAgeMs(), 0),
                new Timed("leadsync.truto.rate-period", config.truto().ratePeriod(), config.truto().ratePeriodMs(), 1),
                new Timed("leadsync.sync.interval", config.sync().interval(), config.sync().intervalMs(), 1));
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
