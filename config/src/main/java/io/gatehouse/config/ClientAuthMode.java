package io.gatehouse.config;

/** Whether a virtual host asks clients for a certificate (mutual TLS). */
public enum ClientAuthMode {
    NONE, OPTIONAL, REQUIRE;

    public String yamlName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
