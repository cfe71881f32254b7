package io.gatehouse.proxy.http;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.HttpContent;

/** A piece of a plain message's body that more pieces follow. */
final class PlainContent extends PlainBodyPiece<HttpContent> {

    PlainContent(Spares<PlainBodyPiece<HttpContent>> home) {
        super(home);
    }

    @Override
    public HttpContent replace(ByteBuf bytes) {
        DefaultHttpContent piece = new DefaultHttpContent(bytes);
        piece.setDecoderResult(decoderResult());
        return piece;
    }
}
