package io.gatehouse.proxy.admin;

import io.gatehouse.sni.SniMapping;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The counters of one listener. Handshake counters are keyed by the precomputed SNI selection, so counting a
 * handshake looks up a map and allocates nothing once each selection has been seen.
 */
public final class ListenerMeters {

    /** Why a handshake failed, as a bounded set of label values. */
    public enum Failure { CLIENT_CERTIFICATE, UNRECOGNIZED_NAME, REVOKED, OTHER }

    private final MeterRegistry registry;
    private final String listener;
    private final Map<SniMapping.Selection<?>, Counter> handshakes = new ConcurrentHashMap<>();
    private final Map<Failure, Counter> failures = new ConcurrentHashMap<>();
    private final Counter upstreamConnectFailures;
    private final Counter upstreamUnavailable;
    private final Counter redirects;

    ListenerMeters(MeterRegistry registry, String listener) {
        this.registry = registry;
        this.listener = listener;
        this.upstreamConnectFailures = Counter.builder("gatehouse.upstream.connect.failures")
                .description("Connections to backend servers that failed").tag("listener", listener).register(registry);
        this.upstreamUnavailable = Counter.builder("gatehouse.upstream.unavailable")
                .description("Requests answered 503 because no server of the backend was in rotation").tag("listener", listener)
                .register(registry);
        this.redirects = Counter.builder("gatehouse.redirects")
                .description("Plain-HTTP requests redirected to https").tag("listener", listener).register(registry);
    }

    /** {@code gatehouse_tls_handshakes_total{listener,certificate,match}}. */
    public void handshakeSucceeded(SniMapping.Selection<?> selection) {
        handshakes.computeIfAbsent(selection, s -> Counter.builder("gatehouse.tls.handshakes")
                .description("Completed TLS handshakes by certificate served and how it was chosen")
                .tag("listener", listener)
                .tag("certificate", s.certificate().nickname().value())
                .tag("match", s.match().name().toLowerCase(java.util.Locale.ROOT))
                .register(registry)).increment();
    }

    /** {@code gatehouse_tls_handshake_failures_total{listener,reason}}: client-caused, so counted rather than logged loudly. */
    public void handshakeFailed(Failure reason) {
        failures.computeIfAbsent(reason, r -> Counter.builder("gatehouse.tls.handshake.failures")
                .description("TLS handshakes that failed, by reason")
                .tag("listener", listener)
                .tag("reason", r.name().toLowerCase(java.util.Locale.ROOT))
                .register(registry)).increment();
    }

    /** {@code gatehouse_upstream_connect_failures_total{listener}}. */
    public void upstreamConnectFailed() {
        upstreamConnectFailures.increment();
    }

    /** {@code gatehouse_upstream_unavailable_total{listener}}: 503s for want of a healthy server. */
    public void upstreamUnavailable() {
        upstreamUnavailable.increment();
    }

    /** {@code gatehouse_redirects_total{listener}}. */
    public void redirected() {
        redirects.increment();
    }
}
