package io.leadsync.crm.superfone;

import java.util.Optional;

import io.leadsync.config.StrictBoolean;
import io.leadsync.crm.CrmKeys;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;

/**
 * Superfone's keys: {@code leadsync.superfone.*} and its sandbox fake's {@code leadsync.sandbox.superfone-*}. Each
 * default is its {@code @WithDefault} here and nowhere else.
 */
@ConfigMapping(prefix = "leadsync")
public interface SuperfoneConfig {

    Keys superfone();

    Sandbox sandbox();

    interface Keys extends CrmKeys {
        @Override
        @WithDefault("https://prod-api.superfone.co.in/superfone")
        String baseUrl();

        Optional<String> apiKey();

        /** Asked for; the server may answer with fewer, and its total_pages rules. */
        @WithDefault("50")
        int pageSize();

        /** Upserts create a customer when the phone is unknown (create_customer_if_customer_phone_not_found). */
        @WithDefault("true")
        @WithConverter(StrictBoolean.class)
        boolean createCustomers();

        /** The header Superfone's event notifications carry the shared secret in (set in its dashboard). */
        @WithDefault("X-Leadsync-Secret")
        String webhookHeader();

        /** The shared secret of POST /webhooks/superfone; unset: that endpoint refuses every event. */
        Optional<String> webhookSecret();
    }

    /** The sandbox's fake Superfone ({@link FakeSuperfone}, {@link FakeSuperfoneLeads}). */
    interface Sandbox {
        @WithDefault("sandbox-superfone-key")
        String superfoneApiKey();

        /** Superfone's page_size is capped to this, so the demo catalog spans several pages. */
        @WithDefault("3")
        int superfoneMaxPageSize();

        /**
         * Superfone's fake sends its event notifications (CUSTOMER_CREATE, CUSTOMER_CHANGE of lead_stage) to this same
         * server's POST /webhooks/superfone, with the secret of leadsync.superfone.webhook-secret, as the real one does
         * once configured in its dashboard: a stage change in the sandbox reaches the other CRMs through the sync flows.
         */
        @WithDefault("false")
        boolean superfoneWebhooks();
    }
}
