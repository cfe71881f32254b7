package io.gatehouse.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RequestHeadDeadlineTest {

    EmbeddedChannel channel;

    @BeforeEach
    void channel() {
        RequestHeadDeadline deadline = new RequestHeadDeadline(Duration.ofSeconds(10));
        channel = new EmbeddedChannel();
        channel.freezeTime();
        channel.pipeline().addLast(deadline.byteWatcher(), new HttpRequestDecoder(), deadline.headWatcher());
    }

    @AfterEach
    void release() {
        channel.finishAndReleaseAll();
    }

    private void send(String text) {
        channel.writeInbound(Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII));
    }

    private void advance(int seconds) {
        channel.advanceTimeBy(seconds, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
    }

    private String written() {
        StringBuilder out = new StringBuilder();
        Object msg;
        while ((msg = channel.readOutbound()) != null) {
            if (msg instanceof ByteBuf bytes) {
                out.append(bytes.toString(StandardCharsets.US_ASCII));
            } else {
                out.append(msg.getClass().getSimpleName());
            }
            ReferenceCountUtil.release(msg);
        }
        return out.toString();
    }

    @Test
    void tricklingHeaderLinesDoesNotExtendTheDeadline() {
        send("GET / HTTP/1.1\r\nHost: a\r\n");
        advance(6);
        send("X-a: b\r\n");
        advance(3);
        send("X-b: c\r\n");
        assertThat(channel.isOpen()).isTrue();
        advance(1);
        assertThat(written()).startsWith("HTTP/1.1 408 Request Timeout\r\n").contains("Connection: close");
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void aHeadThatCompletesInTimeIsLeftAlone() {
        send("GET / HTTP/1.1\r\nHost: a\r\n");
        advance(9);
        send("\r\n");
        advance(30);
        assertThat(written()).isEmpty();
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void aLongExchangeIsNeverCutAndTheNextRequestGetsItsOwnDeadline() {
        send("PUT /v2/images/x/file HTTP/1.1\r\nHost: glance\r\nContent-Length: 100000000\r\n\r\n");
        advance(60);
        send("x".repeat(1000));
        advance(60);
        assertThat(channel.isOpen()).isTrue();
        channel.writeOutbound(new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE), LastHttpContent.EMPTY_LAST_CONTENT);
        advance(60);
        assertThat(channel.isOpen()).as("an interim 100 does not end the exchange").isTrue();
        channel.writeOutbound(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CREATED));
        written();
        advance(60);
        assertThat(channel.isOpen()).as("keep-alive idle is the idle timeout's business, not this one's").isTrue();
        send("GET / HT");
        advance(10);
        assertThat(written()).startsWith("HTTP/1.1 408");
        assertThat(channel.isOpen()).isFalse();
    }
}
