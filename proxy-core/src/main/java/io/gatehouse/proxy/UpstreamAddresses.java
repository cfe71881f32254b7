package io.gatehouse.proxy;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The resolved servers of one backend, chosen round-robin. Names are resolved once at startup, off the event
 * loop, so a connect never blocks an event loop on DNS.
 */
public final class UpstreamAddresses {

    private final String backend;
    private final List<InetSocketAddress> servers;
    private final AtomicInteger next = new AtomicInteger();

    public UpstreamAddresses(String backend, List<InetSocketAddress> servers) {
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("backend " + backend + " has no servers");
        }
        this.backend = backend;
        this.servers = List.copyOf(servers);
    }

    public String backend() {
        return backend;
    }

    public List<InetSocketAddress> servers() {
        return servers;
    }

    /** The servers as operators write them: {@code [127.0.0.1:35357, [fd00::5]:35357]}. */
    public String serversText() {
        return servers.stream().map(UpstreamAddresses::text).toList().toString();
    }

    public static String text(InetSocketAddress address) {
        String host = address.getAddress() == null ? address.getHostString() : address.getAddress().getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    public InetSocketAddress next() {
        return servers.get(Math.floorMod(next.getAndIncrement(), servers.size()));
    }
}
