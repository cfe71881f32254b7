package io.gatehouse.sni;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.lang.ref.Cleaner;
import java.nio.charset.StandardCharsets;
import java.security.interfaces.RSAPrivateCrtKey;
import java.util.Arrays;

/**
 * The system's OpenSSL 3 {@code libcrypto}, used to sign RSA handshakes. On x86-64 it signs RSA-2048 in about half
 * the time BoringSSL does (it has AVX-512 IFMA code BoringSSL lacks), and RSA signing is most of a full RSA handshake.
 * Loaded at most once per process; {@link #available()} says whether that worked and {@link #unavailabilityCause()}
 * why not.
 */
public final class LibCrypto {

    private static final int OPENSSL_VERSION = 0;

    /** The one load attempt of this process: the library either binds or it does not, and that does not change. */
    private static final class Load {
        static final LibCrypto INSTANCE;
        static final Throwable CAUSE;

        static {
            LibCrypto instance = null;
            Throwable cause = null;
            // JNA reports its own load failures through java.util.logging, stack trace and all, on stderr; the
            // reason reaches the startup log through unavailabilityCause() instead.
            java.util.logging.Logger jnaLog = java.util.logging.Logger.getLogger("com.sun.jna");
            java.util.logging.Level level = jnaLog.getLevel();
            jnaLog.setLevel(java.util.logging.Level.OFF);
            try {
                instance = new LibCrypto(LibCryptoNatives.OpenSSL_version(OPENSSL_VERSION));
            } catch (LinkageError e) {
                cause = e;
            } finally {
                jnaLog.setLevel(level);
            }
            INSTANCE = instance;
            CAUSE = cause;
        }
    }

    private final String version;
    /** Frees each native key once the BoringSSL contexts holding its signer are gone. */
    private final Cleaner cleaner = Cleaner.create();

    private LibCrypto(String version) {
        this.version = version;
    }

    public static boolean available() {
        return Load.INSTANCE != null;
    }

    /** The loaded library; check {@link #available()} first. */
    public static LibCrypto instance() {
        if (Load.INSTANCE == null) {
            throw new IllegalStateException(unavailabilityCause());
        }
        return Load.INSTANCE;
    }

    /** Why the library did not load, for logs: empty when it did. */
    public static String unavailabilityCause() {
        if (Load.CAUSE == null) {
            return "";
        }
        Throwable root = Load.CAUSE;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return LibCryptoNatives.LIBRARY + " could not be loaded (" + root.getMessage() + "); it comes with OpenSSL 3 (package libssl3"
                + " on Debian and Ubuntu), and JNA needs a writable folder for its stub (JAVA_OPTS=-Djna.tmpdir=DIR)";
    }

    /** {@code OpenSSL 3.0.22 ...}, as the library reports itself. */
    public String version() {
        return version;
    }

    /** Copies an RSA private key into libcrypto, where it stays until the returned signer is unreachable. */
    public LibCryptoRsaKey rsaKey(RSAPrivateCrtKey key) {
        byte[] der = key.getEncoded();
        Memory nativeDer = new Memory(der.length);
        try {
            nativeDer.write(0, der, 0, der.length);
            long pkey = LibCryptoNatives.d2i_AutoPrivateKey(0, new long[] {Pointer.nativeValue(nativeDer)}, der.length);
            if (pkey == 0) {
                throw new IllegalStateException("libcrypto did not accept the RSA key: " + lastError());
            }
            if (LibCryptoNatives.EVP_PKEY_get_base_id(pkey) != LibCryptoNatives.EVP_PKEY_RSA) {
                LibCryptoNatives.EVP_PKEY_free(pkey);
                throw new IllegalStateException("libcrypto read the RSA key as another kind of key");
            }
            LibCryptoRsaKey signer = LibCryptoRsaKey.of(pkey);
            cleaner.register(signer, LibCryptoRsaKey.releaser(signer));
            return signer;
        } finally {
            // The key's bytes must not linger in freed native memory or on the heap.
            nativeDer.clear();
            nativeDer.close();
            Arrays.fill(der, (byte) 0);
        }
    }

    /** Takes and describes the calling thread's oldest libcrypto error, and clears the rest of its queue. */
    static String lastError() {
        long first = LibCryptoNatives.ERR_get_error();
        while (LibCryptoNatives.ERR_get_error() != 0) {
            // drained: the queue is per thread and would otherwise grow with every failure
        }
        if (first == 0) {
            return "no error reported";
        }
        byte[] text = new byte[256];
        LibCryptoNatives.ERR_error_string_n(first, text, text.length);
        int end = 0;
        while (end < text.length && text[end] != 0) {
            end++;
        }
        return new String(text, 0, end, StandardCharsets.US_ASCII);
    }
}
