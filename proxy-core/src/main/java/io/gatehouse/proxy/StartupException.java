package io.gatehouse.proxy;

/**
 * Gatehouse could not start for a reason outside the configuration's text, such as a port already in use.
 * Whatever had started is stopped before this is thrown.
 */
public final class StartupException extends Exception {

    public StartupException(String message, Throwable cause) {
        super(message, cause);
    }
}
