package io.gatehouse.config;

import java.util.List;
import java.util.Optional;

/**
 * One listener. {@code origin} is where it was declared ({@code listeners[0]}), for error messages.
 *
 * @param certificates       empty only on a redirect listener, which speaks plain HTTP
 * @param backend            where requests go that no route matches (and every connection in tcp mode)
 * @param sendProxy          PROXY protocol header to write to the upstream before the relayed stream (tcp mode)
 * @param defaultCertificate nickname of the certificate for clients that send no (or an unknown) server name;
 *                           empty means the first listed
 * @param strictSni          refuse unknown server names with the unrecognized_name alert instead of the default
 * @param hosts              per-virtual-host TLS settings
 * @param timeouts           client-side timeouts (http mode)
 * @param routes             http mode: matched in order before falling back to {@code backend}
 * @param redirectToHttps    a plain-HTTP listener that only redirects to the same URL over https
 * @param acceptProxy        sources allowed (and then required) to send a PROXY protocol header; empty means none
 * @param sessionTickets     ticket keys from a shared file; empty means keys this process makes and rotates itself
 * @param http2              offer h2 through ALPN (http mode)
 */
public record ListenerConfig(
        String origin,
        String name,
        HostPort bind,
        ListenerMode mode,
        List<CertificateSource> certificates,
        Optional<String> backend,
        Optional<ProxyProtocolVersion> sendProxy,
        Optional<String> defaultCertificate,
        boolean strictSni,
        List<HostConfig> hosts,
        ListenerTimeouts timeouts,
        List<RouteConfig> routes,
        boolean redirectToHttps,
        List<CidrRange> acceptProxy,
        Optional<SessionTicketConfig> sessionTickets,
        boolean http2) {

    public ListenerConfig {
        certificates = List.copyOf(certificates);
        hosts = List.copyOf(hosts);
        routes = List.copyOf(routes);
        acceptProxy = List.copyOf(acceptProxy);
    }

    /** A listener with no per-host settings, the default certificate first and lenient SNI: the stud/hitch shape. */
    public ListenerConfig(String origin, String name, HostPort bind, ListenerMode mode, List<CertificateSource> certificates,
            String backend, Optional<ProxyProtocolVersion> sendProxy) {
        this(origin, name, bind, mode, certificates, Optional.of(backend), sendProxy, Optional.empty(), false, List.of(),
                ListenerTimeouts.DEFAULTS, List.of(), false, List.of(), Optional.empty(), true);
    }

    /** Every backend this listener can forward to: each route's, then the default. */
    public List<String> backendsUsed() {
        java.util.LinkedHashSet<String> names = new java.util.LinkedHashSet<>();
        routes.forEach(route -> names.add(route.backend()));
        backend.ifPresent(names::add);
        return List.copyOf(names);
    }

    public boolean plain() {
        return redirectToHttps;
    }
}
