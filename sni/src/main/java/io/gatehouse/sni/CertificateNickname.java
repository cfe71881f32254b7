package io.gatehouse.sni;

import java.nio.file.Path;

/** The name a certificate is known by in logs, metrics and reports, as in NSS and mod_nss. */
public record CertificateNickname(String value) {

    public CertificateNickname {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("a certificate nickname must not be empty");
        }
    }

    /** The file name without its extension: {@code /etc/pki/tls/private/keystone.pem} gives {@code keystone}. */
    public static CertificateNickname fromFile(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return new CertificateNickname(dot > 0 ? name.substring(0, dot) : name);
    }

    @Override
    public String toString() {
        return value;
    }
}
