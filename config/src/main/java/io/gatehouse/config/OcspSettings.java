package io.gatehouse.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * OCSP stapling settings. The global {@code ocsp:} block gives defaults; a certificate's own {@code ocsp:} block
 * overrides {@code enabled}, {@code responder}, {@code responder-cert}, {@code staple-file} and {@code on-revoked}.
 *
 * @param responder     overrides the responder URL from the certificate's AIA extension (mod_nss's default responder)
 * @param responderCert a responder certificate to trust besides the issuer and its delegated responders
 * @param stapleFile    an operator-provided DER response, as nginx's ssl_stapling_file; verified like a fetched one
 * @param cacheDir      where the last good response per certificate is kept, for restarts while the responder is down
 * @param refreshAt     when to refresh, as a fraction of the thisUpdate..nextUpdate window
 * @param clockSkew     tolerance when comparing thisUpdate and nextUpdate with this machine's clock
 * @param timeout       connect and read timeout of one fetch
 * @param minDelay      the least time between two requests for one certificate, after success or failure
 * @param maxDelay      the most time between two requests: the cap of the backoff and of the refresh interval
 */
public record OcspSettings(
        Optional<Boolean> enabled,
        Optional<URI> responder,
        Optional<Path> responderCert,
        Optional<Path> stapleFile,
        Optional<RevokedPolicy> onRevoked,
        Optional<Path> cacheDir,
        Optional<Double> refreshAt,
        Optional<Duration> clockSkew,
        Optional<Duration> timeout,
        Optional<Boolean> nonce,
        Optional<Duration> minDelay,
        Optional<Duration> maxDelay) {

    /** What to do when the responder says a certificate is revoked. */
    public enum RevokedPolicy {
        /** Keep stapling the revoked response: it tells clients the truth. */
        STAPLE,
        /** Refuse handshakes that would present the revoked certificate. */
        STOP_SERVING;

        public String yamlName() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    public static final OcspSettings NONE = new OcspSettings(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty());

    /** These settings, with {@code override}'s per-certificate fields winning where present. */
    public OcspSettings overriddenBy(OcspSettings override) {
        return new OcspSettings(
                override.enabled.or(() -> enabled),
                override.responder.or(() -> responder),
                override.responderCert.or(() -> responderCert),
                override.stapleFile.or(() -> stapleFile),
                override.onRevoked.or(() -> onRevoked),
                cacheDir, refreshAt, clockSkew, timeout, nonce, minDelay, maxDelay);
    }
}
