package io.gatehouse.proxy.http;

import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpVersion;

/** Whether a reused head is out with the handlers, and the spares it goes back to: what request and response heads share. */
final class HeadLoan<T extends HttpMessage> {

    private final Spares<T> home;
    private boolean lent;

    HeadLoan(Spares<T> home) {
        this.home = home;
    }

    void lent() {
        lent = true;
    }

    /** Puts {@code head} back among the spares with its fields cleared: after its loan, or when it was read into but not lent. */
    void putBack(T head) {
        head.headers().clear();
        home.keep(head);
    }

    /** Ends the loan of {@code head}, if it is lent: a second hand-back must not put it among the spares twice. */
    void handBack(T head) {
        if (!lent) {
            return;
        }
        lent = false;
        // What the handlers may have changed: the proxy sends every request upstream as HTTP/1.1.
        head.setProtocolVersion(HttpVersion.HTTP_1_1);
        head.setDecoderResult(DecoderResult.SUCCESS);
        putBack(head);
    }
}
