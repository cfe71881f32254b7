package io.gatehouse.proxy.demo;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpChunkedInput;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.stream.ChunkedInput;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Echoes each request's method, path, body size and headers; streams zeros for {@code GET /bytes/N}. */
final class DemoEchoHandler extends ChannelInboundHandlerAdapter {

    private static final Pattern BYTES = Pattern.compile("/bytes/(\\d{1,12})");

    private final AtomicLong totalBodyBytes;
    private final AtomicInteger requestCount;
    private HttpRequest request;
    private long bodyBytes;

    DemoEchoHandler(AtomicLong totalBodyBytes, AtomicInteger requestCount) {
        this.totalBodyBytes = totalBodyBytes;
        this.requestCount = requestCount;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest head) {
            requestCount.incrementAndGet();
            request = head;
            bodyBytes = 0;
        }
        if (msg instanceof HttpContent content) {
            int readable = content.content().readableBytes();
            bodyBytes += readable;
            totalBodyBytes.addAndGet(readable);
            content.release();
            if (content instanceof LastHttpContent) {
                respond(ctx);
            }
        }
    }

    private void respond(ChannelHandlerContext ctx) {
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        Matcher bytes = BYTES.matcher(request.uri());
        if (bytes.matches()) {
            long length = Long.parseLong(bytes.group(1));
            HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
            head.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/octet-stream").set(HttpHeaderNames.CONTENT_LENGTH, length);
            HttpUtil.setKeepAlive(head, keepAlive);
            ctx.write(head);
            var done = ctx.writeAndFlush(new HttpChunkedInput(new ZeroBytes(length)));
            if (!keepAlive) {
                done.addListener(ChannelFutureListener.CLOSE);
            }
            return;
        }
        StringBuilder body = new StringBuilder("Hello from the Gatehouse demo backend.\n\n")
                .append(request.method()).append(' ').append(request.uri()).append(' ').append(request.protocolVersion()).append('\n')
                .append("body-bytes: ").append(bodyBytes).append("\n\nheaders received:\n");
        for (Map.Entry<String, String> header : request.headers()) {
            body.append(header.getKey()).append(": ").append(header.getValue()).append('\n');
        }
        byte[] text = body.toString().getBytes(StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                Unpooled.wrappedBuffer(text));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8").setInt(HttpHeaderNames.CONTENT_LENGTH, text.length);
        HttpUtil.setKeepAlive(response, keepAlive);
        var done = ctx.writeAndFlush(response);
        if (!keepAlive) {
            done.addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }

    /** {@code length} zero bytes in 64 KiB pieces, produced as the connection can take them. */
    private static final class ZeroBytes implements ChunkedInput<ByteBuf> {
        private static final int PIECE = 64 * 1024;
        private final long length;
        private long produced;

        ZeroBytes(long length) {
            this.length = length;
        }

        @Override
        public boolean isEndOfInput() {
            return produced >= length;
        }

        @Override
        public void close() {
        }

        @Deprecated
        @Override
        public ByteBuf readChunk(ChannelHandlerContext ctx) {
            return readChunk(ctx.alloc());
        }

        @Override
        public ByteBuf readChunk(ByteBufAllocator allocator) {
            if (isEndOfInput()) {
                return null;
            }
            int size = (int) Math.min(PIECE, length - produced);
            produced += size;
            return allocator.buffer(size).writeZero(size);
        }

        @Override
        public long length() {
            return length;
        }

        @Override
        public long progress() {
            return produced;
        }
    }
}
