package io.gatehouse.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.proxy.Gatehouse;
import io.gatehouse.proxy.GatehouseFixture;
import io.gatehouse.proxy.NoLeaks;
import io.gatehouse.proxy.ProcessRun;
import io.gatehouse.proxy.TestPki;
import io.gatehouse.proxy.demo.DemoBackend;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@ExtendWith(NoLeaks.class)
class HttpModeTest {

    @TempDir
    static Path dir;

    static TestPki pki;
    static DemoBackend backend;
    static Gatehouse gatehouse;
    static int port;

    @BeforeAll
    static void start() throws Exception {
        pki = new TestPki(dir);
        backend = DemoBackend.start("127.0.0.1", 0);
        gatehouse = GatehouseFixture.start(dir, GatehouseFixture.singleListener("http", pki, backend.address(), ""));
        port = gatehouse.address("front").getPort();
    }

    @AfterAll
    static void stop() {
        gatehouse.close();
        backend.close();
    }

    private HttpClient client() throws Exception {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(pki.clientContext()).build();
    }

    /** A raw TLS connection with a read deadline, so a missing response fails the test instead of hanging it. */
    private SSLSocket rawConnection() throws Exception {
        SSLSocket socket = (SSLSocket) pki.clientContext().getSocketFactory().createSocket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        return socket;
    }

    private URI uri(String path) {
        return URI.create("https://127.0.0.1:" + port + path);
    }

    @Test
    void forwardsToTheBackendAndReplacesSpoofedForwardingHeaders() throws Exception {
        HttpResponse<String> response = client().send(HttpRequest.newBuilder(uri("/v3/auth/tokens?nocatalog"))
                .header("X-Forwarded-For", "6.6.6.6")
                .header("X-Forwarded-Proto", "http")
                .header("X-Forwarded-Host", "evil.example")
                .header("Forwarded", "for=6.6.6.6")
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        String echoed = response.body();
        assertThat(echoed).contains("GET /v3/auth/tokens?nocatalog HTTP/1.1")
                .contains("X-Forwarded-For: 127.0.0.1\n")
                .contains("X-Forwarded-Proto: https\n")
                .contains("X-Forwarded-Host: 127.0.0.1:" + port + "\n")
                .contains("Forwarded: for=127.0.0.1;proto=https\n")
                .containsIgnoringCase("host: 127.0.0.1:" + port + "\n")
                .doesNotContain("6.6.6.6").doesNotContain("evil.example").doesNotContain("X-Forwarded-Proto: http\n");
    }

    @Test
    void manyRequestsReuseOneUpstreamConnection() throws Exception {
        HttpClient client = client();
        client.send(HttpRequest.newBuilder(uri("/warm-up")).build(), HttpResponse.BodyHandlers.ofString());
        int before = backend.connectionsAccepted();
        for (int i = 0; i < 20; i++) {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri("/n/" + i)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
        }
        assertThat(backend.connectionsAccepted() - before).isZero();
    }

    @Test
    void theClientConnectionIsKeptAliveAcrossRequests() throws Exception {
        try (SSLSocket socket = rawConnection()) {
            OutputStream out = socket.getOutputStream();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
            for (int i = 0; i < 3; i++) {
                out.write(("GET /keepalive/" + i + " HTTP/1.1\r\nHost: localhost\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                assertThat(in.readLine()).isEqualTo("HTTP/1.1 200 OK");
                int length = -1;
                String line;
                while (!(line = in.readLine()).isEmpty()) {
                    assertThat(line.toLowerCase()).doesNotStartWith("connection: close");
                    if (line.toLowerCase().startsWith("content-length:")) {
                        length = Integer.parseInt(line.substring(15).trim());
                    }
                }
                char[] body = new char[length];
                int read = 0;
                while (read < length) {
                    read += in.read(body, read, length - read);
                }
                assertThat(new String(body)).contains("GET /keepalive/" + i);
            }
        }
    }

    @Test
    void aRequestBodyStreamsThrough() throws Exception {
        byte[] body = new byte[3 * 1024 * 1024 + 17];
        HttpResponse<String> response = client().send(HttpRequest.newBuilder(uri("/v2/images/x/file"))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.body()).contains("PUT /v2/images/x/file").contains("body-bytes: " + body.length + "\n");
    }

    @Test
    void aChunkedUploadIsForwardedChunked() throws Exception {
        var publisher = HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(new byte[100_000]));
        HttpResponse<String> response = client().send(HttpRequest.newBuilder(uri("/chunked")).POST(publisher).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.body()).contains("body-bytes: 100000\n").containsIgnoringCase("transfer-encoding: chunked");
    }

    @Test
    void aLargeResponseStreamsBack() throws Exception {
        HttpResponse<byte[]> response = client().send(HttpRequest.newBuilder(uri("/bytes/5000000")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.body()).hasSize(5_000_000);
    }

    @Test
    void expectContinueIsAnsweredByTheBackendThroughTheProxy() throws Exception {
        try (SSLSocket socket = rawConnection()) {
            OutputStream out = socket.getOutputStream();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
            out.write("PUT /v2/images/x/file HTTP/1.1\r\nHost: glance\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            // The client sends no body until the interim response arrives: reading it here proves it was relayed.
            assertThat(in.readLine()).isEqualTo("HTTP/1.1 100 Continue");
            assertThat(in.readLine()).isEmpty();
            out.write("hello".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(in.readLine()).isEqualTo("HTTP/1.1 200 OK");
        }
    }

    @Test
    void anHttp10ClientGetsItsResponseAndTheConnectionCloses() throws Exception {
        try (SSLSocket socket = rawConnection()) {
            socket.getOutputStream().write("GET /old HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String all = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat(all).startsWith("HTTP/1.1 200 OK").contains("GET /old HTTP/1.1").containsIgnoringCase("connection: close");
        }
    }

    @Test
    void opensslSeesTheFullChainVerifiedByTheRootAloneWithTls13AndAlpn() throws Exception {
        ProcessRun run = ProcessRun.run(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port, "-servername", "localhost",
                "-CAfile", pki.rootPem.toString(), "-showcerts", "-alpn", "http/1.1", "-verify_return_error"), "");
        assertThat(run.stdout()).contains("Verify return code: 0 (ok)")
                .contains(" 0 s:CN = localhost")
                .contains(" 1 s:CN = Gatehouse test intermediate")
                .contains("ALPN protocol: http/1.1")
                .contains("TLSv1.3");
    }

    @Test
    void aClientResumesItsSessionWithATicket() throws Exception {
        Path session = dir.resolve("session-" + System.nanoTime() + ".pem");
        ProcessRun first = ProcessRun.run(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port, "-tls1_2",
                "-CAfile", pki.rootPem.toString(), "-sess_out", session.toString()), "");
        assertThat(first.stdout()).contains("New, TLSv1.2").contains("TLS session ticket:");
        ProcessRun second = ProcessRun.run(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port, "-tls1_2",
                "-CAfile", pki.rootPem.toString(), "-sess_in", session.toString()), "");
        assertThat(second.stdout()).contains("Reused, TLSv1.2");
    }

    @Test
    void tls11IsRefused() throws Exception {
        ProcessRun run = ProcessRun.run(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port, "-tls1_1",
                "-CAfile", pki.rootPem.toString()), "");
        assertThat(run.exitCode()).isNotZero();
        assertThat(run.stdout()).contains("no peer certificate available").contains("Cipher is (NONE)");
    }

    @Test
    void tls12IsAccepted() throws Exception {
        ProcessRun run = ProcessRun.run(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port, "-tls1_2",
                "-CAfile", pki.rootPem.toString(), "-verify_return_error"), "");
        assertThat(run.stdout()).contains("Verify return code: 0 (ok)").contains("TLSv1.2");
    }

    @Test
    void curlWithTheRootCaGetsTheBackendPage() throws Exception {
        ProcessRun run = ProcessRun.run(List.of("curl", "-sS", "--cacert", pki.rootPem.toString(),
                "https://localhost:" + port + "/from-curl", "--resolve", "localhost:" + port + ":127.0.0.1"), null);
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stdout()).contains("GET /from-curl HTTP/1.1").contains("X-Forwarded-Proto: https");
    }

    @Test
    void anUnreachableBackendGets502AndTheClientIsToldWhy() throws Exception {
        int closedPort;
        try (ServerSocket reserved = new ServerSocket(0)) {
            closedPort = reserved.getLocalPort();
        }
        Gatehouse broken = GatehouseFixture.start(dir, GatehouseFixture.singleListener("http", pki,
                new java.net.InetSocketAddress("127.0.0.1", closedPort), ""));
        try {
            HttpResponse<String> response = client().send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:"
                    + broken.address("front").getPort() + "/")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(502);
            assertThat(response.body()).contains("Bad Gateway");
        } finally {
            broken.close();
        }
    }

    @Test
    void aSlowlorisClientGets408AtTheHeadDeadlineWhileOthersAreServed() throws Exception {
        Gatehouse strict = GatehouseFixture.start(dir, GatehouseFixture.singleListener("http", pki, backend.address(),
                "    timeouts: {request-head: 1s}"));
        try (SSLSocket slow = (SSLSocket) pki.clientContext().getSocketFactory().createSocket("127.0.0.1", strict.address("front").getPort())) {
            slow.setSoTimeout(10_000);
            OutputStream out = slow.getOutputStream();
            out.write("GET / HTTP/1.1\r\nHost: a\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            // Keep trickling header lines; the deadline is total, so this must not keep the connection open.
            java.util.concurrent.ScheduledExecutorService trickle = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
            trickle.scheduleAtFixedRate(() -> {
                try {
                    out.write("X-Slow: 1\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                } catch (java.io.IOException closed) {
                    // the proxy closed the connection: expected
                }
            }, 200, 200, TimeUnit.MILLISECONDS);
            try {
                HttpResponse<String> normal = client().send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:"
                        + strict.address("front").getPort() + "/meanwhile")).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(normal.statusCode()).isEqualTo(200);
                String answer = new String(slow.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
                // Without a total deadline the trickle keeps the connection open, and the 10 s read timeout fails this.
                assertThat(answer).startsWith("HTTP/1.1 408 Request Timeout");
            } finally {
                trickle.shutdownNow();
            }
        } finally {
            strict.close();
        }
    }

    /**
     * Requests whose framing two parsers could read differently (request smuggling): each is answered 400 by
     * Gatehouse and none reaches the backend.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "Content-Length with Transfer-Encoding | POST / HTTP/1.1\\r\\nHost: a\\r\\nContent-Length: 5\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n0\\r\\n\\r\\n",
            "two different Content-Lengths | POST / HTTP/1.1\\r\\nHost: a\\r\\nContent-Length: 5\\r\\nContent-Length: 6\\r\\n\\r\\nhello!",
            "chunked not the final coding | POST / HTTP/1.1\\r\\nHost: a\\r\\nTransfer-Encoding: chunked, identity\\r\\n\\r\\n0\\r\\n\\r\\n",
            "an unknown coding | POST / HTTP/1.1\\r\\nHost: a\\r\\nTransfer-Encoding: xchunked\\r\\n\\r\\n0\\r\\n\\r\\n",
            "bare LF line endings | GET / HTTP/1.1\\nHost: a\\n\\n",
            "whitespace before the colon | POST / HTTP/1.1\\r\\nHost: a\\r\\nTransfer-Encoding : chunked\\r\\n\\r\\n0\\r\\n\\r\\n",
            "NUL in a header value | GET / HTTP/1.1\\r\\nHost: a\\r\\nX: a\\u0000b\\r\\n\\r\\n",
            "NUL in a header name | GET / HTTP/1.1\\r\\nHost: a\\r\\nX\\u0000Y: b\\r\\n\\r\\n",
            "CR in a header name | GET / HTTP/1.1\\r\\nHost: a\\r\\nX\\rY: b\\r\\n\\r\\n",
            "obs-fold | GET / HTTP/1.1\\r\\nHost: a\\r\\nX-Folded: a\\r\\n b\\r\\n\\r\\n",
            "obs-fold hiding Transfer-Encoding | POST / HTTP/1.1\\r\\nHost: a\\r\\nContent-Length: 5\\r\\nX: y\\r\\n\\tTransfer-Encoding: chunked\\r\\n\\r\\n0\\r\\n\\r\\n",
            "bare CR in a header line | GET / HTTP/1.1\\r\\nHost: a\\r\\nX: a\\rb\\r\\n\\r\\n",
            "chunked twice | POST / HTTP/1.1\\r\\nHost: a\\r\\nTransfer-Encoding: chunked, chunked\\r\\n\\r\\n0\\r\\n\\r\\n",
            "chunk extension with a bare LF | POST / HTTP/1.1\\r\\nHost: a\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n5;x\\nhello\\r\\n0\\r\\n\\r\\n",
            "an invalid chunk size | POST / HTTP/1.1\\r\\nHost: a\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n-5\\r\\nhello\\r\\n0\\r\\n\\r\\n"})
    void ambiguousFramingIsAnswered400AndNeverForwarded(String name, String escaped) throws Exception {
        String request = escaped.replace("\\r", "\r").replace("\\n", "\n").replace("\\t", "\t").replace("\\u0000", "\u0000");
        int before = backend.requestsReceived();
        try (SSLSocket socket = rawConnection()) {
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat(answer).startsWith("HTTP/1.1 400 Bad Request").containsIgnoringCase("connection: close");
        }
        assertThat(backend.requestsReceived()).isEqualTo(before);
    }

    @Test
    void anInvalidChunkAfterAValidHeadAbortsWithoutForwardingTheBadBytes() throws Exception {
        // The head waits for the first piece of body, so a bad first chunk ends the exchange before anything leaves.
        // (Across reads a valid head may have left; then the bad bytes never follow it and the upstream connection is
        // closed, so nothing can be read as a second request.)
        long bodyBefore = backend.bodyBytesReceived();
        try (SSLSocket socket = rawConnection()) {
            socket.getOutputStream().write(("POST /v3/auth/tokens HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "zz\r\nGET /smuggled HTTP/1.1\r\nHost: a\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat(answer).startsWith("HTTP/1.1 400 Bad Request").doesNotContain("/smuggled");
        }
        HttpResponse<String> next = client().send(HttpRequest.newBuilder(uri("/after")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(next.body()).doesNotContain("smuggled");
        assertThat(backend.bodyBytesReceived()).isEqualTo(bodyBefore);
    }

    @Test
    void anOverlongRequestLineGets414() throws Exception {
        try (SSLSocket socket = rawConnection()) {
            socket.getOutputStream().write(("GET /" + "a".repeat(20_000) + " HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String all = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat(all).startsWith("HTTP/1.1 414");
        }
    }
}
