package io.gatehouse.ocsp;

import java.time.Duration;
import java.time.Instant;

/**
 * When a response may be stapled and when to refresh it: pure functions of the response, the certificate and the
 * time, so they are tested without waiting.
 */
public final class StapleFreshness {

    private StapleFreshness() {
    }

    /**
     * A response is stapled while now lies between thisUpdate (less the skew) and the earlier of nextUpdate and the
     * certificate's own expiry: a response never outlives the certificate it speaks for. "unknown" is never stapled.
     */
    public static boolean stapleable(VerifiedOcspResponse response, Instant certificateNotAfter, Instant now, Duration skew) {
        if (response.status() == OcspCertStatus.UNKNOWN) {
            return false;
        }
        Instant end = response.nextUpdate().isBefore(certificateNotAfter) ? response.nextUpdate() : certificateNotAfter;
        return !now.isAfter(end) && !response.thisUpdate().isAfter(now.plus(skew));
    }

    /** When the staple stops being stapleable. */
    public static Instant stapleableUntil(VerifiedOcspResponse response, Instant certificateNotAfter) {
        return response.nextUpdate().isBefore(certificateNotAfter) ? response.nextUpdate() : certificateNotAfter;
    }

    /**
     * The next refresh: {@code fraction} of the way from thisUpdate to nextUpdate, moved by {@code jitter} (so many
     * Gatehouse nodes do not ask the responder at the same instant), never sooner than {@code minDelay} from now
     * (responders pre-produce responses, so asking again at once gains nothing) and never after nextUpdate.
     */
    public static Instant refreshAt(VerifiedOcspResponse response, double fraction, Duration jitter, Instant now, Duration minDelay) {
        Duration window = Duration.between(response.thisUpdate(), response.nextUpdate());
        Instant planned = response.thisUpdate().plusMillis((long) (window.toMillis() * fraction)).plus(jitter);
        Instant earliest = now.plus(minDelay);
        if (planned.isAfter(response.nextUpdate())) {
            planned = response.nextUpdate();
        }
        return planned.isBefore(earliest) ? earliest : planned;
    }

    /** Exponential backoff after {@code failures} consecutive failures: base, 2 base, 4 base, ... capped. */
    public static Duration backoff(int failures, Duration base, Duration cap) {
        long multiplier = 1L << Math.min(Math.max(failures - 1, 0), 20);
        Duration delay = base.multipliedBy(multiplier);
        return delay.compareTo(cap) > 0 ? cap : delay;
    }
}
