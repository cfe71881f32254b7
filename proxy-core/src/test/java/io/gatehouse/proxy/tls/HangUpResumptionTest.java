package io.gatehouse.proxy.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gatehouse.proxy.Gatehouse;
import io.gatehouse.proxy.GatehouseFixture;
import io.gatehouse.proxy.NoLeaks;
import io.gatehouse.proxy.ProcessRun;
import io.gatehouse.proxy.RecordingBackend;
import io.gatehouse.proxy.TestPki;
import io.gatehouse.proxy.TestResources;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many clients hang up without close_notify. The proxy frees such a connection's TLS engine early (see
 * TlsEngineRelease), and the session must stay in the server's session cache all the same: a TLS 1.2 client without
 * tickets resumes by session id, which only works from that cache.
 */
@ExtendWith(NoLeaks.class)
class HangUpResumptionTest {

    @TempDir
    Path dir;

    @RegisterExtension
    final TestResources resources = new TestResources();

    @Test
    void aSessionIdStillResumesAfterTheClientWasKilledMidConnection() throws Exception {
        TestPki pki = new TestPki(dir);
        RecordingBackend backend = resources.add(RecordingBackend.start("app"));
        Gatehouse gatehouse = resources.add(GatehouseFixture.start(dir, """
                listeners:
                  - {name: front, bind: "127.0.0.1:0", certificates: [{pem: %s}], backend: app}
                backends:
                  app: {servers: ["127.0.0.1:%d"]}
                admin: {bind: "127.0.0.1:0"}
                """.formatted(pki.serverPem, backend.port())));
        int port = gatehouse.address("front").getPort();
        URI metrics = URI.create("http://127.0.0.1:" + gatehouse.adminAddress().orElseThrow().getPort() + "/metrics");

        Path session = dir.resolve("session");
        // Its standard input stays open, so the client sits connected until it is killed: no close_notify is sent.
        Process client = new ProcessBuilder(sClient(pki, port, "-sess_out", session))
                .redirectOutput(dir.resolve("first.out").toFile()).redirectErrorStream(true).start();
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(session) && Files.size(session) > 0);
        } finally {
            client.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
        }
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(get(metrics)).as("the proxy has seen the hang-up").contains("gatehouse_downstream_connections 0.0"));

        String second = ProcessRun.run(sClient(pki, port, "-sess_in", session), "").stdout();
        assertThat(second).contains("Reused, TLSv1.2");
    }

    private static List<String> sClient(TestPki pki, int port, String sessionOption, Path session) {
        return List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port, "-servername", "localhost",
                "-CAfile", pki.rootPem.toString(), "-tls1_2", "-no_ticket", sessionOption, session.toString());
    }

    private static String get(URI uri) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()).body();
    }
}
