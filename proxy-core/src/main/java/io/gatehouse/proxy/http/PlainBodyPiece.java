package io.gatehouse.proxy.http;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultHttpObject;
import io.netty.handler.codec.http.HttpContent;
import io.netty.util.internal.StringUtil;

/**
 * A piece of a plain message's body, made again for the connection's next pieces once handed back. Its reference
 * count is its bytes', as with Netty's {@code DefaultHttpContent}; only the holder object is reused, never the bytes.
 *
 * @param <P> the piece's own type, which its copies share
 */
abstract class PlainBodyPiece<P extends HttpContent> extends DefaultHttpObject implements HttpContent, Reusable {

    private final Spares<PlainBodyPiece<P>> home;
    private ByteBuf content;

    PlainBodyPiece(Spares<PlainBodyPiece<P>> home) {
        this.home = home;
    }

    /** Gives this piece, now holding {@code bytes}, to the handlers behind the decoder. */
    final P lend(ByteBuf bytes) {
        content = bytes;
        return self();
    }

    @Override
    public final void handBack() {
        if (content == null) {
            return;
        }
        // The bytes were written or released by now: the piece lets go of them, and never releases them itself.
        content = null;
        setDecoderResult(DecoderResult.SUCCESS);
        clearTrailers();
        home.keep(this);
    }

    /** What a last piece must also forget. */
    void clearTrailers() {
    }

    @SuppressWarnings("unchecked")
    private P self() {
        return (P) this;
    }

    @Override
    public final ByteBuf content() {
        return content;
    }

    @Override
    public final P copy() {
        return replace(content.copy());
    }

    @Override
    public final P duplicate() {
        return replace(content.duplicate());
    }

    @Override
    public final P retainedDuplicate() {
        return replace(content.retainedDuplicate());
    }

    /** A piece of Netty's own kind holding {@code bytes}: a copy is never reused. */
    @Override
    public abstract P replace(ByteBuf bytes);

    @Override
    public final int refCnt() {
        return content.refCnt();
    }

    @Override
    public final P retain() {
        content.retain();
        return self();
    }

    @Override
    public final P retain(int increment) {
        content.retain(increment);
        return self();
    }

    @Override
    public final P touch() {
        content.touch();
        return self();
    }

    @Override
    public final P touch(Object hint) {
        content.touch(hint);
        return self();
    }

    @Override
    public final boolean release() {
        return content.release();
    }

    @Override
    public final boolean release(int decrement) {
        return content.release(decrement);
    }

    @Override
    public String toString() {
        return StringUtil.simpleClassName(this) + "(data: " + content + ", decoderResult: " + decoderResult() + ')';
    }
}
