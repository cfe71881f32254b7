package io.gatehouse.proxy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.SslHandler;
import java.io.IOException;
import javax.net.ssl.SSLException;

/**
 * Closes a connection after an exception reached its last handler. When the socket itself failed (reset by the
 * peer, broken pipe) nothing can reach the peer any more, so the close starts below TLS: encrypting a close_notify
 * only to fail writing it into a dead socket (and take a SIGPIPE) cost a few percent of a handshake's CPU for every
 * client that resets right after its handshake. Any other error closes through TLS, so the peer gets close_notify.
 */
public final class CloseAfterError {

    private CloseAfterError() {
    }

    public static void close(ChannelHandlerContext ctx, Throwable cause) {
        ChannelHandlerContext tls = socketFailed(cause) ? ctx.pipeline().context(SslHandler.class) : null;
        // A context's close starts at the handler before it: from the TLS context that skips the TLS handler itself.
        (tls != null ? tls : ctx).close();
    }

    /** Transport errors are IOExceptions; a TLS failure is one too, but its socket still works. */
    static boolean socketFailed(Throwable cause) {
        return cause instanceof IOException && !(cause instanceof SSLException);
    }
}
