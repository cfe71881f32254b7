package io.gatehouse.config;

import java.util.List;

/**
 * The configuration cannot be used. Carries every problem found, each one line that names the field, the value,
 * what is wrong and how to fix it, so an operator fixes them all in one round.
 */
public final class ConfigException extends Exception {

    private final String source;
    private final List<String> problems;

    public ConfigException(String source, List<String> problems) {
        super(source + ": " + problems.size() + " problem(s):\n  " + String.join("\n  ", problems));
        this.source = source;
        this.problems = List.copyOf(problems);
    }

    public String source() {
        return source;
    }

    public List<String> problems() {
        return problems;
    }
}
