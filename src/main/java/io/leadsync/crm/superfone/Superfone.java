package io.leadsync.crm.superfone;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.leadsync.config.ConfigProblems;
import io.leadsync.config.Mappings;
import io.leadsync.crm.Crm;
import io.leadsync.crm.CrmKeys;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Superfone in the list of CRMs (io.leadsync.crm.Crms). It reports its leads' changes to POST /webhooks/superfone
 * ({@link SuperfoneWebhook}), and upserts a lead by its phone, naming the stage by its title.
 */
@RegisterForReflection // loaded by name, from META-INF/services/io.leadsync.crm.Crm
public class Superfone implements Crm {

    @Override
    public String name() {
        return SuperfoneStagePages.SOURCE;
    }

    @Override
    public String title() {
        return "Superfone";
    }

    @Override
    public List<String> credentials() {
        return List.of("leadsync.superfone.api-key");
    }

    @Override
    public CrmKeys keys(Mappings config) {
        return config.get(SuperfoneConfig.class).superfone();
    }

    @Override
    public Map<Class<?>, String> mappings() {
        return Map.of(SuperfoneConfig.class, "leadsync");
    }

    @Override
    public void check(Mappings config, ConfigProblems problems) {
        problems.atLeast("leadsync.superfone.page-size", config.get(SuperfoneConfig.class).superfone().pageSize(), 1);
    }

    @Override
    public List<Optional<String>> secrets(Mappings config) {
        SuperfoneConfig.Keys superfone = config.get(SuperfoneConfig.class).superfone();
        return List.of(superfone.apiKey(), superfone.webhookSecret());
    }

    @Override
    public boolean sendsWebhooks() {
        return true;
    }

    @Override
    public Optional<String> webhookSecret(Mappings config) {
        return config.get(SuperfoneConfig.class).superfone().webhookSecret();
    }

    @Override
    public boolean upsertsByPhone() {
        return true;
    }

    @Override
    public boolean upsertsByStageTitle() {
        return true;
    }
}
