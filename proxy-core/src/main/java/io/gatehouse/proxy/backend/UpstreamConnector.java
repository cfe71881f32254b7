package io.gatehouse.proxy.backend;

import io.gatehouse.config.ProxyProtocolVersion;
import io.gatehouse.proxy.PipelineNames;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.ChannelGroupFuture;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.haproxy.HAProxyMessageEncoder;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.SocketAddress;
import java.util.function.Consumer;
import javax.net.ssl.SSLException;

/**
 * Opens connections to upstream servers: TCP, then the PROXY header if the backend wants one, then TLS if the
 * backend re-encrypts. A connection is handed over only once it is usable, so a TLS verification failure is a
 * failed connect, logged by the caller with its reason, never a silently accepted server.
 */
public final class UpstreamConnector {

    /** Result of {@link #connect}. */
    public interface Callback {
        void connected(Channel upstream);

        /** @param refused true when the server did not take the TCP connection (worth ejecting and trying another) */
        void failed(Throwable cause, boolean refused);
    }

    private final Class<? extends Channel> channelClass;
    /**
     * Every connection this connector opened and that is still open, pooled or in use. Closing the event loops
     * does not close them all: a loop that is busy when asked to stop, with no quiet period, ends without closing
     * its channels, and their sockets stay open. Stays closed: a connect that starts while Gatehouse closes is cut.
     */
    private final ChannelGroup open = new DefaultChannelGroup("upstream connections", GlobalEventExecutor.INSTANCE, true);

    public UpstreamConnector(Class<? extends Channel> channelClass) {
        this.channelClass = channelClass;
    }

    public Class<? extends Channel> channelClass() {
        return channelClass;
    }

    /**
     * @param client    the client's and the listener's addresses for the PROXY header; ignored when the backend sends none
     * @param pipeline  adds the caller's handlers after the transport ones
     */
    public void connect(EventLoop loop, Backend backend, UpstreamServer server, SocketAddress client, SocketAddress local,
            boolean autoRead, Consumer<Channel> pipeline, Callback callback) {
        ChannelFuture connecting = new Bootstrap()
                .group(loop)
                .channel(channelClass)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.AUTO_READ, autoRead)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) backend.config().timeouts().connect().toMillis())
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        // Added once registered: Bootstrap itself closes a channel that fails before this.
                        open.add(ch);
                        if (backend.config().sendProxy().isPresent()) {
                            addProxyHeaderStage(ch);
                        }
                        backend.tls().ifPresent(tls -> {
                            String name = backend.config().tls().flatMap(t -> t.sni()).orElse(server.configuredHost());
                            SslHandler handler = tls.newHandler(ch.alloc(), name, server.address().getPort());
                            handler.setHandshakeTimeoutMillis(backend.config().timeouts().connect().toMillis());
                            ch.pipeline().addLast(PipelineNames.UPSTREAM_TLS, handler);
                        });
                        pipeline.accept(ch);
                    }
                })
                .connect(server.address());
        connecting.addListener((ChannelFuture f) -> {
            if (!f.isSuccess()) {
                server.connectFailed(f.cause());
                callback.failed(f.cause(), true);
                return;
            }
            server.connectSucceeded();
            backend.config().sendProxy().ifPresent(version -> writeProxyHeader(f.channel(), version, client, local));
            SslHandler tls = f.channel().pipeline().get(SslHandler.class);
            if (tls == null) {
                callback.connected(f.channel());
                return;
            }
            tls.handshakeFuture().addListener(handshake -> {
                if (handshake.isSuccess()) {
                    callback.connected(f.channel());
                } else {
                    f.channel().close();
                    callback.failed(new SSLException("TLS with the backend server failed: " + handshake.cause().getMessage(),
                            handshake.cause()), false);
                }
            });
        });
    }

    /** Closes every connection opened here, and any opened later. */
    public ChannelGroupFuture closeAll() {
        return open.close();
    }

    /**
     * The header must be the first bytes on the wire, before the request and before a TLS ClientHello. Netty
     * completes the connect promise before it fires channelActive (which starts TLS), so it is written from the
     * connect listener, through a placeholder that sits right after the encoder.
     */
    private static void addProxyHeaderStage(Channel ch) {
        ch.pipeline().addLast(PipelineNames.PROXY_PROTOCOL, HAProxyMessageEncoder.INSTANCE);
        ch.pipeline().addLast(PipelineNames.PROXY_HEADER_WRITER, new ChannelInboundHandlerAdapter());
    }

    private static void writeProxyHeader(Channel ch, ProxyProtocolVersion version, SocketAddress client, SocketAddress local) {
        ChannelHandlerContext writer = ch.pipeline().context(PipelineNames.PROXY_HEADER_WRITER);
        writer.writeAndFlush(ProxyProtocolHeader.forConnection(version, client, local), writer.voidPromise());
        ch.pipeline().remove(PipelineNames.PROXY_HEADER_WRITER);
    }
}
