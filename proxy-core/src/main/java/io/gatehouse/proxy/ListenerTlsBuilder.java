package io.gatehouse.proxy;

import io.gatehouse.config.ConfigException;
import io.gatehouse.config.HostConfig;
import io.gatehouse.config.ListenerConfig;
import io.gatehouse.config.ListenerMode;
import io.gatehouse.sni.CertificateLoadException;
import io.gatehouse.sni.RsaSigners;
import io.gatehouse.sni.ServerCertificate;
import io.gatehouse.sni.ServerTlsContextFactory;
import io.gatehouse.sni.SniMapping;
import io.gatehouse.sni.SniMatch;
import io.gatehouse.sni.TlsDefaults;
import io.gatehouse.sni.TlsPolicy;
import io.gatehouse.sni.TrustBundle;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.SSLException;

/**
 * Builds one listener's {@link SniMapping} of BoringSSL contexts: one context per certificate and TLS policy (the
 * listener's defaults, or a virtual host's own), shared across listeners of the same mode.
 */
final class ListenerTlsBuilder {

    private final String source;
    private final RsaSigners rsaSigners;
    private final Map<ServerCertificate, Map<ContextKey, SslContext>> contexts = new IdentityHashMap<>();
    private final Map<String, Set<SslContext>> byListener = new HashMap<>();

    /**
     * What makes two contexts of one certificate differ: the TLS policy, the ALPN offer, and the session ticket
     * key file (its keys are set on the context, so listeners with different files cannot share one).
     */
    private record ContextKey(TlsPolicy policy, List<String> alpn, Optional<Path> ticketKeys) {
    }

    ListenerTlsBuilder(String source, RsaSigners rsaSigners) {
        this.source = source;
        this.rsaSigners = rsaSigners;
    }

    SniMapping<SslContext> build(ListenerConfig listener, List<ServerCertificate> certificates, List<String> problems) {
        Optional<ServerCertificate> defaultCertificate = defaultCertificate(listener, certificates, problems);
        Map<String, TlsPolicy> policies = hostPolicies(listener, problems);
        if (defaultCertificate.isEmpty() || policies.size() != listener.hosts().size()) {
            return null;
        }
        List<String> alpn = listener.mode() != ListenerMode.HTTP ? List.of() : listener.http2() ? TlsDefaults.ALPN : TlsDefaults.ALPN_HTTP1;
        ServerTlsContextFactory factory = new ServerTlsContextFactory(alpn, rsaSigners);
        Set<SslContext> used = byListener.computeIfAbsent(listener.name(), n -> Collections.newSetFromMap(new IdentityHashMap<>()));
        List<String> contextProblems = new ArrayList<>();
        SniMapping<SslContext> mapping;
        try {
            mapping = SniMapping.build(listener.name(), certificates, defaultCertificate.get(), listener.strictSni(), policies.keySet(),
                    (certificate, host) -> {
                        SslContext context = context(factory, new ContextKey(host == null ? TlsPolicy.DEFAULT : policies.get(host), alpn,
                                listener.sessionTickets().map(t -> t.keyFile())), certificate, contextProblems);
                        if (context != null) {
                            used.add(context);
                        }
                        return context;
                    }, source);
        } catch (ConfigException e) {
            problems.addAll(e.problems());
            return null;
        }
        problems.addAll(contextProblems);
        for (HostConfig host : listener.hosts()) {
            String probe = host.name().startsWith("*.") ? "gatehouse-probe" + host.name().substring(1) : host.name();
            if (mapping.match(probe) == SniMatch.DEFAULT && !mapping.strict()) {
                problems.add(host.origin() + ".name: no certificate of listener " + listener.name() + " carries " + host.name()
                        + ", so its settings would never apply (add a certificate for that name, or correct the name)");
            }
        }
        return contextProblems.isEmpty() ? mapping : null;
    }

    /** Every context the listener's mapping can serve, in no particular order. */
    List<SslContext> contextsOf(ListenerConfig listener) {
        return List.copyOf(byListener.getOrDefault(listener.name(), Set.of()));
    }

    private SslContext context(ServerTlsContextFactory factory, ContextKey key, ServerCertificate certificate, List<String> problems) {
        return contexts.computeIfAbsent(certificate, c -> new HashMap<>()).computeIfAbsent(key, k -> {
            try {
                return factory.build(certificate, key.policy());
            } catch (SSLException | RuntimeException e) {
                problems.add("certificate '" + certificate.nickname() + "' (" + certificate.source() + ") cannot be used for TLS: "
                        + e.getMessage());
                return null;
            }
        });
    }

    private static Optional<ServerCertificate> defaultCertificate(ListenerConfig listener, List<ServerCertificate> certificates,
            List<String> problems) {
        if (listener.defaultCertificate().isEmpty()) {
            return Optional.of(certificates.get(0));
        }
        String wanted = listener.defaultCertificate().get();
        Optional<ServerCertificate> found = certificates.stream().filter(c -> c.nickname().value().equals(wanted)).findFirst();
        if (found.isEmpty()) {
            problems.add(listener.origin() + ".default-certificate: '" + wanted + "' is not a certificate of this listener (use one of "
                    + String.join(", ", certificates.stream().map(c -> c.nickname().value()).toList()) + ")");
        }
        return found;
    }

    private static Map<String, TlsPolicy> hostPolicies(ListenerConfig listener, List<String> problems) {
        Map<String, TlsPolicy> policies = new HashMap<>();
        for (HostConfig host : listener.hosts()) {
            List<String> ciphers = host.ciphers().isEmpty() ? TlsDefaults.INTERMEDIATE_CIPHERS : host.ciphers();
            List<String> unknown = ciphers.stream().filter(c -> !isAvailable(c)).toList();
            if (!host.ciphers().isEmpty() && !unknown.isEmpty()) {
                problems.add(host.origin() + ".ciphers: " + unknown + " not offered by BoringSSL (use IANA names such as"
                        + " TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, or OpenSSL names such as ECDHE-ECDSA-AES128-GCM-SHA256)");
                continue;
            }
            List<java.security.cert.X509Certificate> clientCas = List.of();
            if (host.clientCa().isPresent()) {
                try {
                    clientCas = TrustBundle.read(host.clientCa().get(), host.origin() + ".client-ca");
                } catch (CertificateLoadException e) {
                    problems.add(e.getMessage());
                    continue;
                }
            }
            policies.put(host.name(), new TlsPolicy(host.protocols().isEmpty() ? TlsDefaults.PROTOCOLS : host.protocols(), ciphers,
                    host.clientAuth(), clientCas));
        }
        return policies;
    }

    private static boolean isAvailable(String cipher) {
        return OpenSsl.availableJavaCipherSuites().contains(cipher) || OpenSsl.availableOpenSslCipherSuites().contains(cipher)
                || cipher.startsWith("TLS_AES_") || cipher.equals("TLS_CHACHA20_POLY1305_SHA256");
    }
}
