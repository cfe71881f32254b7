package io.gatehouse.sni;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.gatehouse.config.CertificateSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificateLoaderTest {

    static TestCertificates pki;
    static ThrowawayPki.Issued leaf;

    @TempDir
    Path dir;

    @BeforeAll
    static void makePki() throws Exception {
        pki = new TestCertificates();
        leaf = pki.leaf("keystone.example.com", "keystone.example.com");
    }

    private static ServerCertificate loadOne(CertificateSource source) throws CertificateLoadException {
        java.util.List<ServerCertificate> loaded = new CertificateLoader().load(source);
        assertThat(loaded).hasSize(1);
        return loaded.get(0);
    }

    private static String certPem(ThrowawayPki.Issued bundle) {
        return bundle.certificatePem();
    }

    private CertificateSource.CombinedPem combined(String name, String text) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        return new CertificateSource.CombinedPem("listeners[0].certificates[0]", file, Optional.empty());
    }

    @Test
    void aCombinedPemInCertmongerOrderLoadsWithTheChainLeafFirst() throws Exception {
        ServerCertificate loaded = loadOne(combined("keystone.pem",
                certPem(leaf) + leaf.privateKeyPem() + certPem(pki.intermediate)));
        assertThat(loaded.nickname().value()).isEqualTo("keystone");
        assertThat(loaded.chain()).containsExactly(leaf.certificate(), pki.intermediate.certificate());
        assertThat(loaded.dnsNames()).containsExactly("keystone.example.com");
    }

    @Test
    void aCombinedPemInAnyOrderIsReorderedLeafFirst() throws Exception {
        ServerCertificate loaded = loadOne(combined("any.pem",
                certPem(pki.intermediate) + leaf.privateKeyPem() + certPem(leaf)));
        assertThat(loaded.chain()).containsExactly(leaf.certificate(), pki.intermediate.certificate());
    }

    @Test
    void separateCertKeyAndChainFilesLoad() throws Exception {
        Files.writeString(dir.resolve("a.crt"), certPem(leaf));
        Files.writeString(dir.resolve("a.key"), leaf.privateKeyPem());
        Files.writeString(dir.resolve("chain.pem"), certPem(pki.intermediate));
        ServerCertificate loaded = loadOne(new CertificateSource.SeparateFiles("listeners[0].certificates[1]",
                dir.resolve("a.crt"), dir.resolve("a.key"), Optional.of(dir.resolve("chain.pem")), Optional.of("public-vip")));
        assertThat(loaded.nickname().value()).isEqualTo("public-vip");
        assertThat(loaded.chain()).hasSize(2);
    }

    @Test
    void anEmptyPemIsNamedWithTheFix() throws Exception {
        CertificateSource.CombinedPem source = combined("empty.pem", "");
        CertificateLoadException e = catchThrowableOfType(CertificateLoadException.class, () -> new CertificateLoader().load(source));
        assertThat(e).hasMessage("listeners[0].certificates[0].pem: " + dir.resolve("empty.pem")
                + " contains no PEM certificate or key (is it empty?) (write the certificate, its private key and the chain into it)");
    }

    @Test
    void aKeyThatMatchesNoCertificateIsRefused() throws Exception {
        ThrowawayPki.Issued other = pki.leaf("other");
        CertificateSource.CombinedPem source = combined("mismatch.pem", certPem(leaf) + other.privateKeyPem());
        CertificateLoadException e = catchThrowableOfType(CertificateLoadException.class, () -> new CertificateLoader().load(source));
        assertThat(e.getMessage()).startsWith("listeners[0].certificates[0].pem: the private key in " + dir.resolve("mismatch.pem")
                + " does not match any certificate there (pair the key with the certificate it was issued for;");
    }

    @Test
    void aPemWithoutAKeyAsksForTheKey() throws Exception {
        CertificateSource.CombinedPem source = combined("nokey.pem", certPem(leaf));
        CertificateLoadException e = catchThrowableOfType(CertificateLoadException.class, () -> new CertificateLoader().load(source));
        assertThat(e.getMessage()).contains("contains no private key").contains("append the private key");
    }

    @Test
    void anEncryptedKeySaysSoInsteadOfFailingObscurely() throws Exception {
        CertificateSource.CombinedPem source = combined("enc.pem", certPem(leaf)
                + "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIBvTBXBgkqhkiG9w0BBQ0wSjApBgkqhkiG9w0BBQwwHAQI\n-----END ENCRYPTED PRIVATE KEY-----\n");
        CertificateLoadException e = catchThrowableOfType(CertificateLoadException.class, () -> new CertificateLoader().load(source));
        assertThat(e.getMessage()).contains("enc.pem");
    }

    @Test
    void truncatedPemIsReportedAsIncomplete() throws Exception {
        String text = certPem(leaf);
        CertificateSource.CombinedPem source = combined("half.pem", text.substring(0, text.length() / 2));
        CertificateLoadException e = catchThrowableOfType(CertificateLoadException.class, () -> new CertificateLoader().load(source));
        assertThat(e.getMessage()).contains("half.pem");
    }

    @Test
    void aServerCertificateCannotBeBuiltWithAMismatchedKey() throws Exception {
        ThrowawayPki.Issued other = pki.leaf("other");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ServerCertificate(new CertificateNickname("x"), "test",
                other.keys().getPrivate(), java.util.List.of(leaf.certificate())))
                .hasMessageContaining("does not match");
    }
}
