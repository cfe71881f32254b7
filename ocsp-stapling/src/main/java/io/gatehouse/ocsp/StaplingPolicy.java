package io.gatehouse.ocsp;

import io.gatehouse.config.OcspSettings;
import java.time.Duration;

/** The effective stapling settings of one certificate, with Gatehouse's defaults filled in. */
public record StaplingPolicy(
        double refreshAt,
        Duration clockSkew,
        Duration timeout,
        Duration minDelay,
        Duration maxDelay,
        boolean nonce,
        OcspSettings.RevokedPolicy onRevoked) {

    public static StaplingPolicy of(OcspSettings settings) {
        return new StaplingPolicy(
                settings.refreshAt().orElse(0.5),
                settings.clockSkew().orElse(Duration.ofMinutes(5)),
                settings.timeout().orElse(Duration.ofSeconds(5)),
                settings.minDelay().orElse(Duration.ofMinutes(1)),
                settings.maxDelay().orElse(Duration.ofHours(1)),
                settings.nonce().orElse(false),
                settings.onRevoked().orElse(OcspSettings.RevokedPolicy.STAPLE));
    }
}
