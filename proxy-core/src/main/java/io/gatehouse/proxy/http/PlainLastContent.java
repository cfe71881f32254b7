package io.gatehouse.proxy.http;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.netty.handler.codec.http.LastHttpContent;

/** The last piece of a plain message's body. A plain message has no trailers; the empty ones are made once. */
final class PlainLastContent extends PlainBodyPiece<LastHttpContent> implements LastHttpContent {

    private final HttpHeaders trailers;

    PlainLastContent(Spares<PlainBodyPiece<LastHttpContent>> home, HttpHeadersFactory trailersFactory) {
        super(home);
        this.trailers = trailersFactory.newHeaders();
    }

    @Override
    public HttpHeaders trailingHeaders() {
        return trailers;
    }

    @Override
    void clearTrailers() {
        trailers.clear();
    }

    @Override
    public LastHttpContent replace(ByteBuf bytes) {
        DefaultLastHttpContent piece = new DefaultLastHttpContent(bytes, trailers.copy());
        piece.setDecoderResult(decoderResult());
        return piece;
    }
}
