package io.leadsync.crm;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A CRM's answer as a route's call got it: its status, its body read whole, and the headers that say why a call did
 * not succeed (Retry-After, Content-Type, Location). Each CRM's call route (routes/&lt;crm&gt;-api.yaml) leaves it in
 * variable {@link #VARIABLE} ({@link CrmAnswers}); {@link CrmExchanges} reads it into JSON or the call's failure.
 */
@RegisterForReflection
public record CrmAnswer(int status, String body, String retryAfter, String contentType, String location) {

    /** The exchange variable a call route leaves the answer in, beside {@code request}, what it sent. */
    public static final String VARIABLE = "answer";
}
