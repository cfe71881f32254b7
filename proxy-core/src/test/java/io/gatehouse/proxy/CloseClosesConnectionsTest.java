package io.gatehouse.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.IoHandle;
import io.netty.channel.IoHandler;
import io.netty.channel.IoHandlerContext;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.IoRegistration;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Gatehouse#close()} closes every connection it holds itself. Netty's loops close their channels when they
 * stop, but not always: a loop that is busy when asked to stop with no quiet period ends without doing so, and a
 * pooled upstream connection then stayed open after close.
 */
@ExtendWith(NoLeaks.class)
class CloseClosesConnectionsTest {

    @TempDir
    Path dir;

    @Test
    void closeClosesClientAdminAndPooledUpstreamConnectionsEvenWhenTheLoopsCloseNothing() throws Exception {
        TestPki pki = new TestPki(dir);
        try (OneExchangeUpstream upstream = new OneExchangeUpstream(OneExchangeUpstream.OK, Duration.ofSeconds(10))) {
            // Timeouts far beyond the test: only close() can end these connections.
            String yaml = GatehouseFixture.httpWithTimeouts(pki, upstream.port(), "1h", "1h") + "admin: {bind: \"127.0.0.1:0\"}\n";
            Gatehouse gatehouse = GatehouseFixture.start(dir, yaml, loopsThatCloseNothing());
            try (SSLSocket client = (SSLSocket) pki.clientContext().getSocketFactory()
                    .createSocket("127.0.0.1", gatehouse.address("front").getPort());
                    Socket adminClient = new Socket("127.0.0.1", gatehouse.adminAddress().orElseThrow().getPort())) {
                BufferedReader in = keptAliveAfterOneAnswer(client);
                BufferedReader adminIn = keptAliveAfterOneAnswer(adminClient);

                gatehouse.close();

                // The end of each stream, not the 10 s read timeout.
                assertThat(in.read()).isEqualTo(-1);
                assertThat(adminIn.read()).isEqualTo(-1);
                assertThat(upstream.closedAfterAnswer(Duration.ofSeconds(15))).isLessThan(Duration.ofSeconds(10));
            } finally {
                gatehouse.close();
            }
        }
    }

    /** Sends one GET, reads the whole answer (which has a body), and leaves the connection open. */
    private static BufferedReader keptAliveAfterOneAnswer(Socket socket) throws Exception {
        socket.setSoTimeout(10_000);
        String path = socket instanceof SSLSocket ? "/" : "/healthz";
        socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
        assertThat(in.readLine()).isEqualTo("HTTP/1.1 200 OK");
        int length = -1;
        for (String line = in.readLine(); !line.isEmpty(); line = in.readLine()) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        assertThat(length).as("content-length of " + path).isPositive();
        assertThat(in.skip(length)).isEqualTo(length);
        return in;
    }

    /** The best transport, but its loops close no channel when they stop: the outcome of that race, every time. */
    private static Transport loopsThatCloseNothing() {
        Transport real = Transport.best();
        IoHandlerFactory factory = executor -> new NoCloseOnStop(real.ioHandlerFactory().newHandler(executor));
        return new Transport(real.name(), factory, real.serverChannel(), real.socketChannel());
    }

    private record NoCloseOnStop(IoHandler delegate) implements IoHandler {
        @Override
        public void initialize() {
            delegate.initialize();
        }

        @Override
        public int run(IoHandlerContext context) {
            return delegate.run(context);
        }

        @Override
        public void prepareToDestroy() {
            // where a loop closes its channels: skipped
        }

        @Override
        public void destroy() {
            delegate.destroy();
        }

        @Override
        public IoRegistration register(IoHandle handle) throws Exception {
            return delegate.register(handle);
        }

        @Override
        public void wakeup() {
            delegate.wakeup();
        }

        @Override
        public boolean isCompatible(Class<? extends IoHandle> handleType) {
            return delegate.isCompatible(handleType);
        }
    }
}
