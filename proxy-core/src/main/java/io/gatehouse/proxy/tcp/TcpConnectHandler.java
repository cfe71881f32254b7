package io.gatehouse.proxy.tcp;

import io.gatehouse.config.ProxyProtocolVersion;
import io.gatehouse.proxy.ClientAddress;
import io.gatehouse.proxy.CloseAfterError;
import io.gatehouse.proxy.PipelineNames;
import io.gatehouse.proxy.admin.ListenerMeters;
import io.gatehouse.proxy.backend.Backend;
import io.gatehouse.proxy.backend.ProxyProtocolHeader;
import io.gatehouse.proxy.backend.UpstreamConnector;
import io.gatehouse.proxy.backend.UpstreamServer;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.haproxy.HAProxyMessageEncoder;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
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
    private final Backend backend;
    private final Optional<ProxyProtocolVersion> sendProxy;
    private final UpstreamConnector connector;
    private final ListenerMeters meters;
    private final ArrayDeque<Object> held = new ArrayDeque<>();
    /** While true, the connect callback owns {@link #held}: it is written upstream or released there, even if the client left. */
    private boolean connecting;

    /** @param sendProxy the listener's own PROXY header (hitch's --write-proxy); a backend's is sent by the connector */
    public TcpConnectHandler(String listener, Backend backend, Optional<ProxyProtocolVersion> sendProxy, UpstreamConnector connector,
            ListenerMeters meters) {
        this.listener = listener;
        this.backend = backend;
        this.sendProxy = sendProxy;
        this.connector = connector;
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
        if (LOG.isDebugEnabled()) {
            LOG.debug("downstream closed before relaying listener={} peer={} reason={}", listener, ctx.channel().remoteAddress(), cause.toString());
        }
        CloseAfterError.close(ctx, cause);
    }

    private void connect(ChannelHandlerContext ctx) {
        connecting = true;
        Channel downstream = ctx.channel();
        downstream.config().setAutoRead(false);
        connectTo(ctx, downstream, new HashSet<>(2));
    }

    /** Tries the backend's servers in its balancing order; a refused connection moves on to the next one. */
    private void connectTo(ChannelHandlerContext ctx, Channel downstream, Set<UpstreamServer> refused) {
        Optional<UpstreamServer> chosen = backend.choose(refused);
        if (chosen.isEmpty()) {
            connecting = false;
            releaseHeld();
            LOG.warn("no upstream server available listener={} backend={} peer={} refused_by={}", listener, backend.name(),
                    ClientAddress.of(downstream), refused.stream().map(UpstreamServer::text).toList());
            downstream.close();
            return;
        }
        UpstreamServer server = chosen.get();
        server.exchangeStarted();
        connector.connect(downstream.eventLoop(), backend, server, ClientAddress.of(downstream), downstream.localAddress(), false,
                ch -> ch.pipeline().addLast(PipelineNames.RELAY, new RelayHandler(downstream)), new UpstreamConnector.Callback() {
                    @Override
                    public void connected(Channel up) {
                        connecting = false;
                        up.closeFuture().addListener(closed -> server.exchangeEnded());
                        relay(ctx, downstream, up);
                    }

                    @Override
                    public void failed(Throwable cause, boolean wasRefused) {
                        server.exchangeEnded();
                        meters.upstreamConnectFailed();
                        LOG.warn("upstream connect failed listener={} backend={} server={} peer={} reason={}", listener,
                                backend.name(), server.text(), ClientAddress.of(downstream), cause.toString());
                        if (wasRefused && downstream.isActive()) {
                            refused.add(server);
                            connectTo(ctx, downstream, refused);
                            return;
                        }
                        connecting = false;
                        releaseHeld();
                        downstream.close();
                    }
                });
    }

    private void relay(ChannelHandlerContext ctx, Channel downstream, Channel up) {
        sendProxy.ifPresent(version -> {
            up.pipeline().addFirst(PipelineNames.PROXY_PROTOCOL, HAProxyMessageEncoder.INSTANCE);
            up.write(ProxyProtocolHeader.forConnection(version, ClientAddress.of(downstream), downstream.localAddress()), up.voidPromise());
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
    }

    private void releaseHeld() {
        Object msg;
        while ((msg = held.poll()) != null) {
            ReferenceCountUtil.release(msg);
        }
    }
}
