package io.gatehouse.sni;

import java.util.List;

/**
 * Protocol and cipher defaults: Mozilla's "intermediate" profile (server-side TLS guidelines v5.7). Suites the
 * TLS library lacks (BoringSSL has no finite-field DHE) are filtered out when the context is built.
 */
public final class TlsDefaults {

    public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    public static final List<String> INTERMEDIATE_CIPHERS = List.of(
            "TLS_AES_128_GCM_SHA256",
            "TLS_AES_256_GCM_SHA384",
            "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384");

    /** ALPN protocols offered by an http listener, most preferred first. */
    public static final List<String> ALPN = List.of("h2", "http/1.1");

    /** ALPN protocols offered by an http listener with h2 turned off. */
    public static final List<String> ALPN_HTTP1 = List.of("http/1.1");

    private TlsDefaults() {
    }
}
