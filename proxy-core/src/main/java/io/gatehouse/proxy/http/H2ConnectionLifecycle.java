package io.gatehouse.proxy.http;

import io.gatehouse.proxy.DrainRequested;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.timeout.IdleStateEvent;

/**
 * Ends an h2 connection politely: on drain, or when it has sat idle with no stream open, it closes through the
 * codec, which sends GOAWAY and lets open streams finish (up to the drain timeout) before closing.
 */
public final class H2ConnectionLifecycle extends ChannelInboundHandlerAdapter {

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == DrainRequested.INSTANCE) {
            ctx.channel().close();
        } else if (evt instanceof IdleStateEvent) {
            Http2FrameCodec codec = ctx.pipeline().get(Http2FrameCodec.class);
            if (codec == null || codec.connection().numActiveStreams() == 0) {
                ctx.channel().close();
            }
        }
        ctx.fireUserEventTriggered(evt);
    }
}
