package io.leadsync.crm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;

/** How one CRM's adapter reads that CRM's error answers; nothing CRM-specific lives outside its package. */
public interface CrmErrorReader {

    /** The CRM whose sources this reader knows: "telecrm", "superfone", "truto". */
    String crm();

    /** A one-line description of an error answer, from the CRM's own code and message where it gives them. */
    String describe(int status, String body);

    /**
     * The description of an error the CRM put in a 2xx answer, or null when the answer is not one: {@code
     * "success": false}, or an {@code error} object or message (TeleCRM's {@code {"error":{"code","message"}}},
     * Truto's {@code {"statusCode","error","message"}}). A CRM whose answers use other shapes adds its own.
     */
    default String errorIn(JsonNode answer) {
        JsonNode error = answer.path("error");
        boolean failed = answer.path("success").isBoolean() && !answer.path("success").booleanValue()
                || error.isObject() || error.isTextual() && !error.asText().isBlank();
        return failed ? describe(answer.path("statusCode").asInt(200), answer.toString()) : null;
    }

    /** The error body as JSON, or a missing node when it is none (an HTML error page, say). */
    static JsonNode parse(ObjectMapper json, String body) {
        try {
            return body == null || body.isBlank() ? MissingNode.getInstance() : json.readTree(body);
        } catch (Exception notJson) {
            return MissingNode.getInstance();
        }
    }

    /** A body that is not the documented error shape, cut short enough for one log line. */
    static String excerpt(String body) {
        if (body == null || body.isBlank()) {
            return "(empty body)";
        }
        String line = body.replaceAll("\\s+", " ").trim();
        return line.length() <= 200 ? line : line.substring(0, 200) + "…";
    }
}
