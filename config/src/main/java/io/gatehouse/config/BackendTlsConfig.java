package io.gatehouse.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Re-encryption to a backend's servers.
 *
 * @param ca     CA bundle the servers' certificates must chain to; empty means the system trust store, as
 *               python-requests does
 * @param verify check the chain and the host name (RFC 6125); off only for lab setups, and logged at startup
 * @param sni    the name to send in SNI and to verify; empty means the server's address as written
 */
public record BackendTlsConfig(Optional<Path> ca, boolean verify, Optional<String> sni) {
}
