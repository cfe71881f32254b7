package io.gatehouse.proxy.http;

import io.gatehouse.proxy.ClientAddress;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpRequest;
import java.net.InetSocketAddress;

/** Rewrites X-Forwarded-For/-Proto/-Host and Forwarded on every request that decoded cleanly. */
public final class ForwardedHeadersHandler extends ChannelInboundHandlerAdapter {

    private final String proto;
    /** One handler serves one connection (or h2 stream), whose client does not change: its values are made once. */
    private ForwardedHeaders.ForClient values;

    public ForwardedHeadersHandler(String proto) {
        this.proto = proto;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest request && request.decoderResult().isSuccess()) {
            ForwardedHeaders.ForClient forClient = values(ctx);
            if (forClient != null) {
                ForwardedHeaders.rewrite(request.headers(), forClient);
            }
        }
        ctx.fireChannelRead(msg);
    }

    private ForwardedHeaders.ForClient values(ChannelHandlerContext ctx) {
        if (values == null && ClientAddress.of(ctx.channel()) instanceof InetSocketAddress client && client.getAddress() != null) {
            values = ForwardedHeaders.ForClient.of(client.getAddress(), proto);
        }
        return values;
    }
}
