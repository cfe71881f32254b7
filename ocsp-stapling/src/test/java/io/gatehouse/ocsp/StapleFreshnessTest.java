package io.gatehouse.ocsp;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StapleFreshnessTest {

    static final Instant T0 = Instant.parse("2026-11-27T00:00:00Z");
    static final Duration SKEW = Duration.ofMinutes(5);

    static VerifiedOcspResponse response(OcspCertStatus status, Instant thisUpdate, Instant nextUpdate) {
        return new VerifiedOcspResponse(status, thisUpdate, thisUpdate, nextUpdate, Optional.empty(), new byte[] {1});
    }

    @Test
    void aResponseIsStapledFromThisUpdateUntilNextUpdate() {
        VerifiedOcspResponse r = response(OcspCertStatus.GOOD, T0, T0.plus(Duration.ofDays(4)));
        Instant certificateExpiry = T0.plus(Duration.ofDays(90));
        assertThat(StapleFreshness.stapleable(r, certificateExpiry, T0.plus(Duration.ofDays(1)), SKEW)).isTrue();
        assertThat(StapleFreshness.stapleable(r, certificateExpiry, T0.plus(Duration.ofDays(4)).plusSeconds(1), SKEW)).isFalse();
        assertThat(StapleFreshness.stapleable(r, certificateExpiry, T0.minus(Duration.ofMinutes(4)), SKEW)).isTrue();
        assertThat(StapleFreshness.stapleable(r, certificateExpiry, T0.minus(Duration.ofMinutes(6)), SKEW)).isFalse();
    }

    @Test
    void aResponseNeverOutlivesTheCertificate() {
        VerifiedOcspResponse r = response(OcspCertStatus.GOOD, T0, T0.plus(Duration.ofDays(7)));
        Instant certificateExpiry = T0.plus(Duration.ofDays(2));
        assertThat(StapleFreshness.stapleable(r, certificateExpiry, T0.plus(Duration.ofDays(3)), SKEW)).isFalse();
        assertThat(StapleFreshness.stapleableUntil(r, certificateExpiry)).isEqualTo(certificateExpiry);
    }

    @Test
    void unknownIsNeverStapledButRevokedIs() {
        Instant expiry = T0.plus(Duration.ofDays(90));
        assertThat(StapleFreshness.stapleable(response(OcspCertStatus.UNKNOWN, T0, T0.plus(Duration.ofDays(1))), expiry, T0, SKEW)).isFalse();
        assertThat(StapleFreshness.stapleable(response(OcspCertStatus.REVOKED, T0, T0.plus(Duration.ofDays(1))), expiry, T0, SKEW)).isTrue();
    }

    @Test
    void refreshComesAtTheFractionOfTheWindowWithJitterWithinBounds() {
        VerifiedOcspResponse r = response(OcspCertStatus.GOOD, T0, T0.plus(Duration.ofHours(10)));
        assertThat(StapleFreshness.refreshAt(r, 0.5, Duration.ZERO, T0, Duration.ofMinutes(1))).isEqualTo(T0.plus(Duration.ofHours(5)));
        assertThat(StapleFreshness.refreshAt(r, 0.5, Duration.ofMinutes(-20), T0, Duration.ofMinutes(1)))
                .isEqualTo(T0.plus(Duration.ofHours(5)).minus(Duration.ofMinutes(20)));
        assertThat(StapleFreshness.refreshAt(r, 0.99, Duration.ofHours(1), T0, Duration.ofMinutes(1))).isEqualTo(T0.plus(Duration.ofHours(10)));
        // A response loaded late in its window still waits the minimum delay.
        assertThat(StapleFreshness.refreshAt(r, 0.5, Duration.ZERO, T0.plus(Duration.ofHours(9)), Duration.ofMinutes(1)))
                .isEqualTo(T0.plus(Duration.ofHours(9)).plus(Duration.ofMinutes(1)));
    }

    @Test
    void backoffDoublesUpToItsCap() {
        Duration base = Duration.ofSeconds(30);
        Duration cap = Duration.ofMinutes(10);
        assertThat(StapleFreshness.backoff(1, base, cap)).isEqualTo(Duration.ofSeconds(30));
        assertThat(StapleFreshness.backoff(2, base, cap)).isEqualTo(Duration.ofSeconds(60));
        assertThat(StapleFreshness.backoff(4, base, cap)).isEqualTo(Duration.ofSeconds(240));
        assertThat(StapleFreshness.backoff(50, base, cap)).isEqualTo(cap);
    }
}
