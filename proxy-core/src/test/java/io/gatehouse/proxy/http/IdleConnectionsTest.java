package io.gatehouse.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.proxy.Gatehouse;
import io.gatehouse.proxy.GatehouseFixture;
import io.gatehouse.proxy.NoLeaks;
import io.gatehouse.proxy.OneExchangeUpstream;
import io.gatehouse.proxy.TestPki;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Idle kept-alive client connections and idle pooled upstream connections are closed after their timeouts. */
@ExtendWith(NoLeaks.class)
class IdleConnectionsTest {

    @TempDir
    Path dir;

    @Test
    void anIdleClientAndAnIdlePooledUpstreamConnectionAreClosedAfterTheirTimeouts() throws Exception {
        TestPki pki = new TestPki(dir);
        // Well past the 1 s idle timeout: a miss shows the sockets and what Gatehouse's threads were doing.
        try (OneExchangeUpstream upstream = new OneExchangeUpstream(OneExchangeUpstream.OK, Duration.ofSeconds(5))) {
            String yaml = GatehouseFixture.httpWithTimeouts(pki, upstream.port(), "1s", "1s");
            Gatehouse gatehouse = GatehouseFixture.start(dir, yaml);
            try (SSLSocket client = (SSLSocket) pki.clientContext().getSocketFactory()
                    .createSocket("127.0.0.1", gatehouse.address("front").getPort())) {
                client.setSoTimeout(10_000);
                // The clock starts before the request: a test thread that runs late can only make the idle time look
                // longer, never shorter than Gatehouse's timeout.
                long sent = System.nanoTime();
                client.getOutputStream().write("GET /once HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                client.getOutputStream().flush();
                BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.ISO_8859_1));
                assertThat(in.readLine()).isEqualTo("HTTP/1.1 200 OK");
                // Everything after the head: the body, then the end of the stream when Gatehouse closes the connection.
                while (in.read() != -1) {
                    // drains; a connection that is never closed fails on the read timeout instead
                }
                Duration clientIdleFor = Duration.ofNanos(System.nanoTime() - sent);
                assertThat(clientIdleFor).isBetween(Duration.ofMillis(900), Duration.ofSeconds(5));
                // Awaited while Gatehouse runs: closing Gatehouse closes the pooled connection too, which would hide
                // a missed idle timeout.
                assertThat(upstream.closedAfterAnswer(Duration.ofSeconds(10))).isBetween(Duration.ofMillis(900), Duration.ofSeconds(5));
            } finally {
                gatehouse.close();
            }
        }
    }
}
