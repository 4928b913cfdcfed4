package io.leadsync.config;

import java.util.Locale;

import org.eclipse.microprofile.config.spi.Converter;

/**
 * true or false, nothing else, for the {@code leadsync.*} switches: the standard converter reads anything it does not
 * know ("flase", "disabled", "0n") as false, so a typo would silently switch a CRM or customer creation off.
 */
public final class StrictBoolean implements Converter<Boolean> {

    @Override
    public Boolean convert(String value) {
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> throw new IllegalArgumentException("must be true or false");
        };
    }
}
