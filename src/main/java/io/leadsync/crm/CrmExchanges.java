package io.leadsync.crm;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * One request to a CRM and its answer, as the poll routes' beans prepare and read them. Answers are
 * read leniently where the docs and real servers may differ, strictly where
 * a wrong shape would mean a wrong catalog: every complaint names what was expected and where.
 */
public final class CrmExchanges {

    private CrmExchanges() {
    }

    /** Makes the message a GET with one credential header and an (already encoded) query, nothing else. */
    public static void get(Exchange exchange, String credentialHeader, String credential, String query) {
        Message message = exchange.getMessage();
        message.removeHeaders("*");
        message.setBody(null);
        message.setHeader(Exchange.HTTP_METHOD, "GET");
        message.setHeader("Accept", "application/json");
        message.setHeader(credentialHeader, credential);
        if (query != null) {
            message.setHeader(Exchange.HTTP_QUERY, query);
        }
    }

    /** The answer's JSON object; the exchange's headers are dropped with it (they held credentials). */
    public static JsonNode readObject(ObjectMapper json, Exchange exchange, String what) throws IOException {
        exchange.getMessage().removeHeaders("*");
        JsonNode root;
        try (InputStream body = exchange.getMessage().getBody(InputStream.class)) {
            if (body == null) {
                throw new MalformedAnswerException(what + ": empty answer");
            }
            root = json.readTree(body);
        }
        if (root == null || !root.isObject()) {
            throw new MalformedAnswerException(what + ": expected a JSON object");
        }
        return root;
    }

    /** The first of these fields that holds a value, as text; null if none does. */
    public static String text(JsonNode node, String... fields) {
        for (String field : fields) {
            JsonNode value = node.path(field);
            if (value.isValueNode() && !value.isNull()) {
                return value.asText();
            }
        }
        return null;
    }

    /** The field's elements; absent or null is empty, anything else but an array is an error. */
    public static Iterable<JsonNode> array(JsonNode parent, String field, String what) {
        JsonNode node = parent.path(field);
        if (node.isMissingNode() || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw new MalformedAnswerException(what + ": '" + field + "' is not an array");
        }
        return node;
    }

    /** Like {@link #array} but the field must be there. */
    public static JsonNode requiredArray(JsonNode parent, String field, String what) {
        JsonNode node = parent.path(field);
        if (!node.isArray()) {
            throw new MalformedAnswerException(what + ": '" + field + "' is " + (node.isMissingNode() ? "missing" : "not an array"));
        }
        return node;
    }
}
