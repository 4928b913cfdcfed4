package io.leadsync.crm.truto;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import io.leadsync.config.LeadsyncConfig;
import io.leadsync.crm.CrmKeys;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/**
 * Truto's keys, wherever they sit among the {@code leadsync.*} keys: {@code leadsync.truto.*}, its leads' export
 * {@code leadsync.etl.truto-leads.*} and its sandbox fake's {@code leadsync.sandbox.truto-*}. Each default is its
 * {@code @WithDefault} here and nowhere else.
 */
@ConfigMapping(prefix = "leadsync")
public interface TrutoConfig {

    Keys truto();

    Etl etl();

    Sandbox sandbox();

    interface Keys extends CrmKeys {
        @Override
        @WithDefault("https://api.truto.one")
        String baseUrl();

        Optional<String> token();

        Optional<List<String>> integratedAccountIds();

        @WithDefault("100")
        int pageSize();

        /** Requests per {@link #ratePeriod()} per integrated account (Truto's documented limit). */
        @WithDefault("50")
        int rateLimit();

        @WithDefault("10s")
        Duration ratePeriod();

        /** Deprecated {@code leadsync.truto.rate-period-ms}, as set: read {@link #ratePeriod()}. */
        @Deprecated
        OptionalLong ratePeriodMs();

        /** {@code name-or-id:CATEGORY} pairs; Truto has no stage categories of its own. */
        Optional<List<String>> categories();

        /** The secret of the Truto webhook (HMAC-SHA256 key of x-truto-signature); unset: POST /webhooks/truto refuses. */
        Optional<String> webhookSecret();
    }

    interface Etl {
        /** The ETL job exporting Truto's leads ({@link TrutoLeadExport}). */
        @WithName("truto-leads")
        LeadsJob trutoLeads();
    }

    interface LeadsJob extends LeadsyncConfig.Etl.Job {
        @Override
        @WithDefault("0 30 2 * * ?")
        String cron();
    }

    /** The sandbox's fake Truto ({@link FakeTruto}, {@link FakeTrutoLeads}). */
    interface Sandbox {
        @WithDefault("sandbox-truto-token")
        String trutoToken();

        /** Integrated account ids the fake Truto knows. */
        @WithDefault("demo-pipedrive")
        List<String> trutoAccounts();

        /** Truto's limit is capped to this, so the demo catalog needs several cursors. */
        @WithDefault("2")
        int trutoMaxLimit();

        /** Truto's rate limit: more requests than this per integrated account in a sliding 10 s get 429. */
        @WithName("truto-requests-per-10s")
        @WithDefault("50")
        int trutoRequestsPer10s();

        /**
         * Truto's fake sends its webhooks (record:created, and record:updated of a lead whose status changed), signed
         * with leadsync.truto.webhook-secret, to this server's POST /webhooks/truto, as Truto does once the webhook is
         * created for the environment.
         */
        @WithDefault("false")
        boolean trutoWebhooks();
    }
}
