package io.gatehouse.sni;

import java.security.PrivateKey;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * A certificate with its chain and the private key proven to match it. It cannot exist with a mismatched key.
 *
 * @param source one line naming where it came from, for logs and reports
 * @param chain  leaf first, then the intermediates in issuing order
 */
public record ServerCertificate(CertificateNickname nickname, String source, PrivateKey key, List<X509Certificate> chain) {

    public ServerCertificate {
        chain = List.copyOf(chain);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("a server certificate needs at least its leaf certificate");
        }
        if (!KeyMatch.matches(key, chain.get(0).getPublicKey())) {
            throw new IllegalArgumentException("the private key does not match the certificate");
        }
    }

    public X509Certificate leaf() {
        return chain.get(0);
    }

    /** {@code RSA}, {@code EC} or {@code Ed25519}. */
    public String keyAlgorithm() {
        return key.getAlgorithm();
    }

    /**
     * The DNS names this certificate serves, lower-case: its dNSName SANs, or its CN only when it has no SAN at
     * all (RFC 6125 section 6.4.4).
     */
    public List<String> dnsNames() {
        List<String> names = new ArrayList<>();
        boolean anySan = false;
        for (List<?> san : subjectAltNames()) {
            anySan = true;
            if (Integer.valueOf(2).equals(san.get(0))) {
                names.add(((String) san.get(1)).toLowerCase(Locale.ROOT));
            }
        }
        if (!anySan) {
            commonName().map(cn -> cn.toLowerCase(Locale.ROOT)).ifPresent(names::add);
        }
        return names;
    }

    /** The iPAddress SANs, as the JDK spells them. */
    public List<String> ipAddresses() {
        List<String> ips = new ArrayList<>();
        for (List<?> san : subjectAltNames()) {
            if (Integer.valueOf(7).equals(san.get(0))) {
                ips.add((String) san.get(1));
            }
        }
        return ips;
    }

    public java.util.Optional<String> commonName() {
        try {
            for (Rdn rdn : new LdapName(leaf().getSubjectX500Principal().getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    return java.util.Optional.of(rdn.getValue().toString());
                }
            }
        } catch (InvalidNameException e) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.empty();
    }

    private Collection<List<?>> subjectAltNames() {
        try {
            Collection<List<?>> sans = leaf().getSubjectAlternativeNames();
            return sans == null ? List.of() : sans;
        } catch (CertificateParsingException e) {
            return List.of();
        }
    }
}
