package io.leadsync.catalog;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.camel.ProducerTemplate;

/** Polls sources now, through the same routes as the timers ({@code direct:<crm>-stages}). */
@ApplicationScoped
public class CatalogPolls {

    @Inject
    CatalogSources sources;

    @Inject
    ProducerTemplate camel;

    /** Polls every enabled source the filter names (all without one); returns the sources polled. */
    public List<String> pollNow(String filter) {
        List<String> polled = new ArrayList<>();
        for (String name : sources.enabled()) {
            if (StageCatalog.matches(filter, name)) {
                String[] crmAndAccount = name.split(":", 2);
                camel.requestBody("direct:" + crmAndAccount[0] + "-stages", crmAndAccount.length > 1 ? crmAndAccount[1] : null);
                polled.add(name);
            }
        }
        return polled;
    }
}
