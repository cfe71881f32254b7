package io.gatehouse.proxy.demo;

import io.gatehouse.proxy.PipelineNames;
import io.gatehouse.proxy.Transport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerExpectContinueHandler;
import io.netty.handler.stream.ChunkedWriteHandler;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A plain-HTTP backend that answers every request with what it received: method, path, body size and headers.
 * {@code GET /bytes/N} streams N bytes instead. It counts the connections it accepted, so the tests can prove
 * upstream keep-alive reuse.
 */
public final class DemoBackend implements AutoCloseable {

    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicLong bodyBytes = new AtomicLong();
    private final AtomicInteger requests = new AtomicInteger();
    private final EventLoopGroup group;
    private final Channel server;

    private DemoBackend(String host, int port) throws InterruptedException {
        Transport transport = Transport.best();
        this.group = transport.newGroup(1, "demo-backend");
        this.server = new ServerBootstrap()
                .group(group)
                .channel(transport.serverChannel())
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        connections.incrementAndGet();
                        ch.pipeline()
                                .addLast(PipelineNames.HTTP_CODEC, new HttpServerCodec())
                                .addLast(PipelineNames.EXPECT_CONTINUE, new HttpServerExpectContinueHandler())
                                .addLast(PipelineNames.CHUNKED_WRITER, new ChunkedWriteHandler())
                                .addLast("demo-echo", new DemoEchoHandler(bodyBytes, requests));
                    }
                })
                .bind(new InetSocketAddress(host, port)).sync().channel();
    }

    public static DemoBackend start(String host, int port) throws InterruptedException {
        return new DemoBackend(host, port);
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) server.localAddress();
    }

    /** How many TCP connections the backend accepted since it started. */
    public int connectionsAccepted() {
        return connections.get();
    }

    /** How many request heads the backend received. */
    public int requestsReceived() {
        return requests.get();
    }

    /** Total request body bytes received. */
    public long bodyBytesReceived() {
        return bodyBytes.get();
    }

    @Override
    public void close() {
        server.close().awaitUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
    }
}
