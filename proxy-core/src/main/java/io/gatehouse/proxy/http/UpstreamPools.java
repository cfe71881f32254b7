package io.gatehouse.proxy.http;

import io.gatehouse.proxy.backend.Backend;
import io.gatehouse.proxy.backend.UpstreamConnector;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpDecoderConfig;
import java.util.concurrent.ConcurrentHashMap;

/** One {@link UpstreamPool} per event loop for one backend, shared by every listener and route that uses it. */
public final class UpstreamPools {

    /**
     * Responses are parsed as strictly as requests; headers may be larger (keystone's catalog-bearing tokens). The
     * strict settings are Netty's defaults, but a process-wide property can turn them off, so they are pinned here.
     */
    private static final HttpDecoderConfig RESPONSE_DECODER = new HttpDecoderConfig()
            .setMaxInitialLineLength(8192)
            .setMaxHeaderSize(65536)
            .setMaxChunkSize(65536)
            .setValidateHeaders(true)
            .setStrictLineParsing(true)
            .setUseRfc9112TransferEncoding(true);

    private final Backend backend;
    private final UpstreamConnector connector;
    private final ConcurrentHashMap<EventLoop, UpstreamPool> byLoop = new ConcurrentHashMap<>();

    public UpstreamPools(Backend backend, UpstreamConnector connector) {
        this.backend = backend;
        this.connector = connector;
    }

    public Backend backend() {
        return backend;
    }

    UpstreamPool forLoop(EventLoop loop) {
        return byLoop.computeIfAbsent(loop, l -> new UpstreamPool(l, backend, connector, RESPONSE_DECODER));
    }
}
