package io.gatehouse.sni;

/**
 * A certificate source cannot be used. The message is one line for the operator: {@code field: file problem (fix)}.
 */
public final class CertificateLoadException extends Exception {

    public CertificateLoadException(String field, String problem, String fix) {
        super(field + ": " + problem + (fix == null ? "" : " (" + fix + ")"));
    }
}
