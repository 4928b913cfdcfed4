package io.leadsync.crm;

import java.io.IOException;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A CRM's answer ({@link CrmAnswer}), as the beans after a route's call read it. Answers are
 * read leniently where the docs and real servers may differ, strictly where
 * a wrong shape would mean a wrong catalog: every complaint names what was expected and where.
 */
public final class CrmExchanges {

    private CrmExchanges() {
    }

    /**
     * The answer of a call made with throwExceptionOnFailure=false: its JSON when 2xx (an empty object for an
     * empty body), else a {@link CrmCallException} with the CRM's own words and Retry-After — also for a 2xx whose
     * body is the CRM's error shape. A body that is not JSON is a {@link MalformedAnswerException} saying what it was.
     */
    public static JsonNode answer(ObjectMapper json, CrmAnswer answer, CrmErrorReader reader, String what)
            throws IOException {
        return read(json, answer, reader, what, false);
    }

    /** Like {@link #answer}, for a call whose answer must be a document: an empty body is an error. */
    public static JsonNode readObject(ObjectMapper json, CrmAnswer answer, CrmErrorReader reader, String what)
            throws IOException {
        return read(json, answer, reader, what, true);
    }

    private static JsonNode read(ObjectMapper json, CrmAnswer answer, CrmErrorReader reader, String what,
            boolean document) throws IOException {
        int status = answer.status();
        String body = answer.body();
        if (status >= 300 && status < 400) {
            throw new CrmCallException(status, redirected(answer.location()), null);
        }
        if (status < 200 || status > 299) {
            throw new CrmCallException(status, reader.describe(status, body),
                    RetryAfter.millis(answer.retryAfter(), java.time.Instant.now()));
        }
        if (body == null || body.isBlank()) {
            if (document) {
                throw new MalformedAnswerException(what + ": empty answer");
            }
            return json.createObjectNode();
        }
        return object(json, body, answer.contentType(), status, reader, what);
    }

    /** Why a CRM's redirect is not followed: the credential would go along to wherever it points. */
    public static String redirected(String location) {
        return "the CRM redirects to " + (location == null ? "(no Location)" : CrmErrorReader.excerpt(location))
                + "; leadsync follows no redirects: check the CRM's base-url";
    }

    /** A 2xx body as a JSON object that is not the CRM's error shape. */
    private static JsonNode object(ObjectMapper json, String body, String contentType, int status, CrmErrorReader reader,
            String what) {
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (JsonProcessingException e) {
            if (contentType != null && !contentType.toLowerCase(java.util.Locale.ROOT).contains("json")) {
                throw new MalformedAnswerException(what + ": the answer is " + contentType + ", not JSON: "
                        + CrmErrorReader.excerpt(body));
            }
            throw new MalformedAnswerException(what + ": invalid JSON in the answer: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new MalformedAnswerException(what + ": expected a JSON object");
        }
        String error = reader.errorIn(root);
        if (error != null) {
            throw new CrmCallException(status, "an error in a " + status + " answer: " + error, null);
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
