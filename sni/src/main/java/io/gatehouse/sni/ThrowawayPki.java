package io.gatehouse.sni;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.URI;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Issues short-lived certificates with Bouncy Castle for {@code gatehouse demo} and the tests: a root, intermediates, and
 * server certificates with DNS and IP SANs. Never for production: keys live in memory and files it writes.
 */
public final class ThrowawayPki {

    /** A certificate and its key pair. */
    public record Issued(X509Certificate certificate, KeyPair keys) {

        public String certificatePem() {
            return pem(certificate);
        }

        public String privateKeyPem() {
            return pem(keys.getPrivate());
        }
    }

    public enum KeyType { RSA, EC }

    private final SecureRandom random = new SecureRandom();

    public Issued root(String commonName) {
        KeyPair keys = keyPair(KeyType.EC);
        return issue(new X500Principal("CN=" + commonName), keys, null, keys, Validity.fromNow(Duration.ofDays(2)), true, List.of(), List.of(),
                KeyType.EC, null, builder -> { });
    }

    public Issued intermediate(Issued issuer, String commonName) {
        return issue(new X500Principal("CN=" + commonName), keyPair(KeyType.EC), issuer.certificate(), issuer.keys(),
                Validity.fromNow(Duration.ofDays(2)), true, List.of(), List.of(), KeyType.EC, null, builder -> { });
    }

    /** A certificate for a TLS client, for tests of mutual TLS. */
    public Issued client(Issued issuer, String commonName) {
        return server(issuer, KeyType.EC, commonName, List.of(), List.of(), Instant.now().minus(Duration.ofHours(1)),
                Instant.now().plus(Duration.ofDays(1)), false);
    }

    public Issued server(Issued issuer, KeyType keyType, List<String> dnsNames, List<String> ipAddresses) {
        return server(issuer, keyType, dnsNames.isEmpty() ? ipAddresses.get(0) : dnsNames.get(0), dnsNames, ipAddresses);
    }

    /** A server certificate; with no names at all it carries no SAN extension, only its CN. */
    public Issued server(Issued issuer, KeyType keyType, String commonName, List<String> dnsNames, List<String> ipAddresses) {
        Instant now = Instant.now();
        return server(issuer, keyType, commonName, dnsNames, ipAddresses, now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(1)), true);
    }

    /** A server certificate with chosen validity and, for tests of bad certificates, optionally without serverAuth. */
    public Issued server(Issued issuer, KeyType keyType, String commonName, List<String> dnsNames, List<String> ipAddresses,
            Instant notBefore, Instant notAfter, boolean serverAuth) {
        return issue(new X500Principal("CN=" + commonName), keyPair(keyType), issuer.certificate(), issuer.keys(),
                new Validity(notBefore, notAfter), false, dnsNames, ipAddresses, keyType, serverAuth ? KeyPurposeId.id_kp_serverAuth
                        : KeyPurposeId.id_kp_clientAuth, builder -> { });
    }

    /**
     * A server certificate whose AIA extension names an OCSP responder, as IdM and most CAs issue them; with
     * {@code mustStaple}, it also carries the TLS Feature extension with status_request (RFC 7633).
     */
    public Issued serverWithOcsp(Issued issuer, KeyType keyType, List<String> dnsNames, URI responder, boolean mustStaple) {
        return issue(new X500Principal("CN=" + dnsNames.get(0)), keyPair(keyType), issuer.certificate(), issuer.keys(),
                Validity.fromNow(Duration.ofDays(90)), false, dnsNames, List.of(), keyType, KeyPurposeId.id_kp_serverAuth, builder -> {
                    builder.addExtension(Extension.authorityInfoAccess, false, new AuthorityInformationAccess(AccessDescription.id_ad_ocsp,
                            new GeneralName(GeneralName.uniformResourceIdentifier, responder.toString())));
                    if (mustStaple) {
                        // id-pe-tlsfeature (RFC 7633 section 6) holding status_request (5).
                        builder.addExtension(new org.bouncycastle.asn1.ASN1ObjectIdentifier("1.3.6.1.5.5.7.1.24"), false,
                                new DERSequence(new ASN1Integer(5)));
                    }
                });
    }

    /** A delegated OCSP responder certificate: issued by {@code issuer}, with id-kp-OCSPSigning (RFC 6960 4.2.2.2). */
    public Issued ocspResponder(Issued issuer, String commonName) {
        return issue(new X500Principal("CN=" + commonName), keyPair(KeyType.EC), issuer.certificate(), issuer.keys(),
                Validity.fromNow(Duration.ofDays(30)), false, List.of(), List.of(), KeyType.EC, KeyPurposeId.id_kp_OCSPSigning, builder -> { });
    }

    /** Further extensions for one kind of certificate. */
    private interface Extra {
        void add(X509v3CertificateBuilder builder) throws IOException;
    }

    private record Validity(Instant notBefore, Instant notAfter) {
        static Validity fromNow(Duration length) {
            Instant now = Instant.now();
            return new Validity(now.minus(Duration.ofHours(1)), now.plus(length));
        }
    }

    /** Cert, key, then the chain above it: the combined file HAProxy and certmonger post-save scripts write. */
    public static String combinedPem(Issued server, Issued... chain) {
        StringBuilder out = new StringBuilder(server.certificatePem()).append(server.privateKeyPem());
        for (Issued ca : chain) {
            out.append(ca.certificatePem());
        }
        return out.toString();
    }

    /**
     * PEM text of a certificate or key. Keys are written as PKCS#8: Bouncy Castle's SEC1 form of a JDK EC key
     * would lose the curve parameters, which the JDK keeps only in the PKCS#8 algorithm identifier.
     */
    public static String pem(Object object) {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            if (object instanceof PrivateKey key) {
                writer.writeObject(new JcaPKCS8Generator(key, null));
            } else {
                writer.writeObject(object);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    public KeyPair keyPair(KeyType type) {
        try {
            if (type == KeyType.RSA) {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
                generator.initialize(2048, random);
                return generator.generateKeyPair();
            }
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), random);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate a " + type + " key", e);
        }
    }

    private Issued issue(X500Principal subject, KeyPair subjectKeys, X509Certificate issuer, KeyPair issuerKeys, Validity validity,
            boolean ca, List<String> dnsNames, List<String> ips, KeyType subjectKeyType, KeyPurposeId purpose, Extra extra) {
        X500Principal issuerName = issuer == null ? subject : issuer.getSubjectX500Principal();
        try {
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuerName, new BigInteger(64, random).abs().add(BigInteger.ONE),
                    Date.from(validity.notBefore()), Date.from(validity.notAfter()), subject, subjectKeys.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            builder.addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(subjectKeys.getPublic()));
            if (issuer != null) {
                builder.addExtension(Extension.authorityKeyIdentifier, false, extensions.createAuthorityKeyIdentifier(issuer));
            }
            if (ca) {
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            } else {
                int usage = subjectKeyType == KeyType.RSA ? KeyUsage.digitalSignature | KeyUsage.keyEncipherment : KeyUsage.digitalSignature;
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(usage));
                builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
                List<GeneralName> names = new ArrayList<>();
                dnsNames.forEach(n -> names.add(new GeneralName(GeneralName.dNSName, n)));
                for (String ip : ips) {
                    names.add(new GeneralName(GeneralName.iPAddress, ipLiteral(ip)));
                }
                if (!names.isEmpty()) {
                    builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(new GeneralName[0])));
                }
            }
            extra.add(builder);
            String algorithm = issuerKeys.getPrivate().getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
            X509Certificate certificate = new JcaX509CertificateConverter()
                    .getCertificate(builder.build(new JcaContentSignerBuilder(algorithm).build(issuerKeys.getPrivate())));
            return new Issued(certificate, subjectKeys);
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new IllegalStateException("cannot issue a certificate for " + subject, e);
        }
    }

    private static String ipLiteral(String ip) {
        try {
            // Only literals are accepted here; this never performs a lookup.
            return InetAddress.getByName(ip).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: " + ip, e);
        }
    }
}
