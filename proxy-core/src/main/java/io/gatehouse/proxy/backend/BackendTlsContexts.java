package io.gatehouse.proxy.backend;

import io.gatehouse.config.BackendConfig;
import io.gatehouse.config.BackendTlsConfig;
import io.gatehouse.sni.CertificateLoadException;
import io.gatehouse.sni.TrustBundle;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLException;

/** Client contexts for re-encryption to a backend, verifying like python-requests: chain and host name (RFC 6125). */
public final class BackendTlsContexts {

    private BackendTlsContexts() {
    }

    public static SslContext build(BackendConfig backend, BackendTlsConfig tls) throws CertificateLoadException, SSLException {
        SslContextBuilder builder = SslContextBuilder.forClient()
                .sslProvider(SslProvider.OPENSSL)
                .protocols("TLSv1.3", "TLSv1.2");
        if (!tls.verify()) {
            return builder.trustManager(InsecureTrustManagerFactory.INSTANCE).endpointIdentificationAlgorithm(null).build();
        }
        if (tls.ca().isPresent()) {
            List<X509Certificate> cas = TrustBundle.read(tls.ca().get(), backend.origin() + ".tls.ca");
            builder.trustManager(cas.toArray(new X509Certificate[0]));
        }
        // Checks the name given as peer host (the sni, or the server as written) against DNS and IP SANs.
        return builder.endpointIdentificationAlgorithm("HTTPS").build();
    }
}
