package io.leadsync.routefiles;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;

/**
 * Checks a route file against Camel's own YAML DSL schema ({@code schema/camelYamlDsl.json} in the
 * camel-yaml-dsl jar, the one Camel's tooling uses), and points each violation at its line: the YAML is
 * read as a node tree that keeps every node's position, and the schema's JSON pointer is walked down it.
 */
final class RouteFileSchema {

    private static final String SCHEMA = "/schema/camelYamlDsl.json";
    private static final Set<String> VAGUE = Set.of("oneOf", "anyOf", "type");

    private final JsonSchema schema;

    RouteFileSchema() {
        try (InputStream in = RouteFileSchema.class.getResourceAsStream(SCHEMA)) {
            if (in == null) {
                throw new IllegalStateException(SCHEMA + " is not on the class path (camel-yaml-dsl)");
            }
            // Loose types: Camel reads the text "5" or "true" as the number or boolean the DSL wants. No preload: the
            // schema (800 KB) is then compiled as far as the files need it, not whole up front, which took about
            // 1.2 s of a validate-mode run's 4 (bench/validate.sh).
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(in,
                    SchemaValidatorsConfig.builder().typeLoose(true).preloadJsonSchema(false).build());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    List<RouteFileProblem> check(String file, String text) {
        Node root;
        try {
            LoadSettings settings = LoadSettings.builder().setLabel(file).build();
            root = new Composer(settings, new ParserImpl(settings, new StreamReader(settings, text))).getSingleNode()
                    .orElse(null);
        } catch (MarkedYamlEngineException e) {
            int line = e.getProblemMark().map(m -> m.getLine() + 1).orElse(0);
            return List.of(new RouteFileProblem(file, line, "not YAML: " + e.getProblem()));
        }
        if (root == null) {
            return List.of(new RouteFileProblem(file, 1, "empty file: a route file is a list of routes"));
        }
        Set<ValidationMessage> all = schema.validate(json(root));
        // A {{placeholder}} where the schema wants a number or boolean is only known once resolved: the load
        // check judges it. Drop its type error, and the failed alternatives above it that it alone caused.
        List<String> placeholders = all.stream()
                .filter(m -> "type".equals(m.getType()) && m.getInstanceNode() != null && m.getInstanceNode().isTextual()
                        && m.getInstanceNode().asText().contains("{{"))
                .map(m -> m.getInstanceLocation().toString()).toList();
        List<ValidationMessage> messages = all.stream().filter(m -> {
            String at = m.getInstanceLocation().toString();
            return placeholders.stream().noneMatch(p -> p.equals(at) || p.startsWith(at + ".") || p.startsWith(at + "["));
        }).toList();
        // The DSL's schema is a tree of alternatives: one mistake fails several branches at once. The
        // deepest location is the mistake itself; its ancestors only repeat that a branch failed.
        Map<String, ValidationMessage> deepest = new LinkedHashMap<>();
        for (ValidationMessage message : messages) {
            String at = message.getInstanceLocation().toString();
            boolean ancestor = messages.stream().anyMatch(other -> {
                String there = other.getInstanceLocation().toString();
                return there.length() > at.length() && there.startsWith(at);
            });
            if (!ancestor) {
                deepest.putIfAbsent(at + " " + message.getMessage(), message);
            }
        }
        // At one spot, a precise complaint (an unknown key, a missing one) beats "none of the alternatives
        // matched" and the type each alternative wanted.
        List<String> precise = deepest.values().stream().filter(m -> !VAGUE.contains(m.getType()))
                .map(m -> m.getInstanceLocation().toString()).toList();
        List<RouteFileProblem> problems = new ArrayList<>();
        for (ValidationMessage message : deepest.values()) {
            if (!VAGUE.contains(message.getType()) || !precise.contains(message.getInstanceLocation().toString())) {
                problems.add(new RouteFileProblem(file, line(root, message), message.getMessage()));
            }
        }
        return problems;
    }

    /** The line of the node the message is about; for an unexpected key, the key itself. */
    private static int line(Node root, ValidationMessage message) {
        Node node = root;
        JsonNodePath path = message.getInstanceLocation();
        for (int i = 0; i < path.getNameCount() && node != null; i++) {
            node = child(node, path.getElement(i));
        }
        if (node instanceof MappingNode mapping && message.getProperty() != null) {
            Node key = keyNode(mapping, message.getProperty());
            if (key != null) {
                node = key;
            }
        }
        return node == null ? 0 : node.getStartMark().map(m -> m.getLine() + 1).orElse(0);
    }

    private static Node child(Node node, Object element) {
        if (node instanceof SequenceNode sequence && element instanceof Integer index && index < sequence.getValue().size()) {
            return sequence.getValue().get(index);
        }
        if (node instanceof MappingNode mapping) {
            for (NodeTuple tuple : mapping.getValue()) {
                if (tuple.getKeyNode() instanceof ScalarNode key && key.getValue().equals(String.valueOf(element))) {
                    return tuple.getValueNode();
                }
            }
        }
        return null;
    }

    private static Node keyNode(MappingNode mapping, String name) {
        for (NodeTuple tuple : mapping.getValue()) {
            if (tuple.getKeyNode() instanceof ScalarNode key && key.getValue().equals(name)) {
                return key;
            }
        }
        return null;
    }

    /**
     * The YAML node tree as JSON, every scalar as text: Camel's YAML parser takes {@code 5} where the schema
     * says string and {@code "5"} where it says number, so types are left to the loose type check.
     */
    private static JsonNode json(Node node) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        if (node instanceof MappingNode mapping) {
            ObjectNode object = f.objectNode();
            for (NodeTuple tuple : mapping.getValue()) {
                String key = tuple.getKeyNode() instanceof ScalarNode s ? s.getValue() : String.valueOf(tuple.getKeyNode());
                object.set(key, json(tuple.getValueNode()));
            }
            return object;
        }
        if (node instanceof SequenceNode sequence) {
            ArrayNode array = f.arrayNode();
            sequence.getValue().forEach(item -> array.add(json(item)));
            return array;
        }
        ScalarNode scalar = (ScalarNode) node;
        if (Tag.NULL.equals(scalar.getTag())) {
            return f.nullNode();
        }
        return f.textNode(scalar.getValue());
    }
}
