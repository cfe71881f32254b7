package io.gatehouse.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gatehouse.proxy.Gatehouse;
import io.gatehouse.proxy.GatehouseFixture;
import io.gatehouse.proxy.NoLeaks;
import io.gatehouse.proxy.RawHttp;
import io.gatehouse.proxy.RecordingBackend;
import io.gatehouse.proxy.TestPki;
import io.gatehouse.proxy.TestResources;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Routes, balancing, health checks, ejection and upstream timeouts, against several in-test servers. */
@ExtendWith(NoLeaks.class)
class RoutingAndBalancingTest {

    @TempDir
    Path dir;

    TestPki pki;
    SSLContext tls;
    @RegisterExtension
    final TestResources resources = new TestResources();

    @BeforeEach
    void pki() throws Exception {
        pki = new TestPki(dir);
        tls = pki.clientContext();
    }

    private RecordingBackend backend(String name) throws Exception {
        RecordingBackend backend = RecordingBackend.start(name);
        resources.add(backend);
        return backend;
    }

    private int start(String yaml) throws Exception {
        Gatehouse gatehouse = GatehouseFixture.start(dir, yaml);
        resources.add(gatehouse);
        return gatehouse.address("front").getPort();
    }

    private String listener(String extra) {
        return """
                listeners:
                  - name: front
                    bind: "127.0.0.1:0"
                    certificates:
                      - pem: %s
                %s
                """.formatted(pki.serverPem, extra);
    }

    private String servedBy(int port, String host, String target) throws Exception {
        return RawHttp.header(RawHttp.get(tls, port, host, target), "X-Served-By");
    }

    @Test
    void routesMatchInOrderOnHostAndPathPrefixAndStripThePrefixWhenAsked() throws Exception {
        RecordingBackend keystone = backend("keystone");
        RecordingBackend nova = backend("nova");
        RecordingBackend wild = backend("wild");
        RecordingBackend fallback = backend("fallback");
        int port = start(listener("""
                    backend: fallback
                    routes:
                      - host: keystone.example.com
                        backend: keystone
                      - path-prefix: /compute
                        strip-prefix: true
                        backend: nova
                      - host: "*.example.com"
                        backend: wild
                """) + """
                backends:
                  keystone: {servers: ["127.0.0.1:%d"]}
                  nova: {servers: ["127.0.0.1:%d"]}
                  wild: {servers: ["127.0.0.1:%d"]}
                  fallback: {servers: ["127.0.0.1:%d"]}
                """.formatted(keystone.port(), nova.port(), wild.port(), fallback.port()));

        assertThat(servedBy(port, "Keystone.Example.COM:443", "/v3/auth/tokens")).isEqualTo("keystone");
        assertThat(servedBy(port, "keystone.example.com", "/compute/v2.1")).as("earlier route wins").isEqualTo("keystone");
        assertThat(servedBy(port, "api", "/compute/v2.1/servers?all_tenants=1")).isEqualTo("nova");
        assertThat(servedBy(port, "api", "/compute")).isEqualTo("nova");
        assertThat(servedBy(port, "api", "/computer")).as("prefixes match whole segments").isEqualTo("fallback");
        assertThat(servedBy(port, "glance.example.com", "/v2/images")).isEqualTo("wild");
        assertThat(servedBy(port, "a.b.example.com", "/")).as("a wildcard is one label").isEqualTo("fallback");
        assertThat(nova.served()).extracting(RecordingBackend.Seen::uri).containsExactly("/v2.1/servers?all_tenants=1", "/");
        assertThat(keystone.served()).extracting(RecordingBackend.Seen::uri).containsExactly("/v3/auth/tokens", "/compute/v2.1");
    }

    @Test
    void aListenerWithRoutesAndNoDefaultAnswers404ForUnroutedRequests() throws Exception {
        RecordingBackend keystone = backend("keystone");
        int port = start(listener("""
                    routes:
                      - host: keystone.example.com
                        backend: keystone
                """) + """
                backends:
                  keystone: {servers: ["127.0.0.1:%d"]}
                """.formatted(keystone.port()));
        assertThat(RawHttp.get(tls, port, "other.example.com", "/")).startsWith("HTTP/1.1 404");
        assertThat(keystone.served()).isEmpty();
    }

    @Test
    void weightedRoundRobinGivesEachServerItsShare() throws Exception {
        RecordingBackend light = backend("light");
        RecordingBackend heavy = backend("heavy");
        int port = start(listener("    backend: app") + """
                backends:
                  app:
                    servers:
                      - {address: "127.0.0.1:%d", weight: 1}
                      - {address: "127.0.0.1:%d", weight: 3}
                """.formatted(light.port(), heavy.port()));
        for (int i = 0; i < 8; i++) {
            servedBy(port, "a", "/" + i);
        }
        assertThat(light.served()).hasSize(2);
        assertThat(heavy.served()).hasSize(6);
    }

    @Test
    void leastConnectionsSendsNewRequestsAwayFromAServerStillBusy() throws Exception {
        RecordingBackend one = backend("one");
        RecordingBackend two = backend("two");
        int port = start(listener("    backend: app") + """
                backends:
                  app:
                    balance: least-connections
                    servers: ["127.0.0.1:%d", "127.0.0.1:%d"]
                """.formatted(one.port(), two.port()));
        try (var busy = tls.getSocketFactory().createSocket("127.0.0.1", port)) {
            busy.getOutputStream().write("GET /slow HTTP/1.1\r\nHost: a\r\n\r\n".getBytes());
            busy.getOutputStream().flush();
            await().atMost(Duration.ofSeconds(10)).until(() -> one.served().size() + two.served().size() == 1);
            RecordingBackend idle = one.served().isEmpty() ? one : two;
            for (int i = 0; i < 4; i++) {
                assertThat(servedBy(port, "a", "/quick/" + i)).isEqualTo(idle.name());
            }
        }
    }

    @Test
    void aFailingHealthCheckTakesAServerOutAndPassingChecksBringItBack() throws Exception {
        RecordingBackend one = backend("one");
        RecordingBackend two = backend("two");
        Gatehouse gatehouse = resources.add(GatehouseFixture.start(dir, listener("    backend: app") + """
                backends:
                  app:
                    servers: ["127.0.0.1:%d", "127.0.0.1:%d"]
                    health: {path: /health, interval: 100ms, rise: 2, fall: 2}
                admin: {bind: "127.0.0.1:0"}
                """.formatted(one.port(), two.port())));
        int port = gatehouse.address("front").getPort();
        int admin = gatehouse.adminAddress().orElseThrow().getPort();
        two.healthStatus(503);
        await().atMost(Duration.ofSeconds(10)).until(() -> servedByFour(port).stream().allMatch("one"::equals));
        assertThat(RawHttp.get(null, admin, "a", "/metrics"))
                .contains("gatehouse_upstream_server_up{backend=\"app\",server=\"127.0.0.1:" + two.port() + "\"} 0.0")
                .contains("gatehouse_upstream_server_up{backend=\"app\",server=\"127.0.0.1:" + one.port() + "\"} 1.0");
        assertThat(RawHttp.get(null, admin, "a", "/healthz"))
                .contains("{\"backend\":\"app\",\"address\":\"127.0.0.1:" + two.port() + "\",\"healthy\":false,\"ejected\":false");
        two.healthStatus(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> servedByFour(port).contains("two"));
        assertThat(two.healthChecks()).isGreaterThanOrEqualTo(4);
    }

    private List<String> servedByFour(int port) throws Exception {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            names.add(servedBy(port, "a", "/"));
        }
        return names;
    }

    @Test
    void aBackendWithNoHealthyServerAnswers503WithAShortBody() throws Exception {
        RecordingBackend only = backend("only");
        int port = start(listener("    backend: app") + """
                backends:
                  app:
                    servers: ["127.0.0.1:%d"]
                    health: {path: /health, interval: 100ms, rise: 1, fall: 1}
                """.formatted(only.port()));
        only.healthStatus(500);
        await().atMost(Duration.ofSeconds(10)).until(() -> RawHttp.get(tls, port, "a", "/").startsWith("HTTP/1.1 503"));
        assertThat(RawHttp.get(tls, port, "a", "/")).contains("no healthy server");
    }

    @Test
    void aServerRefusingConnectionsIsEjectedAndEvenPostsGoToTheOther() throws Exception {
        RecordingBackend alive = backend("alive");
        int dead;
        try (ServerSocket closed = new ServerSocket(0)) {
            dead = closed.getLocalPort();
        }
        int port = start(listener("    backend: app") + """
                backends:
                  app:
                    servers: ["127.0.0.1:%d", "127.0.0.1:%d"]
                    eject: {after-failures: 1, duration: 1m}
                """.formatted(dead, alive.port()));
        for (int i = 0; i < 4; i++) {
            String response = RawHttp.exchange(tls, port, "POST /v2.1/servers HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n"
                    + "Connection: close\r\n\r\n{}");
            assertThat(response).startsWith("HTTP/1.1 200").contains("X-Served-By: alive");
        }
        assertThat(alive.served()).hasSize(4);
    }

    @Test
    void aServerAtItsConnectionLimitTakesNoMoreAndTheClientGets503() throws Exception {
        RecordingBackend only = backend("only");
        int port = start(listener("    backend: app") + """
                backends:
                  app:
                    servers: ["127.0.0.1:%d"]
                    max-connections-per-server: 1
                """.formatted(only.port()));
        try (var busy = tls.getSocketFactory().createSocket("127.0.0.1", port)) {
            busy.getOutputStream().write("GET /slow HTTP/1.1\r\nHost: a\r\n\r\n".getBytes());
            busy.getOutputStream().flush();
            await().atMost(Duration.ofSeconds(10)).until(() -> only.served().size() == 1);
            assertThat(RawHttp.get(tls, port, "a", "/")).startsWith("HTTP/1.1 503");
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> RawHttp.get(tls, port, "a", "/").startsWith("HTTP/1.1 200"));
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrderEvenWhenTheyArriveMidExchange() throws Exception {
        RecordingBackend app = backend("app");
        int port = start(listener("    backend: app") + """
                backends:
                  app: {servers: ["127.0.0.1:%d"]}
                """.formatted(app.port()));
        try (var socket = tls.getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            var out = socket.getOutputStream();
            out.write("GET /1 HTTP/1.1\r\nHost: a\r\n\r\nGET /2 HTTP/1.1\r\nHo".getBytes());
            out.flush();
            await().atMost(Duration.ofSeconds(10)).until(() -> app.served().size() == 1);
            out.write("st: a\r\n\r\nGET /3 HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n".getBytes());
            out.flush();
            String all = RawHttp.readAll(socket.getInputStream());
            assertThat(all.indexOf("app GET /1")).isNotNegative().isLessThan(all.indexOf("app GET /2"));
            assertThat(all.indexOf("app GET /2")).isLessThan(all.indexOf("app GET /3"));
        }
        assertThat(app.served()).extracting(RecordingBackend.Seen::uri).containsExactly("/1", "/2", "/3");
    }

    @Test
    void aServerThatDoesNotAnswerInTheResponseHeaderTimeoutGets504() throws Exception {
        RecordingBackend slow = backend("slow");
        int port = start(listener("    backend: app") + """
                backends:
                  app:
                    servers: ["127.0.0.1:%d"]
                    timeouts: {response-header: 300ms}
                """.formatted(slow.port()));
        assertThat(RawHttp.get(tls, port, "a", "/slow")).startsWith("HTTP/1.1 504 Gateway Timeout");
        assertThat(RawHttp.get(tls, port, "a", "/fast")).startsWith("HTTP/1.1 200");
    }

    @Test
    void aPlainRedirectListenerSendsEveryRequestToHttpsWithTheSameHostAndPath() throws Exception {
        int port = start("""
                listeners:
                  - name: front
                    bind: "127.0.0.1:0"
                    redirect: https
                """);
        String get = RawHttp.get(null, port, "horizon.example.com:80", "/dashboard/auth/login/?next=/dashboard/");
        assertThat(get).startsWith("HTTP/1.1 301");
        assertThat(RawHttp.header(get, "Location")).isEqualTo("https://horizon.example.com/dashboard/auth/login/?next=/dashboard/");
        String post = RawHttp.exchange(null, port, "POST /v3/auth/tokens HTTP/1.1\r\nHost: keystone.example.com\r\n"
                + "Content-Length: 2\r\nConnection: close\r\n\r\n{}");
        assertThat(post).startsWith("HTTP/1.1 308");
        assertThat(RawHttp.header(post, "Location")).isEqualTo("https://keystone.example.com/v3/auth/tokens");
    }

    @Test
    void aWebsocketUpgradeIsPassedThroughAndThenRelaysBytesBothWays() throws Exception {
        RecordingBackend console = backend("novnc");
        int port = start(listener("    backend: app") + """
                backends:
                  app: {servers: ["127.0.0.1:%d"]}
                """.formatted(console.port()));
        try (var socket = tls.getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET /ws HTTP/1.1\r\nHost: console.example.com\r\nConnection: Upgrade\r\n"
                    + "Upgrade: websocket\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n").getBytes());
            socket.getOutputStream().flush();
            var in = socket.getInputStream();
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                head.append((char) in.read());
            }
            assertThat(head.toString()).startsWith("HTTP/1.1 101").containsIgnoringCase("upgrade: websocket");
            byte[] frame = "not http at all\r\n\r\n".getBytes();
            socket.getOutputStream().write(frame);
            socket.getOutputStream().flush();
            assertThat(in.readNBytes(frame.length)).isEqualTo(frame);
        }
        assertThat(console.served()).singleElement().satisfies(seen -> {
            assertThat(seen.headers().get("Upgrade")).isEqualTo("websocket");
            assertThat(seen.headers().get("Connection")).isEqualTo("Upgrade");
        });
    }
}
