package io.gatehouse.proxy.http;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.List;

/**
 * A body of stated length after a plain head, cut as Netty's decoder cuts it: what has arrived, at most a chunk per
 * piece, the last piece ending the message. So the handlers behind see the same pieces, whichever decoder read.
 * The pieces are {@link Reusable}.
 */
final class FixedLengthBody {

    /** A read cuts at most a few pieces before the handlers write them on. */
    private static final int SPARE_PIECES = 4;
    private static final int SPARE_LAST_PIECES = 2;

    private final int maxChunkSize;
    private final HttpHeadersFactory trailers;
    private final Spares<PlainBodyPiece<HttpContent>> pieces = new Spares<>(SPARE_PIECES);
    private final Spares<PlainBodyPiece<LastHttpContent>> lastPieces = new Spares<>(SPARE_LAST_PIECES);
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
        out.add(left == 0 ? lastPiece().lend(content) : piece().lend(content));
    }

    private PlainBodyPiece<HttpContent> piece() {
        PlainBodyPiece<HttpContent> spare = pieces.take();
        return spare != null ? spare : new PlainContent(pieces);
    }

    private PlainBodyPiece<LastHttpContent> lastPiece() {
        PlainBodyPiece<LastHttpContent> spare = lastPieces.take();
        return spare != null ? spare : new PlainLastContent(lastPieces, trailers);
    }
}
