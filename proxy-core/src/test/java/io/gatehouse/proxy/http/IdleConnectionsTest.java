package io.gatehouse.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.proxy.Gatehouse;
import io.gatehouse.proxy.GatehouseFixture;
import io.gatehouse.proxy.NoLeaks;
import io.gatehouse.proxy.TestPki;
import io.gatehouse.proxy.ThreadStacks;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Idle kept-alive client connections and idle pooled upstream connections are closed after their timeouts. */
@ExtendWith(NoLeaks.class)
class IdleConnectionsTest {

    private static final String RESPONSE = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";

    @TempDir
    Path dir;

    @Test
    void anIdleClientAndAnIdlePooledUpstreamConnectionAreClosedAfterTheirTimeouts() throws Exception {
        TestPki pki = new TestPki(dir);
        try (ServerSocket upstream = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Duration> upstreamIdleFor = CompletableFuture.supplyAsync(() -> answerOnceThenTimeClose(upstream));
            String yaml = """
                    listeners:
                      - name: front
                        bind: "127.0.0.1:0"
                        mode: http
                        certificates:
                          - pem: %s
                        backend: app
                        timeouts: {keep-alive: 1s}
                    backends:
                      app:
                        servers: ["127.0.0.1:%d"]
                        timeouts: {idle: 1s}
                    """.formatted(pki.serverPem, upstream.getLocalPort());
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
            } finally {
                gatehouse.close();
            }
            assertThat(upstreamIdleFor.get(10, TimeUnit.SECONDS)).isBetween(Duration.ofMillis(900), Duration.ofSeconds(5));
        }
    }

    /**
     * The kernel's view of every TCP socket to or from a port (addresses, state in hex, inode), and which of them
     * this JVM holds: tells a socket Gatehouse never closed from one held elsewhere.
     */
    private static String socketsOnPort(int port) {
        StringBuilder out = new StringBuilder();
        try {
            Set<String> ownInodes = new HashSet<>();
            try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
                fds.forEach(fd -> {
                    try {
                        String target = Files.readSymbolicLink(fd).toString();
                        if (target.startsWith("socket:[")) {
                            ownInodes.add(target.substring(8, target.length() - 1));
                        }
                    } catch (IOException gone) {
                        // closed while listed
                    }
                });
            }
            String hexPort = String.format(":%04X", port);
            // Java's sockets are IPv6 ones on a dual-stack host, even for 127.0.0.1: those are in tcp6.
            for (String table : new String[] {"/proc/net/tcp", "/proc/net/tcp6"}) {
                for (String line : Files.readAllLines(Path.of(table))) {
                    String[] f = line.trim().split("\\s+");
                    if (f.length > 9 && (f[1].endsWith(hexPort) || f[2].endsWith(hexPort))) {
                        out.append("  ").append(f[1]).append(" -> ").append(f[2]).append(" state ").append(f[3]).append(" inode ")
                                .append(f[9]).append(ownInodes.contains(f[9]) ? " (held by this JVM)" : "").append('\n');
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            out.append("  unreadable: ").append(e).append('\n');
        }
        return out.toString();
    }

    /** Answers the first request on the first connection, then waits for Gatehouse to close it: how long that took. */
    private static Duration answerOnceThenTimeClose(ServerSocket server) {
        try (Socket connection = server.accept()) {
            connection.setSoTimeout(10_000);
            InputStream in = connection.getInputStream();
            int matched = 0;
            byte[] end = {'\r', '\n', '\r', '\n'};
            while (matched < end.length) {
                int b = in.read();
                if (b < 0) {
                    throw new IllegalStateException("the request never arrived");
                }
                matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
            }
            long answered = System.nanoTime();
            connection.getOutputStream().write(RESPONSE.getBytes(StandardCharsets.US_ASCII));
            connection.getOutputStream().flush();
            // Well past the 1 s idle timeout, and while Gatehouse still runs: a miss shows what its threads were doing.
            connection.setSoTimeout(5_000);
            try {
                while (in.read() != -1) {
                    // nothing more is sent on an idle pooled connection; -1 is Gatehouse closing it
                }
            } catch (SocketTimeoutException e) {
                throw new AssertionError("the idle pooled upstream connection was not closed within 5 s; its sockets then:\n"
                        + socketsOnPort(server.getLocalPort()) + "threads then:\n" + ThreadStacks.all(), e);
            }
            return Duration.ofNanos(System.nanoTime() - answered);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
