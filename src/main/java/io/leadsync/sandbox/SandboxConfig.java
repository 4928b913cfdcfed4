package io.leadsync.sandbox;

import java.util.List;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/**
 * The {@code leadsync.sandbox.*} keys: run-time config, so the prod-built jar serves the fakes when
 * started with {@code QUARKUS_PROFILE=demo}. A mapping of its own, so that these keys belong to a root.
 */
@ConfigMapping(prefix = "leadsync.sandbox")
public interface SandboxConfig {

    /** The fakes answer only when true; otherwise every sandbox path is 404. */
    @WithDefault("false")
    boolean enabled();

    @WithDefault("sandbox-telecrm-token")
    String telecrmToken();

    @WithDefault("demo")
    String telecrmEnterpriseId();

    @WithDefault("sandbox-superfone-key")
    String superfoneApiKey();

    /** Superfone's page_size is capped to this, so the demo catalog spans several pages. */
    @WithDefault("3")
    int superfoneMaxPageSize();

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
     * Superfone's fake sends its event notifications (CUSTOMER_CREATE, CUSTOMER_CHANGE of lead_stage) to this same
     * server's POST /webhooks/superfone, with the secret of leadsync.superfone.webhook-secret, as the real one does
     * once configured in its dashboard: a stage change in the sandbox reaches the other CRMs through the sync flows.
     */
    @WithDefault("false")
    boolean superfoneWebhooks();

    /**
     * Truto's fake sends its webhooks (record:created, and record:updated of a lead whose status changed), signed
     * with leadsync.truto.webhook-secret, to this server's POST /webhooks/truto, as Truto does once the webhook is
     * created for the environment.
     */
    @WithDefault("false")
    boolean trutoWebhooks();

    /** Leads each fake holds at most (in memory); one more is refused with that CRM's own 400. */
    @WithDefault("10000")
    int maxLeads();
}
