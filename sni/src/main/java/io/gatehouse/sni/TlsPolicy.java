package io.gatehouse.sni;

import io.gatehouse.config.ClientAuthMode;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * The TLS settings a context is built with, apart from its certificate: the listener's defaults, or one virtual
 * host's own (its client CA for mutual TLS, its protocols and ciphers).
 */
public record TlsPolicy(List<String> protocols, List<String> ciphers, ClientAuthMode clientAuth, List<X509Certificate> clientCas) {

    public static final TlsPolicy DEFAULT = new TlsPolicy(TlsDefaults.PROTOCOLS, TlsDefaults.INTERMEDIATE_CIPHERS, ClientAuthMode.NONE, List.of());

    public TlsPolicy {
        protocols = List.copyOf(protocols);
        ciphers = List.copyOf(ciphers);
        clientCas = List.copyOf(clientCas);
    }
}
