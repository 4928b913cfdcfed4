package io.leadsync.api;

import java.util.Collection;
import java.util.regex.Pattern;

import io.leadsync.crm.Crms;

import jakarta.ws.rs.core.Response.Status;

/**
 * Query parameters, headers and path segments read strictly: JAX-RS would coerce {@code ?active=maybe} to
 * false and {@code ?limit=x} to a default; here each is a 400 problem that names the parameter and says
 * what it takes. Parameters are declared as String and passed through these.
 */
public final class Params {

    private static final Pattern CRM = Crms.SOURCE;
    private static final Pattern ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private Params() {
    }

    /** true or false, nothing else (not 1, yes or TRUE); null when absent. */
    public static Boolean bool(String name, String value) {
        if (value == null) {
            return null;
        }
        return switch (value) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> throw bad(name, "must be true or false", value);
        };
    }

    /** A decimal integer from min to max; {@code fallback} when absent. */
    public static int integer(String name, String value, int min, int max, int fallback) {
        if (value == null) {
            return fallback;
        }
        try {
            int number = Integer.parseInt(value);
            if (number >= min && number <= max) {
                return number;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw bad(name, "must be " + min + " to " + max, value);
    }

    /** An id leadsync gave out (a lower-case UUID); null when absent. */
    public static String id(String name, String value) {
        if (value != null && !ID.matcher(value).matches()) {
            throw bad(name, "must be an id as leadsync gives them (a lower-case UUID such as "
                    + "0190a3c4-5e6f-7a8b-9c0d-1e2f3a4b5c6d)", value);
        }
        return value;
    }

    /** One of the allowed values, exactly; null when absent. */
    public static String oneOf(String name, String value, Collection<String> allowed) {
        if (value != null && !allowed.contains(value)) {
            throw bad(name, "must be one of " + allowed, value);
        }
        return value;
    }

    /** Matches the pattern; null when absent. */
    public static String matching(String name, String value, Pattern pattern, String allowed) {
        if (value != null && !pattern.matcher(value).matches()) {
            throw bad(name, "must be " + allowed, value);
        }
        return value;
    }

    /** A CRM as targets and sources name it (io.leadsync.crm.Crms): its name, or &lt;crm&gt;:&lt;account&gt;; null when absent. */
    public static String crm(String name, String value) {
        return matching(name, value, CRM, Crms.sourceShapes(" or "));
    }

    /** Present; a 400 saying what to give when absent. */
    public static String required(String name, String value, String what) {
        if (value == null) {
            throw new ProblemException(Status.BAD_REQUEST, name + " is required: " + what);
        }
        return value;
    }

    /** A 400 problem: the parameter, its rule and the value given (cut at 100 characters). */
    public static ProblemException bad(String name, String rule, String value) {
        String shown = value.length() > 100 ? value.substring(0, 100) + "…" : value;
        return new ProblemException(Status.BAD_REQUEST, name + " " + rule + ", not '" + shown + "'");
    }
}
