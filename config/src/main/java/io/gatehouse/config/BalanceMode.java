package io.gatehouse.config;

import java.util.Locale;

/** How a backend spreads requests over its healthy servers. */
public enum BalanceMode {
    /** Weighted round robin: each server in turn, as often as its weight says. */
    ROUND_ROBIN,
    /** The server with the fewest exchanges in flight relative to its weight; suits slow, uneven APIs like nova. */
    LEAST_CONNECTIONS;

    public String yamlName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static BalanceMode parse(String text) {
        for (BalanceMode mode : values()) {
            if (mode.yamlName().equals(text.trim().toLowerCase(Locale.ROOT))) {
                return mode;
            }
        }
        throw new IllegalArgumentException("'" + text + "' is not a balance mode");
    }
}
