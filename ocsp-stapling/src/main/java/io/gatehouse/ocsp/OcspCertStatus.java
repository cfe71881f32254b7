package io.gatehouse.ocsp;

/** A verified answer about one certificate (RFC 6960 section 2.2). */
public enum OcspCertStatus {
    GOOD, REVOKED, UNKNOWN;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
