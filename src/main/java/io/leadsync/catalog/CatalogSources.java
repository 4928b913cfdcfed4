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

    /** The CRMs leadsync knows, by name. */
    public static final List<String> CRMS = List.of("telecrm", "superfone", "truto");

    /** A CRM leadsync polls, and what its operator sets to enable it. */
    record Crm(String name, String title, boolean enabled, String howToEnable) {
    }

    List<Crm> crms() {
        return List.of(
                new Crm("telecrm", "TeleCRM", config.telecrm().enabled(),
                        "set leadsync.telecrm.enterprise-id and leadsync.telecrm.token"),
                new Crm("superfone", "Superfone", config.superfone().enabled(), "set leadsync.superfone.api-key"),
                new Crm("truto", "Truto", config.truto().enabled(),
                        "set leadsync.truto.token and leadsync.truto.integrated-account-ids"));
    }

    void logDisabled(@Observes StartupEvent started) {
        crms().stream().filter(crm -> !crm.enabled())
                .forEach(crm -> LOG.infof("%s is not enabled: %s to poll it", crm.title(), crm.howToEnable()));
    }

    /** The polled sources: telecrm, superfone, and truto:&lt;account&gt; per account. */
    public List<String> enabled() {
        List<String> sources = new ArrayList<>();
        for (Crm crm : crms()) {
            if (crm.enabled() && crm.name().equals("truto")) {
                trutoAccounts().forEach(account -> sources.add("truto:" + account));
            } else if (crm.enabled()) {
                sources.add(crm.name());
            }
        }
        return sources;
    }

    /** The CRMs that are switched off, by name. */
    public List<String> disabled() {
        return crms().stream().filter(crm -> !crm.enabled()).map(Crm::name).toList();
    }

    /** What enables the CRM of a source name, for error messages. */
    public String howToEnable(String source) {
        String crm = source.split(":", 2)[0];
        return crms().stream().filter(c -> c.name().equals(crm)).map(Crm::howToEnable).findFirst()
                .orElse("see the configuration table in the README");
    }

    /** The Truto integrated accounts to poll, one source each. */
    public List<String> trutoAccounts() {
        return config.truto().integratedAccountIds().orElse(List.of()).stream()
                .map(String::trim).filter(a -> !a.isEmpty()).distinct().toList();
    }
}
