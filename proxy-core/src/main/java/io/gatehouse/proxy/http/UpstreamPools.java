package io.gatehouse.proxy.http;

import io.gatehouse.proxy.UpstreamAddresses;
import io.netty.channel.EventLoop;
import java.util.concurrent.ConcurrentHashMap;

/** One {@link UpstreamPool} per event loop for one backend. */
public final class UpstreamPools {

    private final UpstreamAddresses addresses;
    private final UpstreamSettings settings;
    private final ConcurrentHashMap<EventLoop, UpstreamPool> byLoop = new ConcurrentHashMap<>();

    public UpstreamPools(UpstreamAddresses addresses, UpstreamSettings settings) {
        this.addresses = addresses;
        this.settings = settings;
    }

    UpstreamPool forLoop(EventLoop loop) {
        return byLoop.computeIfAbsent(loop, l -> new UpstreamPool(l, addresses, settings));
    }
}
