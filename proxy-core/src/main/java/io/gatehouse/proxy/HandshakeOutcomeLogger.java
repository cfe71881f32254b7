package io.gatehouse.proxy;

import io.gatehouse.proxy.admin.ListenerMeters;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs why a handshake failed. A rejected client certificate on a mutual-TLS vhost is logged at INFO with the
 * vhost and the reason, since it is usually a client or CA misconfiguration an operator must see; other
 * handshake failures are the internet's noise and stay at DEBUG. Both are counted, as are successes by the
 * certificate served.
 */
final class HandshakeOutcomeLogger extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(HandshakeOutcomeLogger.class);

    private final String listener;
    private final ListenerMeters meters;

    HandshakeOutcomeLogger(String listener, ListenerMeters meters) {
        this.listener = listener;
        this.meters = meters;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof SslHandshakeCompletionEvent done && done.isSuccess()) {
            TlsSelection chosen = ctx.channel().attr(TlsSelection.KEY).get();
            if (chosen != null) {
                meters.handshakeSucceeded(chosen.selection());
            }
        } else if (evt instanceof SslHandshakeCompletionEvent done) {
            TlsSelection chosen = ctx.channel().attr(TlsSelection.KEY).get();
            String reason = String.valueOf(done.cause().getMessage());
            boolean clientCertificate = chosen != null && isClientCertificateProblem(reason);
            meters.handshakeFailed(clientCertificate ? ListenerMeters.Failure.CLIENT_CERTIFICATE : ListenerMeters.Failure.OTHER);
            if (clientCertificate) {
                LOG.info("client certificate rejected listener={} vhost={} certificate={} peer={} reason={}", listener,
                        chosen.vhost(), chosen.selection().certificate().nickname(), ctx.channel().remoteAddress(), reason);
            } else {
                LOG.debug("handshake failed listener={} peer={} reason={}", listener, ctx.channel().remoteAddress(), reason);
            }
        }
        ctx.fireUserEventTriggered(evt);
    }

    private static boolean isClientCertificateProblem(String reason) {
        return reason.contains("CERTIFICATE_VERIFY_FAILED") || reason.contains("PEER_DID_NOT_RETURN_A_CERTIFICATE")
                || reason.contains("certificate") || reason.contains("CERTIFICATE");
    }
}
