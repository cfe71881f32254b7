package io.gatehouse.proxy;

import java.io.IOException;
import java.io.InputStream;
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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * A backend on 127.0.0.1 that answers the first request on the first connection, then times how long the proxy
 * keeps that connection open: for tests of when Gatehouse closes a pooled upstream connection.
 */
public final class OneExchangeUpstream implements AutoCloseable {

    /** A complete answer with a two-byte body, which leaves the connection open for reuse. */
    public static final String OK = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";

    private final ServerSocket server;
    private final CompletableFuture<Duration> closedAfterAnswer;

    /**
     * @param response    the exact bytes of the one answer
     * @param closeWithin how long to wait for the proxy to close after the answer; a miss fails with the sockets
     *                    on this port and every thread's stack at that moment
     */
    public OneExchangeUpstream(String response, Duration closeWithin) throws IOException {
        server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        closedAfterAnswer = CompletableFuture.supplyAsync(() -> answerOnceThenTimeClose(response, closeWithin),
                task -> new Thread(task, "one-exchange-upstream").start());
    }

    public int port() {
        return server.getLocalPort();
    }

    /** How long after the answer the proxy closed the connection; waits up to {@code wait} for the outcome. */
    public Duration closedAfterAnswer(Duration wait) throws InterruptedException, ExecutionException, TimeoutException {
        return closedAfterAnswer.get(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() throws IOException {
        server.close();
    }

    private Duration answerOnceThenTimeClose(String response, Duration closeWithin) {
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
            connection.getOutputStream().write(response.getBytes(StandardCharsets.US_ASCII));
            connection.getOutputStream().flush();
            connection.setSoTimeout((int) closeWithin.toMillis());
            try {
                while (in.read() != -1) {
                    // nothing more is sent on an idle pooled connection; -1 is the proxy closing it
                }
            } catch (SocketTimeoutException e) {
                throw new AssertionError("the upstream connection was not closed within " + closeWithin.toMillis()
                        + " ms of the answer; its sockets then:\n" + socketsOnPort(port()) + "threads then:\n" + ThreadStacks.all(), e);
            }
            return Duration.ofNanos(System.nanoTime() - answered);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
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
}
