package io.gatehouse.proxy;

import io.gatehouse.config.BackendConfig;
import io.gatehouse.config.CertificateSource;
import io.gatehouse.config.ConfigException;
import io.gatehouse.config.GatehouseConfig;
import io.gatehouse.config.HostPort;
import io.gatehouse.config.ListenerConfig;
import io.gatehouse.config.ListenerMode;
import io.gatehouse.config.OcspSettings;
import io.gatehouse.config.RsaSigning;
import io.gatehouse.ocsp.StaplingTarget;
import io.gatehouse.proxy.backend.Backend;
import io.gatehouse.proxy.backend.BackendTlsContexts;
import io.gatehouse.proxy.backend.UpstreamServer;
import io.gatehouse.sni.CertificateAudit;
import io.gatehouse.sni.CertificateLoadException;
import io.gatehouse.sni.CertificateStore;
import io.gatehouse.sni.LibCrypto;
import io.gatehouse.sni.RsaSigners;
import io.gatehouse.sni.ServerCertificate;
import io.gatehouse.sni.ServerTlsContextFactory;
import io.gatehouse.sni.SessionTicketKeyFile;
import io.gatehouse.sni.SniMapping;
import io.gatehouse.sni.TrustBundle;
import io.netty.handler.ssl.OpenSslSessionTicketKey;
import io.netty.handler.ssl.SslContext;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns a validated configuration into runtime objects, reading certificate files and resolving backend names.
 * Shared by {@code run} and {@code check}, so {@code check} finds exactly what would stop a start.
 */
public final class ConfigPreparation {

    public PreparedConfig prepare(GatehouseConfig config) throws ConfigException {
        ServerTlsContextFactory.requireBoringSsl();
        CertificateStore store = CertificateStore.load(config);
        List<String> problems = new ArrayList<>();
        Map<String, Backend> backends = resolveBackends(config, problems);
        RsaSigners rsaSigners = rsaSigners(config, problems);
        ListenerTlsBuilder tls = new ListenerTlsBuilder(config.source(), rsaSigners);
        List<ListenerRuntime> listeners = new ArrayList<>();
        for (ListenerConfig listener : config.listeners()) {
            if (listener.mode() == ListenerMode.HTTP && listener.sendProxy().isPresent()) {
                problems.add(listener.origin() + ".send-proxy: is for tcp mode; in http mode, set send-proxy on the backend"
                        + " (backends.NAME.send-proxy), which then gets one connection per client");
                continue;
            }
            if (listener.plain()) {
                listeners.add(new ListenerRuntime(listener, List.of(), null, Optional.empty(), List.of(), List.of()));
                continue;
            }
            List<OpenSslSessionTicketKey> ticketKeys = List.of();
            if (listener.sessionTickets().isPresent()) {
                try {
                    ticketKeys = SessionTicketKeyFile.read(listener.sessionTickets().get().keyFile(),
                            listener.origin() + ".session-tickets.key-file");
                } catch (CertificateLoadException e) {
                    problems.add(e.getMessage());
                }
            }
            List<ServerCertificate> certificates = store.certificatesOf(listener);
            SniMapping<SslContext> mapping = tls.build(listener, certificates, problems);
            Optional<Backend> backend = listener.backend().map(backends::get);
            if (mapping != null && listener.backendsUsed().stream().allMatch(backends::containsKey)) {
                listeners.add(new ListenerRuntime(listener, certificates, mapping, backend, tls.contextsOf(listener), ticketKeys));
            }
        }
        CertificateAudit audit = audit(config, problems);
        List<StaplingTarget> stapling = staplingTargets(config, store, problems);
        if (!problems.isEmpty()) {
            throw new ConfigException(config.source(), problems);
        }
        return new PreparedConfig(config, store, listeners, backends, audit, stapling, rsaSigners);
    }

    private static RsaSigners rsaSigners(GatehouseConfig config, List<String> problems) {
        if (config.rsaSigning() == RsaSigning.BORINGSSL) {
            return RsaSigners.boringSsl();
        }
        if (LibCrypto.available()) {
            return RsaSigners.libCrypto(LibCrypto.instance(), config.rsaSigning() == RsaSigning.LIBCRYPTO);
        }
        if (config.rsaSigning() == RsaSigning.LIBCRYPTO) {
            problems.add("rsa-signing: libcrypto: " + LibCrypto.unavailabilityCause() + ", or set rsa-signing: auto or boringssl");
        }
        return RsaSigners.boringSslInsteadOfLibCrypto();
    }

    /**
     * Each distinct certificate with its effective OCSP settings: the global block, overridden by the {@code ocsp:}
     * of the entry that names it. One certificate named by two entries with different overrides is ambiguous.
     */
    private static List<StaplingTarget> staplingTargets(GatehouseConfig config, CertificateStore store, List<String> problems) {
        Map<ServerCertificate, OcspSettings> settings = new java.util.IdentityHashMap<>();
        Map<ServerCertificate, String> decidedBy = new java.util.IdentityHashMap<>();
        for (ListenerConfig listener : config.listeners()) {
            for (CertificateSource source : listener.certificates()) {
                Optional<OcspSettings> own = Optional.ofNullable(config.certificateOcsp().get(source.origin()));
                OcspSettings effective = own.map(o -> config.ocsp().overriddenBy(o)).orElse(config.ocsp());
                for (ServerCertificate certificate : store.certificatesOf(source)) {
                    OcspSettings earlier = settings.putIfAbsent(certificate, effective);
                    if (earlier != null && !earlier.equals(effective)) {
                        problems.add(source.origin() + ".ocsp: certificate '" + certificate.nickname() + "' has other OCSP settings at "
                                + decidedBy.get(certificate) + " (give every entry of the same files the same ocsp: block)");
                    }
                    decidedBy.putIfAbsent(certificate, source.origin());
                }
            }
        }
        return store.all().stream().filter(settings::containsKey).map(c -> new StaplingTarget(c, settings.get(c))).toList();
    }

    private static CertificateAudit audit(GatehouseConfig config, List<String> problems) {
        List<java.security.cert.X509Certificate> trust = List.of();
        if (config.trust().isPresent()) {
            try {
                trust = TrustBundle.read(config.trust().get(), "trust");
            } catch (CertificateLoadException e) {
                problems.add(e.getMessage());
            }
        }
        return new CertificateAudit(trust, config.trust().map(Object::toString).orElse("the system trust store"), Clock.systemUTC());
    }

    /** Resolves names once, off the event loops, so a connect never blocks one on DNS; builds re-encryption contexts. */
    private static Map<String, Backend> resolveBackends(GatehouseConfig config, List<String> problems) {
        Map<String, Backend> resolved = new LinkedHashMap<>();
        for (BackendConfig backend : config.backends().values()) {
            List<UpstreamServer> servers = new ArrayList<>();
            for (int i = 0; i < backend.servers().size(); i++) {
                HostPort server = backend.servers().get(i);
                try {
                    InetSocketAddress address = new InetSocketAddress(InetAddress.getByName(server.host()), server.port());
                    servers.add(new UpstreamServer(backend.name(), address, server.host(), backend.weights().get(i), backend.ejection(),
                            backend.maxConnectionsPerServer(), System::nanoTime));
                } catch (UnknownHostException e) {
                    problems.add(backend.serverOrigin(i) + ": '" + server.host() + "' cannot be resolved"
                            + " (check the name, /etc/hosts and DNS, or use an IP address)");
                }
            }
            Optional<SslContext> tls = Optional.empty();
            if (backend.tls().isPresent()) {
                try {
                    tls = Optional.of(BackendTlsContexts.build(backend, backend.tls().get()));
                } catch (CertificateLoadException e) {
                    problems.add(e.getMessage());
                    continue;
                } catch (javax.net.ssl.SSLException e) {
                    problems.add(backend.origin() + ".tls: cannot build a TLS client context: " + e.getMessage());
                    continue;
                }
            }
            if (servers.size() == backend.servers().size() && !servers.isEmpty()) {
                resolved.put(backend.name(), new Backend(backend, servers, tls));
            }
        }
        return resolved;
    }
}
