package io.gatehouse.proxy.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpRequest;

/**
 * A check of decoded request heads that refuses by marking: a failing head gets a decoder failure naming the
 * problem, which the proxy (or redirect) handler answers with 400 and a close, without contacting a backend. Heads
 * the codec already failed pass untouched, so its own reason stands.
 */
abstract class RequestCheck extends ChannelInboundHandlerAdapter {

    @Override
    public final void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest request && request.decoderResult().isSuccess()) {
            String problem = problemWith(request);
            if (problem != null) {
                request.setDecoderResult(DecoderResult.failure(new IllegalArgumentException(problem)));
            }
        }
        ctx.fireChannelRead(msg);
    }

    /** What is wrong with the head, for the log; null when nothing is. */
    abstract String problemWith(HttpRequest request);
}
