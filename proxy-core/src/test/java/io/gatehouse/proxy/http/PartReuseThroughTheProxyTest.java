package io.gatehouse.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.proxy.Gatehouse;
import io.gatehouse.proxy.GatehouseFixture;
import io.gatehouse.proxy.NoLeaks;
import io.gatehouse.proxy.RawBackend;
import io.gatehouse.proxy.RawHttp;
import io.gatehouse.proxy.TestPki;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * One keep-alive connection carries requests and responses with different fields and bodies, read into the same
 * reused heads and body pieces on both sides of the proxy: each message must arrive with exactly its own fields
 * and body, nothing left from the one before.
 */
@ExtendWith(NoLeaks.class)
class PartReuseThroughTheProxyTest {

    @TempDir
    Path dir;

    private final AtomicInteger answered = new AtomicInteger();

    @Test
    void everyMessageOnAKeepAliveConnectionCarriesOnlyItsOwnFields() throws Exception {
        String big = "x".repeat(20_000);
        List<String> requests = List.of(
                request("POST", "/1", "X-A: 1\r\nContent-Length: 3\r\n", "one"),
                request("GET", "/2", "X-B: 2\r\n", ""),
                request("HEAD", "/3", "X-C: 3\r\n", ""),
                request("PUT", "/4", "X-D: 4\r\nContent-Length: " + big.length() + "\r\n", big),
                request("GET", "/5", "X-A: 5\r\nConnection: close\r\n", ""));
        TestPki pki = new TestPki(dir);
        try (RawBackend backend = new RawBackend(this::answerEach);
             Gatehouse gatehouse = GatehouseFixture.start(dir, GatehouseFixture.singleListener("http", pki, backend.address(), ""))) {
            List<String> responses = exchange(pki.clientContext(), gatehouse.address("front").getPort(), requests);

            assertThat(responses).hasSize(5);
            assertThat(responses.get(0)).contains("X-Only-1: yes").contains("seen: POST /1 | X-A: 1 | Content-Length: 3 |")
                    .endsWith("| body 3 bytes, sum " + sum("one"));
            assertThat(responses.get(1)).contains("X-Only-2: yes").contains("seen: GET /2 | X-B: 2 |").doesNotContain("X-A")
                    .endsWith("| body 0 bytes, sum 0");
            assertThat(responses.get(2)).contains("X-Only-3: yes").doesNotContain("seen:");
            assertThat(responses.get(3)).contains("X-Only-4: yes").contains("seen: PUT /4 | X-D: 4 | Content-Length: 20000 |")
                    .doesNotContain("X-C").endsWith("| body 20000 bytes, sum " + sum(big));
            assertThat(responses.get(4)).contains("X-Only-5: yes").contains("seen: GET /5 | X-A: 5 |").doesNotContain("X-D")
                    .doesNotContain("Content-Length: 20000");
            for (int i = 0; i < responses.size(); i++) {
                // A response field of an earlier response on the same upstream connection must not come along.
                assertThat(responses.get(i).split("X-Only-", -1)).as("response %d", i + 1).hasSize(2);
            }
        }
    }

    private static String request(String method, String target, String fields, String body) {
        return method + " " + target + " HTTP/1.1\r\nHost: app\r\n" + fields + "\r\n" + body;
    }

    /** Pipelines every request in one write, and splits what comes back into responses. */
    private static List<String> exchange(SSLContext tls, int port, List<String> requests) throws IOException {
        try (Socket socket = tls.getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(String.join("", requests).getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            String all = RawHttp.readAll(socket.getInputStream());
            List<String> responses = new ArrayList<>();
            int at = 0;
            for (String request : requests) {
                int headEnd = all.indexOf("\r\n\r\n", at) + 4;
                if (headEnd < 4) {
                    break;
                }
                String head = all.substring(at, headEnd);
                int length = request.startsWith("HEAD ") ? 0 : Integer.parseInt(RawHttp.header(head, "Content-Length"));
                responses.add(all.substring(at, headEnd + length));
                at = headEnd + length;
            }
            return responses;
        }
    }

    /**
     * Answers each request on the connection with the fields it carried (but Host and the forwarding fields, which
     * the proxy sets), its body's length and sum, and a field of the answer's own.
     */
    private void answerEach(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        OutputStream out = socket.getOutputStream();
        String head;
        while ((head = readHead(in)) != null) {
            String[] lines = head.split("\r\n");
            String length = RawHttp.header(head, "Content-Length");
            byte[] body = in.readNBytes(length == null ? 0 : Integer.parseInt(length));
            String fields = Arrays.stream(lines).skip(1)
                    .filter(line -> !line.startsWith("Host:") && !line.startsWith("X-Forwarded-") && !line.startsWith("Forwarded"))
                    .collect(Collectors.joining(" | "));
            String seen = "seen: " + lines[0].replace(" HTTP/1.1", "") + " | " + fields + " | body " + body.length + " bytes, sum "
                    + sum(new String(body, StandardCharsets.ISO_8859_1));
            int n = answered.incrementAndGet();
            String answer = "HTTP/1.1 200 OK\r\nX-Only-" + n + ": yes\r\nContent-Length: " + seen.length() + "\r\n\r\n"
                    + (lines[0].startsWith("HEAD ") ? "" : seen);
            out.write(answer.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            head.write(b);
            String text = head.toString(StandardCharsets.ISO_8859_1);
            if (text.endsWith("\r\n\r\n")) {
                return text.substring(0, text.length() - 4);
            }
        }
        return null;
    }

    private static long sum(String text) {
        return text.chars().asLongStream().sum();
    }
}
