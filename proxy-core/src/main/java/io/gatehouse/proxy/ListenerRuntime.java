package io.gatehouse.proxy;

import io.gatehouse.config.ListenerConfig;
import io.gatehouse.sni.ServerCertificate;
import io.gatehouse.sni.SniMapping;
import io.netty.handler.ssl.SslContext;
import java.util.List;

/** Everything one listener needs at run time, built and checked before anything binds. */
public record ListenerRuntime(
        ListenerConfig config,
        List<ServerCertificate> certificates,
        SniMapping<SslContext> tls,
        UpstreamAddresses upstream) {

    public ListenerRuntime {
        certificates = List.copyOf(certificates);
    }

    public String name() {
        return config.name();
    }

    /** The certificate for clients that send no server name, or an unknown one on a lenient listener. */
    public ServerCertificate defaultCertificate() {
        return tls.select(null, true, null).certificate();
    }
}
