package io.gatehouse.ocsp;

import java.net.URI;
import java.time.Instant;
import java.util.Optional;

/** What {@code check}, {@code /healthz} and logs say about one certificate's stapling. */
public record StapleStatus(
        String nickname,
        Optional<URI> responder,
        String mode,
        Optional<VerifiedOcspResponse> current,
        boolean stapling,
        Optional<String> lastError,
        Optional<Instant> lastAttempt,
        boolean mustStaple) {
}
