package io.gatehouse.ocsp;

/** A response that must not be stapled; the message says why, for the log and the counters. */
public final class OcspVerificationException extends Exception {

    private final String reason;

    public OcspVerificationException(String reason, String message) {
        super(message);
        this.reason = reason;
    }

    /** A short, bounded label: {@code signature}, {@code cert_id}, {@code expired}, ... */
    public String reason() {
        return reason;
    }
}
