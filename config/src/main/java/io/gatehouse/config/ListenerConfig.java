package io.gatehouse.config;

import java.util.List;
import java.util.Optional;

/**
 * One TLS listener. {@code origin} is where it was declared ({@code listeners[0]}), for error messages.
 *
 * @param sendProxy          PROXY protocol header to write to the upstream before the relayed stream (tcp mode)
 * @param defaultCertificate nickname of the certificate for clients that send no (or an unknown) server name;
 *                           empty means the first listed
 * @param strictSni          refuse unknown server names with the unrecognized_name alert instead of the default
 * @param hosts              per-virtual-host TLS settings
 * @param timeouts           client-side timeouts (http mode)
 */
public record ListenerConfig(
        String origin,
        String name,
        HostPort bind,
        ListenerMode mode,
        List<CertificateSource> certificates,
        String backend,
        Optional<ProxyProtocolVersion> sendProxy,
        Optional<String> defaultCertificate,
        boolean strictSni,
        List<HostConfig> hosts,
        ListenerTimeouts timeouts) {

    public ListenerConfig {
        certificates = List.copyOf(certificates);
        hosts = List.copyOf(hosts);
    }

    /** A listener with no per-host settings, the default certificate first and lenient SNI: the stud/hitch shape. */
    public ListenerConfig(String origin, String name, HostPort bind, ListenerMode mode, List<CertificateSource> certificates,
            String backend, Optional<ProxyProtocolVersion> sendProxy) {
        this(origin, name, bind, mode, certificates, backend, sendProxy, Optional.empty(), false, List.of(), ListenerTimeouts.DEFAULTS);
    }
}
