package io.gatehouse.proxy.backend;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.config.BackendConfig;
import io.gatehouse.config.BackendTimeouts;
import io.gatehouse.config.BalanceMode;
import io.gatehouse.config.EjectionConfig;
import io.gatehouse.config.HostPort;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class BackendTest {

    final AtomicLong now = new AtomicLong();

    private Backend backend(BalanceMode balance, int... weights) {
        List<HostPort> addresses = new ArrayList<>();
        List<Integer> weightList = new ArrayList<>();
        List<UpstreamServer> servers = new ArrayList<>();
        EjectionConfig ejection = new EjectionConfig(1, Duration.ofSeconds(10));
        for (int i = 0; i < weights.length; i++) {
            addresses.add(new HostPort("127.0.0.1", 8000 + i));
            weightList.add(weights[i]);
            servers.add(new UpstreamServer("app", new InetSocketAddress("127.0.0.1", 8000 + i), "127.0.0.1", weights[i], ejection, 0,
                    now::get));
        }
        BackendConfig config = new BackendConfig("backends.app", "app", addresses, weightList, balance, Optional.empty(),
                BackendTimeouts.DEFAULTS, ejection, 64, 0, Optional.empty(), Optional.empty());
        return new Backend(config, servers, Optional.empty());
    }

    private List<Integer> ports(Backend backend, int picks) {
        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < picks; i++) {
            ports.add(backend.choose(Set.of()).orElseThrow().address().getPort());
        }
        return ports;
    }

    @Test
    void weightedRoundRobinSpreadsTheHeavyServersTurns() {
        assertThat(ports(backend(BalanceMode.ROUND_ROBIN, 3, 1), 8)).containsExactly(8000, 8000, 8001, 8000, 8000, 8000, 8001, 8000);
    }

    @Test
    void leastConnectionsWeighsInFlightExchangesByWeight() {
        Backend backend = backend(BalanceMode.LEAST_CONNECTIONS, 1, 2);
        UpstreamServer light = backend.servers().get(0);
        UpstreamServer heavy = backend.servers().get(1);
        light.exchangeStarted();
        heavy.exchangeStarted();
        assertThat(backend.choose(Set.of())).contains(heavy);
        heavy.exchangeStarted();
        heavy.exchangeStarted();
        assertThat(backend.choose(Set.of())).contains(light);
    }

    @Test
    void anEjectedServerIsSkippedUntilItsTimeIsUp() {
        Backend backend = backend(BalanceMode.ROUND_ROBIN, 1, 1);
        UpstreamServer first = backend.servers().get(0);
        first.connectFailed(new java.net.ConnectException("refused"));
        assertThat(ports(backend, 4)).containsOnly(8001);
        now.addAndGet(Duration.ofSeconds(10).toNanos());
        assertThat(ports(backend, 4)).contains(8000, 8001);
    }

    @Test
    void whenEveryServerIsEjectedTheyAreTriedAnywayButUnhealthyOnesNever() {
        Backend backend = backend(BalanceMode.ROUND_ROBIN, 1);
        UpstreamServer only = backend.servers().get(0);
        only.connectFailed(new java.net.ConnectException("refused"));
        assertThat(only.isEjected()).isTrue();
        assertThat(backend.choose(Set.of())).as("a restarting single server must not be refused for the ejection period").contains(only);
        assertThat(backend.choose(Set.of(only))).as("but not twice in one exchange").isEmpty();
        only.healthChanged(false, "health check failed");
        assertThat(backend.choose(Set.of())).isEmpty();
    }
}
