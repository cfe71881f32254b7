package io.gatehouse.sni;

/** How a client's server name found its certificate, for logs and counters. */
public enum SniMatch {
    EXACT, WILDCARD, DEFAULT
}
