package io.gatehouse.proxy;

import io.gatehouse.config.CidrRange;
import io.gatehouse.config.ListenerMode;
import io.gatehouse.proxy.admin.ListenerMeters;
import io.gatehouse.proxy.backend.UpstreamConnector;
import io.gatehouse.proxy.http.DownstreamHttpCodec;
import io.gatehouse.proxy.http.ForwardedHeadersHandler;
import io.gatehouse.proxy.http.H2ConnectionLifecycle;
import io.gatehouse.proxy.http.H2RequestCheck;
import io.gatehouse.proxy.http.H2StreamErrorReset;
import io.gatehouse.proxy.http.Http1DecoderConfigs;
import io.gatehouse.proxy.http.Http2Front;
import io.gatehouse.proxy.http.HttpProxyHandler;
import io.gatehouse.proxy.http.HttpsRedirectHandler;
import io.gatehouse.proxy.http.ObsFoldGuard;
import io.gatehouse.proxy.http.RequestHeadCheck;
import io.gatehouse.proxy.http.RequestHeadDeadline;
import io.gatehouse.proxy.http.RouteTable;
import io.gatehouse.proxy.tcp.TcpConnectHandler;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;

/**
 * Builds the pipeline of every accepted connection of one listener, stage by stage: the PROXY header from a
 * trusted balancer, TLS, then the mode's stages (h2 or HTTP/1.1 as ALPN chose, or the tcp relay). A redirect
 * listener has no TLS and only redirects. See {@link PipelineNames} for the order.
 */
final class DownstreamPipeline extends ChannelInitializer<Channel> {

    private final ListenerRuntime listener;
    private final ConnectionTracker tracker;
    private final RouteTable routes;
    private final UpstreamConnector connector;
    private final ListenerMeters meters;
    private final StapleLookup staples;
    private final Duration drainTimeout;

    DownstreamPipeline(ListenerRuntime listener, ConnectionTracker tracker, RouteTable routes, UpstreamConnector connector,
            ListenerMeters meters, StapleLookup staples, Duration drainTimeout) {
        this.listener = listener;
        this.tracker = tracker;
        this.routes = routes;
        this.connector = connector;
        this.meters = meters;
        this.staples = staples;
        this.drainTimeout = drainTimeout;
    }

    @Override
    protected void initChannel(Channel ch) {
        tracker.add(ch);
        addProxyHeaderStage(ch);
        if (listener.config().redirectToHttps()) {
            addRedirectStage(ch);
            return;
        }
        addTlsStage(ch);
        if (listener.config().mode() == ListenerMode.HTTP) {
            ch.pipeline().addLast(PipelineNames.PROTOCOL_SELECTOR, new ApplicationProtocolNegotiationHandler(ApplicationProtocolNames.HTTP_1_1) {
                @Override
                protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
                    if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
                        addHttp2Stage(ctx.channel());
                    } else {
                        addHttp1Stage(ctx.channel());
                    }
                }

                @Override
                protected void handshakeFailure(ChannelHandlerContext ctx, Throwable cause) {
                    // Client-caused and already counted and logged by handshake-log; Netty's default logs a WARN.
                    ctx.close();
                }
            });
        } else {
            addTcpStage(ch);
        }
    }

    /** Only from trusted sources, and then required: anyone else could claim any address. */
    private void addProxyHeaderStage(Channel ch) {
        if (listener.config().acceptProxy().isEmpty() || !(ch.remoteAddress() instanceof InetSocketAddress peer)) {
            return;
        }
        for (CidrRange range : listener.config().acceptProxy()) {
            if (range.contains(peer.getAddress())) {
                ch.pipeline()
                        .addLast(PipelineNames.PROXY_HEADER_DECODER, new HAProxyMessageDecoder())
                        .addLast(PipelineNames.PROXY_HEADER_RECEIVED, new ProxyHeaderReceiver(listener.name()));
                return;
            }
        }
    }

    private void addTlsStage(Channel ch) {
        ch.pipeline()
                .addLast(PipelineNames.TLS_ENGINE_RELEASE, TlsEngineRelease.INSTANCE)
                .addLast(PipelineNames.TLS_SNI, new DownstreamTls(listener.tls(), meters, staples))
                .addLast(PipelineNames.HANDSHAKE_LOG, new HandshakeOutcomeLogger(listener.name(), meters));
    }

    private void addRedirectStage(Channel ch) {
        addHttp1Decoding(ch, Optional.empty());
        ch.pipeline().addLast(PipelineNames.REDIRECT, new HttpsRedirectHandler(meters));
    }

    private void addHttp1Stage(Channel ch) {
        addHttp1Decoding(ch, Optional.of(new ObsFoldGuard()));
        addProxying(ch.pipeline());
    }

    /**
     * HTTP/1.1 from the client: the request-head deadline around the codec and the checks of the head, then the
     * keep-alive timer. A listener that forwards also refuses obs-fold; a redirect listener forwards nothing, so it
     * needs no such guard, but it builds its Location from Host, which the head check has vetted.
     */
    private void addHttp1Decoding(Channel ch, Optional<ObsFoldGuard> obsFold) {
        RequestHeadDeadline headDeadline = new RequestHeadDeadline(listener.config().timeouts().requestHead());
        ChannelPipeline pipeline = ch.pipeline().addLast(PipelineNames.REQUEST_HEAD_DEADLINE, headDeadline.byteWatcher());
        obsFold.ifPresent(guard -> pipeline.addLast(PipelineNames.OBS_FOLD_SCAN, guard.byteScanner()));
        pipeline.addLast(PipelineNames.HTTP_CODEC, new DownstreamHttpCodec(Http1DecoderConfigs.requests()));
        obsFold.ifPresent(guard -> pipeline.addLast(PipelineNames.OBS_FOLD_MARK, guard.requestMarker()));
        pipeline.addLast(PipelineNames.REQUEST_HEAD_CHECK, RequestHeadCheck.INSTANCE)
                .addLast(PipelineNames.REQUEST_HEAD_RECEIVED, headDeadline.headWatcher())
                .addLast(PipelineNames.IDLE, keepAliveTimer());
    }

    /** One connection, many streams; each stream gets the same request handling as an HTTP/1.1 connection. */
    private void addHttp2Stage(Channel ch) {
        ch.pipeline()
                .addLast(PipelineNames.H2_CODEC, Http2Front.codec(drainTimeout))
                .addLast(PipelineNames.IDLE, keepAliveTimer())
                .addLast(PipelineNames.H2_DRAIN, new H2ConnectionLifecycle())
                .addLast(PipelineNames.H2_MULTIPLEX, new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>() {
                    @Override
                    protected void initChannel(Http2StreamChannel stream) {
                        stream.pipeline()
                                .addLast(PipelineNames.H2_STREAM_ERRORS, new H2StreamErrorReset())
                                .addLast(PipelineNames.H2_TO_HTTP, Http2Front.streamToHttp())
                                .addLast(PipelineNames.H2_REQUEST_CHECK, new H2RequestCheck());
                        addProxying(stream.pipeline());
                    }
                }));
    }

    /** What every decoded request goes through, from an HTTP/1.1 connection or an h2 stream alike. */
    private void addProxying(ChannelPipeline pipeline) {
        pipeline.addLast(PipelineNames.FORWARDED_HEADERS, new ForwardedHeadersHandler("https"))
                .addLast(PipelineNames.HTTP_PROXY, new HttpProxyHandler(listener.name(), routes, meters));
    }

    private IdleTimeout keepAliveTimer() {
        return new IdleTimeout(listener.config().timeouts().keepAlive());
    }

    private void addTcpStage(Channel ch) {
        ch.pipeline().addLast(PipelineNames.TCP_CONNECT, new TcpConnectHandler(listener.name(), listener.backend().orElseThrow(),
                listener.config().sendProxy(), connector, meters));
    }
}
