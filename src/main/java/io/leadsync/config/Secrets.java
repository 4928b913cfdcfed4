package io.leadsync.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The configured credentials, to mask in any text leadsync keeps or shows that came from outside —
 * a CRM error body that echoes the request's headers, say.
 */
@ApplicationScoped
public class Secrets {

    static final String MASK = "****";

    @Inject
    Mappings config;

    public String redact(String text) {
        if (text == null) {
            return null;
        }
        String redacted = text;
        for (String secret : values()) {
            redacted = redacted.replace(secret, MASK);
        }
        return redacted;
    }

    /** leadsync's own API key and the features' secrets (each CRM's credentials and webhook secret). */
    private List<String> values() {
        List<Optional<String>> all = new ArrayList<>(List.of(config.get(LeadsyncConfig.class).apiKey()));
        ConfigCheck.rules().forEach(rule -> all.addAll(rule.secrets(config)));
        return all.stream().flatMap(Optional::stream).filter(s -> s.length() >= 4).toList();
    }
}
