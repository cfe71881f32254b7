package io.gatehouse.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TransportTest {

    /**
     * Gatehouse relies on this default instead of setting TCP_NODELAY itself on every accepted connection (one system
     * call each): without it, small responses would wait for Nagle's algorithm.
     */
    @ParameterizedTest
    @ValueSource(strings = {"best", "nio"})
    void acceptedConnectionsHaveNagleOffWithoutBeingAsked(String which) throws Exception {
        Transport transport = which.equals("best") ? Transport.best() : Transport.nio();
        EventLoopGroup group = transport.newGroup(1, "transport-test");
        try {
            CompletableFuture<Boolean> noDelay = new CompletableFuture<>();
            Channel server = new ServerBootstrap().group(group).channel(transport.serverChannel())
                    .childHandler(new ChannelInitializer<>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            noDelay.complete(ch.config().getOption(ChannelOption.TCP_NODELAY));
                        }
                    })
                    .bind("127.0.0.1", 0).sync().channel();
            try (Socket client = new Socket("127.0.0.1", ((InetSocketAddress) server.localAddress()).getPort())) {
                assertThat(noDelay.get(10, TimeUnit.SECONDS)).isTrue();
            } finally {
                server.close().sync();
            }
        } finally {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).sync();
        }
    }
}
