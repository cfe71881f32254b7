package io.gatehouse.proxy.http;

import io.gatehouse.proxy.PipelineNames;
import io.gatehouse.proxy.UpstreamAddresses;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Keep-alive connections to one backend's servers, confined to one event loop: the downstream channels of that
 * loop borrow from it without locks or thread hand-offs.
 */
final class UpstreamPool {

    /** Result of {@link #acquire}. */
    interface Callback {
        void ready(Channel upstream, UpstreamResponseHandler handler, boolean reused);

        void failed(InetSocketAddress server, Throwable cause);
    }

    private final EventLoop loop;
    private final UpstreamAddresses addresses;
    private final UpstreamSettings settings;
    private final Map<InetSocketAddress, ArrayDeque<Channel>> idle = new HashMap<>();

    UpstreamPool(EventLoop loop, UpstreamAddresses addresses, UpstreamSettings settings) {
        this.loop = loop;
        this.addresses = addresses;
        this.settings = settings;
    }

    String backend() {
        return addresses.backend();
    }

    /** Borrows an idle connection to the next server, or opens one. {@code fresh} skips the idle ones. */
    void acquire(boolean fresh, Callback callback) {
        InetSocketAddress server = addresses.next();
        if (!fresh) {
            ArrayDeque<Channel> waiting = idle.get(server);
            Channel candidate;
            while (waiting != null && (candidate = waiting.pollLast()) != null) {
                if (candidate.isActive()) {
                    callback.ready(candidate, candidate.pipeline().get(UpstreamResponseHandler.class), true);
                    return;
                }
            }
        }
        UpstreamResponseHandler handler = new UpstreamResponseHandler(this);
        ChannelFuture connecting = new Bootstrap()
                .group(loop)
                .channel(settings.channelClass())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) settings.connectTimeout().toMillis())
                .attr(UpstreamSettings.SERVER, server)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline()
                                .addLast(PipelineNames.HTTP_CODEC, new HttpClientCodec(settings.decoderConfig(), false, false))
                                .addLast(PipelineNames.IDLE, new IdleStateHandler(0, 0, settings.idleTimeout().toMillis(), TimeUnit.MILLISECONDS))
                                .addLast(PipelineNames.UPSTREAM_RESPONSE, handler);
                    }
                })
                .connect(server);
        connecting.addListener((ChannelFuture f) -> {
            if (f.isSuccess()) {
                callback.ready(f.channel(), handler, false);
            } else {
                callback.failed(server, f.cause());
            }
        });
    }

    /** Returns a connection whose exchange finished cleanly; closes it when the pool for its server is full. */
    void release(Channel upstream) {
        InetSocketAddress server = upstream.attr(UpstreamSettings.SERVER).get();
        ArrayDeque<Channel> waiting = idle.computeIfAbsent(server, s -> new ArrayDeque<>());
        if (!upstream.isActive() || waiting.size() >= settings.maxIdlePerServer()) {
            upstream.close();
            return;
        }
        upstream.config().setAutoRead(true);
        waiting.addLast(upstream);
    }

    void forget(Channel upstream) {
        InetSocketAddress server = upstream.attr(UpstreamSettings.SERVER).get();
        ArrayDeque<Channel> waiting = server == null ? null : idle.get(server);
        if (waiting != null) {
            waiting.remove(upstream);
        }
    }
}
