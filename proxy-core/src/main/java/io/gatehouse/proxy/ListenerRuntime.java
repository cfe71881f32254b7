package io.gatehouse.proxy;

import io.gatehouse.config.ListenerConfig;
import io.gatehouse.proxy.backend.Backend;
import io.gatehouse.sni.ServerCertificate;
import io.gatehouse.sni.SniMapping;
import io.netty.handler.ssl.OpenSslSessionTicketKey;
import io.netty.handler.ssl.SslContext;
import java.util.List;
import java.util.Optional;

/**
 * Everything one listener needs at run time, built and checked before anything binds.
 *
 * @param tls      null on a plain (redirect) listener
 * @param backend  the default backend: every connection's in tcp mode, unrouted requests' in http mode
 * @param contexts every TLS context the listener serves from, for session ticket keys
 * @param ticketKeys the session ticket keys read from the key file while checking, empty without one
 */
public record ListenerRuntime(
        ListenerConfig config,
        List<ServerCertificate> certificates,
        SniMapping<SslContext> tls,
        Optional<Backend> backend,
        List<SslContext> contexts,
        List<OpenSslSessionTicketKey> ticketKeys) {

    public ListenerRuntime {
        certificates = List.copyOf(certificates);
        contexts = List.copyOf(contexts);
        ticketKeys = List.copyOf(ticketKeys);
    }

    public String name() {
        return config.name();
    }

    /** The certificate for clients that send no server name, or an unknown one on a lenient listener; empty when plain. */
    public Optional<ServerCertificate> defaultCertificate() {
        return tls == null ? Optional.empty() : Optional.of(tls.select(null, true, null).certificate());
    }

    /** Where requests go, for the startup log and {@code check}: {@code keystone [127.0.0.1:35357]}, routes included. */
    public String forwardingText(java.util.Map<String, Backend> backends) {
        if (config.redirectToHttps()) {
            return "redirect to https";
        }
        return String.join("; ", config.backendsUsed().stream()
                .map(name -> name + " " + backends.get(name).serversText()).toList());
    }
}
