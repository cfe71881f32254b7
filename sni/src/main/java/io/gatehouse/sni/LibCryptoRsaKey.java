package io.gatehouse.sni;

import io.netty.handler.ssl.OpenSslPrivateKeyMethod;
import java.util.Arrays;
import java.util.concurrent.atomic.LongAdder;
import javax.net.ssl.SSLEngine;

/**
 * Signs (and, for the old RSA key exchange, decrypts) with one RSA key held by libcrypto, on BoringSSL's behalf:
 * BoringSSL hands every private-key operation of a context to this method, so the key's work runs in OpenSSL.
 * Thread-safe: libcrypto allows concurrent signing with one key, and each call signs with a context of its own.
 */
public final class LibCryptoRsaKey implements OpenSslPrivateKeyMethod {

    // TLS SignatureScheme code points (RFC 8446 section 4.2.3), which BoringSSL's SSL_SIGN_* constants are. Spelled
    // out here because netty-tcnative's copies need its native library loaded before they can even be read.
    static final int RSA_PKCS1_SHA1 = 0x0201;
    static final int RSA_PKCS1_SHA256 = 0x0401;
    static final int RSA_PKCS1_SHA384 = 0x0501;
    static final int RSA_PKCS1_SHA512 = 0x0601;
    static final int RSA_PSS_RSAE_SHA256 = 0x0804;
    static final int RSA_PSS_RSAE_SHA384 = 0x0805;
    static final int RSA_PSS_RSAE_SHA512 = 0x0806;

    /** Every scheme this signer offers, in the order of {@link #prepared}. */
    private static final int[] SCHEMES = {RSA_PKCS1_SHA1, RSA_PKCS1_SHA256, RSA_PKCS1_SHA384, RSA_PKCS1_SHA512,
        RSA_PSS_RSAE_SHA256, RSA_PSS_RSAE_SHA384, RSA_PSS_RSAE_SHA512};

    private final long pkey;
    private final int size;
    /**
     * One signing context per scheme, set up once with the key, digest and padding. Each signature starts from a
     * copy: setting a context up looks the algorithms up in libcrypto's provider tables every time, which costs
     * about ten times the copy. They are only ever copied from, which libcrypto allows from many threads at once.
     */
    private final long[] prepared;
    private final LongAdder operations = new LongAdder();

    private LibCryptoRsaKey(long pkey, int size, long[] prepared) {
        this.pkey = pkey;
        this.size = size;
        this.prepared = prepared;
    }

    /**
     * A signer for a libcrypto key, which it takes over: what {@link #releaser} returns frees the key and the
     * signer's contexts, and must run only once nothing can sign with it any more.
     *
     * @throws IllegalStateException when libcrypto cannot set up signing with the key (the key is freed then)
     */
    static LibCryptoRsaKey of(long pkey) {
        long[] prepared = new long[SCHEMES.length];
        try {
            for (int i = 0; i < SCHEMES.length; i++) {
                prepared[i] = prepare(pkey, SCHEMES[i]);
            }
        } catch (IllegalStateException e) {
            release(pkey, prepared);
            throw e;
        }
        return new LibCryptoRsaKey(pkey, LibCryptoNatives.EVP_PKEY_get_size(pkey), prepared);
    }

    /** Frees what {@link #of} made and took; a static method, so that a cleaner's action need not hold the signer. */
    static Runnable releaser(LibCryptoRsaKey key) {
        long pkey = key.pkey;
        long[] prepared = key.prepared;
        return () -> release(pkey, prepared);
    }

    private static void release(long pkey, long[] prepared) {
        for (long context : prepared) {
            LibCryptoNatives.EVP_MD_CTX_free(context); // accepts 0, for a context never made
        }
        LibCryptoNatives.EVP_PKEY_free(pkey);
    }

    private static long prepare(long pkey, int scheme) {
        long ctx = LibCryptoNatives.EVP_MD_CTX_new();
        if (ctx == 0) {
            throw new IllegalStateException("libcrypto could not allocate a signing context: " + LibCrypto.lastError());
        }
        boolean pss = isPss(scheme);
        long[] pkeyCtx = new long[1];
        if (LibCryptoNatives.EVP_DigestSignInit(ctx, pkeyCtx, digest(scheme), 0, pkey) != 1
                || LibCryptoNatives.EVP_PKEY_CTX_set_rsa_padding(pkeyCtx[0],
                        pss ? LibCryptoNatives.RSA_PKCS1_PSS_PADDING : LibCryptoNatives.RSA_PKCS1_PADDING) != 1
                || pss && LibCryptoNatives.EVP_PKEY_CTX_set_rsa_pss_saltlen(pkeyCtx[0], LibCryptoNatives.RSA_PSS_SALTLEN_DIGEST) != 1) {
            LibCryptoNatives.EVP_MD_CTX_free(ctx);
            throw new IllegalStateException("libcrypto could not set up signing (algorithm 0x" + Integer.toHexString(scheme) + "): "
                    + LibCrypto.lastError());
        }
        // Copies inherit the flag: each signs once, so libcrypto need not keep its context usable by copying it again.
        LibCryptoNatives.EVP_MD_CTX_set_flags(ctx, LibCryptoNatives.EVP_MD_CTX_FLAG_FINALISE);
        return ctx;
    }

    /** @param input the whole message; libcrypto hashes it with the algorithm's digest */
    @Override
    public byte[] sign(SSLEngine engine, int signatureAlgorithm, byte[] input) {
        long template = prepared[indexOf(signatureAlgorithm)];
        long ctx = LibCryptoNatives.EVP_MD_CTX_new();
        if (ctx == 0) {
            throw new IllegalStateException("libcrypto could not allocate a signing context: " + LibCrypto.lastError());
        }
        try {
            byte[] signature = new byte[size];
            long[] length = {size};
            if (LibCryptoNatives.EVP_MD_CTX_copy_ex(ctx, template) != 1
                    || LibCryptoNatives.EVP_DigestSign(ctx, signature, length, input, input.length) != 1) {
                throw new IllegalStateException("libcrypto failed to sign (algorithm 0x" + Integer.toHexString(signatureAlgorithm) + "): "
                        + LibCrypto.lastError());
            }
            operations.increment();
            return length[0] == size ? signature : Arrays.copyOf(signature, (int) length[0]);
        } finally {
            LibCryptoNatives.EVP_MD_CTX_free(ctx);
        }
    }

    /** Raw RSA (no padding removed), as BoringSSL's private-key method contract asks: BoringSSL checks the padding. */
    @Override
    public byte[] decrypt(SSLEngine engine, byte[] input) {
        long ctx = LibCryptoNatives.EVP_PKEY_CTX_new(pkey, 0);
        if (ctx == 0) {
            throw new IllegalStateException("libcrypto could not allocate a decryption context: " + LibCrypto.lastError());
        }
        try {
            byte[] out = new byte[size];
            long[] length = {size};
            if (LibCryptoNatives.EVP_PKEY_decrypt_init(ctx) != 1
                    || LibCryptoNatives.EVP_PKEY_CTX_set_rsa_padding(ctx, LibCryptoNatives.RSA_NO_PADDING) != 1
                    || LibCryptoNatives.EVP_PKEY_decrypt(ctx, out, length, input, input.length) != 1) {
                throw new IllegalStateException("libcrypto failed to decrypt: " + LibCrypto.lastError());
            }
            operations.increment();
            return length[0] == size ? out : Arrays.copyOf(out, (int) length[0]);
        } finally {
            LibCryptoNatives.EVP_PKEY_CTX_free(ctx);
        }
    }

    /** Signatures and decryptions done so far: shows that handshakes really reach libcrypto. */
    public long operations() {
        return operations.sum();
    }

    private static int indexOf(int signatureAlgorithm) {
        for (int i = 0; i < SCHEMES.length; i++) {
            if (SCHEMES[i] == signatureAlgorithm) {
                return i;
            }
        }
        throw new IllegalArgumentException("not an RSA signature algorithm this signer offers: 0x" + Integer.toHexString(signatureAlgorithm));
    }

    private static boolean isPss(int signatureAlgorithm) {
        return signatureAlgorithm == RSA_PSS_RSAE_SHA256 || signatureAlgorithm == RSA_PSS_RSAE_SHA384
                || signatureAlgorithm == RSA_PSS_RSAE_SHA512;
    }

    private static long digest(int signatureAlgorithm) {
        return switch (signatureAlgorithm) {
            case RSA_PKCS1_SHA256, RSA_PSS_RSAE_SHA256 -> LibCryptoNatives.EVP_sha256();
            case RSA_PKCS1_SHA384, RSA_PSS_RSAE_SHA384 -> LibCryptoNatives.EVP_sha384();
            case RSA_PKCS1_SHA512, RSA_PSS_RSAE_SHA512 -> LibCryptoNatives.EVP_sha512();
            case RSA_PKCS1_SHA1 -> LibCryptoNatives.EVP_sha1();
            default -> throw new IllegalArgumentException("no digest for 0x" + Integer.toHexString(signatureAlgorithm));
        };
    }
}
