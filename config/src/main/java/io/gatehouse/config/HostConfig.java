package io.gatehouse.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * TLS settings for one virtual host of a listener, chosen by SNI: its own client CA (mutual TLS per vhost, which
 * NSS could not do), protocols and ciphers. Empty lists mean the listener's defaults.
 */
public record HostConfig(
        String origin,
        String name,
        Optional<Path> clientCa,
        ClientAuthMode clientAuth,
        List<String> protocols,
        List<String> ciphers) {

    public HostConfig {
        protocols = List.copyOf(protocols);
        ciphers = List.copyOf(ciphers);
    }
}
