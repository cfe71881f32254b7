package io.gatehouse.proxy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes the client address from a trusted load balancer's PROXY header (v1 or v2, decoded by Netty's
 * HAProxyMessageDecoder before TLS), records it for X-Forwarded-For and the logs, and leaves the pipeline.
 * A trusted source that sends no valid header is closed: it is misconfigured, and guessing would misattribute.
 */
final class ProxyHeaderReceiver extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(ProxyHeaderReceiver.class);

    private final String listener;

    ProxyHeaderReceiver(String listener) {
        this.listener = listener;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof HAProxyMessage header)) {
            io.netty.util.ReferenceCountUtil.release(msg);
            ctx.close();
            return;
        }
        try {
            if (header.command() == HAProxyCommand.PROXY && header.sourceAddress() != null) {
                ctx.channel().attr(ClientAddress.FROM_PROXY_HEADER).set(new InetSocketAddress(
                        java.net.InetAddress.getByName(header.sourceAddress()), header.sourcePort()));
            }
            // LOCAL (a health check of the balancer itself) keeps the connection's own address.
        } catch (java.net.UnknownHostException e) {
            LOG.debug("PROXY header with an unusable address listener={} peer={}", listener, ctx.channel().remoteAddress());
            ctx.close();
            return;
        } finally {
            header.release();
        }
        ctx.pipeline().remove(this);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("invalid PROXY header from a trusted source listener={} peer={} reason={}", listener, ctx.channel().remoteAddress(),
                cause.toString());
        ctx.close();
    }
}
