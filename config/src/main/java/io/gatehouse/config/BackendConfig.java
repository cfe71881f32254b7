package io.gatehouse.config;

import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * A named group of upstream servers that listeners and routes forward to.
 *
 * @param weights                 one per server, 1 to 256; a server with weight 2 gets twice the share
 * @param maxIdlePerServer        pooled keep-alive connections kept per server and event loop
 * @param maxConnectionsPerServer exchanges in flight per server; 0 means no limit. Past it, another server is
 *                                chosen, and with none left the client gets 503
 * @param sendProxy               PROXY protocol header on every upstream connection; such connections carry one
 *                                client's requests only
 */
public record BackendConfig(
        String origin,
        String name,
        List<HostPort> servers,
        List<Integer> weights,
        BalanceMode balance,
        Optional<HealthCheckConfig> health,
        BackendTimeouts timeouts,
        EjectionConfig ejection,
        int maxIdlePerServer,
        int maxConnectionsPerServer,
        Optional<ProxyProtocolVersion> sendProxy,
        Optional<BackendTlsConfig> tls) {

    public static final int DEFAULT_MAX_IDLE_PER_SERVER = 64;

    public BackendConfig {
        servers = List.copyOf(servers);
        weights = List.copyOf(weights);
        if (weights.size() != servers.size()) {
            throw new IllegalArgumentException("one weight per server");
        }
    }

    /** Equal weights, round robin, no health check and default timeouts: the stud/hitch shape. */
    public BackendConfig(String origin, String name, List<HostPort> servers) {
        this(origin, name, servers, Collections.nCopies(servers.size(), 1), BalanceMode.ROUND_ROBIN, Optional.empty(),
                BackendTimeouts.DEFAULTS, EjectionConfig.DEFAULTS, DEFAULT_MAX_IDLE_PER_SERVER, 0, Optional.empty(), Optional.empty());
    }

    /** Where server {@code index} was written: {@code backends.keystone.servers[0]}, or {@code --backend} on the command line. */
    public String serverOrigin(int index) {
        return origin.startsWith("--") ? origin : origin + ".servers[" + index + "]";
    }
}
