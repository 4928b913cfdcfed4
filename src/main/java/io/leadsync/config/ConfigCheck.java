package io.leadsync.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.parser.CronParser;
import io.leadsync.catalog.CatalogSources;
import io.leadsync.model.StageCategory;
import io.smallrye.config.ConfigMappings;
import io.smallrye.config.ConfigValidationException;
import io.smallrye.config.ConfigValidator;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.SmallRyeConfigBuilderCustomizer;
import org.apache.camel.util.TimeUtils;

/**
 * The {@code leadsync.*} values checked when the configuration is read, before anything starts: SmallRye runs
 * this on the {@link LeadsyncConfig} mapping (it is the mapping's validator, set by {@link Installer}) and
 * reports its problems together with its own (a number that is not a number, an unknown key in a properties
 * file), then Quarkus exits 1 printing one line per problem. A value the types accept but leadsync cannot
 * work with — a negative interval, a URL without a host, a cron Quartz cannot read, a stage-map pair naming
 * no CRM — stops the service here, instead of failing the first poll, delivery or schedule hours later.
 * Secrets ({@code token}, {@code api-key}) are never checked here, so their values are never printed.
 */
public final class ConfigCheck implements ConfigValidator {

    static final String PREFIX = "leadsync: bad configuration: ";

    /** Below this Camel's timer may fire before the leader's consumer has started, and that first tick is lost. */
    static final long MIN_INITIAL_DELAY_MS = 1000;

    /** Every mapping of the {@code leadsync.*} keys, for telling a misspelt LEADSYNC_* environment variable. */
    private static final Map<Class<?>, String> MAPPINGS = Map.of(LeadsyncConfig.class, "leadsync",
            io.leadsync.sandbox.SandboxConfig.class, "leadsync.sandbox");

    private static final CronParser QUARTZ = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.QUARTZ));

    /** Registered in META-INF/services: makes {@link ConfigCheck} the validator of every config Quarkus builds. */
    public static final class Installer implements SmallRyeConfigBuilderCustomizer {
        @Override
        public void configBuilder(SmallRyeConfigBuilder builder) {
            builder.withValidator(new ConfigCheck());
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
        Problems p = new Problems();
        p.url("leadsync.telecrm.base-url", config.telecrm().baseUrl());
        p.url("leadsync.superfone.base-url", config.superfone().baseUrl());
        p.url("leadsync.truto.base-url", config.truto().baseUrl());
        p.atLeast("leadsync.superfone.page-size", config.superfone().pageSize(), 1);
        p.atLeast("leadsync.truto.page-size", config.truto().pageSize(), 1);
        p.atLeast("leadsync.telecrm.concurrency", config.telecrm().concurrency(), 1);
        p.atLeast("leadsync.superfone.concurrency", config.superfone().concurrency(), 1);
        p.atLeast("leadsync.truto.concurrency", config.truto().concurrency(), 1);
        p.atLeast("leadsync.truto.rate-limit", config.truto().rateLimit(), 1);
        p.atLeast("leadsync.truto.rate-period-ms", config.truto().ratePeriodMs(), 1);
        config.truto().categories().ifPresent(pairs -> pairs.forEach(pair -> p.category(pair)));

        p.camelDuration("leadsync.stages.poll-interval", config.stages().pollInterval(), 1);
        p.camelDuration("leadsync.stages.initial-delay", config.stages().initialDelay(), MIN_INITIAL_DELAY_MS);
        p.atLeast("leadsync.stages.max-pages", config.stages().maxPages(), 1);
        p.atLeast("leadsync.stages.change-history", config.stages().changeHistory(), 0);
        p.atLeast("leadsync.stages.retry.max-redeliveries", config.stages().retry().maxRedeliveries(), 0);
        p.atLeast("leadsync.stages.retry.delay-ms", config.stages().retry().delayMs(), 0);

        p.atLeast("leadsync.http.connect-timeout-ms", config.http().connectTimeoutMs(), 1);
        p.atLeast("leadsync.http.response-timeout-ms", config.http().responseTimeoutMs(), 1);
        p.atLeast("leadsync.http.answer-timeout-ms", config.http().answerTimeoutMs(), 1);
        p.atLeast("leadsync.http.max-answer-size", config.http().maxAnswerSize().asLongValue(), 1);

        LeadsyncConfig.Delivery delivery = config.delivery();
        delivery.stageMap().ifPresent(pairs -> pairs.forEach(pair -> p.stagePair(pair)));
        p.atLeast("leadsync.delivery.retry.max-redeliveries", delivery.retry().maxRedeliveries(), 0);
        p.atLeast("leadsync.delivery.retry.delay-ms", delivery.retry().delayMs(), 0);
        p.atLeast("leadsync.delivery.retry.max-delay-ms", delivery.retry().maxDelayMs(), 0);
        p.atLeast("leadsync.delivery.retry-after-cap-ms", delivery.retryAfterCapMs(), 0);
        p.atLeast("leadsync.delivery.window", delivery.window(), 1);
        p.atLeast("leadsync.delivery.claim-interval-ms", delivery.claimIntervalMs(), 1);
        p.atLeast("leadsync.delivery.catalog-wait-ms", delivery.catalogWaitMs(), 1);
        p.positive("leadsync.delivery.keep-done", delivery.keepDone());
        p.positive("leadsync.delivery.idempotency-window", delivery.idempotencyWindow());
        p.positive("leadsync.delivery.prune-interval", delivery.pruneInterval());
        p.atLeast("leadsync.intake.min-age-ms", config.intake().minAgeMs(), 0);

        LeadsyncConfig.Etl etl = config.etl();
        if (etl.pageSize() < 1 || etl.pageSize() > 100) {
            p.add("leadsync.etl.page-size", String.valueOf(etl.pageSize()), "must be 1 to 100 (TeleCRM's lead search pages)");
        }
        p.atLeast("leadsync.etl.max-pages", etl.maxPages(), 1);
        p.cron("leadsync.etl.telecrm-leads.cron", etl.telecrmLeads().cron());
        p.cron("leadsync.etl.truto-leads.cron", etl.trutoLeads().cron());
        p.cron("leadsync.etl.stages.cron", etl.stages().cron());
        p.cron("leadsync.etl.lead-import.cron", etl.leadImport().cron());

        p.positive("leadsync.cluster.takeover", config.cluster().takeover());
        p.positive("leadsync.webhooks.max-age", config.webhooks().maxAge());
        p.positive("leadsync.sync.echo-window", config.sync().echoWindow());
        p.atLeast("leadsync.sync.interval-ms", config.sync().intervalMs(), 1);
        p.camelDuration("leadsync.sync.telecrm.interval", config.sync().telecrm().interval(), 1);
        p.camelDuration("leadsync.sync.telecrm.full-interval", config.sync().telecrm().fullInterval(), 1);
        try {
            io.leadsync.sync.Flow.parse(config);
        } catch (IllegalArgumentException e) {
            p.add("leadsync.sync.flows", String.join(",", config.sync().flows().orElse(List.of())), e.getMessage());
        }
        p.unknownEnvironment(env);
        return p.found;
    }

    /** The problems found so far, each worded as {@code key=value (ENV_VAR): what is wrong and what is allowed}. */
    private static final class Problems {
        final List<String> found = new ArrayList<>();

        void add(String key, String value, String problem) {
            found.add(key + "=" + value + " (" + env(key) + "): " + problem);
        }

        void atLeast(String key, long value, long least) {
            if (value < least) {
                add(key, String.valueOf(value), least == 0 ? "must not be negative" : least == 1 ? "must be at least 1"
                        : "must be at least " + least);
            }
        }

        void positive(String key, Duration value) {
            if (value.isNegative() || value.isZero()) {
                // As written, give or take the unit: the mapping holds the converted value only.
                add(key, value.toMillis() % 1000 == 0 ? value.toSeconds() + "s" : value.toMillis() + "ms",
                        "must be a positive duration such as 30s, 10m or 7d");
            }
        }

        /** A duration as Camel's timer reads it: {@code 500} (ms), {@code 30s}, {@code 5m}, {@code 1h30m}. */
        void camelDuration(String key, String value, long leastMs) {
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
        void url(String key, String value) {
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

        void cron(String key, String value) {
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

        /** {@code source/stage=target/stage}; a source is telecrm, superfone or truto:<account id>. */
        void stagePair(String pair) {
            String key = "leadsync.delivery.stage-map";
            String[] sides = pair.split("=", -1);
            if (sides.length != 2 || !sides[0].contains("/") || !sides[1].contains("/")) {
                add(key, pair, "each pair must be source/stage=target/stage, e.g. telecrm/Qualified=superfone/Demo Scheduled");
                return;
            }
            for (String side : sides) {
                String source = side.substring(0, side.indexOf('/')).strip();
                String stage = side.substring(side.indexOf('/') + 1).strip();
                String crm = source.split(":", 2)[0];
                if (!CatalogSources.CRMS.contains(crm)) {
                    add(key, pair, "unknown CRM '" + crm + "': the CRMs are " + String.join(", ", CatalogSources.CRMS));
                } else if (crm.equals("truto") != source.startsWith("truto:") || source.endsWith(":")) {
                    add(key, pair, "'" + source + "' is not a source: they are telecrm, superfone and truto:<account id>");
                } else if (stage.isEmpty()) {
                    add(key, pair, "'" + side.strip() + "' names no stage");
                }
            }
        }

        /** {@code stage name or id:OPEN|WON|LOST}. */
        void category(String pair) {
            int colon = pair.lastIndexOf(':');
            String category = colon < 0 ? "" : pair.substring(colon + 1).strip().toUpperCase(Locale.ROOT);
            Set<String> known = java.util.Arrays.stream(StageCategory.values()).map(Enum::name)
                    .collect(Collectors.toCollection(java.util.LinkedHashSet::new));
            if (colon <= 0 || !known.contains(category)) {
                add("leadsync.truto.categories", pair, "each entry must be 'stage name or id:" + String.join("|", known) + "'");
            }
        }

        /** An environment variable LEADSYNC_* that sets no key is most likely a typo; its value may be a secret. */
        void unknownEnvironment(Map<String, String> environment) {
            Set<String> known = new TreeSet<>();
            MAPPINGS.forEach((mapping, prefix) -> ConfigMappings.getProperties(new ConfigMappings.ConfigClass(mapping, prefix))
                    .keySet().forEach(name -> known.add(env(name))));
            for (String name : new TreeSet<>(environment.keySet())) {
                if (name.startsWith("LEADSYNC_") && !known.contains(name)) {
                    found.add(name + " (environment variable): sets no leadsync key, is it misspelt? (README, Configuration,"
                            + " lists the keys)");
                }
            }
        }
    }

    /** The environment variable that sets {@code key}. */
    static String env(String key) {
        return key.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }
}
