package io.gatehouse.proxy.admin;

import io.gatehouse.ocsp.OcspCertStatus;
import io.gatehouse.ocsp.StapleStatus;
import io.gatehouse.ocsp.StaplerListener;
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
public final class GatehouseMetrics implements StaplerListener {

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

    /** {@code gatehouse_upstream_server_up{backend,server}}: 1 while in rotation (healthy and not ejected). */
    public void upstreamServer(String backend, String server, java.util.function.BooleanSupplier inRotation) {
        Gauge.builder("gatehouse.upstream.server.up", () -> inRotation.getAsBoolean() ? 1 : 0)
                .description("1 while the server is in rotation: its health check passes and it is not ejected")
                .tag("backend", backend).tag("server", server).register(registry);
    }

    /** {@code gatehouse_downstream_connections}: client connections open now. */
    public void openConnections(Supplier<Number> count) {
        Gauge.builder("gatehouse.downstream.connections", count).description("Client connections open now").register(registry);
    }

    /** {@code gatehouse_ocsp_responses_total{nickname,outcome}}: outcome is good, revoked, or why a response was refused. */
    @Override
    public void fetched(String nickname, OcspCertStatus status) {
        ocspOutcome(nickname, status.label());
    }

    @Override
    public void rejected(String nickname, String reason) {
        ocspOutcome(nickname, reason);
    }

    /** {@code gatehouse_ocsp_staple_expired_total{nickname}}: a staple ran out before a fresh one arrived. */
    @Override
    public void stapleExpired(String nickname) {
        registry.counter("gatehouse.ocsp.staple.expired", "nickname", nickname).increment();
    }

    private void ocspOutcome(String nickname, String outcome) {
        registry.counter("gatehouse.ocsp.responses", "nickname", nickname, "outcome", outcome).increment();
    }

    /** {@code gatehouse_ocsp_revoked{nickname}}: 1 while the responder says the certificate is revoked. Alert on it. */
    public void ocspStatus(StapleStatus status, Supplier<StapleStatus> current) {
        Gauge.builder("gatehouse.ocsp.revoked", () -> current.get().current().filter(r -> r.status() == OcspCertStatus.REVOKED).isPresent() ? 1 : 0)
                .description("1 while the OCSP responder says the certificate is revoked")
                .tag("nickname", status.nickname())
                .register(registry);
        Gauge.builder("gatehouse.ocsp.stapling", () -> current.get().stapling() ? 1 : 0)
                .description("1 while a valid OCSP response is stapled")
                .tag("nickname", status.nickname())
                .register(registry);
    }

    public ListenerMeters listener(String name) {
        return new ListenerMeters(registry, name);
    }
}
