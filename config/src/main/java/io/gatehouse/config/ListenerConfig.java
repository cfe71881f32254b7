package io.gatehouse.config;

import java.util.List;
import java.util.Optional;

/**
 * One TLS listener. {@code origin} is where it was declared ({@code listeners[0]}), for error messages.
 *
 * @param sendProxy PROXY protocol header to write to the upstream before the relayed stream (tcp mode)
 */
public record ListenerConfig(
        String origin,
        String name,
        HostPort bind,
        ListenerMode mode,
        List<CertificateSource> certificates,
        String backend,
        Optional<ProxyProtocolVersion> sendProxy) {

    public ListenerConfig {
        certificates = List.copyOf(certificates);
    }
}
