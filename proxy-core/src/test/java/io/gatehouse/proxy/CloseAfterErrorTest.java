package io.gatehouse.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.Test;

class CloseAfterErrorTest {

    /** A last handler that closes the way the proxy's handlers do. */
    private static ChannelInboundHandlerAdapter closingAfterError() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                CloseAfterError.close(ctx, cause);
            }
        };
    }

    /** A TLS client mid-handshake, closing after errors as the proxy's handlers do. */
    private static EmbeddedChannel tlsChannel() throws SSLException {
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.pipeline().addLast(SslContextBuilder.forClient().sslProvider(SslProvider.JDK).build().newHandler(channel.alloc()),
                closingAfterError());
        discardOutbound(channel); // the ClientHello
        return channel;
    }

    private static int discardOutbound(EmbeddedChannel channel) {
        int bytes = 0;
        Object out;
        while ((out = channel.readOutbound()) != null) {
            bytes += ((ByteBuf) out).readableBytes();
            ReferenceCountUtil.release(out);
        }
        return bytes;
    }

    /** Fires {@code cause} at a TLS connection and returns how many bytes its close wrote. */
    private static int bytesWrittenClosingAfter(Throwable cause) throws SSLException {
        EmbeddedChannel channel = tlsChannel();
        channel.pipeline().fireExceptionCaught(cause);
        assertThat(channel.isOpen()).isFalse();
        return discardOutbound(channel);
    }

    @Test
    void aResetSocketIsClosedWithoutWritingCloseNotify() throws SSLException {
        assertThat(bytesWrittenClosingAfter(new IOException("recvAddress(..) failed: Connection reset by peer"))).isZero();
    }

    @Test
    void anyOtherErrorClosesThroughTlsSoThePeerGetsCloseNotify() throws SSLException {
        assertThat(bytesWrittenClosingAfter(new DecoderException("a malformed request"))).isPositive();
    }

    @Test
    void aTlsFailureIsNotASocketFailure() {
        assertThat(CloseAfterError.socketFailed(new SSLException("bad record mac"))).isFalse();
        assertThat(CloseAfterError.socketFailed(new IOException("Broken pipe"))).isTrue();
        assertThat(CloseAfterError.socketFailed(new DecoderException(new IOException("wrapped")))).isFalse();
    }

    @Test
    void withoutTlsTheChannelIsClosedDirectly() {
        EmbeddedChannel channel = new EmbeddedChannel(closingAfterError());
        channel.pipeline().fireExceptionCaught(new IOException("Connection reset by peer"));
        assertThat(channel.isOpen()).isFalse();
    }
}
