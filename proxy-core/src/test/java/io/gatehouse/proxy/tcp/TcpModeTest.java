package io.gatehouse.proxy.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.proxy.Gatehouse;
import io.gatehouse.proxy.GatehouseFixture;
import io.gatehouse.proxy.NoLeaks;
import io.gatehouse.proxy.TestPki;
import io.gatehouse.proxy.demo.DemoBackend;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(NoLeaks.class)
class TcpModeTest {

    @TempDir
    static Path dir;

    static TestPki pki;

    @BeforeAll
    static void pki() throws Exception {
        pki = new TestPki(dir);
    }

    @Test
    void decryptedBytesAreRelayedBothWaysWithoutAlpn() throws Exception {
        try (DemoBackend backend = DemoBackend.start("127.0.0.1", 0);
                Gatehouse gatehouse = GatehouseFixture.start(dir, GatehouseFixture.singleListener("tcp", pki, backend.address(), ""))) {
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(pki.clientContext()).build();
            byte[] upload = new byte[8 * 1024 * 1024];
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:"
                    + gatehouse.address("front").getPort() + "/relay")).POST(HttpRequest.BodyPublishers.ofByteArray(upload)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.body()).contains("POST /relay HTTP/1.1").contains("body-bytes: " + upload.length)
                    // tcp mode relays bytes untouched: no forwarding headers are added.
                    .doesNotContain("X-Forwarded-For");
        }
    }

    @Test
    void proxyProtocolV1HeaderPrecedesTheClientBytes() throws Exception {
        byte[] received = relayThroughCapture("send-proxy: v1", "hello upstream");
        String text = new String(received, StandardCharsets.US_ASCII);
        assertThat(text).matches("PROXY TCP4 127\\.0\\.0\\.1 127\\.0\\.0\\.1 \\d+ \\d+\r\nhello upstream");
    }

    @Test
    void proxyProtocolV2HeaderPrecedesTheClientBytes() throws Exception {
        byte[] received = relayThroughCapture("send-proxy: v2", "hello upstream");
        byte[] signature = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};
        assertThat(Arrays.copyOf(received, 12)).isEqualTo(signature);
        assertThat(received[12]).as("version 2, command PROXY").isEqualTo((byte) 0x21);
        assertThat(received[13]).as("TCP over IPv4").isEqualTo((byte) 0x11);
        int length = ((received[14] & 0xff) << 8) | (received[15] & 0xff);
        assertThat(Arrays.copyOfRange(received, 16, 20)).as("source 127.0.0.1").isEqualTo(new byte[] {127, 0, 0, 1});
        assertThat(new String(received, 16 + length, received.length - 16 - length, StandardCharsets.US_ASCII)).isEqualTo("hello upstream");
    }

    /** Starts a tcp listener in front of a raw socket, sends {@code payload} through TLS, returns what the upstream read. */
    private byte[] relayThroughCapture(String listenerExtra, String payload) throws Exception {
        try (ServerSocket capture = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            CompletableFuture<byte[]> received = CompletableFuture.supplyAsync(() -> {
                try (Socket upstream = capture.accept()) {
                    InputStream in = upstream.getInputStream();
                    byte[] buffer = new byte[4096];
                    int total = 0;
                    upstream.setSoTimeout(10_000);
                    while (total < buffer.length) {
                        int n = in.read(buffer, total, buffer.length - total);
                        if (n < 0) {
                            break;
                        }
                        total += n;
                    }
                    return Arrays.copyOf(buffer, total);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            String yaml = GatehouseFixture.singleListener("tcp", pki, (InetSocketAddress) capture.getLocalSocketAddress(), "    " + listenerExtra);
            try (Gatehouse gatehouse = GatehouseFixture.start(dir, yaml);
                    SSLSocket client = (SSLSocket) pki.clientContext().getSocketFactory().createSocket("127.0.0.1", gatehouse.address("front").getPort())) {
                client.getOutputStream().write(payload.getBytes(StandardCharsets.US_ASCII));
                client.getOutputStream().flush();
                client.close();
                return received.get(20, TimeUnit.SECONDS);
            }
        }
    }
}
