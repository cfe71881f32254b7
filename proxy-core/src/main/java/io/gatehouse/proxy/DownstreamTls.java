package io.gatehouse.proxy;

import io.gatehouse.proxy.admin.ListenerMeters;
import io.gatehouse.sni.ClientHelloCapabilities;
import io.gatehouse.sni.SniMapping;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ReferenceCountedOpenSslEngine;
import io.netty.handler.ssl.SslHandler;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.SniHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.Future;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * The first handler of every TLS listener: Netty's {@link SniHandler}, choosing the context from the listener's own
 * {@link SniMapping} with what the ClientHello says (server name, ECDSA support) and the address the client
 * connected to. The ClientHello size is bounded and the hello must arrive within the handshake timeout, so a
 * client that claims a 16 MiB hello or never finishes costs little (CVE-2023-34462).
 */
public final class DownstreamTls extends SniHandler {

    /** Large enough for post-quantum key shares and many extensions, far below what an attacker would like. */
    public static final int MAX_CLIENT_HELLO_LENGTH = 16 * 1024;
    public static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

    /** A fatal unrecognized_name alert (RFC 6066 section 3): a TLS record of type alert, level 2, description 112. */
    private static final byte[] UNRECOGNIZED_NAME_ALERT = {0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x70};
    /** A fatal handshake_failure alert (RFC 8446 section 6.2), description 40. */
    private static final byte[] HANDSHAKE_FAILURE_ALERT = {0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28};

    private final SniMapping<SslContext> tls;
    private final ListenerMeters meters;
    private final StapleLookup staples;
    private boolean clientAcceptsEcdsa;
    private SniMapping.Selection<SslContext> selection;
    /** Set once an unknown name was refused: Netty may look up again while the connection closes. */
    private Future<SslContext> refusal;

    public DownstreamTls(SniMapping<SslContext> tls, ListenerMeters meters, StapleLookup staples) {
        // Netty's own mapping is bypassed: lookup() below decides with more than the host name.
        super(hostname -> null, MAX_CLIENT_HELLO_LENGTH, HANDSHAKE_TIMEOUT.toMillis());
        this.tls = tls;
        this.meters = meters;
        this.staples = staples;
    }

    @Override
    protected Future<SslContext> lookup(ChannelHandlerContext ctx, ByteBuf clientHello) throws Exception {
        clientAcceptsEcdsa = ClientHelloCapabilities.acceptsEcdsa(clientHello);
        // Netty extracts the host name, then calls lookup(ctx, hostname) below.
        return super.lookup(ctx, clientHello);
    }

    @Override
    protected Future<SslContext> lookup(ChannelHandlerContext ctx, String hostname) {
        if (refusal != null) {
            return refusal;
        }
        InetAddress local = ctx.channel().localAddress() instanceof InetSocketAddress address ? address.getAddress() : null;
        selection = tls.select(hostname, clientAcceptsEcdsa, local);
        if (selection == null) {
            meters.handshakeFailed(ListenerMeters.Failure.UNRECOGNIZED_NAME);
            ctx.writeAndFlush(Unpooled.wrappedBuffer(UNRECOGNIZED_NAME_ALERT));
            refusal = ctx.executor().newFailedFuture(new UnrecognizedServerNameException(hostname));
            return refusal;
        }
        if (staples.refuses(selection.certificate())) {
            // on-revoked: stop-serving. The stapler logged the revocation at ERROR; each refusal is counted.
            meters.handshakeFailed(ListenerMeters.Failure.REVOKED);
            ctx.writeAndFlush(Unpooled.wrappedBuffer(HANDSHAKE_FAILURE_ALERT));
            refusal = ctx.executor().newFailedFuture(new RevokedCertificateException(selection.certificate().nickname().value()));
            return refusal;
        }
        ctx.channel().attr(TlsSelection.KEY).set(new TlsSelection(hostname, selection));
        return ctx.executor().newSucceededFuture(selection.value());
    }

    @Override
    protected SslHandler newSslHandler(SslContext context, ByteBufAllocator allocator) {
        SslHandler handler = super.newSslHandler(context, allocator);
        byte[] staple = selection == null ? null : staples.stapleFor(selection.certificate());
        if (staple != null && handler.engine() instanceof ReferenceCountedOpenSslEngine engine) {
            engine.setOcspResponse(staple);
        }
        return handler;
    }

    /** on-revoked: stop-serving refused a handshake that would present a revoked certificate. */
    public static final class RevokedCertificateException extends Exception {
        public RevokedCertificateException(String nickname) {
            super("certificate '" + nickname + "' is revoked and its policy is stop-serving", null, false, false);
        }
    }

    /** strict-sni refused a server name that no certificate of the listener carries. */
    public static final class UnrecognizedServerNameException extends Exception {
        public UnrecognizedServerNameException(String hostname) {
            super("no certificate for server name '" + hostname + "' (strict-sni)", null, false, false);
        }
    }
}
