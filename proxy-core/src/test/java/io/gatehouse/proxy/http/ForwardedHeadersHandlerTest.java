package io.gatehouse.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import org.junit.jupiter.api.Test;

class ForwardedHeadersHandlerTest {

    /** An embedded channel whose peer is a real IP address, as a socket's would be. */
    private static EmbeddedChannel channelFrom(String clientIp) {
        InetSocketAddress peer = new InetSocketAddress(clientIp, 40000);
        return new EmbeddedChannel(new ForwardedHeadersHandler("https")) {
            @Override
            protected SocketAddress remoteAddress0() {
                return peer;
            }
        };
    }

    @Test
    void clientSuppliedForwardingHeadersAreReplacedNotAppended() {
        EmbeddedChannel channel = channelFrom("192.0.2.10");
        HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/");
        request.headers().add("Host", "keystone.example.com:5000")
                .add("X-Forwarded-For", "6.6.6.6").add("x-forwarded-for", "7.7.7.7")
                .add("X-Forwarded-Proto", "http").add("X-Forwarded-Host", "evil.example").add("X-Forwarded-Port", "80")
                .add("Forwarded", "for=6.6.6.6");
        channel.writeInbound(request);
        HttpRequest forwarded = channel.readInbound();
        assertThat(forwarded.headers().getAll("X-Forwarded-For")).containsExactly("192.0.2.10");
        assertThat(forwarded.headers().getAll("X-Forwarded-Proto")).containsExactly("https");
        assertThat(forwarded.headers().getAll("X-Forwarded-Host")).containsExactly("keystone.example.com:5000");
        assertThat(forwarded.headers().contains("X-Forwarded-Port")).isFalse();
        // No host= in Forwarded: oslo.middleware would take a quoted "keystone.example.com:5000" literally.
        assertThat(forwarded.headers().getAll("Forwarded")).containsExactly("for=192.0.2.10;proto=https");
        assertThat(forwarded.headers().get("Host")).isEqualTo("keystone.example.com:5000");
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void anIpv6ClientIsBracketedAndQuotedInForwarded() {
        EmbeddedChannel channel = channelFrom("2001:db8::1");
        HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/");
        request.headers().add("Host", "nova");
        channel.writeInbound(request);
        HttpRequest forwarded = channel.readInbound();
        assertThat(forwarded.headers().get("X-Forwarded-For")).isEqualTo("2001:db8:0:0:0:0:0:1");
        assertThat(forwarded.headers().get("Forwarded")).isEqualTo("for=\"[2001:db8:0:0:0:0:0:1]\";proto=https");
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void withoutAHostHeaderNoForwardedHostIsInvented() {
        EmbeddedChannel channel = channelFrom("192.0.2.10");
        channel.writeInbound(new DefaultHttpRequest(HttpVersion.HTTP_1_0, HttpMethod.GET, "/"));
        HttpRequest forwarded = channel.readInbound();
        assertThat(forwarded.headers().contains("X-Forwarded-Host")).isFalse();
        assertThat(forwarded.headers().get("Forwarded")).isEqualTo("for=192.0.2.10;proto=https");
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }
}
