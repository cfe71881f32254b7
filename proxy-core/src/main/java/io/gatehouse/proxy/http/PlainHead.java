package io.gatehouse.proxy.http;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import io.netty.util.ByteProcessor;

/**
 * One connection's reading of plain HTTP/1.1 heads, the part requests and responses share: finding a whole head,
 * and its header fields. Plain means what every parser reads alike: a token, a colon, visible ASCII with spaces and
 * tabs, CRLF line ends, at most one Content-Length in canonical form, no Transfer-Encoding. Anything else makes the
 * head not plain, and the caller leaves it to Netty's decoder. Names and values come from the connection's
 * {@link RepeatedText}.
 */
final class PlainHead {

    /** The largest head read as plain; typical heads are well under 1 KiB, and no connection holds a larger copy. */
    static final int MAX_LENGTH = 4096;

    /** RFC 9110 section 5.6.2 tchar: one bit per ASCII character, 0-63 in the low word and 64-127 in the high. */
    private static final long TCHAR_LOW = bits(0, 64);
    private static final long TCHAR_HIGH = bits(64, 128);

    private final RepeatedText names;
    private final RepeatedText values;
    private final HeadEnd headEnd = new HeadEnd();
    /** The head, copied out of the (usually direct) buffer. Made at the first head: a connection that only completes
     * its handshake holds none. */
    private byte[] bytes = new byte[0];
    private int length;
    private long contentLength;

    PlainHead(RepeatedText names, RepeatedText values) {
        this.names = names;
        this.values = values;
    }

    /** Copies the head at the start of {@code buffer} if all of it has arrived, without consuming it. */
    boolean copy(ByteBuf buffer) {
        headEnd.reset();
        int end = buffer.forEachByte(buffer.readerIndex(), Math.min(buffer.readableBytes(), MAX_LENGTH), headEnd);
        if (end < 0) {
            return false;
        }
        length = end + 1 - buffer.readerIndex();
        if (bytes.length < length) {
            bytes = new byte[Math.min(MAX_LENGTH, Math.max(length, bytes.length * 2))];
        }
        buffer.getBytes(buffer.readerIndex(), bytes, 0, length);
        return true;
    }

    /** The copied head's length, with the empty line that ends it. */
    int length() {
        return length;
    }

    byte at(int index) {
        return bytes[index];
    }

    /** Whether the copied head holds {@code text} at {@code at}. */
    boolean holds(int at, AsciiString text) {
        if (at + text.length() > length) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            if (bytes[at + i] != text.byteAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** Where the run of visible characters from {@code at} ends. */
    int visibleEnd(int at) {
        while (at < length && isVisible(bytes[at])) {
            at++;
        }
        return at;
    }

    /** Whether a CRLF is at {@code at}. */
    boolean lineEndAt(int at) {
        return at + 1 < length && bytes[at] == '\r' && bytes[at + 1] == '\n';
    }

    AsciiString text(int start, int end) {
        return values.text(bytes, start, end - start);
    }

    /**
     * Reads the fields from {@code pos}, the start of the line after the start line, to the empty line, into
     * {@code headers}; false if any of them is not plain or they take more than {@code maxSize} bytes.
     */
    boolean readFields(int pos, int maxSize, HttpHeaders headers) {
        if (length - pos > maxSize) {
            return false;
        }
        contentLength = -1;
        while (bytes[pos] != '\r') {
            int nameStart = pos;
            while (isTokenChar(bytes[pos])) {
                pos++;
            }
            int nameEnd = pos;
            if (nameEnd == nameStart || bytes[pos] != ':') {
                return false;
            }
            pos++;
            while (bytes[pos] == ' ' || bytes[pos] == '\t') {
                pos++;
            }
            int valueStart = pos;
            while (isVisible(bytes[pos]) || bytes[pos] == ' ' || bytes[pos] == '\t') {
                pos++;
            }
            int valueEnd = pos;
            if (!lineEndAt(pos)) {
                return false;
            }
            pos += 2;
            while (valueEnd > valueStart && (bytes[valueEnd - 1] == ' ' || bytes[valueEnd - 1] == '\t')) {
                valueEnd--;
            }
            AsciiString name = names.text(bytes, nameStart, nameEnd - nameStart);
            if (name.contentEqualsIgnoreCase(HttpHeaderNames.TRANSFER_ENCODING)) {
                return false;
            }
            if (name.contentEqualsIgnoreCase(HttpHeaderNames.CONTENT_LENGTH)) {
                // Two of them, or a length Netty would rewrite, is Netty's to read.
                if (contentLength >= 0 || (contentLength = canonicalLength(valueStart, valueEnd)) < 0) {
                    return false;
                }
            }
            AsciiString value = values.text(bytes, valueStart, valueEnd - valueStart);
            if (headers instanceof FlatHttpHeaders flat) {
                flat.addChecked(name, value);
            } else {
                headers.add(name, value);
            }
        }
        // A bare CR starting a line is not the empty line that ends the head.
        return pos + 2 == length;
    }

    /** The Content-Length the fields read last gave, or -1 without one. */
    long contentLength() {
        return contentLength;
    }

    /** Digits without a leading zero (or just "0"), short enough for a long; -1 for anything else. */
    private long canonicalLength(int start, int end) {
        if (end - start < 1 || end - start > 18 || bytes[start] == '0' && end - start > 1) {
            return -1;
        }
        long value = 0;
        for (int i = start; i < end; i++) {
            if (bytes[i] < '0' || bytes[i] > '9') {
                return -1;
            }
            value = value * 10 + bytes[i] - '0';
        }
        return value;
    }

    static boolean isVisible(byte b) {
        return b > ' ' && b < 0x7f;
    }

    private static boolean isTokenChar(byte b) {
        // Bytes over 0x7f are negative here, and none is a token character.
        return b >= 0 && ((b < 64 ? TCHAR_LOW >>> b : TCHAR_HIGH >>> (b - 64)) & 1) != 0;
    }

    private static long bits(int from, int to) {
        long bits = 0;
        for (int c = from; c < to; c++) {
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "!#$%&'*+-.^_`|~".indexOf(c) >= 0) {
                bits |= 1L << (c - from);
            }
        }
        return bits;
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
