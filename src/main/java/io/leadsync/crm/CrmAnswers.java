package io.leadsync.crm;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

import io.quarkus.runtime.annotations.RegisterForReflection;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.Header;

/** The last step of each CRM's call route (routes/&lt;crm&gt;-api.yaml): the answer as a {@link CrmAnswer}. */
@ApplicationScoped
@RegisterForReflection // the routes call its method by name
@Named("crmAnswers")
public class CrmAnswers {

    /** The body is read whole here, once (it may be a stream), within leadsync.http.max-answer-size. */
    public CrmAnswer of(@Header(Exchange.HTTP_RESPONSE_CODE) Integer status, @Body String body,
            @Header("Retry-After") String retryAfter, @Header(Exchange.CONTENT_TYPE) String contentType,
            @Header("Location") String location) {
        return new CrmAnswer(status == null ? 0 : status, body, retryAfter, contentType, location);
    }
}
