package io.gatehouse.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.proxy.Gatehouse;
import io.gatehouse.proxy.GatehouseFixture;
import io.gatehouse.proxy.NoLeaks;
import io.gatehouse.proxy.RawBackend;
import io.gatehouse.proxy.RawHttp;
import io.gatehouse.proxy.TestPki;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Backend responses whose end is not where a naive reading puts it, on a pooled upstream connection where a
 * misreading would hand one client's bytes to the next (response queue poisoning):
 * <ul>
 * <li>A response with no body by definition (to HEAD, 204, 304) ends with its head, whatever the backend sends
 * after it. Here the stray body is a whole response and the start of another. The client gets the head without a
 * body, its next request on the same connection (the same event loop, so the same upstream pool) gets its own
 * answer, and the poison reaches no one. With the upstream handler dropping stray parts instead of closing the
 * connection, the next request gets a 502.
 * <li>An interim 103 before the final response does not end the exchange or shift the pairing of requests and
 * responses (CVE-2026-42584 was such a shift in Netty's client codec).
 * <li>A body shorter than its Content-Length, cut by the backend's close, reaches the client as a message cut
 * short: the connection closes, and nothing completes or follows it.
 * </ul>
 */
@ExtendWith(NoLeaks.class)
class ResponseFramingTest {

    /** A whole response, then the start of another: a connection left in use after it would answer out of step. */
    private static final String POISON = "HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nPOISONHTTP/1.1 200 OK\r\nContent-Le";

    @TempDir
    Path dir;

    RawBackend server;

    @BeforeEach
    void start() throws Exception {
        server = new RawBackend(ResponseFramingTest::answer);
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    /** Answers every request on the connection: the bodyless ones with the poison after the head, /next plainly. */
    private static void answer(Socket socket) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
        OutputStream out = socket.getOutputStream();
        String requestLine;
        while ((requestLine = in.readLine()) != null) {
            String line;
            while ((line = in.readLine()) != null && !line.isEmpty()) {
                // the rest of the head; the test's requests have no body
            }
            if (requestLine.startsWith("GET /103 ")) {
                out.write(("HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n"
                        + "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfinal").getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                continue;
            }
            if (requestLine.startsWith("GET /short ")) {
                out.write("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhalf".getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                return; // the connection closes six bytes short
            }
            String head;
            if (requestLine.startsWith("HEAD ")) {
                head = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + POISON.length() + "\r\n\r\n";
            } else if (requestLine.startsWith("GET /204 ")) {
                head = "HTTP/1.1 204 No Content\r\n\r\n";
            } else if (requestLine.startsWith("GET /304 ")) {
                head = "HTTP/1.1 304 Not Modified\r\nETag: \"1\"\r\n\r\n";
            } else {
                out.write("HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nnext".getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                continue;
            }
            // One write, so that the proxy most likely reads the head and the stray bytes together.
            out.write((head + POISON).getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"HEAD /", "GET /204", "GET /304"})
    void endsWithItsHeadAndTheStrayBytesReachNoOne(String request) throws Exception {
        TestPki pki = new TestPki(dir);
        try (Gatehouse gatehouse = GatehouseFixture.start(dir, GatehouseFixture.singleListener("http", pki, server.address(), ""));
                Socket client = pki.clientContext().getSocketFactory().createSocket("127.0.0.1", gatehouse.address("front").getPort())) {
            client.setSoTimeout(10_000);
            OutputStream out = client.getOutputStream();
            InputStream in = client.getInputStream();

            out.write((request + " HTTP/1.1\r\nHost: keystone\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            String first = readHead(in);
            assertThat(first).startsWith("HTTP/1.1 " + request.replace("HEAD /", "200").replace("GET /", ""));

            out.write("GET /next HTTP/1.1\r\nHost: keystone\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            String rest = RawHttp.readAll(in);
            // Nothing between the first head and the next response: no body, and not the poison.
            assertThat(rest).startsWith("HTTP/1.1 200 OK").endsWith("\r\n\r\nnext").doesNotContain("POISON");
        }
    }

    @Test
    void anInterimResponseLeavesTheExchangeAndThePairingInStep() throws Exception {
        String all = sendOnOneConnection("GET /103 HTTP/1.1\r\nHost: keystone\r\n\r\n"
                + "GET /next HTTP/1.1\r\nHost: keystone\r\nConnection: close\r\n\r\n");
        // Whether the 103 is passed on or not, the final response follows it, then the next request's own.
        assertThat(all).matches(Pattern.compile("(HTTP/1\\.1 103 Early Hints\r\n.*?\r\n\r\n)?"
                + "HTTP/1\\.1 200 OK\r\n.*?\r\n\r\nfinalHTTP/1\\.1 200 OK\r\n.*?\r\n\r\nnext", Pattern.DOTALL));
    }

    @Test
    void aBodyCutShortByTheBackendIsCutShortForTheClient() throws Exception {
        // Keep-alive asked for: only the proxy closing the connection ends this read before the timeout fails it.
        String all = sendOnOneConnection("GET /short HTTP/1.1\r\nHost: keystone\r\n\r\n");
        assertThat(all).startsWith("HTTP/1.1 200 OK");
        assertThat(all.substring(all.indexOf("\r\n\r\n") + 4)).isEqualTo("half");
    }

    /** Sends {@code requests} on one connection through a fresh Gatehouse and reads until it closes. */
    private String sendOnOneConnection(String requests) throws Exception {
        TestPki pki = new TestPki(dir);
        try (Gatehouse gatehouse = GatehouseFixture.start(dir, GatehouseFixture.singleListener("http", pki, server.address(), ""));
                Socket client = pki.clientContext().getSocketFactory().createSocket("127.0.0.1", gatehouse.address("front").getPort())) {
            client.setSoTimeout(10_000);
            client.getOutputStream().write(requests.getBytes(StandardCharsets.ISO_8859_1));
            client.getOutputStream().flush();
            return RawHttp.readAll(client.getInputStream());
        }
    }

    /** Reads up to and including the blank line that ends a response head, and not a byte more. */
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            head.write(b);
            byte[] bytes = head.toByteArray();
            int n = bytes.length;
            if (n >= 4 && bytes[n - 4] == '\r' && bytes[n - 3] == '\n' && bytes[n - 2] == '\r' && bytes[n - 1] == '\n') {
                break;
            }
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }
}
