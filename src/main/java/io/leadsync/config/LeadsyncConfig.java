package io.leadsync.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;

/**
 * The {@code leadsync.*} keys (docs/configuration.md) the features share, typed; each CRM's own keys are a mapping in
 * its package (io.leadsync.crm.&lt;name&gt;), the sandbox's in io.leadsync.sandbox ({@link ConfigRule#mappings()}).
 * Each key's default is its {@code @WithDefault} in its mapping and nowhere else: application.properties sets no plain {@code leadsync.*} default (DefaultsInOnePlaceTest), and the routes'
 * placeholders and {@code ${leadsync…}} expressions read these defaults through the config like any other value.
 * Times are {@link Duration}s ({@code 500ms}, {@code 30s}, {@code 5m}, {@code PT30S}; a bare number is seconds); the
 * keys that were numbers of milliseconds keep their old {@code -ms} spelling as a deprecated {@link OptionalLong},
 * as set, for {@link DurationKeys}.
 */
@ConfigMapping(prefix = "leadsync")
public interface LeadsyncConfig {

    Stages stages();

    Http http();

    Delivery delivery();

    Intake intake();

    Etl etl();

    Cluster cluster();

    /** CRM webhooks in (io.leadsync.webhooks). */
    Webhooks webhooks();

    /** Flows that carry a lead's stage change from one CRM to another (io.leadsync.sync). */
    Sync sync();

    /** Lead change events (io.leadsync.sync.LeadChangeEvents). */
    Leads leads();

    interface Leads {
        /** A Camel endpoint URI receiving every change a sync flow carried, as JSON; unset: none are sent. */
        Optional<String> changesUri();
    }

    interface Webhooks {
        /** An event older than this (by its sender's own time) is refused, and a repeat within it is stored once. */
        @WithDefault("5m")
        Duration maxAge();
    }

    interface Sync {
        /** {@code source>target} pairs: superfone>telecrm, truto:<account>>telecrm, … */
        Optional<List<String>> flows();

        /** How often the stored webhook events are looked at (on the leader). */
        @WithDefault("1s")
        Duration interval();

        /** Deprecated {@code leadsync.sync.interval-ms}, as set: read {@link #interval()} (see {@link DurationKeys}). */
        @Deprecated
        OptionalLong intervalMs();

        /** A CRM reporting back, within this time, the stage a flow wrote to it is an echo: not carried. */
        @WithDefault("10m")
        Duration echoWindow();
    }

    /** An ETL job to run once and exit with its outcome (for a Kubernetes CronJob); unset: run as a service. */
    Optional<String> runOnce();

    /** A routes directory to check and exit with the outcome (io.leadsync.routefiles); unset: run as a service. */
    Optional<String> validateRoutes();

    /** The scheduled ETL jobs and their outputs. */
    interface Etl {
        /** Where ETL runs write their files. */
        @WithDefault("${leadsync.data-dir}/exports")
        Path exportDir();

        /** Records per page when a job reads a CRM (a CRM may allow fewer: its check says so). */
        @WithDefault("100")
        int pageSize();

        @WithDefault("100000")
        int maxPages();

        /** Retries of one page of a job (routes/etl.yaml), for 5xx, 429, time-outs and dropped connections. */
        Retry retry();

        interface Retry {
            @WithDefault("2")
            int maxRedeliveries();

            /** The first back-off; each retry waits about twice as long as the one before (with jitter). */
            @WithDefault("500ms")
            Duration delay();

            /** Deprecated {@code leadsync.etl.retry.delay-ms}, as set: read {@link #delay()}. */
            @Deprecated
            OptionalLong delayMs();
        }

        /** Run-once ignores the checkpoint and reads everything (LEADSYNC_ETL_FULL=true). */
        @WithDefault("false")
        @WithConverter(StrictBoolean.class)
        boolean full();

        StagesJob stages();

        @io.smallrye.config.WithName("lead-import")
        LeadImport leadImport();

        interface Job {
            /** A Quartz-style cron expression, or "off". */
            String cron();
        }

        interface StagesJob extends Job {
            @Override
            @WithDefault("0 0 * * * ?")
            String cron();
        }

        interface LeadImport extends Job {
            /** Every 15 minutes, every waiting file is taken through lead routing. */
            @Override
            @WithDefault("0 0/15 * * * ?")
            String cron();

            /** Where the lead-import job finds its CSV and JSON Lines files. */
            @WithDefault("${leadsync.data-dir}/imports")
            Path dir();
        }
    }

    /** Work that must run once per cluster (stage polls, ETL schedules, housekeeping) runs on one leader (io.leadsync.cluster). */
    interface Cluster {
        /**
         * How long the replicas may go without a leader when the leader dies: a follower takes over within this
         * time. The leader checks its hold three times per period.
         */
        @WithDefault("15s")
        Duration takeover();
    }

    /** Files of lead updates; the intake route reads these. */
    interface Intake {
        /** Lead intake and delivery run; false in run-once mode (derived by io.leadsync.crm.SourceSwitches). */
        @WithDefault("true")
        @WithConverter(StrictBoolean.class)
        boolean enabled();

        @WithDefault("${leadsync.data-dir}/intake")
        Path dir();

        /** A file must be unchanged this long before it is read (it may still be being written). */
        @WithDefault("1s")
        Duration minAge();

        /** Deprecated {@code leadsync.intake.min-age-ms}, as set: read {@link #minAge()}. */
        @Deprecated
        OptionalLong minAgeMs();
    }

    /** Durable state of the embedded default. */
    @WithDefault("data")
    Path dataDir();

    /** When set, every call of the service's own API needs header {@code X-Api-Key}. */
    Optional<String> apiKey();

    interface Stages {
        /** Read by the timer routes. */
        @WithDefault("5m")
        String pollInterval();

        /**
         * Keep it at 1s or more: the leader starts its timers when it wins the election, and Camel's timer drops
         * a first tick that fires before its consumer has finished starting (0s can race it; the next poll is
         * then a whole poll interval later).
         */
        @WithDefault("1s")
        String initialDelay();

        Retry retry();

        /** A Camel endpoint URI that receives every change event as JSON. */
        @WithDefault("log:io.leadsync.stage-changes?showExchangePattern=false&showBodyType=false")
        String changesUri();

        /** A walk that needs more pages than this stops with an error instead of looping forever. */
        @WithDefault("1000")
        int maxPages();

        /** How many change events GET /stages/changes keeps. */
        @WithDefault("500")
        int changeHistory();
    }

    /** Retries within one poll, for 5xx, 429, time-outs and dropped connections. */
    interface Retry {
        @WithDefault("2")
        int maxRedeliveries();

        /** The first back-off; each retry waits about twice as long as the one before (with jitter). */
        @WithDefault("500ms")
        Duration delay();

        /** Deprecated {@code leadsync.stages.retry.delay-ms}, as set: read {@link #delay()}. */
        @Deprecated
        OptionalLong delayMs();
    }

    /** Delivering lead updates; the delivery routes read most of these. */
    interface Delivery {
        /** Explicit stage pairs across sources: {@code telecrm/Qualified=superfone/Hot Lead}. */
        Optional<List<String>> stageMap();

        /** The longest Retry-After leadsync honours before retrying anyway. */
        @WithDefault("60s")
        Duration retryAfterCap();

        /** Deprecated {@code leadsync.delivery.retry-after-cap-ms}, as set: read {@link #retryAfterCap()}. */
        @Deprecated
        OptionalLong retryAfterCapMs();

        /**
         * Accepted updates per CRM held in memory on their way to delivery; more wait in the store and are
         * read in as these finish, so memory stays bounded however many are pending.
         */
        @WithDefault("1000")
        int window();

        /** How often the store is searched for updates nobody delivers (a replica died): the fallback to wake-ups. */
        @WithDefault("1s")
        Duration claimInterval();

        /** Deprecated {@code leadsync.delivery.claim-interval-ms}, as set: read {@link #claimInterval()}. */
        @Deprecated
        OptionalLong claimIntervalMs();

        /** How long a finished update and its receipt are kept before they are pruned. */
        @WithDefault("7d")
        Duration keepDone();

        /** How long an Idempotency-Key answers with its first submission's id. */
        @WithDefault("24h")
        Duration idempotencyWindow();

        /** How often finished updates, receipts and expired idempotency keys are pruned. */
        @WithDefault("10m")
        Duration pruneInterval();

        /** How long an update waits before it looks again for a target catalog that was never loaded. */
        @WithDefault("5s")
        Duration catalogWait();

        /** Deprecated {@code leadsync.delivery.catalog-wait-ms}, as set: read {@link #catalogWait()}. */
        @Deprecated
        OptionalLong catalogWaitMs();

        Retry retry();

        interface Retry {
            @WithDefault("5")
            int maxRedeliveries();

            /** The first back-off; each retry waits about twice as long as the one before (with jitter). */
            @WithDefault("1s")
            Duration delay();

            /** Deprecated {@code leadsync.delivery.retry.delay-ms}, as set: read {@link #delay()}. */
            @Deprecated
            OptionalLong delayMs();

            /** The longest back-off; also how long a sync flow's source whose lead reads failed is paused. */
            @WithDefault("60s")
            Duration maxDelay();

            /** Deprecated {@code leadsync.delivery.retry.max-delay-ms}, as set: read {@link #maxDelay()}. */
            @Deprecated
            OptionalLong maxDelayMs();
        }
    }

    /** Calls to the CRMs; the Camel HTTP component reads these. */
    interface Http {
        @WithDefault("5s")
        Duration connectTimeout();

        /** Deprecated {@code leadsync.http.connect-timeout-ms}, as set: read {@link #connectTimeout()}. */
        @Deprecated
        OptionalLong connectTimeoutMs();

        /** How long one read of an answer may wait for bytes (not the whole answer: {@link #answerTimeout()}). */
        @WithDefault("15s")
        Duration responseTimeout();

        /** Deprecated {@code leadsync.http.response-timeout-ms}, as set: read {@link #responseTimeout()}. */
        @Deprecated
        OptionalLong responseTimeoutMs();

        /** The largest answer read from a CRM: a bigger one fails the call instead of filling the heap. */
        @WithDefault("16M")
        io.quarkus.runtime.configuration.MemorySize maxAnswerSize();

        /**
         * How long a whole answer may take from the request on: the response time-out is per read, so a CRM
         * that trickles bytes would never meet it.
         */
        @WithDefault("60s")
        Duration answerTimeout();

        /** Deprecated {@code leadsync.http.answer-timeout-ms}, as set: read {@link #answerTimeout()}. */
        @Deprecated
        OptionalLong answerTimeoutMs();
    }
}
