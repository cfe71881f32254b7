package io.gatehouse.proxy.admin;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * Answers the admin endpoints: {@code /healthz} is 200 while Gatehouse serves, 503 while it drains; {@code /metrics} is
 * the Prometheus text exposition.
 */
@ChannelHandler.Sharable
public final class AdminHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    private final Supplier<HealthReport> health;
    private final Supplier<String> metrics;

    public AdminHandler(Supplier<HealthReport> health, Supplier<String> metrics) {
        this.health = health;
        this.metrics = metrics;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        String path = new QueryStringDecoder(request.uri()).path();
        FullHttpResponse response;
        if (path.equals("/healthz")) {
            HealthReport report = health.get();
            response = json(ctx, report.serving() ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE, report.toJson());
        } else if (path.equals("/metrics")) {
            response = text(ctx, metrics.get());
        } else {
            response = json(ctx, HttpResponseStatus.NOT_FOUND, "{\"error\":\"not found\",\"endpoints\":[\"/healthz\",\"/metrics\"]}");
        }
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        HttpUtil.setKeepAlive(response, keepAlive);
        var written = ctx.writeAndFlush(response);
        if (!keepAlive) {
            written.addListener(ChannelFutureListener.CLOSE);
        }
    }

    private static FullHttpResponse json(ChannelHandlerContext ctx, HttpResponseStatus status, String body) {
        return response(ctx, status, "application/json", body + "\n");
    }

    private static FullHttpResponse text(ChannelHandlerContext ctx, String body) {
        return response(ctx, HttpResponseStatus.OK, "text/plain; version=0.0.4; charset=utf-8", body);
    }

    private static FullHttpResponse response(ChannelHandlerContext ctx, HttpResponseStatus status, String contentType, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ByteBuf content = ctx.alloc().buffer(bytes.length).writeBytes(bytes);
        FullHttpResponse response = new DefaultFullHttpResponse(io.netty.handler.codec.http.HttpVersion.HTTP_1_1, status, content);
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType).setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
        return response;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
