package io.gatehouse.proxy.http;

import io.gatehouse.proxy.ClientAddress;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpRequest;
import java.net.InetSocketAddress;

/** Rewrites X-Forwarded-For/-Proto/-Host and Forwarded on every request that decoded cleanly. */
public final class ForwardedHeadersHandler extends ChannelInboundHandlerAdapter {

    private final String proto;

    public ForwardedHeadersHandler(String proto) {
        this.proto = proto;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest request && request.decoderResult().isSuccess()
                && ClientAddress.of(ctx.channel()) instanceof InetSocketAddress client && client.getAddress() != null) {
            ForwardedHeaders.rewrite(request.headers(), client.getAddress(), proto);
        }
        ctx.fireChannelRead(msg);
    }
}
