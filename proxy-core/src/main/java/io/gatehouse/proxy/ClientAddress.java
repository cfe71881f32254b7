package io.gatehouse.proxy;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import java.net.SocketAddress;

/**
 * The client's address as Gatehouse believes it: from a trusted PROXY header when one was received, else the
 * connection's peer. An h2 stream asks its connection.
 */
public final class ClientAddress {

    public static final AttributeKey<SocketAddress> FROM_PROXY_HEADER = AttributeKey.valueOf("gatehouse.client-address");

    private ClientAddress() {
    }

    public static SocketAddress of(Channel channel) {
        Channel connection = connectionOf(channel);
        // hasAttr first: attr() would create the attribute on every connection that never had a PROXY header.
        SocketAddress announced = connection.hasAttr(FROM_PROXY_HEADER) ? connection.attr(FROM_PROXY_HEADER).get() : null;
        return announced != null ? announced : connection.remoteAddress();
    }

    /** The TCP connection a channel belongs to: itself, or for an h2 stream, its parent. */
    public static Channel connectionOf(Channel channel) {
        return channel.parent() != null && !(channel.parent() instanceof io.netty.channel.ServerChannel) ? channel.parent() : channel;
    }
}
