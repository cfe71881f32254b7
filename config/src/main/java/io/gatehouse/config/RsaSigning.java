package io.gatehouse.config;

import java.util.Locale;

/** Which library performs the private-key operation of handshakes with an RSA certificate. */
public enum RsaSigning {
    /** OpenSSL 3's libcrypto when it loads (about twice BoringSSL's RSA speed on x86-64), BoringSSL otherwise. */
    AUTO,
    /** OpenSSL 3's libcrypto, or refuse to start. */
    LIBCRYPTO,
    /** BoringSSL, which netty-tcnative bundles: no system library needed. */
    BORINGSSL;

    public String yamlName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static RsaSigning parse(String text) {
        for (RsaSigning mode : values()) {
            if (mode.yamlName().equals(text.trim().toLowerCase(Locale.ROOT))) {
                return mode;
            }
        }
        throw new IllegalArgumentException("'" + text + "' is not one of auto, libcrypto, boringssl");
    }
}
