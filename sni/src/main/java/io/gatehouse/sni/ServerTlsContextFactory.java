package io.gatehouse.sni;

import io.gatehouse.config.ClientAuthMode;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.ApplicationProtocolConfig.Protocol;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectedListenerFailureBehavior;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectorFailureBehavior;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.OpenSslContextOption;
import io.netty.handler.ssl.OpenSslPrivateKeyMethod;
import io.netty.handler.ssl.OpenSslX509KeyManagerFactory;
import io.netty.handler.ssl.OpenSslSessionContext;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLException;

/** Builds BoringSSL server contexts (netty-tcnative, {@link SslProvider#OPENSSL}) with Gatehouse's TLS defaults. */
public final class ServerTlsContextFactory {

    private final List<String> alpn;
    private final RsaSigners rsaSigners;

    /**
     * @param alpn       the ALPN protocols to offer, or an empty list to offer none (tcp mode)
     * @param rsaSigners who signs for RSA certificates
     */
    public ServerTlsContextFactory(List<String> alpn, RsaSigners rsaSigners) {
        this.alpn = List.copyOf(alpn);
        this.rsaSigners = rsaSigners;
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
        X509Certificate[] chain = certificate.chain().toArray(new X509Certificate[0]);
        Optional<OpenSslPrivateKeyMethod> keyMethod = rsaSigners.methodFor(certificate);
        SslContextBuilder builder = keyMethod.isPresent() ? keyless(chain, keyMethod.get()) : SslContextBuilder.forServer(certificate.key(), chain);
        builder.sslProvider(SslProvider.OPENSSL)
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

    /**
     * A builder whose contexts hold only the chain: BoringSSL uses the private-key method only when it has no key of
     * its own for the connection (key material with a key replaces the context's method).
     */
    private static SslContextBuilder keyless(X509Certificate[] chain, OpenSslPrivateKeyMethod method) throws SSLException {
        try {
            return SslContextBuilder.forServer(OpenSslX509KeyManagerFactory.newKeyless(chain))
                    .option(OpenSslContextOption.PRIVATE_KEY_METHOD, method);
        } catch (GeneralSecurityException | IOException e) {
            throw new SSLException("cannot hand the certificate chain to BoringSSL without its key: " + e.getMessage(), e);
        }
    }
}
