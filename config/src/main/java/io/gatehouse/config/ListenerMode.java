package io.gatehouse.config;

/** What a listener does with the decrypted stream. */
public enum ListenerMode {
    /** HTTP/1.1 reverse proxy: parses requests, adds X-Forwarded-*, pools upstream connections. */
    HTTP,
    /** Relays the decrypted byte stream both ways, as stud and hitch do. */
    TCP;

    public String yamlName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
