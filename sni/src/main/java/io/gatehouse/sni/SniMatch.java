package io.gatehouse.sni;

/** How a client's connection found its certificate, for logs and counters. */
public enum SniMatch {
    /** The server name equals a name of the certificate. */
    EXACT,
    /** The server name matched a wildcard in its leftmost label. */
    WILDCARD,
    /** No server name; the address the client connected to is an iPAddress SAN of the certificate. */
    ADDRESS,
    /** No server name or an unknown one: the listener's default certificate. */
    DEFAULT
}
