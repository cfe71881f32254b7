package io.gatehouse.sni;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * Orders a chain leaf first, each certificate followed by its issuer, whatever order the PEM file held them in.
 * Certificates that do not link into the chain are kept at the end, as HAProxy sends them, rather than dropped.
 */
final class ChainOrder {

    private ChainOrder() {
    }

    static List<X509Certificate> leafFirst(X509Certificate leaf, List<X509Certificate> all) {
        List<X509Certificate> rest = new ArrayList<>(all);
        rest.remove(leaf);
        List<X509Certificate> ordered = new ArrayList<>();
        ordered.add(leaf);
        X509Certificate current = leaf;
        while (!isSelfIssued(current)) {
            X509Certificate issuer = findIssuer(current, rest);
            if (issuer == null) {
                break;
            }
            ordered.add(issuer);
            rest.remove(issuer);
            current = issuer;
        }
        ordered.addAll(rest);
        return ordered;
    }

    private static X509Certificate findIssuer(X509Certificate child, List<X509Certificate> candidates) {
        for (X509Certificate candidate : candidates) {
            if (candidate.getSubjectX500Principal().equals(child.getIssuerX500Principal())) {
                return candidate;
            }
        }
        return null;
    }

    private static boolean isSelfIssued(X509Certificate cert) {
        return cert.getSubjectX500Principal().equals(cert.getIssuerX500Principal());
    }
}
