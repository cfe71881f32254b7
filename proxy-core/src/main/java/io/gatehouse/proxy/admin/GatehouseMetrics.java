package io.gatehouse.proxy.admin;

import io.gatehouse.sni.ServerCertificate;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.function.Supplier;

/**
 * Gatehouse's meters, served in Prometheus text format on the admin listener's {@code /metrics}. One registry per
 * Gatehouse instance, never the global one, so two instances in one JVM do not mix their figures.
 */
public final class GatehouseMetrics {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    public MeterRegistry registry() {
        return registry;
    }

    /** The Prometheus text exposition of every meter. */
    public String scrape() {
        return registry.scrape();
    }

    /** {@code gatehouse_certificate_not_after_seconds{nickname,source}}: alert on it to catch a renewal that failed. */
    public void certificate(ServerCertificate certificate) {
        long notAfter = certificate.leaf().getNotAfter().toInstant().getEpochSecond();
        Gauge.builder("gatehouse.certificate.not.after", () -> notAfter)
                .baseUnit("seconds")
                .description("When the certificate expires, as a Unix time")
                .tag("nickname", certificate.nickname().value())
                .tag("source", certificate.source())
                .register(registry);
    }

    /** {@code gatehouse_downstream_connections}: client connections open now. */
    public void openConnections(Supplier<Number> count) {
        Gauge.builder("gatehouse.downstream.connections", count).description("Client connections open now").register(registry);
    }

    public ListenerMeters listener(String name) {
        return new ListenerMeters(registry, name);
    }
}
