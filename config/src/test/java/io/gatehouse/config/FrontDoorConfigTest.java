package io.gatehouse.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Routes, backends with their balancing, health, timeouts and TLS, redirect listeners, PROXY sources and ticket keys. */
class FrontDoorConfigTest {

    @TempDir
    Path dir;

    @BeforeEach
    void files() throws IOException {
        Files.writeString(dir.resolve("keystone.pem"), "placeholder; parsed by the sni module");
        Files.writeString(dir.resolve("ca.pem"), "placeholder");
        Files.writeString(dir.resolve("tickets.key"), "placeholder");
    }

    private GatehouseConfig load(String text) throws Exception {
        return new YamlConfigLoader().load(Files.writeString(dir.resolve("gatehouse.yaml"), text));
    }

    private List<String> problems(String text) throws IOException {
        Path file = Files.writeString(dir.resolve("gatehouse.yaml"), text);
        return catchThrowableOfType(ConfigException.class, () -> new YamlConfigLoader().load(file)).problems();
    }

    @Test
    void aFullFrontDoorConfigurationReadsIntoRecords() throws Exception {
        GatehouseConfig config = load("""
                listeners:
                  - name: public
                    bind: "*:443"
                    certificates: [{pem: keystone.pem}]
                    backend: horizon
                    accept-proxy: [10.0.0.0/8, "fd00::/8", 192.0.2.7]
                    session-tickets: {key-file: tickets.key, grace: 1h}
                    routes:
                      - host: keystone.example.com
                        backend: keystone
                      - host: "*.example.com"
                        path-prefix: /compute/
                        strip-prefix: true
                        backend: nova
                  - name: plain
                    bind: "*:80"
                    redirect: https
                backends:
                  keystone:
                    servers: ["10.0.0.11:5000", {address: "10.0.0.12:5000", weight: 3}]
                    balance: least-connections
                    health: {path: /healthcheck, interval: 5s, rise: 3, fall: 2, expect-status: 204}
                    timeouts: {connect: 2s, idle: 3s, response-header: 30s, total: 10m}
                    eject: {after-failures: 2, duration: 30s}
                    max-idle-per-server: 8
                    max-connections-per-server: 100
                    send-proxy: v2
                    tls: {ca: ca.pem, sni: keystone.internal}
                  nova: {servers: ["10.0.0.11:8774"]}
                  horizon: {servers: ["10.0.0.11:80"]}
                """);
        ListenerConfig front = config.listeners().get(0);
        assertThat(front.routes()).containsExactly(
                new RouteConfig("listeners[0].routes[0]", Optional.of("keystone.example.com"), Optional.empty(), false, "keystone"),
                new RouteConfig("listeners[0].routes[1]", Optional.of("*.example.com"), Optional.of("/compute"), true, "nova"));
        assertThat(front.acceptProxy()).hasSize(3);
        assertThat(front.acceptProxy().get(0).contains(InetAddress.getByName("10.200.1.1"))).isTrue();
        assertThat(front.acceptProxy().get(0).contains(InetAddress.getByName("11.0.0.1"))).isFalse();
        assertThat(front.acceptProxy().get(1).contains(InetAddress.getByName("fd12::1"))).isTrue();
        assertThat(front.acceptProxy().get(2).contains(InetAddress.getByName("192.0.2.8"))).isFalse();
        assertThat(front.sessionTickets()).contains(new SessionTicketConfig(dir.resolve("tickets.key"), Duration.ofHours(1)));
        assertThat(front.http2()).isTrue();
        assertThat(config.listeners().get(1).redirectToHttps()).isTrue();
        BackendConfig keystone = config.backends().get("keystone");
        assertThat(keystone.weights()).containsExactly(1, 3);
        assertThat(keystone.balance()).isEqualTo(BalanceMode.LEAST_CONNECTIONS);
        assertThat(keystone.health()).contains(new HealthCheckConfig("/healthcheck", Duration.ofSeconds(5), Duration.ofSeconds(2), 3, 2, 204));
        assertThat(keystone.timeouts()).isEqualTo(new BackendTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(3), Duration.ofSeconds(30),
                Optional.of(Duration.ofMinutes(10))));
        assertThat(keystone.ejection()).isEqualTo(new EjectionConfig(2, Duration.ofSeconds(30)));
        assertThat(keystone.maxIdlePerServer()).isEqualTo(8);
        assertThat(keystone.maxConnectionsPerServer()).isEqualTo(100);
        assertThat(keystone.sendProxy()).contains(ProxyProtocolVersion.V2);
        assertThat(keystone.tls()).contains(new BackendTlsConfig(Optional.of(dir.resolve("ca.pem")), true, Optional.of("keystone.internal")));
        assertThat(config.backends().get("nova").timeouts()).isEqualTo(BackendTimeouts.DEFAULTS);
    }

    @Test
    void everyMistakeIsNamedByItsPathWithTheFix() throws Exception {
        assertThat(problems("""
                listeners:
                  - name: public
                    bind: "*:443"
                    certificates: [{pem: keystone.pem}]
                    accept-proxy: [10.0.0.0/33, keystone.example.com]
                    routes:
                      - backend: horizon
                      - host: "a.*.example.com"
                        backend: nova
                      - path-prefix: compute
                        backend: missing
                      - strip-prefix: true
                        backend: nova
                  - name: plain
                    bind: "*:80"
                    redirect: http
                  - name: mixed
                    bind: "*:8080"
                    redirect: https
                    certificates: [{pem: keystone.pem}]
                backends:
                  nova:
                    servers: [{address: "10.0.0.1:8774", weight: 300}]
                    balance: random
                    health: {path: healthcheck}
                    timeouts: {connect: 0s}
                  horizon: {servers: ["10.0.0.1:80"]}
                """)).containsExactlyInAnyOrder(
                "listeners[0].accept-proxy[0]: '10.0.0.0/33' has a prefix length outside 0-32 (e.g. 10.0.0.0/8 or fd00::/8)",
                "listeners[0].accept-proxy[1]: 'keystone.example.com' is not an address range (names are not allowed here) (e.g. 10.0.0.0/8 or fd00::/8)",
                "listeners[0].routes[1].host: 'a.*.example.com' is not a host name (a wildcard may only be the whole leftmost label)"
                        + " (e.g. compute.example.com or *.example.com)",
                "listeners[0].routes[2].path-prefix: 'compute' is not a path prefix (e.g. /compute)",
                "listeners[0].routes[3].strip-prefix: needs path-prefix (add path-prefix, or remove strip-prefix)",
                "listeners[1].redirect: 'http' is not a redirect target (use redirect: https)",
                "listeners[2].redirect: a redirect listener speaks plain HTTP and forwards nothing (remove certificates, backend and routes from it)",
                "backends.nova.servers[0].weight: '300' is above 256 (use a weight from 1 to 256)",
                "backends.nova.balance: 'random' is not a balance mode (use round-robin or least-connections)",
                "backends.nova.health.path: 'healthcheck' does not start with / (e.g. /healthcheck)",
                "backends.nova.timeouts.connect: is zero (give a positive duration, or remove the field for the default)");
    }

    @Test
    void aRouteAfterACatchAllAndRoutesToUnknownBackendsAreRefused() throws Exception {
        assertThat(problems("""
                listeners:
                  - name: public
                    bind: "*:443"
                    certificates: [{pem: keystone.pem}]
                    routes:
                      - backend: horizon
                      - host: keystone.example.com
                        backend: keystone
                backends:
                  horizon: {servers: ["10.0.0.1:80"]}
                """)).containsExactly(
                "listeners[0].routes[1]: can never match: an earlier route matches every request"
                        + " (move the route without host and path-prefix to the end)",
                "listeners[0].routes[1].backend: 'keystone' is not defined under backends: (use one of horizon)");
    }

    @Test
    void aListenerNeedsABackendOrRoutesAndTcpModeCannotRoute() throws Exception {
        assertThat(problems("""
                listeners:
                  - name: public
                    bind: "*:443"
                    certificates: [{pem: keystone.pem}]
                  - name: raw
                    bind: "*:444"
                    mode: tcp
                    certificates: [{pem: keystone.pem}]
                    routes: [{backend: horizon}]
                backends:
                  horizon: {servers: ["10.0.0.1:80"]}
                """)).containsExactlyInAnyOrder(
                "listeners[0].backend: is required (name one of the entries under backends:)",
                "listeners[1].routes: need http mode (tcp mode cannot see hosts or paths) (remove routes or use mode: http)",
                "listeners[1].backend: is required (name one of the entries under backends:)");
    }

    @Test
    void aProxyHeaderFromBothTheListenerAndItsBackendIsRefused() throws Exception {
        assertThat(problems("""
                listeners:
                  - name: raw
                    bind: "*:444"
                    mode: tcp
                    certificates: [{pem: keystone.pem}]
                    backend: app
                    send-proxy: v1
                backends:
                  app: {servers: ["10.0.0.1:80"], send-proxy: v2}
                """)).containsExactly("listeners[0].send-proxy: the backend app sends a PROXY header too, so the server would get two"
                + " (set send-proxy on the listener or on the backend, not both)");
    }

    @Test
    void cidrRangesCompareWholeBitsAndFamilies() throws Exception {
        CidrRange range = CidrRange.parse("10.1.2.0/23");
        assertThat(range.contains(InetAddress.getByName("10.1.3.255"))).isTrue();
        assertThat(range.contains(InetAddress.getByName("10.1.4.0"))).isFalse();
        assertThat(range.contains(InetAddress.getByName("::ffff:10.1.2.1"))).as("an IPv4-mapped literal is IPv4 in Java").isTrue();
        assertThat(CidrRange.parse("::/0").contains(InetAddress.getByName("10.0.0.1"))).isFalse();
        assertThatThrownBy(() -> CidrRange.parse("10.0.0.0/x")).hasMessageContaining("prefix length");
    }
}
