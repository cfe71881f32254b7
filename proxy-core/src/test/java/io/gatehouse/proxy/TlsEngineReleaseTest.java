package io.gatehouse.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.sni.ThrowawayPki;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.ReferenceCountedOpenSslEngine;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class TlsEngineReleaseTest {

    private final ThrowawayPki pki = new ThrowawayPki();
    private final ThrowawayPki.Issued root = pki.root("release test root");
    private final ThrowawayPki.Issued server = pki.server(root, ThrowawayPki.KeyType.EC, List.of("localhost"), List.of());

    /** What the TLS handler's engine looked like when the close reached the handler just in front of it. */
    private final AtomicReference<Boolean> freedBeforeTlsHandler = new AtomicReference<>();

    private EmbeddedChannel serverChannel(boolean withRelease) throws Exception {
        SslContext context = SslContextBuilder.forServer(server.keys().getPrivate(), server.certificate())
                .sslProvider(SslProvider.OPENSSL).build();
        EmbeddedChannel channel = new EmbeddedChannel();
        if (withRelease) {
            channel.pipeline().addLast(TlsEngineRelease.INSTANCE);
        }
        channel.pipeline().addLast(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelInactive(ChannelHandlerContext ctx) {
                ReferenceCountedOpenSslEngine engine = (ReferenceCountedOpenSslEngine) ctx.pipeline().get(SslHandler.class).engine();
                freedBeforeTlsHandler.set(engine.sslPointer() == 0);
                ctx.fireChannelInactive();
            }
        }, context.newHandler(channel.alloc()));
        return channel;
    }

    /** Runs a full handshake between the two channels by passing their records back and forth. */
    private static void handshake(EmbeddedChannel client, EmbeddedChannel server) {
        for (int i = 0; i < 10 && !(done(client) && done(server)); i++) {
            pass(client, server);
            pass(server, client);
        }
        assertThat(done(client) && done(server)).as("handshake finished").isTrue();
    }

    private static boolean done(EmbeddedChannel channel) {
        return channel.pipeline().get(SslHandler.class).handshakeFuture().isSuccess();
    }

    private static void pass(EmbeddedChannel from, EmbeddedChannel to) {
        ByteBuf record;
        while ((record = from.readOutbound()) != null) {
            to.writeInbound(record);
        }
    }

    private EmbeddedChannel client() throws Exception {
        EmbeddedChannel client = new EmbeddedChannel();
        client.pipeline().addLast(SslContextBuilder.forClient().trustManager(root.certificate()).sslProvider(SslProvider.JDK)
                .build().newHandler(client.alloc(), "localhost", 443));
        return client;
    }

    /**
     * Completes a handshake, then closes the server's socket as a client that hangs up does (nothing more from it, no
     * close_notify), and tells whether the engine was already freed when the close reached the TLS handler.
     */
    private boolean freedBeforeTlsHandlerAfterHangUp(boolean withRelease) throws Exception {
        EmbeddedChannel server = serverChannel(withRelease);
        EmbeddedChannel client = client();
        handshake(client, server);

        server.close();
        client.finishAndReleaseAll();
        server.finishAndReleaseAll();
        return freedBeforeTlsHandler.get();
    }

    @Test
    void theEngineIsFreedBeforeTheTlsHandlerHearsThatAPeerHungUpWithoutCloseNotify() throws Exception {
        assertThat(freedBeforeTlsHandlerAfterHangUp(true)).isTrue();
    }

    @Test
    void withoutItTheTlsHandlerWouldFindTheEngineStillOpen() throws Exception {
        assertThat(freedBeforeTlsHandlerAfterHangUp(false)).isFalse();
    }

    @Test
    void aConnectionThatClosesBeforeTheTlsHandlerExistsPassesTheCloseOn() {
        AtomicReference<Boolean> heard = new AtomicReference<>(false);
        EmbeddedChannel channel = new EmbeddedChannel(TlsEngineRelease.INSTANCE, new ChannelInboundHandlerAdapter() {
            @Override
            public void channelInactive(ChannelHandlerContext ctx) {
                heard.set(true);
            }
        });
        channel.close();
        assertThat(heard.get()).isTrue();
    }
}
