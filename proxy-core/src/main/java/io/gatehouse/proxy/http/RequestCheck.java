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

    /**
     * Visible ASCII only, without the characters RFC 3986 never allows unencoded and that servers disagree about:
     * {@code " < > \ ^ ` { | }} and the fragment's {@code #}. The same set HAProxy refuses by default. HTTP/1.1
     * targets and h2 paths are held to it alike: the backend reads both as HTTP/1.1.
     */
    static boolean isSafeTarget(String target) {
        if (target.isEmpty()) {
            return false;
        }
        for (int i = 0; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c <= ' ' || c >= 0x7f || "\"#<>\\^`{|}".indexOf(c) >= 0) {
                return false;
            }
        }
        return true;
    }
}
