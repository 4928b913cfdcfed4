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
