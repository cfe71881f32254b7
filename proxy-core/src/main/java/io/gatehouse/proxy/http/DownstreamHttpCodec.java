package io.gatehouse.proxy.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.CombinedChannelDuplexHandler;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.List;

/**
 * HTTP/1.1 toward one client, as Netty's {@code HttpServerCodec} does it: each response is written knowing its
 * request's method (a response to HEAD carries no body; a 2xx to CONNECT no framing), and at most
 * {@link #MAX_PIPELINE_DEPTH} requests are read ahead of their responses. (Netty's codec also closes after a
 * request that had both Transfer-Encoding and Content-Length; with RFC 9112 framing, as {@link Http1DecoderConfigs}
 * sets it, the decoder refuses such a request instead.) Gatehouse's own so its decoder can be a
 * {@link ClientRequestDecoder}, which reads plain requests in one pass and keeps the text a client repeats; Netty's
 * codec cannot be given another decoder.
 */
public final class DownstreamHttpCodec extends CombinedChannelDuplexHandler<HttpRequestDecoder, HttpResponseEncoder> {

    /** Netty's limit: requests decoded and not yet answered. */
    static final int MAX_PIPELINE_DEPTH = 128;

    private final ArrayDeque<HttpMethod> methods = new ArrayDeque<>(2);
    private boolean closeAfterResponse;
    /** The method of the request whose response is being written. */
    private HttpMethod answering;

    public DownstreamHttpCodec(HttpDecoderConfig config) {
        init(new RequestDecoder(config), new ResponseEncoder());
    }

    private final class RequestDecoder extends ClientRequestDecoder {
        private boolean discard;

        RequestDecoder(HttpDecoderConfig config) {
            super(config);
        }

        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf buffer, List<Object> out) throws Exception {
            if (discard) {
                buffer.skipBytes(buffer.readableBytes());
                return;
            }
            int oldSize = out.size();
            super.decode(ctx, buffer, out);
            for (int i = oldSize; i < out.size(); i++) {
                if (out.get(i) instanceof HttpRequest request) {
                    if (methods.size() >= MAX_PIPELINE_DEPTH) {
                        // Answer what was read in time, then close; everything from here on is dropped.
                        closeAfterResponse = true;
                        discard = true;
                        while (out.size() > i) {
                            ReferenceCountUtil.release(out.remove(out.size() - 1));
                        }
                        throw new IllegalStateException("more than " + MAX_PIPELINE_DEPTH + " requests read ahead of their responses");
                    }
                    methods.add(request.method());
                }
            }
        }
    }

    private final class ResponseEncoder extends HttpResponseEncoder {
        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
            if (closeAfterResponse && msg instanceof LastHttpContent) {
                closeAfterResponse = false;
                promise = promise.unvoid().addListener(ChannelFutureListener.CLOSE);
            }
            super.write(ctx, msg, promise);
        }

        @Override
        protected void encodeHeaders(HttpHeaders headers, ByteBuf buf) {
            if (!FlatHttpHeaders.writeLines(headers, buf)) {
                super.encodeHeaders(headers, buf);
            }
        }

        @Override
        protected void sanitizeHeadersBeforeEncode(HttpResponse msg, boolean isAlwaysEmpty) {
            if (!isAlwaysEmpty && HttpMethod.CONNECT.equals(answering) && msg.status().codeClass() == HttpStatusClass.SUCCESS) {
                // RFC 9110 section 9.3.6: a 2xx to CONNECT starts a tunnel and has no body to frame.
                msg.headers().remove(HttpHeaderNames.TRANSFER_ENCODING);
                return;
            }
            super.sanitizeHeadersBeforeEncode(msg, isAlwaysEmpty);
        }

        @Override
        protected boolean isContentAlwaysEmpty(HttpResponse msg) {
            if (msg.status().codeClass() == HttpStatusClass.INFORMATIONAL) {
                // Not a request's final answer: the method waits for the response that is.
                return super.isContentAlwaysEmpty(msg);
            }
            answering = methods.poll();
            return HttpMethod.HEAD.equals(answering) || super.isContentAlwaysEmpty(msg);
        }
    }
}
