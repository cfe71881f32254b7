package io.gatehouse.proxy.http;

import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

/** The head of a plain response, with its header fields' arrays, made again for the connection's next response. */
final class PlainResponse extends DefaultHttpResponse implements Reusable {

    private final HeadLoan<PlainResponse> loan;

    private PlainResponse(HttpHeaders headers, Spares<PlainResponse> home) {
        super(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, headers);
        this.loan = new HeadLoan<>(home);
    }

    /** A handed-back head from {@code spares}, or a new one; its fields are empty, to be read into. */
    static PlainResponse takeOrMake(Spares<PlainResponse> spares, HttpHeadersFactory headers) {
        PlainResponse spare = spares.take();
        return spare != null ? spare : new PlainResponse(headers.newHeaders(), spares);
    }

    /** Gives this head, its fields read, to the handlers behind the decoder. */
    PlainResponse lend(HttpResponseStatus status) {
        setStatus(status);
        loan.lent();
        return this;
    }

    /** Back to the spares unlent, when the head read into it turned out not to be plain. */
    void putBack() {
        loan.putBack(this);
    }

    @Override
    public void handBack() {
        loan.handBack(this);
    }
}
