package io.gatehouse.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads the fields of one YAML mapping, reporting wrong types and unknown fields with their full path. Every
 * accessor reports into {@link ConfigProblems} and returns empty instead of throwing, so reading goes on and
 * all problems surface together.
 */
final class MappingReader {

    private final JsonNode node;
    private final String path;
    private final ConfigProblems problems;

    /** Returns empty (after reporting) when {@code node} is not a mapping. */
    static Optional<MappingReader> of(JsonNode node, String path, ConfigProblems problems, List<String> knownFields) {
        if (node == null || !node.isObject()) {
            problems.add(path, "expected a mapping of " + String.join(", ", knownFields) + ", found " + describe(node), null);
            return Optional.empty();
        }
        Set<String> known = Set.copyOf(knownFields);
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!known.contains(field)) {
                problems.add(child(path, field), "unknown field",
                        "known fields here are " + String.join(", ", knownFields) + "; check the spelling");
            }
        }
        return Optional.of(new MappingReader(node, path, problems));
    }

    private MappingReader(JsonNode node, String path, ConfigProblems problems) {
        this.node = node;
        this.path = path;
        this.problems = problems;
    }

    /** How messages name the document's root mapping itself. */
    static final String TOP = "(top)";

    String pathOf(String field) {
        return child(path, field);
    }

    boolean has(String field) {
        return node.hasNonNull(field);
    }

    Optional<String> string(String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isValueNode() || value.isContainerNode()) {
            problems.add(pathOf(field), "expected a single value, found " + describe(value), null);
            return Optional.empty();
        }
        String text = value.asText();
        if (text.isBlank()) {
            problems.add(pathOf(field), "is empty", "give a value or remove the field");
            return Optional.empty();
        }
        return Optional.of(text);
    }

    Optional<String> requiredString(String field, String fix) {
        if (!has(field)) {
            problems.add(pathOf(field), "is required", fix);
            return Optional.empty();
        }
        return string(field);
    }

    /** A value converted by {@code parser}, whose IllegalArgumentException message becomes the problem text. */
    <T> Optional<T> parsed(String field, Function<String, T> parser, String fix) {
        return string(field).flatMap(text -> {
            try {
                return Optional.of(parser.apply(text));
            } catch (IllegalArgumentException e) {
                problems.add(pathOf(field), e.getMessage(), fix);
                return Optional.empty();
            }
        });
    }

    /** A duration above zero: {@code 0s} is refused rather than read as "no timeout" or as the default. */
    Optional<Duration> positiveDuration(String field, String example) {
        Optional<Duration> value = parsed(field, DurationText::parse, example);
        if (value.isPresent() && value.get().isZero()) {
            problems.add(pathOf(field), "is zero", "give a positive duration, or remove the field for the default");
            return Optional.empty();
        }
        return value;
    }

    Optional<Integer> positiveInt(String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.canConvertToInt() || !value.isIntegralNumber() || value.asInt() < 1) {
            problems.add(pathOf(field), "'" + value.asText() + "' is not a whole number of 1 or more", null);
            return Optional.empty();
        }
        return Optional.of(value.asInt());
    }

    boolean bool(String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return false;
        }
        if (!value.isBoolean()) {
            problems.add(pathOf(field), "'" + value.asText() + "' is not true or false", null);
            return false;
        }
        return value.asBoolean();
    }

    /** A list of plain values, such as protocol names. */
    List<String> stringList(String field) {
        List<String> values = new ArrayList<>();
        List<JsonNode> items = sequence(field);
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            if (!item.isValueNode() || item.asText().isBlank()) {
                problems.add(pathOf(field) + "[" + i + "]", "expected a single value, found " + describe(item), null);
            } else {
                values.add(item.asText().trim());
            }
        }
        return values;
    }

    /** The elements of a sequence field; reports and returns an empty list when it is not a sequence. */
    List<JsonNode> sequence(String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return List.of();
        }
        if (!value.isArray()) {
            problems.add(pathOf(field), "expected a list, found " + describe(value), "write it as a YAML list (- item)");
            return List.of();
        }
        List<JsonNode> items = new ArrayList<>();
        value.forEach(items::add);
        return items;
    }

    Optional<JsonNode> node(String field) {
        return Optional.ofNullable(node.get(field)).filter(n -> !n.isNull());
    }

    Iterator<String> fieldNames() {
        return node.fieldNames();
    }

    /** The path of a field: a top-level one is named alone ({@code workers}, not {@code (top).workers}). */
    static String child(String path, String field) {
        return path.isEmpty() || path.equals(TOP) ? field : path + "." + field;
    }

    static String describe(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return "nothing";
        }
        if (node.isObject()) {
            return "a mapping";
        }
        if (node.isArray()) {
            return "a list";
        }
        return "'" + node.asText() + "'";
    }
}
