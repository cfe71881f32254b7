package io.gatehouse.proxy.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gatehouse.proxy.Gatehouse;
import io.gatehouse.proxy.GatehouseFixture;
import io.gatehouse.proxy.NoLeaks;
import io.gatehouse.proxy.ProcessRun;
import io.gatehouse.proxy.TestPki;
import io.gatehouse.proxy.demo.DemoBackend;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(NoLeaks.class)
class AdminEndpointTest {

    @TempDir
    Path dir;

    private static String get(URI uri) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    @Test
    void metricsCountHandshakesByCertificateNicknameAndFailuresByReason() throws Exception {
        TestPki pki = new TestPki(dir);
        int closedPort;
        try (ServerSocket reserved = new ServerSocket(0)) {
            closedPort = reserved.getLocalPort();
        }
        try (DemoBackend backend = DemoBackend.start("127.0.0.1", 0);
                Gatehouse gatehouse = GatehouseFixture.start(dir, """
                        listeners:
                          - {name: public, bind: "127.0.0.1:0", certificates: [{pem: %1$s}], strict-sni: true, backend: app}
                          - {name: broken, bind: "127.0.0.1:0", certificates: [{pem: %1$s}], backend: down}
                        backends:
                          app: {servers: ["127.0.0.1:%2$d"]}
                          down: {servers: ["127.0.0.1:%3$d"]}
                        admin: {bind: "127.0.0.1:0"}
                        """.formatted(pki.serverPem, backend.address().getPort(), closedPort))) {
            HttpClient client = HttpClient.newBuilder().sslContext(pki.clientContext()).version(HttpClient.Version.HTTP_1_1).build();
            int port = gatehouse.address("public").getPort();
            client.send(HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/")).build(), HttpResponse.BodyHandlers.ofString());
            ProcessRun.run(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port, "-servername", "nope.example.org"), "");
            client.send(HttpRequest.newBuilder(URI.create("https://localhost:" + gatehouse.address("broken").getPort() + "/")).build(),
                    HttpResponse.BodyHandlers.ofString());

            URI metrics = URI.create("http://127.0.0.1:" + gatehouse.adminAddress().orElseThrow().getPort() + "/metrics");
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(get(metrics))
                    .contains("gatehouse_tls_handshakes_total{certificate=\"server\",listener=\"public\",match=\"exact\"} 1.0")
                    .contains("gatehouse_tls_handshake_failures_total{listener=\"public\",reason=\"unrecognized_name\"} 1.0")
                    .contains("gatehouse_upstream_connect_failures_total{listener=\"broken\"} 1.0")
                    .containsPattern("gatehouse_certificate_not_after_seconds\\{nickname=\"server\",source=\"pem [^\"]+\"} \\d\\.\\d+E9")
                    .contains("gatehouse_downstream_connections "));

            String health = get(URI.create("http://127.0.0.1:" + gatehouse.adminAddress().orElseThrow().getPort() + "/healthz"));
            assertThat(health).contains("\"status\":\"ok\"").contains("\"name\":\"public\"").contains("\"name\":\"broken\"");
        }
    }
}
