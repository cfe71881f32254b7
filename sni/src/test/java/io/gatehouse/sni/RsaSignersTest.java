package io.gatehouse.sni;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;

/** Which keys go to libcrypto, and what happens to one it cannot sign with. */
class RsaSignersTest {

    private final TestCertificates pki = new TestCertificates();

    @Test
    void rsaKeysGoToLibCryptoAndEcKeysStayInBoringSsl() {
        RsaSigners signers = RsaSigners.libCrypto(LibCrypto.instance(), true);
        ServerCertificate rsa = certificate(pki.rsaLeaf("rsa.example.com", "rsa.example.com"));

        assertThat(signers.methodFor(rsa)).get().isInstanceOf(LibCryptoRsaKey.class);
        assertThat(signers.methodFor(rsa).get()).as("one native key per certificate").isSameAs(signers.methodFor(rsa).get());
        assertThat(signers.methodFor(certificate(pki.leaf("ec.example.com", "ec.example.com")))).isEmpty();
        assertThat(RsaSigners.boringSsl().methodFor(rsa)).isEmpty();
        assertThat(signers.describe()).startsWith("libcrypto, OpenSSL 3.");
        assertThat(signers.signerOf(rsa)).contains(signers.describe());
        assertThat(signers.signerOf(certificate(pki.leaf("ec.example.com", "ec.example.com")))).isEmpty();
    }

    @Test
    void aKeyLibCryptoCannotSignWithStopsTheStartOnlyWhenLibCryptoIsRequired() throws Exception {
        // 512 bits are too few for a PSS signature with SHA-256 and a 32-byte salt, so the self-test fails.
        ServerCertificate tiny = selfSigned(512);

        assertThatThrownBy(() -> RsaSigners.libCrypto(LibCrypto.instance(), true).methodFor(tiny))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("libcrypto failed to sign");
        RsaSigners auto = RsaSigners.libCrypto(LibCrypto.instance(), false);
        assertThat(auto.methodFor(tiny)).as("auto: BoringSSL keeps this key").isEmpty();
        assertThat(auto.signerOf(tiny)).contains("BoringSSL, as libcrypto cannot sign with this key");
    }

    private static ServerCertificate certificate(ThrowawayPki.Issued issued) {
        return new ServerCertificate(new CertificateNickname("test"), "test", issued.keys().getPrivate(), List.of(issued.certificate()));
    }

    private static ServerCertificate selfSigned(int bits) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(bits);
        KeyPair keys = generator.generateKeyPair();
        X500Principal name = new X500Principal("CN=tiny.example.com");
        Instant now = Instant.now();
        X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(name,
                BigInteger.ONE, Date.from(now), Date.from(now.plus(Duration.ofDays(1))), name, keys.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate())));
        return new ServerCertificate(new CertificateNickname("tiny"), "test", keys.getPrivate(), List.of(certificate));
    }
}
