package io.gatehouse.proxy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.proxy.GatehouseProcess;
import io.gatehouse.proxy.TestPki;
import io.gatehouse.proxy.demo.DemoBackend;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 2 GiB glance image up and 200 MiB down through a Gatehouse whose heap (and so its direct memory) is capped at
 * 64 MiB: buffering a body whole would fail with OutOfMemoryError.
 */
class StreamingIT {

    static final long UPLOAD = 2L * 1024 * 1024 * 1024;
    static final long SIZE = 200L * 1024 * 1024;

    @TempDir
    Path dir;

    @Test
    void twoGibUpAndTwoHundredMibDownStreamThroughA64MibHeap() throws Exception {
        TestPki pki = new TestPki(dir);
        try (DemoBackend backend = DemoBackend.start("127.0.0.1", 0)) {
            Path config = Files.writeString(dir.resolve("stream.yaml"), """
                    listeners:
                      - {name: glance, bind: "127.0.0.1:0", mode: http, certificates: [{pem: %s}], backend: glance}
                    backends: {glance: {servers: ["127.0.0.1:%d"]}}
                    """.formatted(pki.serverPem, backend.address().getPort()));
            try (GatehouseProcess gatehouse = GatehouseProcess.start(dir, List.of("-Xmx64m"), "run", "-c", config.toString())) {
                int port = gatehouse.awaitListener().getPort();
                HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(pki.clientContext()).build();

                HttpResponse<String> upload = client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/v2/images/1/file"))
                        .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> new ZeroStream(UPLOAD))).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(upload.body()).contains("body-bytes: " + UPLOAD + "\n");

                HttpResponse<InputStream> download = client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/bytes/" + SIZE))
                        .build(), HttpResponse.BodyHandlers.ofInputStream());
                long received = 0;
                try (InputStream body = download.body()) {
                    byte[] buffer = new byte[256 * 1024];
                    int n;
                    while ((n = body.read(buffer)) > 0) {
                        received += n;
                    }
                }
                assertThat(received).isEqualTo(SIZE);

                gatehouse.terminate();
                assertThat(gatehouse.awaitExit(Duration.ofSeconds(30))).isZero();
                assertThat(gatehouse.stderr()).doesNotContain("OutOfMemoryError").doesNotContain("LEAK");
            }
        }
    }

    /** {@code length} zero bytes, generated as read, so the test's own heap stays small too. */
    static final class ZeroStream extends InputStream {
        private long remaining;

        ZeroStream(long length) {
            this.remaining = length;
        }

        @Override
        public int read() {
            if (remaining <= 0) {
                return -1;
            }
            remaining--;
            return 0;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (remaining <= 0) {
                return -1;
            }
            int n = (int) Math.min(len, remaining);
            java.util.Arrays.fill(b, off, off + n, (byte) 0);
            remaining -= n;
            return n;
        }
    }
}
