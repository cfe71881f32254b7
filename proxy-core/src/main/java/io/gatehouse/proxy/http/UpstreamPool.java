package io.gatehouse.proxy.http;

import io.gatehouse.proxy.ClientAddress;
import io.gatehouse.proxy.IdleTimeout;
import io.gatehouse.proxy.PipelineNames;
import io.gatehouse.proxy.backend.Backend;
import io.gatehouse.proxy.backend.UpstreamConnector;
import io.gatehouse.proxy.backend.UpstreamServer;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.util.AttributeKey;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Keep-alive connections to one backend's servers, confined to one event loop: the downstream channels of that
 * loop borrow from it without locks or thread hand-offs.
 *
 * <p>A backend that is sent the PROXY header gets private connections: the header names one client, so such a
 * connection only ever carries that client's requests, and closes with it.
 */
final class UpstreamPool {

    /** Result of {@link #acquire}. */
    interface Callback {
        void ready(Channel upstream, UpstreamResponseHandler handler, UpstreamServer server, boolean reused);

        /** @param refused the server did not take the connection; the request was not sent and may go elsewhere */
        void failed(UpstreamServer server, Throwable cause, boolean refused);

        /** No server of the backend is in rotation. */
        void unavailable();
    }

    private static final AttributeKey<Object> POOL_KEY = AttributeKey.valueOf("gatehouse.upstream.pool-key");

    /** The idle-list key of a connection that carries one client's requests only. */
    private record PrivateKey(UpstreamServer server, Channel downstream) {
    }

    private final EventLoop loop;
    private final Backend backend;
    private final UpstreamConnector connector;
    private final HttpDecoderConfig decoderConfig;
    private final Map<Object, ArrayDeque<Channel>> idle = new HashMap<>();

    UpstreamPool(EventLoop loop, Backend backend, UpstreamConnector connector, HttpDecoderConfig decoderConfig) {
        this.loop = loop;
        this.backend = backend;
        this.connector = connector;
        this.decoderConfig = decoderConfig;
    }

    Backend backend() {
        return backend;
    }

    /**
     * Chooses a server (never one in {@code tried}), counts the exchange against it, and borrows an idle
     * connection to it or opens one. {@code fresh} skips the idle ones.
     */
    void acquire(Channel downstream, Set<UpstreamServer> tried, boolean fresh, Callback callback) {
        Optional<UpstreamServer> chosen = backend.choose(tried);
        if (chosen.isEmpty()) {
            callback.unavailable();
            return;
        }
        UpstreamServer server = chosen.get();
        server.exchangeStarted();
        Channel connection = ClientAddress.connectionOf(downstream);
        Object key = backend.config().sendProxy().isPresent() ? new PrivateKey(server, connection) : server;
        if (!fresh) {
            ArrayDeque<Channel> waiting = idle.get(key);
            Channel candidate;
            while (waiting != null && (candidate = waiting.pollLast()) != null) {
                if (candidate.isActive()) {
                    callback.ready(candidate, candidate.pipeline().get(UpstreamResponseHandler.class), server, true);
                    return;
                }
            }
        }
        UpstreamResponseHandler handler = new UpstreamResponseHandler(this);
        connector.connect(loop, backend, server, ClientAddress.of(downstream), downstream.localAddress(), true, ch -> {
            ch.attr(POOL_KEY).set(key);
            ch.pipeline()
                    .addLast(PipelineNames.HTTP_CODEC, new UpstreamHttpCodec(decoderConfig))
                    .addLast(PipelineNames.IDLE, new IdleTimeout(backend.config().timeouts().idle()))
                    .addLast(PipelineNames.UPSTREAM_RESPONSE, handler);
        }, new UpstreamConnector.Callback() {
            @Override
            public void connected(Channel upstream) {
                if (key instanceof PrivateKey) {
                    connection.closeFuture().addListener(closed -> upstream.close());
                }
                callback.ready(upstream, handler, server, false);
            }

            @Override
            public void failed(Throwable cause, boolean refused) {
                server.exchangeEnded();
                callback.failed(server, cause, refused);
            }
        });
    }

    /** Returns a connection whose exchange finished cleanly; closes it when the pool for its server is full. */
    void release(Channel upstream) {
        Object key = upstream.attr(POOL_KEY).get();
        ArrayDeque<Channel> waiting = idle.computeIfAbsent(key, s -> new ArrayDeque<>());
        if (!upstream.isActive() || waiting.size() >= backend.config().maxIdlePerServer()) {
            upstream.close();
            return;
        }
        upstream.config().setAutoRead(true);
        waiting.addLast(upstream);
    }

    void forget(Channel upstream) {
        Object key = upstream.attr(POOL_KEY).get();
        ArrayDeque<Channel> waiting = key == null ? null : idle.get(key);
        if (waiting != null) {
            waiting.remove(upstream);
            if (waiting.isEmpty() && key instanceof PrivateKey) {
                idle.remove(key);
            }
        }
    }
}
