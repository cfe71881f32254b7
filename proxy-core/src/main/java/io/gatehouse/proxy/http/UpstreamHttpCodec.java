package io.gatehouse.proxy.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.CombinedChannelDuplexHandler;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AsciiString;
import java.util.ArrayDeque;
import java.util.List;

/**
 * HTTP/1.1 toward one backend connection, as Netty's {@code HttpClientCodec} does it: each response is read
 * knowing its request's method (a response to HEAD has no body, whatever its headers say; after a 200 to CONNECT
 * the bytes are the tunnel's). Gatehouse's own so its decoder can read plain responses in one pass and keep the
 * names, values and reason phrases a backend repeats in every response ({@link RepeatedText}), leaving the rest to
 * Netty's decoder, which Netty's codec cannot be told to do. Public for the response-path benchmark.
 */
public final class UpstreamHttpCodec extends CombinedChannelDuplexHandler<HttpResponseDecoder, UpstreamRequestEncoder> {

    /** Room for the dozen or two names a backend sends; backend connections are few and long-lived. */
    private static final int NAME_SLOTS = 64;
    private static final int VALUE_SLOTS = 64;
    private static final int MAX_KEPT_VALUE = 256;
    private static final int VALUE_BUDGET = 4096;
    private static final AsciiString HTTP_1_1 = AsciiString.cached("HTTP/1.1 ");
    private static final int STATUS_START = HTTP_1_1.length();

    /** The methods of the requests sent and not yet answered, oldest first. */
    private final ArrayDeque<HttpMethod> methods = new ArrayDeque<>(2);
    /** After a 200 to CONNECT: every byte since is the tunnel's and passes through untouched. */
    private boolean tunnel;

    public UpstreamHttpCodec(HttpDecoderConfig config) {
        init(new ResponseDecoder(config), new RequestEncoder());
    }

    private final class RequestEncoder extends UpstreamRequestEncoder {
        @Override
        protected void encode(ChannelHandlerContext ctx, Object msg, List<Object> out) throws Exception {
            if (tunnel) {
                // The encoder's write hands what it was given on; it releases only what it encodes.
                out.add(msg);
                return;
            }
            if (msg instanceof HttpRequest request) {
                methods.add(request.method());
            }
            super.encode(ctx, msg, out);
        }
    }

    private final class ResponseDecoder extends HttpResponseDecoder {
        private final RepeatedText names = new RepeatedText(NAME_SLOTS, 64, 4096);
        private final PlainHead head = new PlainHead(names, new RepeatedText(VALUE_SLOTS, MAX_KEPT_VALUE, VALUE_BUDGET));
        private final FixedLengthBody body;
        private final NettyDecoderPosition netty = new NettyDecoderPosition();
        /** One response in flight at a time: the proxy sends a request only once the one before was answered. */
        private final Spares<PlainResponse> spareResponses = new Spares<>(1);
        private final int maxInitialLineLength;
        private final int maxHeaderSize;
        /** The last status with a reason phrase of the backend's own ("201 CREATED"), for its next use. */
        private HttpResponseStatus ownStatus;
        private AsciiString ownReason;

        ResponseDecoder(HttpDecoderConfig config) {
            super(config);
            this.maxInitialLineLength = config.getMaxInitialLineLength();
            this.maxHeaderSize = config.getMaxHeaderSize();
            this.body = new FixedLengthBody(config.getMaxChunkSize(), trailersFactory);
        }

        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf buffer, List<Object> out) throws Exception {
            if (tunnel) {
                int readable = actualReadableBytes();
                if (readable > 0) {
                    out.add(buffer.readRetainedSlice(readable));
                }
                return;
            }
            if (body.inProgress()) {
                body.read(buffer, out);
                return;
            }
            if (netty.plainMayFollow() && readPlainResponse(buffer, out)) {
                return;
            }
            int decoded = out.size();
            super.decode(ctx, buffer, out);
            netty.afterNetty(out, decoded);
        }

        /**
         * Reads the whole head of one plain final response, or reads nothing and returns false. Plain here also
         * means a body whose end the head states: a Content-Length, or none at all (HEAD, 204, 304). A body that
         * runs to the close, and every informational response, are Netty's to read.
         */
        private boolean readPlainResponse(ByteBuf buffer, List<Object> out) {
            if (!head.copy(buffer) || !head.holds(0, HTTP_1_1) || head.length() < STATUS_START + 5) {
                return false;
            }
            int code = 0;
            for (int i = STATUS_START; i < STATUS_START + 3; i++) {
                byte digit = head.at(i);
                if (digit < '0' || digit > '9') {
                    return false;
                }
                code = code * 10 + digit - '0';
            }
            int reasonStart = STATUS_START + 4;
            if (code < 200 || code > 599 || head.at(STATUS_START + 3) != ' ' || !PlainHead.isVisible(head.at(reasonStart))) {
                return false;
            }
            int reasonEnd = reasonStart;
            while (PlainHead.isVisible(head.at(reasonEnd)) || head.at(reasonEnd) == ' ' && PlainHead.isVisible(head.at(reasonEnd + 1))) {
                reasonEnd++;
            }
            HttpMethod answered = methods.peek();
            if (!head.lineEndAt(reasonEnd) || reasonEnd > maxInitialLineLength || HttpMethod.CONNECT.equals(answered)) {
                return false;
            }
            PlainResponse response = PlainResponse.takeOrMake(spareResponses, headersFactory);
            boolean bodiless = HttpMethod.HEAD.equals(answered) || code == 204 || code == 304;
            if (!head.readFields(reasonEnd + 2, maxHeaderSize, response.headers()) || !bodiless && head.contentLength() < 0) {
                response.putBack();
                return false;
            }
            response.lend(status(code, head.text(reasonStart, reasonEnd)));
            // As Netty's decoder asks it: this pairs the response with its request's method.
            isContentAlwaysEmpty(response);
            buffer.skipBytes(head.length());
            out.add(response);
            if (bodiless || head.contentLength() == 0) {
                out.add(LastHttpContent.EMPTY_LAST_CONTENT);
            } else {
                body.start(head.contentLength());
            }
            return true;
        }

        /** As Netty's decoder makes it, without a new object for a reason phrase the backend repeats. */
        private HttpResponseStatus status(int code, AsciiString reason) {
            HttpResponseStatus standard = HttpResponseStatus.valueOf(code);
            if (standard.reasonPhrase().contentEquals(reason)) {
                return standard;
            }
            if (reason != ownReason || ownStatus.code() != code) {
                ownStatus = HttpResponseStatus.valueOf(code, reason.toString());
                ownReason = reason;
            }
            return ownStatus;
        }

        @Override
        protected boolean isContentAlwaysEmpty(HttpMessage msg) {
            HttpResponse response = (HttpResponse) msg;
            if (response.status().codeClass() == HttpStatusClass.INFORMATIONAL) {
                // Not a request's final answer: the method waits for the response that is.
                return super.isContentAlwaysEmpty(msg);
            }
            HttpMethod method = methods.poll();
            if (HttpMethod.HEAD.equals(method)) {
                return true;
            }
            if (HttpMethod.CONNECT.equals(method) && response.status().code() == 200) {
                tunnel = true;
                methods.clear();
                return true;
            }
            return super.isContentAlwaysEmpty(msg);
        }

        @Override
        protected AsciiString splitHeaderName(byte[] sb, int start, int length) {
            return names.text(sb, start, length);
        }
    }
}
