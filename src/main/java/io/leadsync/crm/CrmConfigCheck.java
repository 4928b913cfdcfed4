package io.leadsync.crm;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.leadsync.config.ConfigProblems;
import io.leadsync.config.ConfigRule;
import io.leadsync.config.DurationKey;
import io.leadsync.config.Mappings;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Every CRM's keys, for io.leadsync.config.ConfigCheck (which knows no CRM): the keys every CRM has, checked here, and
 * each {@link Crm}'s own check, mappings, durations and secrets.
 */
@RegisterForReflection // loaded by name, from META-INF/services
public class CrmConfigCheck implements ConfigRule {

    @Override
    public void check(Mappings config, ConfigProblems problems) {
        for (Crm crm : Crms.ALL) {
            CrmKeys keys = crm.keys(config);
            problems.url("leadsync." + crm.name() + ".base-url", keys.baseUrl());
            problems.atLeast("leadsync." + crm.name() + ".concurrency", keys.concurrency(), 1);
            crm.check(config, problems);
        }
    }

    @Override
    public Map<Class<?>, String> mappings() {
        Map<Class<?>, String> mappings = new LinkedHashMap<>();
        Crms.ALL.forEach(crm -> mappings.putAll(crm.mappings()));
        return mappings;
    }

    @Override
    public List<DurationKey> durationKeys() {
        return Crms.ALL.stream().flatMap(crm -> crm.durationKeys().stream()).toList();
    }

    @Override
    public List<Optional<String>> secrets(Mappings config) {
        return Crms.ALL.stream().flatMap(crm -> crm.secrets(config).stream()).toList();
    }
}
