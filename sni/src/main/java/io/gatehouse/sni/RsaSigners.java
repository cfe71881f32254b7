package io.gatehouse.sni;

import io.netty.handler.ssl.OpenSslPrivateKeyMethod;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who performs an RSA certificate's private-key operations: BoringSSL itself, or libcrypto through BoringSSL's
 * private-key method. With libcrypto, each certificate gets one native key, shared by all of its contexts.
 */
public final class RsaSigners {

    private static final byte[] SELF_TEST_MESSAGE = "gatehouse libcrypto self-test".getBytes(StandardCharsets.US_ASCII);

    private static final Logger LOG = LoggerFactory.getLogger(RsaSigners.class);

    private final Optional<LibCrypto> libCrypto;
    private final boolean required;
    private final String description;
    private final Map<ServerCertificate, Optional<LibCryptoRsaKey>> keys = new ConcurrentHashMap<>();

    private RsaSigners(Optional<LibCrypto> libCrypto, boolean required, String description) {
        this.libCrypto = libCrypto;
        this.required = required;
        this.description = description;
    }

    public static RsaSigners boringSsl() {
        return new RsaSigners(Optional.empty(), false, "BoringSSL");
    }

    /** BoringSSL, because libcrypto was wanted but is not there: the reason goes into {@link #describe()}. */
    public static RsaSigners boringSslInsteadOfLibCrypto() {
        return new RsaSigners(Optional.empty(), false, "BoringSSL, slower for RSA, because " + LibCrypto.unavailabilityCause());
    }

    /**
     * @param required whether a key libcrypto cannot take stops the start ({@code rsa-signing: libcrypto}), or is
     *                 left to BoringSSL with a warning ({@code auto})
     */
    public static RsaSigners libCrypto(LibCrypto library, boolean required) {
        return new RsaSigners(Optional.of(library), required, "libcrypto, " + library.version());
    }

    /** For logs: {@code BoringSSL} or {@code libcrypto, OpenSSL 3.0.22 ...}, with the reason when libcrypto was missed. */
    public String describe() {
        return description;
    }

    /**
     * Who signs for this certificate, as {@link #describe()} says it, or that BoringSSL does because libcrypto failed
     * this key's self-test; empty for keys that always stay in BoringSSL (EC). Asked after the contexts are built.
     */
    public Optional<String> signerOf(ServerCertificate certificate) {
        if (!(certificate.key() instanceof RSAPrivateCrtKey)) {
            return Optional.empty();
        }
        Optional<LibCryptoRsaKey> key = keys.get(certificate);
        boolean fellBack = key != null && key.isEmpty();
        return Optional.of(fellBack ? "BoringSSL, as libcrypto cannot sign with this key" : description);
    }

    /**
     * The private-key method for a certificate's contexts, or empty when BoringSSL keeps the key (EC keys always).
     *
     * @throws IllegalStateException when libcrypto is required but cannot take the key, or its signature does not verify
     */
    public Optional<OpenSslPrivateKeyMethod> methodFor(ServerCertificate certificate) {
        if (libCrypto.isEmpty() || !(certificate.key() instanceof RSAPrivateCrtKey rsa)) {
            return Optional.empty();
        }
        return keys.computeIfAbsent(certificate, c -> {
            try {
                return Optional.of(selfTested(libCrypto.get().rsaKey(rsa), c));
            } catch (IllegalStateException e) {
                if (required) {
                    throw e;
                }
                LOG.warn("rsa signing falls back to BoringSSL certificate={} source={} reason=\"{}\"", c.nickname(), c.source(), e.getMessage());
                return Optional.empty();
            }
        }).map(OpenSslPrivateKeyMethod.class::cast);
    }

    /** Proves the native key signs what the certificate's public key verifies, before any client depends on it. */
    private static LibCryptoRsaKey selfTested(LibCryptoRsaKey key, ServerCertificate certificate) {
        try {
            byte[] signature = key.sign(null, LibCryptoRsaKey.RSA_PSS_RSAE_SHA256, SELF_TEST_MESSAGE);
            Signature verifier = Signature.getInstance("RSASSA-PSS");
            verifier.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
            verifier.initVerify(certificate.leaf().getPublicKey());
            verifier.update(SELF_TEST_MESSAGE);
            if (!verifier.verify(signature)) {
                throw new IllegalStateException("libcrypto's signature with this key does not verify (set rsa-signing: boringssl)");
            }
            return key;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("libcrypto's signature with this key cannot be checked: " + e.getMessage(), e);
        }
    }
}
