package io.leadsync.webhooks;

import java.util.regex.Pattern;

/**
 * One phone number in one form, E.164, whichever CRM wrote it: TeleCRM's {@code 919999999999}, Superfone's
 * {@code +919999999999}, and either with spaces, dashes, dots or brackets. A lead is matched across CRMs by it.
 */
public final class PhoneNumbers {

    /** E.164: a country code and number, 8 to 15 digits in all, the first not 0. */
    private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{7,14}");
    private static final Pattern SEPARATORS = Pattern.compile("[\\s\\-.()]");

    private PhoneNumbers() {
    }

    /** The number as E.164, or null when it is not a full international number (no country code, letters). */
    public static String e164(String phone) {
        if (phone == null) {
            return null;
        }
        String compact = SEPARATORS.matcher(phone.strip()).replaceAll("");
        if (compact.startsWith("00")) {
            compact = "+" + compact.substring(2);
        } else if (!compact.startsWith("+")) {
            compact = "+" + compact; // TeleCRM writes the country code without its plus
        }
        return E164.matcher(compact).matches() ? compact : null;
    }
}
