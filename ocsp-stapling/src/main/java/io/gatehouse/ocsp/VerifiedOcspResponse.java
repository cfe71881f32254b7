package io.gatehouse.ocsp;

import java.time.Instant;
import java.util.Optional;

/**
 * An OCSP response that passed every check of {@link OcspResponseVerifier}, with the DER bytes to staple.
 *
 * @param revocationTime set when the status is REVOKED
 */
public record VerifiedOcspResponse(
        OcspCertStatus status,
        Instant producedAt,
        Instant thisUpdate,
        Instant nextUpdate,
        Optional<Instant> revocationTime,
        byte[] der) {

    public VerifiedOcspResponse {
        der = der.clone();
    }

    @Override
    public byte[] der() {
        return der.clone();
    }

    /** The bytes handed to BoringSSL; not copied, since each engine copies them itself. */
    byte[] derForStapling() {
        return der;
    }
}
