package io.gatehouse.proxy;

import io.gatehouse.config.BackendConfig;
import io.gatehouse.config.ConfigException;
import io.gatehouse.config.GatehouseConfig;
import io.gatehouse.config.HostPort;
import io.gatehouse.config.ListenerConfig;
import io.gatehouse.config.ListenerMode;
import io.gatehouse.sni.CertificateStore;
import io.gatehouse.sni.ServerCertificate;
import io.gatehouse.sni.ServerTlsContextFactory;
import io.gatehouse.sni.SniMapping;
import io.gatehouse.sni.TlsDefaults;
import io.netty.handler.ssl.SslContext;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLException;

/**
 * Turns a validated configuration into runtime objects, reading certificate files and resolving backend names.
 * Shared by {@code run} and {@code check}, so {@code check} finds exactly what would stop a start.
 */
public final class ConfigPreparation {

    public PreparedConfig prepare(GatehouseConfig config) throws ConfigException {
        ServerTlsContextFactory.requireBoringSsl();
        CertificateStore store = CertificateStore.load(config);
        List<String> problems = new ArrayList<>();
        Map<String, UpstreamAddresses> upstreams = resolveBackends(config, problems);
        Map<String, SslContext> contexts = new HashMap<>();
        List<ListenerRuntime> listeners = new ArrayList<>();
        for (ListenerConfig listener : config.listeners()) {
            if (listener.mode() == ListenerMode.HTTP && listener.sendProxy().isPresent()) {
                problems.add(listener.origin() + ".send-proxy: a PROXY header is per connection, but http mode shares"
                        + " upstream connections between clients (use mode: tcp, or remove send-proxy)");
                continue;
            }
            List<ServerCertificate> certificates = store.certificatesOf(listener);
            List<SslContext> listenerContexts = new ArrayList<>();
            for (ServerCertificate certificate : certificates) {
                try {
                    listenerContexts.add(context(contexts, certificate, listener.mode()));
                } catch (SSLException e) {
                    problems.add(listener.origin() + ": certificate '" + certificate.nickname() + "' (" + certificate.source()
                            + ") cannot be used by BoringSSL: " + e.getMessage());
                }
            }
            UpstreamAddresses upstream = upstreams.get(listener.backend());
            if (listenerContexts.size() != certificates.size() || upstream == null) {
                continue;
            }
            try {
                SniMapping<SslContext> mapping = SniMapping.build(listener.name(), certificates, listenerContexts, config.source());
                listeners.add(new ListenerRuntime(listener, certificates, mapping, upstream));
            } catch (ConfigException e) {
                problems.addAll(e.problems());
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(config.source(), problems);
        }
        return new PreparedConfig(config, store, listeners);
    }

    /** One context per certificate and ALPN offer: tcp mode offers no ALPN, as stud and hitch do by default. */
    private static SslContext context(Map<String, SslContext> contexts, ServerCertificate certificate, ListenerMode mode)
            throws SSLException {
        String key = System.identityHashCode(certificate) + "/" + mode;
        SslContext existing = contexts.get(key);
        if (existing != null) {
            return existing;
        }
        SslContext built = new ServerTlsContextFactory(mode == ListenerMode.HTTP ? TlsDefaults.ALPN : List.of()).build(certificate);
        contexts.put(key, built);
        return built;
    }

    private static Map<String, UpstreamAddresses> resolveBackends(GatehouseConfig config, List<String> problems) {
        Map<String, UpstreamAddresses> resolved = new HashMap<>();
        for (BackendConfig backend : config.backends().values()) {
            List<InetSocketAddress> addresses = new ArrayList<>();
            for (int i = 0; i < backend.servers().size(); i++) {
                HostPort server = backend.servers().get(i);
                try {
                    addresses.add(new InetSocketAddress(InetAddress.getByName(server.host()), server.port()));
                } catch (UnknownHostException e) {
                    problems.add(backend.serverOrigin(i) + ": '" + server.host() + "' cannot be resolved"
                            + " (check the name, /etc/hosts and DNS, or use an IP address)");
                }
            }
            if (addresses.size() == backend.servers().size() && !addresses.isEmpty()) {
                resolved.put(backend.name(), new UpstreamAddresses(backend.name(), addresses));
            }
        }
        return resolved;
    }
}
