package io.gatehouse.proxy.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AsciiString;
import io.netty.util.ByteProcessor;
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
    /**
     * The largest head read here. Typical heads are well under 1 KiB; a larger one goes to Netty's decoder, so no
     * connection holds a copy buffer larger than this.
     */
    private static final int MAX_PLAIN_HEAD = 4096;

    private static final byte[] HTTP_1_1 = {'H', 'T', 'T', 'P', '/', '1', '.', '1'};
    private static final HttpMethod[] PLAIN_METHODS = {HttpMethod.GET, HttpMethod.HEAD, HttpMethod.POST, HttpMethod.PUT,
            HttpMethod.DELETE, HttpMethod.PATCH, HttpMethod.OPTIONS};

    private final RepeatedText names = new RepeatedText(NAME_SLOTS, 64, 1024);
    private final RepeatedText values = new RepeatedText(VALUE_SLOTS, MAX_KEPT_VALUE, VALUE_BUDGET);
    private final int maxInitialLineLength;
    private final int maxHeaderSize;
    private final HeadEnd headEnd = new HeadEnd();
    /**
     * The head being read, copied out of the (usually direct) buffer. Made at the first request, and grown to the
     * largest plain head: a connection that only completes its handshake holds none.
     */
    private byte[] head = new byte[0];
    /** Netty's decoder is between messages, so the next bytes start a request. */
    private boolean atMessageStart = true;
    /** Netty's decoder refused a message and now discards everything: so must this. */
    private boolean refused;
    private final int maxChunkSize;
    /** Bytes of the current plain request's body still to come; its Content-Length once its head is read. */
    private long bodyLeft;

    public ClientRequestDecoder(HttpDecoderConfig config) {
        super(config);
        this.maxInitialLineLength = config.getMaxInitialLineLength();
        this.maxHeaderSize = config.getMaxHeaderSize();
        this.maxChunkSize = config.getMaxChunkSize();
    }

    @Override
    protected final AsciiString splitHeaderName(byte[] sb, int start, int length) {
        return names.text(sb, start, length);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf buffer, List<Object> out) throws Exception {
        if (bodyLeft > 0) {
            readBody(buffer, out);
            return;
        }
        if (atMessageStart && !refused && readPlainRequest(buffer, out)) {
            return;
        }
        int decoded = out.size();
        super.decode(ctx, buffer, out);
        for (int i = decoded; i < out.size(); i++) {
            if (out.get(i) instanceof HttpObject part && part.decoderResult().isFailure()) {
                refused = true;
            }
        }
        // Once Netty's decoder has seen the start of a message, it reads that message to its end, even when it
        // consumed nothing yet: it may have begun to parse, and would take the rest of a head for a new request.
        atMessageStart = out.size() > decoded && out.get(out.size() - 1) instanceof LastHttpContent;
    }

    /** Reads the whole head of one plain request, or reads nothing and returns false. */
    private boolean readPlainRequest(ByteBuf buffer, List<Object> out) {
        headEnd.reset();
        int limit = Math.min(buffer.readableBytes(), MAX_PLAIN_HEAD);
        int end = buffer.forEachByte(buffer.readerIndex(), limit, headEnd);
        if (end < 0) {
            return false;
        }
        int length = end + 1 - buffer.readerIndex();
        if (head.length < length) {
            head = new byte[Math.min(MAX_PLAIN_HEAD, Math.max(length, head.length * 2))];
        }
        buffer.getBytes(buffer.readerIndex(), head, 0, length);
        DefaultHttpRequest request = parse(length);
        if (request == null) {
            return false;
        }
        buffer.skipBytes(length);
        out.add(request);
        if (bodyLeft == 0) {
            out.add(LastHttpContent.EMPTY_LAST_CONTENT);
        }
        return true;
    }

    /** As Netty's decoder reads a body of known length: in pieces of what has arrived, at most a chunk each. */
    private void readBody(ByteBuf buffer, List<Object> out) {
        if (!buffer.isReadable()) {
            return;
        }
        int toRead = (int) Math.min(Math.min(buffer.readableBytes(), maxChunkSize), bodyLeft);
        ByteBuf content = buffer.readRetainedSlice(toRead);
        bodyLeft -= toRead;
        out.add(bodyLeft == 0 ? new DefaultLastHttpContent(content, trailersFactory) : new DefaultHttpContent(content));
    }

    /** The request in {@code head[0, length)}, which ends with the empty line; null if it is not plain. */
    private DefaultHttpRequest parse(int length) {
        HttpMethod method = null;
        int pos = 0;
        for (HttpMethod candidate : PLAIN_METHODS) {
            AsciiString name = candidate.asciiName();
            if (length > name.length() && head[name.length()] == ' ' && regionEquals(name, pos)) {
                method = candidate;
                pos = name.length() + 1;
                break;
            }
        }
        if (method == null) {
            return null;
        }
        int targetStart = pos;
        while (pos < length && isVisible(head[pos])) {
            pos++;
        }
        int targetEnd = pos;
        if (targetEnd == targetStart || pos + HTTP_1_1.length + 2 > length || head[pos] != ' ') {
            return null;
        }
        pos++;
        for (byte b : HTTP_1_1) {
            if (head[pos++] != b) {
                return null;
            }
        }
        if (head[pos] != '\r' || head[pos + 1] != '\n' || pos > maxInitialLineLength) {
            return null;
        }
        pos += 2;
        if (length - pos > maxHeaderSize) {
            return null;
        }
        HttpHeaders headers = headersFactory.newHeaders();
        long contentLength = -1;
        while (head[pos] != '\r') {
            int nameStart = pos;
            while (isTokenChar(head[pos])) {
                pos++;
            }
            int nameEnd = pos;
            if (nameEnd == nameStart || head[pos] != ':') {
                return null;
            }
            pos++;
            while (head[pos] == ' ' || head[pos] == '\t') {
                pos++;
            }
            int valueStart = pos;
            while (isVisible(head[pos]) || head[pos] == ' ' || head[pos] == '\t') {
                pos++;
            }
            int valueEnd = pos;
            if (head[pos] != '\r' || head[pos + 1] != '\n') {
                return null;
            }
            pos += 2;
            while (valueEnd > valueStart && (head[valueEnd - 1] == ' ' || head[valueEnd - 1] == '\t')) {
                valueEnd--;
            }
            AsciiString name = names.text(head, nameStart, nameEnd - nameStart);
            if (name.contentEqualsIgnoreCase(HttpHeaderNames.TRANSFER_ENCODING)) {
                return null;
            }
            if (name.contentEqualsIgnoreCase(HttpHeaderNames.CONTENT_LENGTH)) {
                // Two of them, or a length Netty would rewrite, is Netty's to read.
                if (contentLength >= 0 || (contentLength = canonicalLength(valueStart, valueEnd)) < 0) {
                    return null;
                }
            }
            headers.add(name, values.text(head, valueStart, valueEnd - valueStart));
        }
        if (pos + 2 != length) {
            // A bare CR at the start of a line, not the empty line that ends the head.
            return null;
        }
        String target = values.text(head, targetStart, targetEnd - targetStart).toString();
        bodyLeft = Math.max(contentLength, 0);
        return new DefaultHttpRequest(HttpVersion.HTTP_1_1, method, target, headers);
    }

    /** Digits without a leading zero (or just "0"), short enough for a long; -1 for anything else. */
    private long canonicalLength(int start, int end) {
        if (end - start < 1 || end - start > 18 || head[start] == '0' && end - start > 1) {
            return -1;
        }
        long length = 0;
        for (int i = start; i < end; i++) {
            if (head[i] < '0' || head[i] > '9') {
                return -1;
            }
            length = length * 10 + head[i] - '0';
        }
        return length;
    }

    private boolean regionEquals(AsciiString text, int at) {
        for (int i = 0; i < text.length(); i++) {
            if (head[at + i] != text.byteAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isVisible(byte b) {
        return b > ' ' && b < 0x7f;
    }

    /** RFC 9110 section 5.6.2 tchar. */
    private static boolean isTokenChar(byte b) {
        return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b > 0 && "!#$%&'*+-.^_`|~".indexOf(b) >= 0;
    }

    /** Finds the CRLF CRLF that ends a head: stops on its last byte. */
    private static final class HeadEnd implements ByteProcessor {
        private int matched;

        void reset() {
            matched = 0;
        }

        @Override
        public boolean process(byte value) {
            if (value == '\r') {
                matched = matched == 2 ? 3 : 1;
            } else if (value == '\n' && (matched == 1 || matched == 3)) {
                matched++;
            } else {
                matched = 0;
            }
            return matched != 4;
        }
    }
}
