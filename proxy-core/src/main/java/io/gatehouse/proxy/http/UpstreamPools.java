package io.gatehouse.proxy.http;

import io.gatehouse.proxy.backend.Backend;
import io.gatehouse.proxy.backend.UpstreamConnector;
import io.netty.channel.EventLoop;
import java.util.concurrent.ConcurrentHashMap;

/** One {@link UpstreamPool} per event loop for one backend, shared by every listener and route that uses it. */
public final class UpstreamPools {

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
        return byLoop.computeIfAbsent(loop, l -> new UpstreamPool(l, backend, connector, Http1DecoderConfigs.responses()));
    }
}
