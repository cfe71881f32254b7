package io.gatehouse.sni;

import io.gatehouse.config.ClientAuthMode;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.ApplicationProtocolConfig.Protocol;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectedListenerFailureBehavior;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectorFailureBehavior;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.OpenSslSessionContext;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLException;

/** Builds BoringSSL server contexts (netty-tcnative, {@link SslProvider#OPENSSL}) with Gatehouse's TLS defaults. */
public final class ServerTlsContextFactory {

    private final List<String> alpn;

    /** @param alpn the ALPN protocols to offer, or an empty list to offer none (tcp mode) */
    public ServerTlsContextFactory(List<String> alpn) {
        this.alpn = List.copyOf(alpn);
    }

    /** Fails fast with the reason when BoringSSL cannot load on this platform. */
    public static void requireBoringSsl() {
        if (!OpenSsl.isAvailable()) {
            throw new IllegalStateException("BoringSSL (netty-tcnative) is not available on this platform: "
                    + OpenSsl.unavailabilityCause());
        }
    }

    public SslContext build(ServerCertificate certificate) throws SSLException {
        return build(certificate, TlsPolicy.DEFAULT);
    }

    public SslContext build(ServerCertificate certificate, TlsPolicy policy) throws SSLException {
        SslContextBuilder builder = SslContextBuilder
                .forServer(certificate.key(), certificate.chain().toArray(new X509Certificate[0]))
                .sslProvider(SslProvider.OPENSSL)
                .protocols(policy.protocols())
                .ciphers(policy.ciphers(), SupportedCipherSuiteFilter.INSTANCE)
                // Lets each engine carry an OCSP staple; BoringSSL sends it only to clients that ask (status_request).
                .enableOcsp(OpenSsl.isOcspSupported());
        if (policy.clientAuth() != ClientAuthMode.NONE) {
            builder.trustManager(policy.clientCas())
                    .clientAuth(policy.clientAuth() == ClientAuthMode.REQUIRE ? ClientAuth.REQUIRE : ClientAuth.OPTIONAL);
        }
        if (!alpn.isEmpty()) {
            builder.applicationProtocolConfig(new ApplicationProtocolConfig(Protocol.ALPN,
                    SelectorFailureBehavior.NO_ADVERTISE, SelectedListenerFailureBehavior.ACCEPT, alpn));
        }
        SslContext context = builder.build();
        // Netty turns session tickets off on OpenSSL contexts unless keys are set. With none given, BoringSSL makes
        // its own and rotates them (every two days), so resumption works, as HAProxy and nginx do by default.
        if (context.sessionContext() instanceof OpenSslSessionContext sessions) {
            sessions.setTicketKeys();
        }
        return context;
    }
}
