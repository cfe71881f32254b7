package io.gatehouse.proxy;

import io.gatehouse.sni.SniMapping;
import io.netty.channel.ChannelHandler;
import io.netty.handler.ssl.SniHandler;
import io.netty.handler.ssl.SslContext;
import java.time.Duration;

/**
 * The first handler of every TLS listener: Netty's {@link SniHandler}, selecting the context from the listener's own
 * {@link SniMapping}. The ClientHello size is bounded and the handshake has a deadline, so a client that claims a
 * 16 MiB hello or never finishes costs little (CVE-2023-34462).
 */
public final class DownstreamTls {

    /** Large enough for post-quantum key shares and many extensions, far below what an attacker would like. */
    public static final int MAX_CLIENT_HELLO_LENGTH = 16 * 1024;
    public static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

    private DownstreamTls() {
    }

    public static ChannelHandler sniHandler(SniMapping<SslContext> mapping) {
        return new SniHandler(mapping::select, MAX_CLIENT_HELLO_LENGTH, HANDSHAKE_TIMEOUT.toMillis());
    }
}
