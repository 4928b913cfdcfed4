package io.leadsync.model;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A lead as its source CRM shows it now, read when a sync flow carries the lead's change: its id there, phone (E.164),
 * stage in the source's vocabulary, name and e-mail. A webhook only says "this lead changed"; this read is what is
 * carried, so repeats, retries and reordered notifications all end at the stage the source shows last. {@code missing}
 * says why there is no lead to read (then every other part is null).
 */
@RegisterForReflection
public record SourceLead(String id, String phone, String stage, String name, String email, String missing) {

    /** The exchange property the read routes leave it in for the sync flows. */
    public static final String PROPERTY = "sourceLead";

    public static SourceLead missing(String why) {
        return new SourceLead(null, null, null, null, null, why);
    }

    /** "First Last" from a CRM that splits names; null when it has neither. */
    public static String name(String first, String last) {
        String name = ((first == null ? "" : first.strip()) + " " + (last == null ? "" : last.strip())).strip();
        return name.isEmpty() ? null : name;
    }
}
