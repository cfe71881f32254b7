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
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMDecryptorProvider;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMDecryptorProviderBuilder;
import org.bouncycastle.operator.InputDecryptorProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCSException;
import java.security.Provider;

/**
 * Reads every certificate and private key from a PEM file, whatever order they come in: certmonger post-save
 * scripts and HAProxy users write cert, key and chain in different orders. Keys may be PKCS#8 or traditional
 * (PKCS#1 RSA, SEC1 EC); an {@code EC PARAMETERS} block, as {@code openssl ecparam -genkey} writes, is skipped.
 */
final class PemFileReader {

    private final JcaX509CertificateConverter certificates = new JcaX509CertificateConverter();
    private static final Provider BOUNCY_CASTLE = new BouncyCastleProvider();

    private final JcaPEMKeyConverter keys = new JcaPEMKeyConverter();

    /** Reads {@code file}; encrypted keys are refused, with the fix. */
    PemContents read(Path file, String field) throws CertificateLoadException {
        return read(file, field, null);
    }

    /**
     * Reads {@code file}, decrypting encrypted keys (PKCS#8, or traditional with DEK-Info) with {@code password}.
     * A null password refuses encrypted keys.
     */
    PemContents read(Path file, String field, char[] password) throws CertificateLoadException {
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
                    if (password == null) {
                        throw new CertificateLoadException(field, file + " holds an encrypted private key",
                                "add password-file: naming a file that holds its password");
                    }
                    privateKeys.add(decrypt(item, file, field, password));
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

    private PrivateKey decrypt(Object encrypted, Path file, String field, char[] password) throws CertificateLoadException {
        try {
            if (encrypted instanceof PKCS8EncryptedPrivateKeyInfo pkcs8) {
                InputDecryptorProvider decryptor = new JceOpenSSLPKCS8DecryptorProviderBuilder().setProvider(BOUNCY_CASTLE).build(password);
                return keys.getPrivateKey(pkcs8.decryptPrivateKeyInfo(decryptor));
            }
            PEMDecryptorProvider decryptor = new JcePEMDecryptorProviderBuilder().setProvider(BOUNCY_CASTLE).build(password);
            return keys.getPrivateKey(((PEMEncryptedKeyPair) encrypted).decryptKeyPair(decryptor).getPrivateKeyInfo());
        } catch (IOException | OperatorCreationException | PKCSException | RuntimeException e) {
            throw new CertificateLoadException(field, "the private key in " + file + " cannot be decrypted with the password given ("
                    + e.getMessage() + ")", "check the password file; 'openssl pkey -in FILE -noout' asks for it and says");
        }
    }
}
