package io.gatehouse.ocsp;

import io.gatehouse.sni.Finding;
import io.gatehouse.sni.ServerCertificate;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
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

    /**
     * What {@code check} reports of this status for {@code certificate}: a revoked certificate is an error; a
     * must-staple certificate without a valid response is a warning, since clients will refuse it.
     */
    public List<Finding> findings(ServerCertificate certificate) {
        List<Finding> findings = new ArrayList<>();
        current.filter(r -> r.status() == OcspCertStatus.REVOKED).ifPresent(r -> findings.add(new Finding(Finding.Severity.ERROR,
                certificate.nickname(), certificate.source(), "its OCSP responder says it was revoked at "
                + r.revocationTime().map(Object::toString).orElse("?"), "replace the certificate; clients that check will refuse it")));
        if (mustStaple && !stapling) {
            findings.add(new Finding(Finding.Severity.WARNING, certificate.nickname(), certificate.source(),
                    "it is must-staple (TLS Feature status_request) but no valid OCSP response is available"
                            + lastError.map(e -> ": " + e).orElse(""),
                    "clients will refuse it until a response is stapled; check the responder or set ocsp.staple-file"));
        }
        return findings;
    }
}
