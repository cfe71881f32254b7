package io.gatehouse.proxy.http;

import io.gatehouse.proxy.admin.ListenerMeters;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import java.util.regex.Pattern;

/**
 * A plain-HTTP listener's only job: send every request to the same host and path over https (HAProxy's
 * {@code redirect scheme https if !{ ssl_fc }}). GET and HEAD get 301; other methods get 308, which keeps the
 * method and body (RFC 9110 section 15.4.9). Nothing is forwarded anywhere.
 */
public final class HttpsRedirectHandler extends ChannelInboundHandlerAdapter {

    /** What a Host header may hold before it is copied into Location: name, IPv4, [IPv6], port. */
    private static final Pattern HOST_CHARACTERS = Pattern.compile("[A-Za-z0-9.:\\[\\]_-]+");

    private final ListenerMeters meters;

    public HttpsRedirectHandler(ListenerMeters meters) {
        this.meters = meters;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (!(msg instanceof HttpRequest request)) {
                return; // request bodies are read and dropped
            }
            if (request.decoderResult().isFailure()) {
                ctx.writeAndFlush(ErrorResponses.of(ctx.alloc(), ErrorResponses.forDecoderFailure(request.decoderResult().cause()),
                        "Bad Request")).addListener(ChannelFutureListener.CLOSE);
                return;
            }
            String host = request.headers().get(HttpHeaderNames.HOST);
            if (host == null || RouteTable.hostOf(host).isEmpty() || !HOST_CHARACTERS.matcher(host).matches()) {
                ctx.writeAndFlush(ErrorResponses.of(ctx.alloc(), HttpResponseStatus.BAD_REQUEST,
                        "Bad Request: a redirect needs a valid Host header")).addListener(ChannelFutureListener.CLOSE);
                return;
            }
            meters.redirected();
            boolean keepAlive = HttpUtil.isKeepAlive(request);
            ctx.writeAndFlush(redirect(request, RouteTable.hostOf(host), keepAlive))
                    .addListener(keepAlive ? ChannelFutureListener.CLOSE_ON_FAILURE : ChannelFutureListener.CLOSE);
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    static FullHttpResponse redirect(HttpRequest request, String host, boolean keepAlive) {
        boolean safe = request.method().equals(HttpMethod.GET) || request.method().equals(HttpMethod.HEAD);
        String path = request.uri().startsWith("/") ? request.uri() : RouteTable.pathOf(request.uri());
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                safe ? HttpResponseStatus.MOVED_PERMANENTLY : HttpResponseStatus.PERMANENT_REDIRECT, Unpooled.EMPTY_BUFFER);
        response.headers()
                .set(HttpHeaderNames.LOCATION, "https://" + host + path)
                .set(HttpHeaderNames.CONTENT_LENGTH, 0)
                .set(HttpHeaderNames.CONNECTION, keepAlive ? HttpHeaderValues.KEEP_ALIVE : HttpHeaderValues.CLOSE);
        return response;
    }
}
