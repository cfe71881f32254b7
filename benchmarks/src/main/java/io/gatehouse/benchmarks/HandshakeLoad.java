package io.gatehouse.benchmarks;

import io.gatehouse.proxy.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.OpenSslContextOption;
import io.netty.handler.ssl.ReferenceCountedOpenSslEngine;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.internal.tcnative.SSL;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/**
 * A load generator of full TLS handshakes, cheaper on its own side than {@code openssl s_time -new}, which spends
 * about a millisecond of CPU per handshake (OpenSSL 3.0): on one core s_time keeps a server busy only a quarter to
 * two thirds of the time, and a server that idles between handshakes also pays for waking up again and again.
 * This keeps CONNECTIONS handshakes in flight on one event loop, each on a new connection with a new BoringSSL
 * client engine that has no session to offer, closes each as soon as its handshake completes (below TLS, without
 * close_notify, as s_time does), and opens the next.
 *
 * <p>Usage: {@code HandshakeLoad HOST PORT SECONDS [CONNECTIONS]}. Prints a summary in s_time's words, which
 * compare.sh reads, with the cipher suites the server chose. Like s_time it does not verify the certificate. Exits
 * 1 if any handshake was resumed or failed: the figure would not be one of full handshakes.
 */
public final class HandshakeLoad {

    /** What one run did. Counts are of handshakes; {@code drained} is false if connections outlived the run. */
    public record Result(long completed, long resumed, long failed, Map<String, Integer> cipherSuites, double seconds,
            boolean drained) {

        public boolean allFull() {
            return resumed == 0 && failed == 0 && drained;
        }

        /** s_time's own summary line, so that scripts read both alike. */
        public String summary(int connections) {
            return String.format("%d connections in %.2f real seconds (%d in flight; cipher suites %s)",
                    completed, seconds, connections, cipherSuites);
        }
    }

    private final InetSocketAddress target;
    private final int connections;
    private final SslContext tls;
    // Touched only on the one event loop; read after it has terminated.
    private final Map<String, Integer> cipherSuites = new TreeMap<>();
    private long completed;
    private long resumed;
    private long failed;
    private volatile boolean stopping;

    private HandshakeLoad(InetSocketAddress target, int connections) throws SSLException {
        this.target = target;
        this.connections = connections;
        this.tls = SslContextBuilder.forClient().sslProvider(SslProvider.OPENSSL)
                .trustManager(InsecureTrustManagerFactory.INSTANCE)
                // X25519 only, as s_time (OpenSSL 3.0) offers: BoringSSL would offer a post-quantum hybrid first,
                // which a BoringSSL server accepts and OpenSSL 3.0 does not, so the servers would do unequal work.
                .option(OpenSslContextOption.GROUPS, new String[] {"X25519"})
                .build();
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: HandshakeLoad HOST PORT SECONDS [CONNECTIONS (default 64)]");
            System.exit(2);
        }
        InetSocketAddress target = new InetSocketAddress(args[0], Integer.parseInt(args[1]));
        Duration duration = Duration.ofSeconds(Integer.parseInt(args[2]));
        int connections = args.length > 3 ? Integer.parseInt(args[3]) : 64;
        Result result = run(target, duration, connections);
        System.out.println(result.summary(connections));
        if (!result.allFull()) {
            System.err.printf("handshake-load: %d resumed, %d failed%s: not a figure of full handshakes%n",
                    result.resumed(), result.failed(), result.drained() ? "" : ", connections still open after 10 s");
            System.exit(1);
        }
    }

    public static Result run(InetSocketAddress target, Duration duration, int connections)
            throws SSLException, InterruptedException {
        return new HandshakeLoad(target, connections).run(duration);
    }

    private Result run(Duration duration) throws InterruptedException {
        Transport transport = Transport.best();
        EventLoopGroup group = transport.newGroup(1, "handshake-load");
        Bootstrap bootstrap = new Bootstrap().group(group).channel(transport.socketChannel())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5000)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        // No peer host and port: the engine has no cached session to offer.
                        ch.pipeline().addLast(tls.newHandler(ch.alloc()), new CloseOnHandshake());
                    }
                });
        CountDownLatch lanesDone = new CountDownLatch(connections);
        long start = System.nanoTime();
        group.next().execute(() -> {
            for (int i = 0; i < connections; i++) {
                connectNext(bootstrap, lanesDone);
            }
        });
        Thread.sleep(duration.toMillis());
        stopping = true;
        boolean drained = lanesDone.await(10, TimeUnit.SECONDS);
        double seconds = (System.nanoTime() - start) / 1e9;
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        return new Result(completed, resumed, failed, Map.copyOf(cipherSuites), seconds, drained);
    }

    /** One lane: a connection, its handshake, its close, then the next connection, until the time is up. */
    private void connectNext(Bootstrap bootstrap, CountDownLatch lanesDone) {
        if (stopping) {
            lanesDone.countDown();
            return;
        }
        bootstrap.connect(target).addListener((ChannelFutureListener) connect -> {
            if (!connect.isSuccess()) {
                failed++;
                // The next attempt from a fresh task: a refused connect fails at once, and recursing here would
                // deepen the stack by one frame per attempt.
                connect.channel().eventLoop().execute(() -> connectNext(bootstrap, lanesDone));
                return;
            }
            connect.channel().closeFuture().addListener(closed -> connectNext(bootstrap, lanesDone));
        });
    }

    /** Counts the handshake, checks that it was a full one, and closes below TLS so no close_notify is sent. */
    private final class CloseOnHandshake extends ChannelInboundHandlerAdapter {
        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event instanceof SslHandshakeCompletionEvent done) {
                SslHandler handler = ctx.pipeline().get(SslHandler.class);
                if (done.isSuccess() && handler.engine() instanceof ReferenceCountedOpenSslEngine engine) {
                    completed++;
                    if (SSL.isSessionReused(engine.sslPointer())) {
                        resumed++;
                    }
                    cipherSuites.merge(engine.getSession().getCipherSuite(), 1, Integer::sum);
                } else {
                    failed++;
                }
                ctx.pipeline().context(handler).close();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
