package io.gatehouse.proxy.http;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;

/** The head of a plain request, with its header fields' arrays, made again for the connection's next request. */
final class PlainRequest extends DefaultHttpRequest implements Reusable {

    private final HeadLoan<PlainRequest> loan;

    private PlainRequest(HttpHeaders headers, Spares<PlainRequest> home) {
        super(HttpVersion.HTTP_1_1, HttpMethod.GET, "/", headers);
        this.loan = new HeadLoan<>(home);
    }

    /** A handed-back head from {@code spares}, or a new one; its fields are empty, to be read into. */
    static PlainRequest takeOrMake(Spares<PlainRequest> spares, HttpHeadersFactory headers) {
        PlainRequest spare = spares.take();
        return spare != null ? spare : new PlainRequest(headers.newHeaders(), spares);
    }

    /** Gives this head, its fields read, to the handlers behind the decoder. The target may be changed by them. */
    PlainRequest lend(HttpMethod method, String uri) {
        setMethod(method);
        setUri(uri);
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
