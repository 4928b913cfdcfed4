package io.leadsync.crm.telecrm;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.leadsync.config.ConfigProblems;
import io.leadsync.config.LeadsyncConfig;
import io.leadsync.config.Mappings;
import io.leadsync.crm.Crm;
import io.leadsync.crm.CrmKeys;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * TeleCRM in the list of CRMs (io.leadsync.crm.Crms). It sends no webhooks: its leads are walked for stage changes
 * ({@link TelecrmChanges}). It takes actions (timeline entries), and its leads are exported (ETL job telecrm-leads).
 */
@RegisterForReflection // loaded by name, from META-INF/services/io.leadsync.crm.Crm
public class Telecrm implements Crm {

    @Override
    public String name() {
        return TelecrmPipeline.SOURCE;
    }

    @Override
    public String title() {
        return "TeleCRM";
    }

    @Override
    public List<String> credentials() {
        return List.of("leadsync.telecrm.enterprise-id", "leadsync.telecrm.token");
    }

    @Override
    public CrmKeys keys(Mappings config) {
        return config.get(TelecrmConfig.class).telecrm();
    }

    @Override
    public Map<Class<?>, String> mappings() {
        return Map.of(TelecrmConfig.class, "leadsync");
    }

    @Override
    public void check(Mappings config, ConfigProblems problems) {
        TelecrmConfig telecrm = config.get(TelecrmConfig.class);
        problems.cron("leadsync.etl.telecrm-leads.cron", telecrm.etl().telecrmLeads().cron());
        problems.camelDuration("leadsync.sync.telecrm.interval", telecrm.sync().telecrm().interval(), 1);
        problems.camelDuration("leadsync.sync.telecrm.full-interval", telecrm.sync().telecrm().fullInterval(), 1);
        int pageSize = config.get(LeadsyncConfig.class).etl().pageSize();
        if (pageSize < 1 || pageSize > 100) {
            problems.add("leadsync.etl.page-size", String.valueOf(pageSize), "must be 1 to 100 (TeleCRM's lead search pages)");
        }
    }

    @Override
    public List<Optional<String>> secrets(Mappings config) {
        return List.of(config.get(TelecrmConfig.class).telecrm().token());
    }

    @Override
    public boolean takesActions() {
        return true;
    }

    @Override
    public boolean exportsLeads() {
        return true;
    }
}
