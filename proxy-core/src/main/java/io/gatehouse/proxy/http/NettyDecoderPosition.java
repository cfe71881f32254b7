package io.gatehouse.proxy.http;

import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.List;

/**
 * Where Netty's decoder stands, for a decoder that reads plain messages itself and leaves the rest to Netty's: a
 * plain message may be read only between Netty's messages, and never again once Netty's decoder has stopped
 * reading HTTP (it refused a message and discards the rest, or a 101 switched the connection to another protocol).
 */
final class NettyDecoderPosition {

    private boolean betweenMessages = true;
    private boolean done;

    /** Whether the next bytes may be read as a plain message. */
    boolean plainMayFollow() {
        return betweenMessages && !done;
    }

    /** Notes what one call of Netty's decoder added to {@code out} from index {@code decoded} on. */
    void afterNetty(List<Object> out, int decoded) {
        for (int i = decoded; i < out.size(); i++) {
            Object part = out.get(i);
            if (part instanceof HttpObject message && message.decoderResult().isFailure()
                    || part instanceof HttpResponse response && response.status().code() == HttpResponseStatus.SWITCHING_PROTOCOLS.code()) {
                done = true;
            }
        }
        // Once Netty's decoder has seen the start of a message, it reads that message to its end, even when it
        // consumed nothing yet: it may have begun to parse, and would take the rest of a head for a new message.
        betweenMessages = out.size() > decoded && out.get(out.size() - 1) instanceof LastHttpContent;
    }
}
