package io.leadsync.webhooks;

import com.fasterxml.jackson.databind.JsonNode;

import io.leadsync.webhooks.Incoming.InvalidPayloadException;

/** Typed reads of a webhook payload's fields: a field of the wrong type is refused, naming it and what it must be. */
public final class JsonFields {

    private JsonFields() {
    }

    public static JsonNode object(JsonNode parent, String path, String name) {
        JsonNode node = parent.get(name);
        if (node == null || !node.isObject()) {
            throw new InvalidPayloadException(path + name + " must be a JSON object, not " + describe(node));
        }
        return node;
    }

    /** A non-blank string, at most 1000 characters. */
    public static String text(JsonNode parent, String path, String name) {
        String text = optionalText(parent, path, name);
        if (text == null) {
            throw new InvalidPayloadException(path + name + " must be a non-empty string, not " + describe(parent.get(name)));
        }
        return text;
    }

    /** A non-blank string, or null when absent or null. */
    public static String optionalText(JsonNode parent, String path, String name) {
        JsonNode node = parent.get(name);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual() || node.asText().isBlank() || node.asText().length() > 1000) {
            throw new InvalidPayloadException(path + name + " must be a non-empty string of at most 1000 characters, not "
                    + describe(node));
        }
        return node.asText();
    }

    public static String describe(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "missing";
        }
        if (node.isNull()) {
            return "null";
        }
        String type = node.getNodeType().name().toLowerCase();
        return node.isValueNode() ? type + " " + abbreviate(node.toString()) : "a JSON " + type;
    }

    private static String abbreviate(String text) {
        return text.length() > 60 ? text.substring(0, 57) + "..." : text;
    }
}
