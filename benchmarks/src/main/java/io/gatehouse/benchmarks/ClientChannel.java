package io.gatehouse.benchmarks;

import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/** An embedded channel whose peer is a real client address, as a socket's is: the forwarding headers need one. */
final class ClientChannel extends EmbeddedChannel {

    private static final InetSocketAddress CLIENT = new InetSocketAddress("192.0.2.10", 40000);

    ClientChannel(ChannelHandler... handlers) {
        super(handlers);
    }

    @Override
    protected SocketAddress remoteAddress0() {
        return CLIENT;
    }
}
