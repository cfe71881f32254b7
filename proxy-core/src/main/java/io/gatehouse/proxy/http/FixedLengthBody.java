package io.gatehouse.proxy.http;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpHeadersFactory;
import java.util.List;

/**
 * A body of stated length after a plain head, cut as Netty's decoder cuts it: what has arrived, at most a chunk per
 * piece, the last piece ending the message. So the handlers behind see the same pieces, whichever decoder read.
 */
final class FixedLengthBody {

    private final int maxChunkSize;
    private final HttpHeadersFactory trailers;
    private long left;

    FixedLengthBody(int maxChunkSize, HttpHeadersFactory trailers) {
        this.maxChunkSize = maxChunkSize;
        this.trailers = trailers;
    }

    void start(long length) {
        left = length;
    }

    boolean inProgress() {
        return left > 0;
    }

    void read(ByteBuf buffer, List<Object> out) {
        if (!buffer.isReadable()) {
            return;
        }
        int toRead = (int) Math.min(Math.min(buffer.readableBytes(), maxChunkSize), left);
        ByteBuf content = buffer.readRetainedSlice(toRead);
        left -= toRead;
        out.add(left == 0 ? new DefaultLastHttpContent(content, trailers) : new DefaultHttpContent(content));
    }
}
