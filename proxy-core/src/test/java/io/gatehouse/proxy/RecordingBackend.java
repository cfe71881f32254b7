package io.gatehouse.proxy;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslContext;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An upstream server for tests that records what it receives: each request's method, target and headers, the
 * PROXY header of each connection, and body bytes. It answers {@code X-Served-By: NAME}; {@code /health} with
 * the status the test sets; {@code /slow} never; {@code /ws} with 101 Switching Protocols, then echoes raw bytes.
 */
public final class RecordingBackend implements AutoCloseable {

    /** What one request looked like on arrival. */
    public record Seen(String method, String uri, HttpHeaders headers) {
    }

    private final String name;
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel server;
    private final List<Seen> requests = new CopyOnWriteArrayList<>();
    private final List<HAProxyMessage> proxyHeaders = new CopyOnWriteArrayList<>();
    private final AtomicInteger healthStatus = new AtomicInteger(200);
    private final AtomicInteger healthChecks = new AtomicInteger();
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicLong bodyBytes = new AtomicLong();

    private RecordingBackend(String name, Optional<SslContext> tls, boolean expectProxyHeader) throws InterruptedException {
        this.name = name;
        this.server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        connections.incrementAndGet();
                        if (expectProxyHeader) {
                            ch.pipeline().addLast(new HAProxyMessageDecoder(), new ChannelInboundHandlerAdapter() {
                                @Override
                                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                    if (msg instanceof HAProxyMessage header) {
                                        proxyHeaders.add(header);
                                        ctx.pipeline().remove(this);
                                    } else {
                                        ctx.fireChannelRead(msg);
                                    }
                                }
                            });
                        }
                        tls.ifPresent(context -> ch.pipeline().addLast(context.newHandler(ch.alloc())));
                        ch.pipeline().addLast("codec", new HttpServerCodec()).addLast("answer", new Answer());
                    }
                }).bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
    }

    public static RecordingBackend start(String name) throws InterruptedException {
        return new RecordingBackend(name, Optional.empty(), false);
    }

    public static RecordingBackend startTls(String name, SslContext tls) throws InterruptedException {
        return new RecordingBackend(name, Optional.of(tls), false);
    }

    public static RecordingBackend startExpectingProxyHeader(String name) throws InterruptedException {
        return new RecordingBackend(name, Optional.empty(), true);
    }

    public int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    public String name() {
        return name;
    }

    public List<Seen> requests() {
        return requests;
    }

    /** Requests other than health checks. */
    public List<Seen> served() {
        return requests.stream().filter(r -> !r.uri().equals("/health")).toList();
    }

    public List<HAProxyMessage> proxyHeaders() {
        return proxyHeaders;
    }

    public int connections() {
        return connections.get();
    }

    public int healthChecks() {
        return healthChecks.get();
    }

    public long bodyBytes() {
        return bodyBytes.get();
    }

    public void healthStatus(int status) {
        healthStatus.set(status);
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        proxyHeaders.forEach(ReferenceCountUtil::release);
    }

    private final class Answer extends ChannelInboundHandlerAdapter {
        private HttpRequest current;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof ByteBuf raw) {
                // After a 101: echo the upgraded protocol's bytes.
                ctx.writeAndFlush(raw);
                return;
            }
            try {
                if (msg instanceof HttpRequest request) {
                    current = request;
                    requests.add(new Seen(request.method().name(), request.uri(), request.headers().copy()));
                    if (request.uri().equals("/health")) {
                        healthChecks.incrementAndGet();
                    }
                }
                if (msg instanceof HttpContent content) {
                    bodyBytes.addAndGet(content.content().readableBytes());
                }
                if (msg instanceof LastHttpContent && current != null) {
                    answer(ctx, current);
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        private void answer(ChannelHandlerContext ctx, HttpRequest request) {
            String uri = request.uri();
            if (uri.startsWith("/slow")) {
                return;
            }
            if (uri.equals("/ws") && "websocket".equalsIgnoreCase(request.headers().get(HttpHeaderNames.UPGRADE))) {
                DefaultHttpResponse switching = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.SWITCHING_PROTOCOLS);
                switching.headers().set(HttpHeaderNames.UPGRADE, "websocket").set(HttpHeaderNames.CONNECTION, "Upgrade")
                        .set(HttpHeaderNames.SEC_WEBSOCKET_ACCEPT, "test");
                ctx.writeAndFlush(switching).addListener(f -> {
                    ctx.pipeline().remove("codec");
                });
                return;
            }
            HttpResponseStatus status = uri.equals("/health") ? HttpResponseStatus.valueOf(healthStatus.get()) : HttpResponseStatus.OK;
            String body = name + " " + request.method() + " " + uri + "\n";
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                    Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
            response.headers().set("X-Served-By", name).set(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
            ctx.writeAndFlush(response);
        }
    }
}
