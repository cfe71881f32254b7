package io.gatehouse.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.sni.ThrowawayPki;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HandshakeLoadTest {

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());

    @AfterEach
    void stop() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** A BoringSSL server with session tickets and a session cache on, as any real one has. */
    private InetSocketAddress tlsServer() throws Exception {
        ThrowawayPki pki = new ThrowawayPki();
        ThrowawayPki.Issued server = pki.server(pki.root("load test root"), ThrowawayPki.KeyType.EC, List.of("localhost"), List.of());
        SslContext tls = SslContextBuilder.forServer(server.keys().getPrivate(), server.certificate())
                .sslProvider(SslProvider.OPENSSL).build();
        Channel listener = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(tls.newHandler(ch.alloc()));
                    }
                })
                .bind("127.0.0.1", 0).sync().channel();
        return (InetSocketAddress) listener.localAddress();
    }

    @Test
    void everyHandshakeAgainstARealServerIsAFullOne() throws Exception {
        HandshakeLoad.Result result = HandshakeLoad.run(tlsServer(), Duration.ofSeconds(1), 4);

        assertThat(result.completed()).isPositive();
        assertThat(result.resumed()).isZero();
        assertThat(result.allFull()).isTrue();
        assertThat(result.cipherSuites().values().stream().mapToLong(Integer::longValue).sum()).isEqualTo(result.completed());
        assertThat(result.summary(4)).matches(result.completed() + " connections in \\d+\\.\\d\\d real seconds .*");
    }

    @Test
    void refusedConnectionsMakeTheFigureInvalid() throws Exception {
        int closedPort;
        try (ServerSocket reserved = new ServerSocket(0)) {
            closedPort = reserved.getLocalPort();
        }
        HandshakeLoad.Result result = HandshakeLoad.run(new InetSocketAddress("127.0.0.1", closedPort), Duration.ofMillis(200), 2);

        assertThat(result.completed()).isZero();
        assertThat(result.failed()).isPositive();
        assertThat(result.allFull()).isFalse();
    }
}
