package io.gatehouse.sni;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import java.util.Map;

/**
 * JNA direct bindings to the few functions of OpenSSL 3's {@code libcrypto.so.3} that RSA signing needs. They are
 * bound when this class initialises; a machine without the library fails that initialisation, which
 * {@link LibCrypto#unavailabilityCause()} turns into a reason. Pointers travel as {@code long} (x86-64 passes both the same way).
 */
final class LibCryptoNatives {

    static final String LIBRARY = "libcrypto.so.3";

    /** RTLD_NOW without RTLD_GLOBAL: its symbols must not shadow BoringSSL's, which netty-tcnative links in. */
    private static final int RTLD_NOW = 2;

    static {
        Native.register(LibCryptoNatives.class, NativeLibrary.getInstance(LIBRARY, Map.of(Library.OPTION_OPEN_FLAGS, RTLD_NOW)));
    }

    static final int EVP_PKEY_RSA = 6;
    static final int RSA_PKCS1_PADDING = 1;
    static final int RSA_NO_PADDING = 3;
    static final int RSA_PKCS1_PSS_PADDING = 6;
    /** The salt is as long as the digest, as TLS 1.3 (RFC 8446 section 4.2.3) requires. */
    static final int RSA_PSS_SALTLEN_DIGEST = -1;
    /** The context signs once: libcrypto may finish it in place instead of finishing a copy of it. */
    static final int EVP_MD_CTX_FLAG_FINALISE = 0x0200;

    private LibCryptoNatives() {
    }

    static native String OpenSSL_version(int type);

    static native long d2i_AutoPrivateKey(long out, long[] derCursor, long length);

    static native void EVP_PKEY_free(long pkey);

    static native int EVP_PKEY_get_size(long pkey);

    static native int EVP_PKEY_get_base_id(long pkey);

    static native long EVP_sha1();

    static native long EVP_sha256();

    static native long EVP_sha384();

    static native long EVP_sha512();

    static native long EVP_MD_CTX_new();

    static native void EVP_MD_CTX_free(long ctx);

    static native int EVP_MD_CTX_copy_ex(long out, long in);

    static native void EVP_MD_CTX_set_flags(long ctx, int flags);

    static native int EVP_DigestSignInit(long ctx, long[] pkeyCtx, long md, long engine, long pkey);

    static native int EVP_DigestSign(long ctx, byte[] signature, long[] signatureLength, byte[] message, long messageLength);

    static native int EVP_PKEY_CTX_set_rsa_padding(long pkeyCtx, int padding);

    static native int EVP_PKEY_CTX_set_rsa_pss_saltlen(long pkeyCtx, int saltLength);

    static native long EVP_PKEY_CTX_new(long pkey, long engine);

    static native void EVP_PKEY_CTX_free(long pkeyCtx);

    static native int EVP_PKEY_decrypt_init(long pkeyCtx);

    static native int EVP_PKEY_decrypt(long pkeyCtx, byte[] out, long[] outLength, byte[] in, long inLength);

    static native long ERR_get_error();

    static native void ERR_error_string_n(long error, byte[] buffer, long length);
}
