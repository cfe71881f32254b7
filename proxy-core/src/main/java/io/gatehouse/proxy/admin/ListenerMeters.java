package io.gatehouse.proxy.admin;

import io.gatehouse.sni.SniMapping;
import io.gatehouse.sni.SniMatch;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The counters of one listener. Handshake counters are found by how the certificate was chosen, then by its
 * nickname: counting a handshake is two lookups that hash an enum and a String whose hash is cached, and allocates
 * nothing once each pair has been seen. (Keyed by the SNI selection record instead, every handshake hashed the
 * certificate's private key bytes: about 6 us of an RSA handshake.)
 */
public final class ListenerMeters {

    /** Why a handshake failed, as a bounded set of label values. */
    public enum Failure { CLIENT_CERTIFICATE, UNRECOGNIZED_NAME, REVOKED, OTHER }

    private final MeterRegistry registry;
    private final String listener;
    /** Filled for every match kind at construction and never changed after, so it is read without locks. */
    private final Map<SniMatch, Map<String, Counter>> handshakes = new EnumMap<>(SniMatch.class);
    private final Map<Failure, Counter> failures = new ConcurrentHashMap<>();
    private final Counter upstreamConnectFailures;
    private final Counter upstreamUnavailable;
    private final Counter redirects;

    ListenerMeters(MeterRegistry registry, String listener) {
        this.registry = registry;
        this.listener = listener;
        for (SniMatch match : SniMatch.values()) {
            handshakes.put(match, new ConcurrentHashMap<>());
        }
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
        SniMatch match = selection.match();
        Map<String, Counter> byCertificate = handshakes.get(match);
        String nickname = selection.certificate().nickname().value();
        Counter counter = byCertificate.get(nickname);
        if (counter == null) {
            counter = byCertificate.computeIfAbsent(nickname, n -> Counter.builder("gatehouse.tls.handshakes")
                    .description("Completed TLS handshakes by certificate served and how it was chosen")
                    .tag("listener", listener)
                    .tag("certificate", n)
                    .tag("match", match.name().toLowerCase(Locale.ROOT))
                    .register(registry));
        }
        counter.increment();
    }

    /** {@code gatehouse_tls_handshake_failures_total{listener,reason}}: client-caused, so counted rather than logged loudly. */
    public void handshakeFailed(Failure reason) {
        failures.computeIfAbsent(reason, r -> Counter.builder("gatehouse.tls.handshake.failures")
                .description("TLS handshakes that failed, by reason")
                .tag("listener", listener)
                .tag("reason", r.name().toLowerCase(Locale.ROOT))
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
