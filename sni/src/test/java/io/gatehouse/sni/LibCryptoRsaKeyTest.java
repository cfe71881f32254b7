package io.gatehouse.sni;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.OpenSslPrivateKeyMethod;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.Signature;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** libcrypto's RSA operations, checked against the JDK's independent implementation. */
class LibCryptoRsaKeyTest {

    static KeyPair keys;
    static LibCryptoRsaKey key;

    @BeforeAll
    static void load() {
        OpenSsl.ensureAvailability(); // the signature algorithm constants come from netty-tcnative
        assertThat(LibCrypto.available()).as("OpenSSL 3's libcrypto must load here (the CI installs openssl): %s",
                LibCrypto.unavailabilityCause()).isTrue();
        keys = new TestCertificates().rsaLeaf("libcrypto test", "libcrypto.example.com").keys();
        assertThat(keys.getPrivate()).isInstanceOf(RSAPrivateCrtKey.class);
        key = LibCrypto.instance().rsaKey((RSAPrivateCrtKey) keys.getPrivate());
    }

    @ParameterizedTest
    @CsvSource({
        "SSL_SIGN_RSA_PKCS1_SHA1, SHA1withRSA, 0",
        "SSL_SIGN_RSA_PKCS1_SHA256, SHA256withRSA, 0",
        "SSL_SIGN_RSA_PKCS1_SHA384, SHA384withRSA, 0",
        "SSL_SIGN_RSA_PKCS1_SHA512, SHA512withRSA, 0",
        "SSL_SIGN_RSA_PSS_RSAE_SHA256, SHA-256, 32",
        "SSL_SIGN_RSA_PSS_RSAE_SHA384, SHA-384, 48",
        "SSL_SIGN_RSA_PSS_RSAE_SHA512, SHA-512, 64"})
    void signaturesVerifyWithTheJdk(String tlsName, String jdkName, int pssSaltLength) throws Exception {
        // netty-tcnative's own constant, so that a code point spelled wrongly in the signer fails here
        int algorithm = OpenSslPrivateKeyMethod.class.getField(tlsName).getInt(null);
        byte[] message = ("TLS 1.3, server CertificateVerify " + tlsName).getBytes(StandardCharsets.US_ASCII);

        byte[] signature = key.sign(null, algorithm, message);

        Signature verifier;
        if (pssSaltLength > 0) {
            // TLS needs MGF1 with the same digest and a salt as long as the digest (RFC 8446 section 4.2.3).
            verifier = Signature.getInstance("RSASSA-PSS");
            verifier.setParameter(new PSSParameterSpec(jdkName, "MGF1", new MGF1ParameterSpec(jdkName), pssSaltLength, 1));
        } else {
            verifier = Signature.getInstance(jdkName);
        }
        verifier.initVerify(keys.getPublic());
        verifier.update(message);
        assertThat(verifier.verify(signature)).isTrue();
        message[0] ^= 1;
        verifier.update(message);
        assertThat(verifier.verify(signature)).as("a changed message must not verify").isFalse();
    }

    /**
     * Every signature starts from a copy of one prepared context per scheme, shared by all event loops: signing many
     * times, from several threads at once, must leave those contexts as they were.
     */
    @Test
    void manyThreadsSignWithTheSharedContextsAndEverySignatureVerifies() throws Exception {
        int threads = 4;
        int perThread = 40;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<List<byte[]>>> results = new ArrayList<>();
            CountDownLatch start = new CountDownLatch(1);
            for (int t = 0; t < threads; t++) {
                int thread = t;
                results.add(pool.submit(() -> {
                    start.await();
                    List<byte[]> signatures = new ArrayList<>();
                    for (int i = 0; i < perThread; i++) {
                        signatures.add(key.sign(null, LibCryptoRsaKey.RSA_PKCS1_SHA256, message(thread, i)));
                    }
                    return signatures;
                }));
            }
            start.countDown();
            Signature verifier = Signature.getInstance("SHA256withRSA");
            for (int t = 0; t < threads; t++) {
                List<byte[]> signatures = results.get(t).get(30, TimeUnit.SECONDS);
                for (int i = 0; i < perThread; i++) {
                    verifier.initVerify(keys.getPublic());
                    verifier.update(message(t, i));
                    assertThat(verifier.verify(signatures.get(i))).as("thread %d, signature %d", t, i).isTrue();
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static byte[] message(int thread, int index) {
        return ("CertificateVerify from thread " + thread + ", number " + index).getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void decryptionIsRawRsaAsBoringSslExpects() throws Exception {
        RSAPublicKey publicKey = (RSAPublicKey) keys.getPublic();
        byte[] plain = new byte[publicKey.getModulus().bitLength() / 8];
        new Random(7).nextBytes(plain);
        plain[0] = 0x00; // keeps the value below the modulus
        plain[1] = 0x02;
        Cipher raw = Cipher.getInstance("RSA/ECB/NoPadding");
        raw.init(Cipher.ENCRYPT_MODE, publicKey);
        byte[] encrypted = raw.doFinal(plain);

        byte[] decrypted = key.decrypt(null, encrypted);

        assertThat(new BigInteger(1, decrypted)).isEqualTo(new BigInteger(1, plain));
        assertThat(decrypted).hasSize(plain.length); // no padding stripped: BoringSSL checks it itself
    }

    @Test
    void anAlgorithmForAnotherKeyTypeIsRefused() {
        assertThatThrownBy(() -> key.sign(null, OpenSslPrivateKeyMethod.SSL_SIGN_ECDSA_SECP256R1_SHA256, new byte[] {1}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not an RSA signature algorithm");
    }

    @Test
    void aFailedOperationReportsLibCryptosReasonAndLeavesNoErrorBehind() {
        // Too long for the modulus: libcrypto refuses, and its error queue must be drained for the next caller.
        byte[] tooLong = new byte[1024];
        tooLong[0] = 1;
        assertThatThrownBy(() -> key.decrypt(null, tooLong))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("libcrypto failed to decrypt: error:");
        assertThat(LibCrypto.lastError()).isEqualTo("no error reported");
    }

    @Test
    void countsItsOperations() {
        long before = key.operations();
        key.sign(null, LibCryptoRsaKey.RSA_PSS_RSAE_SHA256, new byte[] {1, 2, 3});
        assertThat(key.operations()).isEqualTo(before + 1);
    }
}
