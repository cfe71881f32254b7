package io.gatehouse.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.proxy.Gatehouse;
import io.gatehouse.proxy.GatehouseFixture;
import io.gatehouse.proxy.NoLeaks;
import io.gatehouse.proxy.RawBackend;
import io.gatehouse.proxy.RawHttp;
import io.gatehouse.proxy.TestPki;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A backend response that HTTP/1.1 does not allow, or whose framing two parsers could read differently, is never
 * passed on: the client gets a 502 and none of the backend's bytes. (The upstream codec's strict settings are
 * pinned in {@code UpstreamPools}; with them unpinned and Netty's strict-line-parsing property off, the bare-LF case
 * fails.)
 */
@ExtendWith(NoLeaks.class)
class InvalidUpstreamResponseTest {

    @TempDir
    Path dir;

    RawBackend server;
    volatile byte[] response;

    @BeforeEach
    void start() throws Exception {
        server = new RawBackend(this::answerOnce);
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private void answerOnce(Socket socket) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
        String line;
        while ((line = in.readLine()) != null && !line.isEmpty()) {
            // the request head; the test's requests have no body
        }
        socket.getOutputStream().write(response);
        socket.getOutputStream().flush();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "bare LF line endings | HTTP/1.1 200 OK\\nContent-Length: 6\\n\\nsecret",
            "bare CR in a header line | HTTP/1.1 200 OK\\r\\nX: a\\rb\\r\\nContent-Length: 6\\r\\n\\r\\nsecret",
            "NUL in a header value | HTTP/1.1 200 OK\\r\\nX: a\\u0000b\\r\\nContent-Length: 6\\r\\n\\r\\nsecret",
            "two different Content-Lengths | HTTP/1.1 200 OK\\r\\nContent-Length: 6\\r\\nContent-Length: 7\\r\\n\\r\\nsecret",
            "a status line without a code | HTTP/1.1 OK\\r\\nContent-Length: 6\\r\\n\\r\\nsecret",
            "chunked with a Content-Length | HTTP/1.1 200 OK\\r\\nTransfer-Encoding: chunked\\r\\nContent-Length: 11\\r\\n\\r\\n0\\r\\n\\r\\nsecret",
            "chunked not the final coding | HTTP/1.1 200 OK\\r\\nTransfer-Encoding: chunked, gzip\\r\\n\\r\\n6\\r\\nsecret\\r\\n0\\r\\n\\r\\n",
            "chunked twice | HTTP/1.1 200 OK\\r\\nTransfer-Encoding: chunked, chunked\\r\\n\\r\\n6\\r\\nsecret\\r\\n0\\r\\n\\r\\n"})
    void isAnswered502WithoutAnyOfItsBytes(String name, String escaped) throws Exception {
        assertThat(exchangeWithBackendSending(escaped)).startsWith("HTTP/1.1 502 Bad Gateway").doesNotContain("secret");
    }

    @Test
    void anInvalidChunkAfterAValidHeadEndsTheConnectionWithoutTheChunk() throws Exception {
        // The head may already be on its way, so no 502 can follow it: the client sees a message cut short.
        String answer = exchangeWithBackendSending(
                "HTTP/1.1 200 OK\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n-6\\r\\nsecret\\r\\n0\\r\\n\\r\\n");
        assertThat(answer).doesNotContain("secret").doesNotContain("\r\n0\r\n\r\n");
    }

    private String exchangeWithBackendSending(String escaped) throws Exception {
        response = escaped.replace("\\r", "\r").replace("\\n", "\n").replace("\\u0000", "\u0000").getBytes(StandardCharsets.ISO_8859_1);
        TestPki pki = new TestPki(dir);
        try (Gatehouse gatehouse = GatehouseFixture.start(dir, GatehouseFixture.singleListener("http", pki,
                server.address(), ""))) {
            return RawHttp.get(pki.clientContext(), gatehouse.address("front").getPort(), "keystone", "/v3");
        }
    }
}
