package io.leadsync.api;

import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Makes the OpenAPI document say what {@link ProblemMappers} does: every error answer (4xx, 5xx) of
 * the API is an RFC 9457 {@link Problem} as {@code application/problem+json}. The resources declare
 * which errors an operation has; this filter gives them their body, and adds the two every operation
 * can have: 401 (with leadsync.api-key set) and 500.
 */
@RegisterForReflection // named in mp.openapi.filter
public class ProblemResponses implements OASFilter {

    static final String SCHEMA = "#/components/schemas/Problem";

    /** The Problem schema itself, written out: no operation returns a Problem from Java, so no scan finds it. */
    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getComponents() == null) {
            openAPI.setComponents(OASFactory.createComponents());
        }
        openAPI.getComponents().addSchema("Problem", OASFactory.createSchema()
                .type(List.of(Schema.SchemaType.OBJECT))
                .description("RFC 9457 problem details: what is wrong, for a person to act on")
                .addProperty("type", string("always about:blank"))
                .addProperty("title", string("the HTTP status's reason phrase"))
                .addProperty("status", OASFactory.createSchema().type(List.of(Schema.SchemaType.INTEGER))
                        .description("the HTTP status code"))
                .addProperty("detail", string("what is wrong, e.g. which field or parameter"))
                .addProperty("instance", string("the path of the request")));
    }

    private static Schema string(String description) {
        return OASFactory.createSchema().type(List.of(Schema.SchemaType.STRING)).description(description);
    }

    @Override
    public Operation filterOperation(Operation operation) {
        if (operation.getResponses() == null) {
            return operation;
        }
        addIfMissing(operation, "401", "header X-Api-Key is missing or wrong (only when leadsync.api-key is set)");
        addIfMissing(operation, "500", "leadsync failed to answer; the service log has the details");
        for (Map.Entry<String, APIResponse> answer : operation.getResponses().getAPIResponses().entrySet()) {
            if (answer.getKey().startsWith("4") || answer.getKey().startsWith("5")) {
                answer.getValue().setContent(problem());
            }
        }
        return operation;
    }

    private static void addIfMissing(Operation operation, String status, String description) {
        if (!operation.getResponses().hasAPIResponse(status)) {
            operation.getResponses().addAPIResponse(status, OASFactory.createAPIResponse().description(description));
        }
    }

    private static Content problem() {
        return OASFactory.createContent().addMediaType(Problem.MEDIA_TYPE,
                OASFactory.createMediaType().schema(OASFactory.createSchema().ref(SCHEMA)));
    }
}
