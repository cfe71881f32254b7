package io.gatehouse.proxy;

import io.gatehouse.config.GatehouseConfig;
import io.gatehouse.sni.CertificateStore;
import java.util.List;

/** A configuration with every certificate loaded, every TLS context built and every backend resolved. */
public record PreparedConfig(GatehouseConfig config, CertificateStore certificates, List<ListenerRuntime> listeners) {

    public PreparedConfig {
        listeners = List.copyOf(listeners);
    }
}
