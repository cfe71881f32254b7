package io.gatehouse.proxy;

import io.gatehouse.config.ListenerMode;
import io.gatehouse.config.ListenerTimeouts;
import io.gatehouse.proxy.http.RequestHeadDeadline;
import io.gatehouse.proxy.admin.ListenerMeters;
import io.gatehouse.proxy.http.ForwardedHeadersHandler;
import io.gatehouse.proxy.http.HttpProxyHandler;
import io.gatehouse.proxy.http.UpstreamPools;
import io.gatehouse.proxy.http.UpstreamSettings;
import io.gatehouse.proxy.tcp.TcpConnectHandler;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;

/**
 * Builds the pipeline of every accepted connection of one listener, stage by stage: TLS, then the mode's stages.
 * See {@link PipelineNames} for the order.
 */
final class DownstreamPipeline extends ChannelInitializer<Channel> {

    private final ListenerRuntime listener;
    private final ConnectionTracker tracker;
    private final UpstreamPools pools;
    private final UpstreamSettings upstreamSettings;
    private final ListenerMeters meters;
    private final StapleLookup staples;

    DownstreamPipeline(ListenerRuntime listener, ConnectionTracker tracker, UpstreamSettings upstreamSettings, ListenerMeters meters,
            StapleLookup staples) {
        this.listener = listener;
        this.meters = meters;
        this.staples = staples;
        this.tracker = tracker;
        this.upstreamSettings = upstreamSettings;
        this.pools = new UpstreamPools(listener.upstream(), upstreamSettings);
    }

    @Override
    protected void initChannel(Channel ch) {
        tracker.add(ch);
        addTlsStage(ch);
        if (listener.config().mode() == ListenerMode.HTTP) {
            addHttpStage(ch);
        } else {
            addTcpStage(ch);
        }
    }

    private void addTlsStage(Channel ch) {
        ch.pipeline()
                .addLast(PipelineNames.TLS_SNI, new DownstreamTls(listener.tls(), meters, staples))
                .addLast(PipelineNames.HANDSHAKE_LOG, new HandshakeOutcomeLogger(listener.name(), meters));
    }

    private void addHttpStage(Channel ch) {
        HttpDecoderConfig decoder = new HttpDecoderConfig()
                .setMaxInitialLineLength(8192)
                .setMaxHeaderSize(16384)
                .setMaxChunkSize(65536)
                .setValidateHeaders(true);
        ListenerTimeouts timeouts = listener.config().timeouts();
        RequestHeadDeadline headDeadline = new RequestHeadDeadline(timeouts.requestHead());
        ch.pipeline()
                .addLast(PipelineNames.REQUEST_HEAD_DEADLINE, headDeadline.byteWatcher())
                .addLast(PipelineNames.HTTP_CODEC, new HttpServerCodec(decoder))
                .addLast(PipelineNames.REQUEST_HEAD_RECEIVED, headDeadline.headWatcher())
                .addLast(PipelineNames.IDLE, new IdleStateHandler(0, 0, timeouts.keepAlive().toMillis(), TimeUnit.MILLISECONDS))
                .addLast(PipelineNames.FORWARDED_HEADERS, new ForwardedHeadersHandler("https"))
                .addLast(PipelineNames.HTTP_PROXY, new HttpProxyHandler(listener.name(), pools, meters));
    }

    private void addTcpStage(Channel ch) {
        ch.pipeline().addLast(PipelineNames.TCP_CONNECT, new TcpConnectHandler(listener.name(), listener.upstream(),
                listener.config().sendProxy(), upstreamSettings.channelClass(), upstreamSettings.connectTimeout(), meters));
    }
}
