package io.gatehouse.proxy.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpRequest;
import java.util.ArrayDeque;
import java.util.Locale;

/**
 * Refuses obs-fold (a header line continued on the next line after a space or tab, RFC 9112 section 5.2). Netty's
 * decoder silently joins such lines, so a folded {@code Transfer-Encoding} can mean one thing to Gatehouse and
 * another to a backend: request smuggling. Only the raw bytes show a fold, so {@link #byteScanner()} follows the
 * message framing before the codec (heads, then Content-Length or chunked bodies) and notes which request heads
 * were folded; {@link #requestMarker()} after the codec marks those requests as malformed, and the proxy handler
 * answers 400 without forwarding anything. The scanner never changes a byte; on anything it does not understand it
 * stops watching, and the codec, stricter than it, refuses the message.
 */
public final class ObsFoldGuard {

    private enum State { HEAD, FIXED_BODY, CHUNK_SIZE, CHUNK_DATA, CHUNK_DATA_END, TRAILERS, STOPPED }

    /** Longer heads are refused by the codec (16 KiB of headers plus the request line); no need to follow them. */
    private static final int MAX_LINE = 24 * 1024;

    private State state = State.HEAD;
    private final StringBuilder line = new StringBuilder();
    private int lineLength;
    private byte lastByte;
    private boolean collect;
    private boolean firstLineOfHead = true;
    private boolean foldInThisHead;
    private long contentLength;
    private boolean chunked;
    private long remaining;
    private long headsScanned;
    private long requestsMarked;
    /** Indexes (counted from the first head on the connection) of heads that held an obs-fold. */
    private final ArrayDeque<Long> foldedHeads = new ArrayDeque<>();

    /** Goes before the HTTP codec. */
    public ChannelHandler byteScanner() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (msg instanceof ByteBuf bytes && state != State.STOPPED) {
                    scan(bytes);
                }
                ctx.fireChannelRead(msg);
            }
        };
    }

    /** Goes after the HTTP codec. */
    public ChannelHandler requestMarker() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (msg instanceof HttpRequest request) {
                    long index = requestsMarked++;
                    if (!foldedHeads.isEmpty() && foldedHeads.peekFirst() == index) {
                        foldedHeads.pollFirst();
                        if (request.decoderResult().isSuccess()) {
                            request.setDecoderResult(DecoderResult.failure(new IllegalArgumentException("obs-fold in the request head")));
                        }
                    }
                }
                ctx.fireChannelRead(msg);
            }
        };
    }

    private void scan(ByteBuf bytes) {
        int end = bytes.writerIndex();
        for (int i = bytes.readerIndex(); i < end && state != State.STOPPED; i++) {
            byte b = bytes.getByte(i);
            switch (state) {
                case HEAD, CHUNK_SIZE, TRAILERS -> onLineByte(b);
                case FIXED_BODY, CHUNK_DATA -> {
                    long skip = Math.min(remaining, end - i);
                    remaining -= skip;
                    i += (int) skip - 1;
                    if (remaining == 0) {
                        state = state == State.FIXED_BODY ? State.HEAD : State.CHUNK_DATA_END;
                    }
                }
                case CHUNK_DATA_END -> onLineByte(b);
                default -> { }
            }
        }
    }

    /**
     * One byte of a line. Only lines that can matter are kept as text (Content-Length, Transfer-Encoding, chunk
     * sizes); for the rest the length and last byte are enough, so a request costs no garbage here.
     */
    private void onLineByte(byte b) {
        if (b != '\n') {
            if (lineLength == 0) {
                if (state == State.HEAD && !firstLineOfHead && (b == ' ' || b == '\t')) {
                    foldInThisHead = true;
                }
                collect = state == State.CHUNK_SIZE || (state == State.HEAD && (b == 'c' || b == 'C' || b == 't' || b == 'T'));
            }
            if (++lineLength >= MAX_LINE) {
                state = State.STOPPED;
                return;
            }
            lastByte = b;
            if (collect) {
                line.append((char) (b & 0xff));
            }
            return;
        }
        boolean empty = lineLength == 0 || (lineLength == 1 && lastByte == '\r');
        String text = null;
        if (collect) {
            text = line.length() > 0 && line.charAt(line.length() - 1) == '\r' ? line.substring(0, line.length() - 1) : line.toString();
            line.setLength(0);
        }
        lineLength = 0;
        collect = false;
        switch (state) {
            case HEAD -> headLine(empty, text);
            case CHUNK_SIZE -> chunkSizeLine(text);
            case CHUNK_DATA_END -> state = empty ? State.CHUNK_SIZE : State.STOPPED;
            case TRAILERS -> {
                if (empty) {
                    state = State.HEAD;
                }
            }
            default -> { }
        }
    }

    private void headLine(boolean empty, String text) {
        if (firstLineOfHead) {
            if (empty) {
                return; // RFC 9112 section 2.2: empty lines before a request line are ignored
            }
            firstLineOfHead = false;
            contentLength = 0;
            chunked = false;
            foldInThisHead = false;
            return;
        }
        if (!empty) {
            int colon = text == null ? -1 : text.indexOf(':');
            if (colon > 0) {
                String name = text.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = text.substring(colon + 1).trim().toLowerCase(Locale.ROOT);
                if (name.equals("content-length")) {
                    if (value.matches("[0-9]{1,18}")) {
                        contentLength = Long.parseLong(value);
                    } else {
                        state = State.STOPPED; // the codec refuses it
                    }
                } else if (name.equals("transfer-encoding")) {
                    chunked = value.endsWith("chunked");
                }
            }
            return;
        }
        // The end of the head.
        if (foldInThisHead) {
            foldedHeads.addLast(headsScanned);
        }
        headsScanned++;
        firstLineOfHead = true;
        if (foldInThisHead) {
            state = State.STOPPED; // the connection is closed after the 400; nothing after it matters
        } else if (chunked) {
            state = State.CHUNK_SIZE;
        } else if (contentLength > 0) {
            remaining = contentLength;
            state = State.FIXED_BODY;
        }
    }

    private void chunkSizeLine(String text) {
        int semicolon = text.indexOf(';');
        String size = (semicolon < 0 ? text : text.substring(0, semicolon)).trim();
        if (!size.matches("[0-9a-fA-F]{1,15}")) {
            state = State.STOPPED; // the codec refuses it
            return;
        }
        remaining = Long.parseLong(size, 16);
        state = remaining == 0 ? State.TRAILERS : State.CHUNK_DATA;
    }
}
