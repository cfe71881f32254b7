package io.gatehouse.proxy.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;

/**
 * The last handler of an upstream connection: hands response parts to the exchange the connection is bound to.
 * While pooled and unbound, it only watches for the server closing, or for the idle timeout.
 */
final class UpstreamResponseHandler extends ChannelInboundHandlerAdapter {

    private final UpstreamPool pool;
    private UpstreamExchange exchange;
    private Throwable failure;

    UpstreamResponseHandler(UpstreamPool pool) {
        this.pool = pool;
    }

    void bind(UpstreamExchange newExchange) {
        this.exchange = newExchange;
    }

    void unbind() {
        this.exchange = null;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (exchange == null || !(msg instanceof HttpObject part)) {
            // Bytes on an idle connection mean the server is out of step with us: never reuse it.
            ReferenceCountUtil.release(msg);
            ctx.close();
            return;
        }
        exchange.onResponsePart(part);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (exchange != null) {
            exchange.onUpstreamReadComplete();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (exchange != null) {
            exchange.onUpstreamWritabilityChanged();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent && exchange == null) {
            ctx.close();
        }
        ReferenceCountUtil.release(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        pool.forget(ctx.channel());
        UpstreamExchange bound = exchange;
        exchange = null;
        if (bound != null) {
            bound.onUpstreamClosed(failure);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        failure = cause;
        ctx.close();
    }
}
