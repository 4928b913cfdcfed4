package io.leadsync.crm.telecrm;

import java.util.Optional;

import io.leadsync.config.LeadsyncConfig;
import io.leadsync.config.StrictBoolean;
import io.leadsync.crm.CrmKeys;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/**
 * TeleCRM's keys, wherever they sit among the {@code leadsync.*} keys: {@code leadsync.telecrm.*}, its leads' walk
 * {@code leadsync.sync.telecrm.*}, its leads' export {@code leadsync.etl.telecrm-leads.*} and its sandbox fake's
 * {@code leadsync.sandbox.telecrm-*}. Each default is its {@code @WithDefault} here and nowhere else.
 */
@ConfigMapping(prefix = "leadsync")
public interface TelecrmConfig {

    Keys telecrm();

    Sync sync();

    Etl etl();

    Sandbox sandbox();

    interface Keys extends CrmKeys {
        @Override
        @WithDefault("https://next.telecrm.in/autoupdate/v2")
        String baseUrl();

        Optional<String> enterpriseId();

        Optional<String> token();

        /** The workspace's lost-reason field (its apiName); TeleCRM names it per workspace. */
        @WithDefault("lost_reason")
        String lostReasonField();
    }

    interface Sync {
        /** TeleCRM's stage changes, found by walking its leads ({@link TelecrmChanges}). */
        Walk telecrm();
    }

    interface Walk {
        /** How often the leads created since the last walk are read (a Camel timer period: 30s, 1m). */
        @WithDefault("1m")
        String interval();

        /** How often every lead is read, for stage changes of older leads (TeleCRM cannot search by update time). */
        @WithDefault("1h")
        String fullInterval();

        /** Walk TeleCRM's leads (record their stages) even when no telecrm>… flow is configured. */
        @WithDefault("false")
        @WithConverter(StrictBoolean.class)
        boolean watch();
    }

    interface Etl {
        /** The ETL job exporting TeleCRM's leads ({@link TelecrmLeadExport}). */
        @WithName("telecrm-leads")
        LeadsJob telecrmLeads();
    }

    interface LeadsJob extends LeadsyncConfig.Etl.Job {
        @Override
        @WithDefault("0 0 2 * * ?")
        String cron();
    }

    /** The sandbox's fake TeleCRM ({@link FakeTeleCrm}): what it takes. */
    interface Sandbox {
        @WithDefault("sandbox-telecrm-token")
        String telecrmToken();

        @WithDefault("demo")
        String telecrmEnterpriseId();
    }
}
