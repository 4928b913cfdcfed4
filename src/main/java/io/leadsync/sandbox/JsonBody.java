package io.leadsync.sandbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** A request body of the fakes: a JSON object (an empty body is an empty object). */
public final class JsonBody {

    private JsonBody() {
    }

    /** The object, or null when the text is not a JSON object: each fake answers that in its own words. */
    public static ObjectNode parse(ObjectMapper mapper, String text) {
        if (text == null || text.isBlank()) {
            return mapper.createObjectNode();
        }
        try {
            JsonNode node = mapper.readTree(text);
            return node instanceof ObjectNode object ? object : null;
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    /** A text value, stripped; null when absent, JSON null, not text or blank. */
    public static String text(JsonNode value) {
        return value != null && value.isTextual() && !value.asText().isBlank() ? value.asText().strip() : null;
    }
}
