package io.gatehouse.sni;

import io.gatehouse.config.CertificateSource;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns one {@link CertificateSource} into a {@link ServerCertificate}, or one operator-facing error naming the
 * field, the file, the problem and the fix. Reads files: call it off the event loop.
 */
public final class CertificateLoader {

    private final PemFileReader pem = new PemFileReader();

    public ServerCertificate load(CertificateSource source) throws CertificateLoadException {
        if (source instanceof CertificateSource.CombinedPem combined) {
            return loadCombined(combined);
        }
        return loadSeparate((CertificateSource.SeparateFiles) source);
    }

    private ServerCertificate loadCombined(CertificateSource.CombinedPem source) throws CertificateLoadException {
        String field = source.origin() + ".pem";
        PemContents contents = pem.read(source.pem(), field);
        if (contents.certificates().isEmpty() && contents.keys().isEmpty()) {
            throw new CertificateLoadException(field, source.pem() + " contains no PEM certificate or key (is it empty?)",
                    "write the certificate, its private key and the chain into it");
        }
        if (contents.certificates().isEmpty()) {
            throw new CertificateLoadException(field, source.pem() + " contains a key but no certificate",
                    "append the certificate and its chain to the file");
        }
        PrivateKey key = singleKey(contents, field, source.pem().toString(), "append the private key to the file, or use cert: and key:");
        CertificateNickname nickname = source.nickname().map(CertificateNickname::new)
                .orElseGet(() -> CertificateNickname.fromFile(source.pem()));
        return assemble(nickname, source.describe(), key, contents.certificates(), field, source.pem().toString());
    }

    private ServerCertificate loadSeparate(CertificateSource.SeparateFiles source) throws CertificateLoadException {
        String certField = source.origin() + ".cert";
        String keyField = source.origin() + ".key";
        PemContents certs = pem.read(source.cert(), certField);
        if (certs.certificates().isEmpty()) {
            throw new CertificateLoadException(certField, source.cert() + " contains no PEM certificate",
                    "name the file holding the server certificate");
        }
        PrivateKey key = singleKey(pem.read(source.key(), keyField), keyField, source.key().toString(),
                "name the file holding the server's private key");
        List<X509Certificate> all = new ArrayList<>(certs.certificates());
        if (source.chain().isPresent()) {
            PemContents chain = pem.read(source.chain().get(), source.origin() + ".chain");
            all.addAll(chain.certificates());
        }
        CertificateNickname nickname = source.nickname().map(CertificateNickname::new)
                .orElseGet(() -> CertificateNickname.fromFile(source.cert()));
        return assemble(nickname, source.describe(), key, all, keyField, source.key() + " and " + source.cert());
    }

    private static PrivateKey singleKey(PemContents contents, String field, String file, String fixWhenMissing)
            throws CertificateLoadException {
        if (contents.keys().isEmpty()) {
            throw new CertificateLoadException(field, file + " contains no private key", fixWhenMissing);
        }
        if (contents.keys().size() > 1) {
            throw new CertificateLoadException(field, file + " contains " + contents.keys().size() + " private keys",
                    "keep exactly one key per certificate");
        }
        return contents.keys().get(0);
    }

    private static ServerCertificate assemble(CertificateNickname nickname, String description, PrivateKey key,
            List<X509Certificate> certificates, String field, String files) throws CertificateLoadException {
        X509Certificate leaf = certificates.stream()
                .filter(c -> KeyMatch.matches(key, c.getPublicKey()))
                .findFirst()
                .orElseThrow(() -> new CertificateLoadException(field, "the private key in " + files
                        + " does not match any certificate there",
                        "pair the key with the certificate it was issued for; compare 'openssl x509 -noout -pubkey' with 'openssl pkey -pubout'"));
        return new ServerCertificate(nickname, description, key, ChainOrder.leafFirst(leaf, certificates));
    }
}
