package io.leadsync.catalog;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import io.leadsync.config.Mappings;
import io.leadsync.crm.Crms;
import io.leadsync.crm.Crm;
import io.quarkus.runtime.StartupEvent;
import org.jboss.logging.Logger;

/** Which catalog sources exist and which are enabled, from the credentials in config. */
@ApplicationScoped
@Named("catalogSources")
public class CatalogSources {

    private static final Logger LOG = Logger.getLogger(CatalogSources.class);

    @Inject
    Mappings config;

    void logDisabled(@Observes StartupEvent started) {
        Crms.ALL.stream().filter(crm -> !crm.enabled(config))
                .forEach(crm -> LOG.infof("%s is not enabled: %s to poll it", crm.title(), crm.howToEnable()));
    }

    /** The polled sources: each enabled CRM's name, or {@code <crm>:<account>} per account of a CRM of several. */
    public List<String> enabled() {
        List<String> sources = new ArrayList<>();
        for (Crm crm : Crms.ALL) {
            if (crm.enabled(config)) {
                sources.addAll(crm.sources(config));
            }
        }
        return sources;
    }

    /** The CRMs that are switched off, by name. */
    public List<String> disabled() {
        return Crms.ALL.stream().filter(crm -> !crm.enabled(config)).map(Crm::name).toList();
    }

    /** What enables the CRM of a source name, for error messages. */
    public String howToEnable(String source) {
        return Crms.named(source.split(":", 2)[0]).map(Crm::howToEnable)
                .orElse("see the configuration table in the README");
    }

    /** The accounts of a CRM of several accounts to poll, one source each. */
    public List<String> accounts(String crm) {
        return Crms.named(crm).map(c -> c.accounts(config)).orElse(List.of());
    }
}
