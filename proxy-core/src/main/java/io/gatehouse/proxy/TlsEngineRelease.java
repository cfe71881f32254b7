package io.gatehouse.proxy;

import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.ReferenceCountedOpenSslEngine;
import io.netty.handler.ssl.SslHandler;

/**
 * Sits in front of the TLS handler and frees its engine once the socket has closed, before the TLS handler hears of
 * it; Netty would free it a moment later anyway, as the closed channel's handlers are removed. Otherwise the TLS
 * handler first has the engine write a close_notify that can no longer be sent, then close its inbound side, and
 * for every client that hangs up without close_notify (many do) the engine answers with an SSLException that Netty
 * swallows: filling in its stack trace alone cost 1-2% of a full handshake's CPU. BoringSSL keeps the session in its
 * cache either way, so it stays resumable (HangUpResumptionTest).
 */
@Sharable
final class TlsEngineRelease extends ChannelInboundHandlerAdapter {

    static final TlsEngineRelease INSTANCE = new TlsEngineRelease();

    private TlsEngineRelease() {
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        SslHandler tls = ctx.pipeline().get(SslHandler.class);
        if (tls != null && tls.engine() instanceof ReferenceCountedOpenSslEngine engine) {
            engine.shutdown();
        }
        ctx.fireChannelInactive();
    }
}
