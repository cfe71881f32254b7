package io.gatehouse.proxy.http;

import io.netty.handler.codec.http.HttpObject;

/** What an upstream connection reports to the downstream exchange it is serving. All calls come on one event loop. */
interface UpstreamExchange {

    void onResponsePart(HttpObject part);

    void onUpstreamReadComplete();

    void onUpstreamWritabilityChanged();

    /** The upstream connection closed while bound to this exchange; {@code cause} is null for a plain close. */
    void onUpstreamClosed(Throwable cause);
}
