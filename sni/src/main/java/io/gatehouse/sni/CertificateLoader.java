package io.gatehouse.sni;

import io.gatehouse.config.CertificateSource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Turns one {@link CertificateSource} into its {@link ServerCertificate}s, or one operator-facing error naming the
 * field, the file, the problem and the fix. Reads files: call it off the event loop.
 */
public final class CertificateLoader {

    /** Files in a {@code dir:} folder that HAProxy also skips: they sit beside a certificate and are not one. */
    private static final List<String> NOT_CERTIFICATES = List.of(".key", ".ocsp", ".issuer", ".sctl", ".bak", ".tmp", "~");

    private final PemFileReader pem = new PemFileReader();

    public List<ServerCertificate> load(CertificateSource source) throws CertificateLoadException {
        if (source instanceof CertificateSource.CombinedPem combined) {
            return List.of(loadCombined(combined));
        }
        if (source instanceof CertificateSource.SeparateFiles separate) {
            return List.of(loadSeparate(separate));
        }
        if (source instanceof CertificateSource.Pkcs12 pkcs12) {
            return loadPkcs12(pkcs12);
        }
        return loadDirectory((CertificateSource.PemDirectory) source);
    }

    private ServerCertificate loadCombined(CertificateSource.CombinedPem source) throws CertificateLoadException {
        String field = source.origin() + ".pem";
        char[] password = password(source.passwordFile(), source.origin());
        PemContents contents = pem.read(source.pem(), field, password);
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
        char[] password = password(source.passwordFile(), source.origin());
        PrivateKey key = singleKey(pem.read(source.key(), keyField, password), keyField, source.key().toString(),
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

    private List<ServerCertificate> loadPkcs12(CertificateSource.Pkcs12 source) throws CertificateLoadException {
        String field = source.origin() + ".pkcs12";
        char[] password = source.passwordFile().isPresent() ? password(source.passwordFile(), source.origin()) : new char[0];
        KeyStore store;
        try (InputStream in = Files.newInputStream(source.file())) {
            store = KeyStore.getInstance("PKCS12");
            store.load(in, password);
        } catch (IOException | GeneralSecurityException e) {
            throw new CertificateLoadException(field, source.file() + " cannot be opened: " + e.getMessage(),
                    source.passwordFile().isPresent() ? "check the password file and that the file is PKCS#12 ('openssl pkcs12 -info -in FILE')"
                            : "add password-file: if the bundle has a password; 'openssl pkcs12 -info -in FILE' shows its contents");
        }
        List<ServerCertificate> loaded = new ArrayList<>();
        try {
            List<String> aliases = Collections.list(store.aliases()).stream().filter(a -> isKeyEntry(store, a)).sorted().toList();
            if (aliases.isEmpty()) {
                throw new CertificateLoadException(field, source.file() + " holds no private key", "export it with its key:"
                        + " 'openssl pkcs12 -export -in CERT -inkey KEY -name NICKNAME'");
            }
            if (source.nickname().isPresent() && aliases.size() > 1) {
                throw new CertificateLoadException(source.origin() + ".nickname", "one nickname for the " + aliases.size()
                        + " keys in " + source.file() + " (" + String.join(", ", aliases) + ")",
                        "remove nickname: so each is known by its friendly name");
            }
            for (String alias : aliases) {
                Key key = store.getKey(alias, password);
                Certificate[] chain = store.getCertificateChain(alias);
                List<X509Certificate> certificates = new ArrayList<>();
                for (Certificate c : chain) {
                    certificates.add((X509Certificate) c);
                }
                CertificateNickname nickname = new CertificateNickname(source.nickname().orElse(alias));
                loaded.add(assemble(nickname, source.describe() + " entry " + alias, (PrivateKey) key, certificates, field,
                        source.file() + " entry " + alias));
            }
        } catch (GeneralSecurityException | ClassCastException e) {
            throw new CertificateLoadException(field, source.file() + " cannot be read: " + e.getMessage(),
                    "check the password file; 'openssl pkcs12 -info -in FILE' shows the contents");
        }
        return loaded;
    }

    private List<ServerCertificate> loadDirectory(CertificateSource.PemDirectory source) throws CertificateLoadException {
        String field = source.origin() + ".dir";
        List<Path> files;
        try (Stream<Path> listing = Files.list(source.dir())) {
            files = listing.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().startsWith("."))
                    .filter(p -> NOT_CERTIFICATES.stream().noneMatch(suffix -> p.getFileName().toString().endsWith(suffix)))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new CertificateLoadException(field, source.dir() + " cannot be listed: " + e.getMessage(),
                    "let the user running gatehouse read the folder");
        }
        if (files.isEmpty()) {
            throw new CertificateLoadException(field, source.dir() + " holds no certificate files", "put combined PEM files in it");
        }
        List<ServerCertificate> loaded = new ArrayList<>();
        for (Path file : files) {
            loaded.add(loadCombined(new CertificateSource.CombinedPem(field + "[" + file.getFileName() + "]", file, Optional.empty())));
        }
        return loaded;
    }

    private static boolean isKeyEntry(KeyStore store, String alias) {
        try {
            return store.isKeyEntry(alias);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static char[] password(Optional<Path> file, String origin) throws CertificateLoadException {
        return file.isPresent() ? PasswordFile.read(file.get(), origin + ".password-file") : null;
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
