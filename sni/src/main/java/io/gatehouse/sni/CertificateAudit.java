package io.gatehouse.sni;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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

    private final Set<X509Certificate> anchors;
    private final String trustDescription;
    private final Clock clock;

    /** @param trust the CA bundle chains must lead to; empty means the JDK's system trust store */
    public CertificateAudit(List<X509Certificate> trust, String trustDescription, Clock clock) {
        this.anchors = new HashSet<>();
        anchors.addAll(trust.isEmpty() ? systemAnchors() : trust);
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
        chainProblem(certificate).ifPresent(findings::add);
        return findings;
    }

    /**
     * Whether the chain is complete up to a trust anchor: each certificate is signed by the next, the last by an
     * anchor. Validity is deliberately not part of this (it has its own finding), so an expired certificate is not
     * also reported as an incomplete chain.
     */
    private java.util.Optional<Finding> chainProblem(ServerCertificate certificate) {
        List<X509Certificate> path = certificate.chain();
        for (int i = 0; i < path.size(); i++) {
            X509Certificate current = path.get(i);
            if (anchors.contains(current)) {
                return java.util.Optional.empty();
            }
            X509Certificate anchor = anchors.stream()
                    .filter(a -> a.getSubjectX500Principal().equals(current.getIssuerX500Principal()) && signs(a, current))
                    .findFirst().orElse(null);
            if (anchor != null) {
                return java.util.Optional.empty();
            }
            if (i + 1 < path.size() && !signs(path.get(i + 1), current)) {
                return java.util.Optional.of(error(certificate, "certificate " + (i + 1) + " of the chain (" + current.getSubjectX500Principal()
                        + ") is not signed by the next one (" + path.get(i + 1).getSubjectX500Principal() + ")",
                        "keep only the issuing CAs of this certificate in the file"));
            }
        }
        X509Certificate last = path.get(path.size() - 1);
        return java.util.Optional.of(error(certificate, "the chain ends at " + last.getIssuerX500Principal() + ", which is not a CA in "
                + trustDescription, "append the intermediate CA certificates to the file, or set trust: to the bundle of the CA that issued it"));
    }

    private static boolean signs(X509Certificate issuer, X509Certificate subject) {
        try {
            subject.verify(issuer.getPublicKey());
            return true;
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
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
