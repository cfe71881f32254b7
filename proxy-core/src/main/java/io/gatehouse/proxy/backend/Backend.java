package io.gatehouse.proxy.backend;

import io.gatehouse.config.BackendConfig;
import io.gatehouse.config.BalanceMode;
import io.netty.handler.ssl.SslContext;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A backend at run time: its servers, and the choice of one for each exchange (weighted round robin or least
 * connections, over the servers in rotation). Shared by every event loop.
 */
public final class Backend {

    private final BackendConfig config;
    private final List<UpstreamServer> servers;
    private final Optional<SslContext> tls;
    /** Smooth weighted round robin (as nginx does): spreads a heavy server's turns instead of bunching them. */
    private final int[] currentWeights;
    private int leastConnectionsStart;

    public Backend(BackendConfig config, List<UpstreamServer> servers, Optional<SslContext> tls) {
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("backend " + config.name() + " has no servers");
        }
        this.config = config;
        this.servers = List.copyOf(servers);
        this.tls = tls;
        this.currentWeights = new int[servers.size()];
    }

    public String name() {
        return config.name();
    }

    public BackendConfig config() {
        return config;
    }

    public List<UpstreamServer> servers() {
        return servers;
    }

    public Optional<SslContext> tls() {
        return tls;
    }

    /** The servers as operators write them: {@code [127.0.0.1:35357, [fd00::5]:35357]}. */
    public String serversText() {
        return servers.stream().map(UpstreamServer::text).toList().toString();
    }

    /**
     * The next server for an exchange, skipping {@code tried}; empty when no server is in rotation. When every
     * server left is out only for passive ejection, ejection is ignored (as nginx does for a single server): a
     * backend restarting for a few seconds, as a devstack service does, must not cost a further ejection period
     * of refusals once it is back.
     */
    public synchronized Optional<UpstreamServer> choose(Set<UpstreamServer> tried) {
        Optional<UpstreamServer> chosen = pick(tried, false);
        return chosen.isPresent() ? chosen : pick(tried, true);
    }

    private Optional<UpstreamServer> pick(Set<UpstreamServer> tried, boolean ignoreEjection) {
        return config.balance() == BalanceMode.LEAST_CONNECTIONS ? leastConnections(tried, ignoreEjection) : roundRobin(tried, ignoreEjection);
    }

    private static boolean eligible(UpstreamServer server, Set<UpstreamServer> tried, boolean ignoreEjection) {
        return !tried.contains(server) && (ignoreEjection ? server.availableIgnoringEjection() : server.available());
    }

    private Optional<UpstreamServer> roundRobin(Set<UpstreamServer> tried, boolean ignoreEjection) {
        int total = 0;
        int best = -1;
        for (int i = 0; i < servers.size(); i++) {
            UpstreamServer server = servers.get(i);
            if (!eligible(server, tried, ignoreEjection)) {
                continue;
            }
            currentWeights[i] += server.weight();
            total += server.weight();
            if (best < 0 || currentWeights[i] > currentWeights[best]) {
                best = i;
            }
        }
        if (best < 0) {
            return Optional.empty();
        }
        currentWeights[best] -= total;
        return Optional.of(servers.get(best));
    }

    private Optional<UpstreamServer> leastConnections(Set<UpstreamServer> tried, boolean ignoreEjection) {
        UpstreamServer best = null;
        int n = servers.size();
        // Start the scan where the last one left off, so ties rotate instead of always picking the first server.
        leastConnectionsStart = (leastConnectionsStart + 1) % n;
        for (int k = 0; k < n; k++) {
            UpstreamServer server = servers.get((leastConnectionsStart + k) % n);
            if (!eligible(server, tried, ignoreEjection)) {
                continue;
            }
            // inFlight/weight compared without division: a/b < c/d  <=>  a*d < c*b
            if (best == null || (long) server.inFlight() * best.weight() < (long) best.inFlight() * server.weight()) {
                best = server;
            }
        }
        return Optional.ofNullable(best);
    }
}
