package io.gatehouse.sni;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Reads every certificate and private key from a PEM file, whatever order they come in: certmonger post-save
 * scripts and HAProxy users write cert, key and chain in different orders. Keys may be PKCS#8 or traditional
 * (PKCS#1 RSA, SEC1 EC); an {@code EC PARAMETERS} block, as {@code openssl ecparam -genkey} writes, is skipped.
 */
final class PemFileReader {

    private final JcaX509CertificateConverter certificates = new JcaX509CertificateConverter();
    private final JcaPEMKeyConverter keys = new JcaPEMKeyConverter();

    PemContents read(Path file, String field) throws CertificateLoadException {
        List<X509Certificate> certs = new ArrayList<>();
        List<PrivateKey> privateKeys = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII); PEMParser parser = new PEMParser(reader)) {
            Object item;
            while ((item = parser.readObject()) != null) {
                if (item instanceof X509CertificateHolder holder) {
                    certs.add(certificates.getCertificate(holder));
                } else if (item instanceof PEMKeyPair pair) {
                    privateKeys.add(keys.getPrivateKey(pair.getPrivateKeyInfo()));
                } else if (item instanceof PrivateKeyInfo info) {
                    privateKeys.add(keys.getPrivateKey(info));
                } else if (item instanceof PKCS8EncryptedPrivateKeyInfo || item instanceof PEMEncryptedKeyPair) {
                    throw new CertificateLoadException(field, file + " holds an encrypted private key",
                            "decrypt it with 'openssl pkey -in KEY -out KEY.plain' and protect the file by its permissions");
                } else if (!(item instanceof ASN1ObjectIdentifier)) {
                    throw new CertificateLoadException(field, file + " holds an unsupported PEM block ("
                            + item.getClass().getSimpleName() + ")", "keep only certificates and one private key in it");
                }
            }
        } catch (IOException | CertificateException | RuntimeException e) {
            throw new CertificateLoadException(field, file + " is not valid PEM: " + e.getMessage(),
                    "check that the file is complete; 'openssl x509 -in FILE -noout' shows what is wrong");
        }
        return new PemContents(certs, privateKeys);
    }
}
