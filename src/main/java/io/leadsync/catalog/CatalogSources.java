package io.leadsync.catalog;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import io.leadsync.config.LeadsyncConfig;
import io.quarkus.runtime.StartupEvent;
import org.jboss.logging.Logger;

/** Which catalog sources exist and which are enabled, from the credentials in config (DESIGN §4). */
@ApplicationScoped
@Named("catalogSources")
public class CatalogSources {

    private static final Logger LOG = Logger.getLogger(CatalogSources.class);

    @Inject
    LeadsyncConfig config;

    void logDisabled(@Observes StartupEvent started) {
        if (!config.telecrm().enabled()) {
            LOG.info("TeleCRM is not enabled: set leadsync.telecrm.enterprise-id and leadsync.telecrm.token to poll it");
        }
        if (!config.superfone().enabled()) {
            LOG.info("Superfone is not enabled: set leadsync.superfone.api-key to poll it");
        }
        if (!config.truto().enabled()) {
            LOG.info("Truto is not enabled: set leadsync.truto.token and leadsync.truto.integrated-account-ids to poll it");
        }
    }

    /** Every source name with whether it is polled: telecrm, superfone, and truto:&lt;account&gt; per account. */
    public List<String> enabled() {
        List<String> sources = new ArrayList<>();
        if (config.telecrm().enabled()) {
            sources.add("telecrm");
        }
        if (config.superfone().enabled()) {
            sources.add("superfone");
        }
        if (config.truto().enabled()) {
            trutoAccounts().forEach(account -> sources.add("truto:" + account));
        }
        return sources;
    }

    /** The sources that are switched off, by CRM name. */
    public List<String> disabled() {
        List<String> sources = new ArrayList<>();
        if (!config.telecrm().enabled()) {
            sources.add("telecrm");
        }
        if (!config.superfone().enabled()) {
            sources.add("superfone");
        }
        if (!config.truto().enabled()) {
            sources.add("truto");
        }
        return sources;
    }

    /** The Truto integrated accounts to poll, one source each. */
    public List<String> trutoAccounts() {
        return config.truto().integratedAccountIds().orElse(List.of()).stream()
                .map(String::trim).filter(a -> !a.isEmpty()).distinct().toList();
    }
}
