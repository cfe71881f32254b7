package io.gatehouse.proxy.http;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.util.AttributeKey;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * How upstream connections are made and kept.
 *
 * @param idleTimeout how long a pooled connection may sit unused; below Apache httpd's 5 s KeepAliveTimeout
 *                    (keystone, nova and glance under mod_wsgi) so the pool rarely holds a connection the server
 *                    has already dropped
 */
public record UpstreamSettings(
        Class<? extends Channel> channelClass,
        Duration connectTimeout,
        Duration idleTimeout,
        int maxIdlePerServer,
        HttpDecoderConfig decoderConfig) {

    static final AttributeKey<InetSocketAddress> SERVER = AttributeKey.valueOf("gatehouse.upstream.server");

    public static UpstreamSettings defaults(Class<? extends Channel> channelClass) {
        return new UpstreamSettings(channelClass, Duration.ofSeconds(5), Duration.ofSeconds(4), 64,
                new HttpDecoderConfig().setMaxInitialLineLength(8192).setMaxHeaderSize(65536).setMaxChunkSize(65536));
    }
}
