package io.gatehouse.proxy.tcp;

import io.gatehouse.config.ProxyProtocolVersion;
import io.gatehouse.proxy.PipelineNames;
import io.gatehouse.proxy.admin.ListenerMeters;
import io.gatehouse.proxy.UpstreamAddresses;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.haproxy.HAProxyMessageEncoder;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the upstream connection once the downstream TLS handshake has succeeded, so failed handshakes never reach
 * the backend. Bytes the client sends meanwhile are held (at most one read, since reading stops) and flushed to
 * the upstream first. Then it hands over to a {@link RelayHandler} on each side and leaves the pipeline.
 */
public final class TcpConnectHandler extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(TcpConnectHandler.class);

    private final String listener;
    private final UpstreamAddresses upstream;
    private final Optional<ProxyProtocolVersion> sendProxy;
    private final Class<? extends Channel> channelClass;
    private final Duration connectTimeout;
    private final ListenerMeters meters;
    private final ArrayDeque<Object> held = new ArrayDeque<>();
    /** While true, the connect callback owns {@link #held}: it is written upstream or released there, even if the client left. */
    private boolean connecting;

    public TcpConnectHandler(String listener, UpstreamAddresses upstream, Optional<ProxyProtocolVersion> sendProxy,
            Class<? extends Channel> channelClass, Duration connectTimeout, ListenerMeters meters) {
        this.listener = listener;
        this.upstream = upstream;
        this.sendProxy = sendProxy;
        this.channelClass = channelClass;
        this.connectTimeout = connectTimeout;
        this.meters = meters;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof SslHandshakeCompletionEvent handshake && handshake.isSuccess()) {
            connect(ctx);
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        held.add(msg);
        ctx.channel().config().setAutoRead(false);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (!connecting) {
            releaseHeld();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("downstream closed before relaying listener={} peer={} reason={}", listener, ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }

    private void connect(ChannelHandlerContext ctx) {
        connecting = true;
        Channel downstream = ctx.channel();
        downstream.config().setAutoRead(false);
        InetSocketAddress server = upstream.next();
        ChannelFuture connectFuture = new Bootstrap()
                .group(downstream.eventLoop())
                .channel(channelClass)
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) connectTimeout.toMillis())
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(PipelineNames.RELAY, new RelayHandler(downstream));
                    }
                })
                .connect(server);
        connectFuture.addListener((ChannelFuture f) -> {
            this.connecting = false;
            if (!f.isSuccess()) {
                releaseHeld();
                meters.upstreamConnectFailed();
                LOG.warn("upstream connect failed listener={} backend={} server={} peer={} reason={}", listener,
                        upstream.backend(), UpstreamAddresses.text(server), downstream.remoteAddress(), f.cause().toString());
                downstream.close();
                return;
            }
            Channel up = f.channel();
            sendProxy.ifPresent(version -> {
                up.pipeline().addFirst(PipelineNames.PROXY_PROTOCOL, HAProxyMessageEncoder.INSTANCE);
                up.write(ProxyProtocolHeader.forConnection(version, downstream.remoteAddress(), downstream.localAddress()), up.voidPromise());
            });
            while (!held.isEmpty()) {
                up.write(held.poll(), up.voidPromise());
            }
            up.flush();
            if (!downstream.isActive()) {
                // The client sent its bytes and left before we connected: deliver them, as stud does, then close.
                RelayHandler.closeAfterFlush(up);
                return;
            }
            ctx.pipeline().replace(this, PipelineNames.RELAY, new RelayHandler(up));
            downstream.closeFuture().addListener(ignored -> RelayHandler.closeAfterFlush(up));
            up.config().setAutoRead(true);
            downstream.config().setAutoRead(true);
        });
    }

    private void releaseHeld() {
        Object msg;
        while ((msg = held.poll()) != null) {
            ReferenceCountUtil.release(msg);
        }
    }
}
