package io.gatehouse.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.proxy.Gatehouse;
import io.gatehouse.proxy.GatehouseFixture;
import io.gatehouse.proxy.NoLeaks;
import io.gatehouse.proxy.RawBackend;
import io.gatehouse.proxy.TestPki;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The keep-alive race, made deterministic: this backend answers the first request on each connection with
 * keep-alive, then closes the connection when the second arrives, without answering, as a server whose idle timeout
 * fired at that instant does.
 */
@ExtendWith(NoLeaks.class)
class UpstreamRetryTest {

    @TempDir
    Path dir;

    RawBackend server;
    final List<String> answered = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void start() throws Exception {
        server = new RawBackend(this::serveOneThenDropTheNext);
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private void serveOneThenDropTheNext(Socket socket) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
        String requestLine = in.readLine();
        int length = 0;
        String line;
        while (!(line = in.readLine()).isEmpty()) {
            if (line.toLowerCase().startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        in.skip(length);
        answered.add(requestLine);
        OutputStream out = socket.getOutputStream();
        out.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: keep-alive\r\n\r\nok".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        in.readLine();
        // The second request's first line arrived: close without a byte of response.
    }

    private Gatehouse gatehouse(TestPki pki) throws Exception {
        return GatehouseFixture.start(dir, GatehouseFixture.singleListener("http", pki,
                server.address(), ""));
    }

    @Test
    void anIdempotentRequestMeetingADeadPooledConnectionIsRetriedOnceOnAFreshOne() throws Exception {
        TestPki pki = new TestPki(dir);
        try (Gatehouse gatehouse = gatehouse(pki)) {
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(pki.clientContext()).build();
            URI base = URI.create("https://127.0.0.1:" + gatehouse.address("front").getPort());
            assertThat(client.send(HttpRequest.newBuilder(base.resolve("/first")).build(), HttpResponse.BodyHandlers.ofString()).statusCode())
                    .isEqualTo(200);
            HttpResponse<String> second = client.send(HttpRequest.newBuilder(base.resolve("/second")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(second.statusCode()).isEqualTo(200);
            assertThat(server.connections()).as("the retry used a fresh connection").isEqualTo(2);
            assertThat(answered).containsExactly("GET /first HTTP/1.1", "GET /second HTTP/1.1");
        }
    }

    @Test
    void theJdkClientReadsThe502ThoughItWasStillSendingWhenTheProxyGaveUp() throws Exception {
        // Closing at once after the 502 made the kernel reset the connection under the client's unread request
        // bytes, and the JDK client saw no response at all; a lingering close lets it read the 502.
        TestPki pki = new TestPki(dir);
        try (Gatehouse gatehouse = gatehouse(pki)) {
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(pki.clientContext()).build();
            URI base = URI.create("https://127.0.0.1:" + gatehouse.address("front").getPort());
            client.send(HttpRequest.newBuilder(base.resolve("/first")).build(), HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> post = client.send(HttpRequest.newBuilder(base.resolve("/v3/auth/tokens"))
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(post.statusCode()).isEqualTo(502);
            assertThat(post.body()).contains("Bad Gateway");
            assertThat(server.connections()).as("no second attempt").isEqualTo(1);
        }
    }

    @Test
    void aPostMeetingADeadPooledConnectionIsNeverReplayed() throws Exception {
        TestPki pki = new TestPki(dir);
        try (Gatehouse gatehouse = gatehouse(pki);
                javax.net.ssl.SSLSocket socket = (javax.net.ssl.SSLSocket) pki.clientContext().getSocketFactory()
                        .createSocket("127.0.0.1", gatehouse.address("front").getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
            out.write("GET /first HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(in.readLine()).isEqualTo("HTTP/1.1 200 OK");
            String line;
            while (!(line = in.readLine()).isEmpty()) {
                // headers of the first response
            }
            assertThat(in.read(new char[2])).isEqualTo(2);
            out.write("POST /v3/auth/tokens HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\n{}".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            StringBuilder rest = new StringBuilder();
            int c;
            while ((c = in.read()) >= 0) {
                rest.append((char) c);
            }
            assertThat(rest.toString()).startsWith("HTTP/1.1 502 Bad Gateway");
            assertThat(server.connections()).as("no second attempt").isEqualTo(1);
        }
    }
}
