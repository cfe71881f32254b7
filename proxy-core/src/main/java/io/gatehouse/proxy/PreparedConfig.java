package io.gatehouse.proxy;

import io.gatehouse.config.GatehouseConfig;
import io.gatehouse.ocsp.StaplingTarget;
import io.gatehouse.proxy.backend.Backend;
import io.gatehouse.sni.CertificateAudit;
import io.gatehouse.sni.CertificateStore;
import io.gatehouse.sni.Finding;
import io.gatehouse.sni.RsaSigners;
import io.gatehouse.sni.ServerCertificate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A configuration with every certificate loaded, every TLS context built and every backend resolved.
 *
 * @param rsaSigners who signs for RSA certificates, for the startup log and {@code check}
 */
public record PreparedConfig(GatehouseConfig config, CertificateStore certificates, List<ListenerRuntime> listeners,
        Map<String, Backend> backends, CertificateAudit audit, List<StaplingTarget> staplingTargets, RsaSigners rsaSigners) {

    public PreparedConfig {
        listeners = List.copyOf(listeners);
        backends = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(backends));
        staplingTargets = List.copyOf(staplingTargets);
    }

    /** Every finding of every distinct certificate, in the order the certificates were first named. */
    public Map<ServerCertificate, List<Finding>> findings() {
        Map<ServerCertificate, List<Finding>> all = new LinkedHashMap<>();
        certificates.all().forEach(certificate -> all.put(certificate, audit.audit(certificate)));
        return all;
    }
}
