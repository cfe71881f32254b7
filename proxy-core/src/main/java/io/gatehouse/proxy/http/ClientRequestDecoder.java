package io.gatehouse.proxy.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AsciiString;
import java.util.List;

/**
 * Netty's request decoder, keeping the text a client repeats from request to request ({@link RepeatedText}).
 *
 * <p>Most requests through a TLS front door are plain: HTTP/1.1, one of the usual methods, visible-ASCII fields,
 * and no body or one of a stated length. Such a request, when its whole head has arrived, is read here in one pass;
 * its header names, values and target come from the connection's kept text, so a repeated request makes no new
 * strings, and its body is cut into pieces as Netty's decoder cuts it. Anything else (Transfer-Encoding, two
 * Content-Lengths, obs-fold, obs-text, an odd byte or space anywhere, a head over the limits, a head not yet
 * whole) goes to Netty's decoder untouched, which accepts or refuses it as before, at the same byte. The
 * plain reading therefore accepts only what Netty's accepts, and reads it the same way; a differential test holds
 * it to that.
 *
 * <p>The proxy uses it inside {@link DownstreamHttpCodec}; public for the forwarding benchmark.
 */
public class ClientRequestDecoder extends HttpRequestDecoder {

    /** A client sends fewer distinct names than a backend, and there are many more clients to keep them for. */
    private static final int NAME_SLOTS = 32;
    private static final int VALUE_SLOTS = 32;
    /** Long enough for a Fernet token; a longer value is rarely worth keeping. */
    private static final int MAX_KEPT_VALUE = 512;
    private static final int VALUE_BUDGET = 2048;

    private static final AsciiString HTTP_1_1 = AsciiString.cached(" HTTP/1.1");
    private static final HttpMethod[] PLAIN_METHODS = {HttpMethod.GET, HttpMethod.HEAD, HttpMethod.POST, HttpMethod.PUT,
            HttpMethod.DELETE, HttpMethod.PATCH, HttpMethod.OPTIONS};

    private final RepeatedText names = new RepeatedText(NAME_SLOTS, 64, 1024);
    private final PlainHead head = new PlainHead(names, new RepeatedText(VALUE_SLOTS, MAX_KEPT_VALUE, VALUE_BUDGET));
    private final FixedLengthBody body;
    private final int maxInitialLineLength;
    private final int maxHeaderSize;
    private final NettyDecoderPosition netty = new NettyDecoderPosition();
    /** A client that pipelines has a few requests in flight; one that does not, one. */
    private final Spares<PlainRequest> spareRequests = new Spares<>(2);

    public ClientRequestDecoder(HttpDecoderConfig config) {
        super(config);
        this.maxInitialLineLength = config.getMaxInitialLineLength();
        this.maxHeaderSize = config.getMaxHeaderSize();
        this.body = new FixedLengthBody(config.getMaxChunkSize(), trailersFactory);
    }

    @Override
    protected final AsciiString splitHeaderName(byte[] sb, int start, int length) {
        return names.text(sb, start, length);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf buffer, List<Object> out) throws Exception {
        if (body.inProgress()) {
            body.read(buffer, out);
            return;
        }
        if (netty.plainMayFollow() && readPlainRequest(buffer, out)) {
            return;
        }
        int decoded = out.size();
        super.decode(ctx, buffer, out);
        netty.afterNetty(out, decoded);
    }

    /** Reads the whole head of one plain request, or reads nothing and returns false. */
    private boolean readPlainRequest(ByteBuf buffer, List<Object> out) {
        if (!head.copy(buffer)) {
            return false;
        }
        PlainRequest request = parse();
        if (request == null) {
            return false;
        }
        buffer.skipBytes(head.length());
        out.add(request);
        long length = Math.max(head.contentLength(), 0);
        if (length == 0) {
            out.add(LastHttpContent.EMPTY_LAST_CONTENT);
        } else {
            body.start(length);
        }
        return true;
    }

    /** The request in the copied head; null if it is not plain. */
    private PlainRequest parse() {
        HttpMethod method = null;
        for (HttpMethod candidate : PLAIN_METHODS) {
            // A method's letters cannot be the CRLF CRLF that ends every copied head, so a byte follows them.
            if (head.holds(0, candidate.asciiName()) && head.at(candidate.asciiName().length()) == ' ') {
                method = candidate;
                break;
            }
        }
        if (method == null) {
            return null;
        }
        int targetStart = method.asciiName().length() + 1;
        int targetEnd = head.visibleEnd(targetStart);
        int lineEnd = targetEnd + HTTP_1_1.length();
        if (targetEnd == targetStart || !head.holds(targetEnd, HTTP_1_1) || !head.lineEndAt(lineEnd) || lineEnd > maxInitialLineLength) {
            return null;
        }
        PlainRequest request = PlainRequest.takeOrMake(spareRequests, headersFactory);
        if (!head.readFields(lineEnd + 2, maxHeaderSize, request.headers())) {
            request.putBack();
            return null;
        }
        return request.lend(method, head.text(targetStart, targetEnd).toString());
    }
}
