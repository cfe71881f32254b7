package io.gatehouse.proxy.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.ByteProcessor;
import java.nio.charset.StandardCharsets;
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
    private static final int CONTENT_LENGTH = 1;
    private static final int TRANSFER_ENCODING = 2;
    private static final int CHUNK_EXTENSION = 4;
    private static final byte[] CONTENT_LENGTH_NAME = "content-length".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TRANSFER_ENCODING_NAME = "transfer-encoding".getBytes(StandardCharsets.US_ASCII);

    /** The Transfer-Encoding value of the current line. */
    private final StringBuilder line = new StringBuilder();
    private int lineLength;
    private byte lastByte;
    /** Which framing header names the current line may still be. */
    private int candidates;
    /** Which value the rest of the current line is: CONTENT_LENGTH, TRANSFER_ENCODING, CHUNK_EXTENSION or 0. */
    private int value;
    private long number;
    private int digits;
    private boolean numberEnded;
    private boolean numberBad;
    private boolean firstLineOfHead = true;
    private boolean foldInThisHead;
    private long contentLength;
    private boolean chunked;
    private long remaining;
    private long headsScanned;
    private long requestsMarked;
    /** Indexes (counted from the first head on the connection) of heads that held an obs-fold. */
    private final ArrayDeque<Long> foldedHeads = new ArrayDeque<>();

    /**
     * Takes line bytes until the state leaves the line states (a body starts, or the scanner stops), or until the
     * rest of a head line cannot matter.
     */
    private final ByteProcessor lineBytes = b -> {
        onLineByte(b);
        return state == State.HEAD ? !restOfLineIsPlain()
                : state == State.CHUNK_SIZE || state == State.CHUNK_DATA_END || state == State.TRAILERS;
    };

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

    /**
     * Skips bodies whole and feeds line bytes through {@link ByteBuf#forEachByte}, which checks the buffer once per
     * run instead of once per byte as {@code getByte} does: that check showed in keep-alive profiles.
     */
    private void scan(ByteBuf bytes) {
        int i = bytes.readerIndex();
        int end = bytes.writerIndex();
        while (i < end && state != State.STOPPED) {
            if (state == State.FIXED_BODY || state == State.CHUNK_DATA) {
                long skip = Math.min(remaining, end - i);
                remaining -= skip;
                i += (int) skip;
                if (remaining == 0) {
                    state = state == State.FIXED_BODY ? State.HEAD : State.CHUNK_DATA_END;
                }
            } else if (restOfLineIsPlain()) {
                i = skipToEndOfLine(bytes, i, end);
            } else {
                int last = bytes.forEachByte(i, end - i, lineBytes);
                i = last < 0 ? end : last + 1;
            }
        }
    }

    /**
     * Whether the rest of the current head line can be skipped: it started (so a fold was already checked for) and
     * it is the request line or a header that is neither Content-Length nor Transfer-Encoding. Most lines are, and
     * a long token header would otherwise be fed through the state machine byte by byte.
     */
    private boolean restOfLineIsPlain() {
        return state == State.HEAD && lineLength > 0 && candidates == 0 && value == 0;
    }

    /**
     * Jumps to the line's LF and ends the line there; returns where scanning goes on. {@code FIND_LF} is a shared
     * processor: {@code indexOf} may make one per call.
     */
    private int skipToEndOfLine(ByteBuf bytes, int from, int end) {
        int lf = bytes.forEachByte(from, end - from, ByteProcessor.FIND_LF);
        int stop = lf < 0 ? end : lf;
        lineLength += stop - from;
        if (lineLength >= MAX_LINE) {
            state = State.STOPPED;
            return end;
        }
        if (lf < 0) {
            return end;
        }
        onLineByte((byte) '\n');
        return lf + 1;
    }

    /**
     * One byte of a line. Header names are matched byte by byte against the two that decide framing, and a
     * Content-Length or chunk size is read as digits arrive, so scanning a request allocates nothing; only a
     * Transfer-Encoding value (rare) is kept as text.
     */
    private void onLineByte(byte b) {
        if (b == '\n') {
            endOfLine();
            return;
        }
        if (lineLength == 0) {
            if (state == State.HEAD && !firstLineOfHead && (b == ' ' || b == '\t')) {
                foldInThisHead = true;
            }
            candidates = state == State.HEAD && !firstLineOfHead ? CONTENT_LENGTH | TRANSFER_ENCODING : 0;
            value = 0;
            number = 0;
            digits = 0;
            numberEnded = false;
            numberBad = false;
            line.setLength(0);
        }
        if (++lineLength >= MAX_LINE) {
            state = State.STOPPED;
            return;
        }
        lastByte = b;
        if (b == '\r') {
            return;
        }
        switch (state) {
            case HEAD -> headByte(b);
            case CHUNK_SIZE -> {
                if (b == ';') {
                    numberEnded = true;
                    value = CHUNK_EXTENSION;
                } else if (value != CHUNK_EXTENSION) {
                    numberByte(b, 16);
                }
            }
            default -> { }
        }
    }

    private void headByte(byte b) {
        if (value == CONTENT_LENGTH) {
            numberByte(b, 10);
            return;
        }
        if (value == TRANSFER_ENCODING) {
            if (line.length() < 256) {
                line.append((char) (b & 0xff));
            }
            return;
        }
        int position = lineLength - 1;
        int lower = b >= 'A' && b <= 'Z' ? b + 32 : b;
        candidates = matchName(candidates, CONTENT_LENGTH, CONTENT_LENGTH_NAME, position, lower);
        candidates = matchName(candidates, TRANSFER_ENCODING, TRANSFER_ENCODING_NAME, position, lower);
    }

    /** Keeps {@code bit} while the name so far equals {@code name}; on its colon, the value that follows is read. */
    private int matchName(int candidates, int bit, byte[] name, int position, int lower) {
        if ((candidates & bit) == 0) {
            return candidates;
        }
        if (position < name.length && lower == name[position]) {
            return candidates;
        }
        if (position == name.length && lower == ':') {
            value = bit;
        }
        return candidates & ~bit;
    }

    /** Digits with optional whitespace around them; anything else marks the number bad. */
    private void numberByte(byte b, int radix) {
        int digit = Character.digit(b, radix);
        if (b == ' ' || b == '\t') {
            numberEnded |= digits > 0;
        } else if (digit < 0 || numberEnded || ++digits > 15) {
            numberBad = true;
        } else {
            number = number * radix + digit;
        }
    }

    private void endOfLine() {
        boolean empty = lineLength == 0 || (lineLength == 1 && lastByte == '\r');
        lineLength = 0;
        switch (state) {
            case HEAD -> headLineEnded(empty);
            case CHUNK_SIZE -> {
                if (numberBad || digits == 0) {
                    state = State.STOPPED; // the codec refuses it
                    return;
                }
                remaining = number;
                state = remaining == 0 ? State.TRAILERS : State.CHUNK_DATA;
            }
            case CHUNK_DATA_END -> state = empty ? State.CHUNK_SIZE : State.STOPPED;
            case TRAILERS -> {
                if (empty) {
                    state = State.HEAD;
                }
            }
            default -> { }
        }
    }

    private void headLineEnded(boolean empty) {
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
            if (value == CONTENT_LENGTH) {
                if (numberBad || digits == 0) {
                    state = State.STOPPED; // the codec refuses it
                    return;
                }
                contentLength = number;
            } else if (value == TRANSFER_ENCODING) {
                chunked = line.toString().trim().toLowerCase(Locale.ROOT).endsWith("chunked");
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
}
