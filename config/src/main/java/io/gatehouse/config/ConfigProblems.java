package io.gatehouse.config;

import java.util.ArrayList;
import java.util.List;

/** Collects problems while a configuration is read, so all of them are reported together. */
public final class ConfigProblems {

    private final String source;
    private final List<String> problems = new ArrayList<>();

    public ConfigProblems(String source) {
        this.source = source;
    }

    /** Records one problem: {@code path: problem (fix)}. */
    public void add(String path, String problem, String fix) {
        problems.add(path + ": " + problem + (fix == null || fix.isEmpty() ? "" : " (" + fix + ")"));
    }

    public boolean isEmpty() {
        return problems.isEmpty();
    }

    public List<String> list() {
        return List.copyOf(problems);
    }

    public void throwIfAny() throws ConfigException {
        if (!problems.isEmpty()) {
            throw new ConfigException(source, problems);
        }
    }
}
