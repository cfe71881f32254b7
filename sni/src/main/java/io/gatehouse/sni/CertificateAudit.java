package io.gatehouse.sni;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * What {@code check} verifies of each certificate beyond parsing: that it is valid now (and not about to expire),
 * that it may serve TLS servers (the serverAuth purpose: wrong purposes once broke Keystone PKI tokens), and that
 * its chain leads to a trust anchor, so clients that hold only the root can verify it.
 */
public final class CertificateAudit {

    public static final Duration EXPIRY_WARNING = Duration.ofDays(30);

    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    private static final String ANY_PURPOSE = "2.5.29.37.0";

    private final Set<TrustAnchor> anchors;
    private final String trustDescription;
    private final Clock clock;

    /** @param trust the CA bundle chains must lead to; empty means the JDK's system trust store */
    public CertificateAudit(List<X509Certificate> trust, String trustDescription, Clock clock) {
        this.anchors = new HashSet<>();
        (trust.isEmpty() ? systemAnchors() : trust).forEach(ca -> anchors.add(new TrustAnchor(ca, null)));
        this.trustDescription = trustDescription;
        this.clock = clock;
    }

    public List<Finding> audit(ServerCertificate certificate) {
        List<Finding> findings = new ArrayList<>();
        X509Certificate leaf = certificate.leaf();
        Instant now = clock.instant();
        Instant notAfter = leaf.getNotAfter().toInstant();
        Instant notBefore = leaf.getNotBefore().toInstant();
        if (now.isAfter(notAfter)) {
            findings.add(error(certificate, "expired on " + notAfter, "renew it; 'getcert list' shows whether certmonger tracks it"));
        } else if (now.isBefore(notBefore)) {
            findings.add(error(certificate, "not valid until " + notBefore, "check this machine's clock, or wait for the certificate's start"));
        } else if (Duration.between(now, notAfter).compareTo(EXPIRY_WARNING) < 0) {
            findings.add(new Finding(Finding.Severity.WARNING, certificate.nickname(), certificate.source(), "expires on " + notAfter
                    + ", in " + Duration.between(now, notAfter).toDays() + " days", "renew it before then"));
        }
        if (!allowsServerAuth(leaf)) {
            findings.add(error(certificate, "its extended key usage does not include serverAuth, so TLS clients will refuse it",
                    "reissue it for TLS servers, e.g. 'getcert resubmit -U id-kp-serverAuth'"));
        }
        chainProblem(certificate, now.isAfter(notAfter) || now.isBefore(notBefore) ? notBefore.plusSeconds(1) : now)
                .ifPresent(findings::add);
        return findings;
    }

    private java.util.Optional<Finding> chainProblem(ServerCertificate certificate, Instant at) {
        List<X509Certificate> path = new ArrayList<>(certificate.chain());
        // A root in the file is harmless but is not part of the path a validator builds to an anchor.
        while (path.size() > 1 && isSelfIssued(path.get(path.size() - 1))) {
            path.remove(path.size() - 1);
        }
        try {
            CertPath certPath = CertificateFactory.getInstance("X.509").generateCertPath(path);
            PKIXParameters parameters = new PKIXParameters(anchors);
            parameters.setRevocationEnabled(false);
            parameters.setDate(Date.from(at));
            CertPathValidator.getInstance("PKIX").validate(certPath, parameters);
            return java.util.Optional.empty();
        } catch (GeneralSecurityException e) {
            return java.util.Optional.of(error(certificate, "the chain does not lead to a CA in " + trustDescription + ": " + e.getMessage(),
                    "append the intermediate CA certificates to the file, or set trust: to the bundle of the CA that issued it"));
        }
    }

    private static boolean allowsServerAuth(X509Certificate leaf) {
        try {
            List<String> purposes = leaf.getExtendedKeyUsage();
            return purposes == null || purposes.contains(SERVER_AUTH) || purposes.contains(ANY_PURPOSE);
        } catch (CertificateParsingException e) {
            return false;
        }
    }

    private static boolean isSelfIssued(X509Certificate certificate) {
        return certificate.getSubjectX500Principal().equals(certificate.getIssuerX500Principal());
    }

    private static Finding error(ServerCertificate certificate, String problem, String fix) {
        return new Finding(Finding.Severity.ERROR, certificate.nickname(), certificate.source(), problem, fix);
    }

    private static List<X509Certificate> systemAnchors() {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init((KeyStore) null);
            for (var manager : factory.getTrustManagers()) {
                if (manager instanceof X509TrustManager x509) {
                    return List.of(x509.getAcceptedIssuers());
                }
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the system trust store cannot be read", e);
        }
        return List.of();
    }
}
