package io.leadsync.config;

import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

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
    LeadsyncConfig config;

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

    private List<String> values() {
        return Stream.of(config.telecrm().token(), config.superfone().apiKey(), config.truto().token(), config.apiKey(),
                        config.superfone().webhookSecret(), config.truto().webhookSecret())
                .flatMap(Optional::stream)
                .filter(s -> s.length() >= 4)
                .toList();
    }
}
