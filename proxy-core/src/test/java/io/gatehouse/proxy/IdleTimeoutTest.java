package io.gatehouse.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.timeout.IdleStateEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class IdleTimeoutTest {

    private final List<Object> events = new ArrayList<>();
    private final EmbeddedChannel channel = new EmbeddedChannel(new IdleTimeout(Duration.ofSeconds(10)),
            new ChannelInboundHandlerAdapter() {
                @Override
                public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                    events.add(evt);
                }
            });

    private void advanceSeconds(long seconds) {
        channel.advanceTimeBy(seconds, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
    }

    @Test
    void aSilentConnectionIsIdleAfterTheTimeoutAndAgainAfterEachFurtherOne() {
        advanceSeconds(9);
        assertThat(events).isEmpty();
        advanceSeconds(1);
        assertThat(events).containsExactly(IdleStateEvent.ALL_IDLE_STATE_EVENT);
        advanceSeconds(10);
        assertThat(events).hasSize(2);
    }

    @Test
    void aReadPostponesIdleness() {
        advanceSeconds(8);
        channel.writeInbound("request");
        advanceSeconds(8);
        assertThat(events).isEmpty();
        advanceSeconds(2);
        assertThat(events).containsExactly(IdleStateEvent.ALL_IDLE_STATE_EVENT);
    }

    @Test
    void aWritePostponesIdlenessAndKeepsItsVoidPromise() {
        advanceSeconds(8);
        channel.writeAndFlush("response", channel.voidPromise());
        Object written = channel.readOutbound();
        assertThat(written).isEqualTo("response");
        advanceSeconds(8);
        assertThat(events).isEmpty();
        advanceSeconds(2);
        assertThat(events).hasSize(1);
    }

    @Test
    void aReadStillInProgressIsNotIdleness() {
        channel.pipeline().fireChannelRead("a large body, in pieces");
        advanceSeconds(25);
        assertThat(events).isEmpty();
        channel.pipeline().fireChannelReadComplete();
        advanceSeconds(10);
        assertThat(events).hasSize(1);
    }

    @Test
    void aClosedConnectionFiresNothing() {
        channel.close();
        advanceSeconds(30);
        assertThat(events).isEmpty();
    }

    @Test
    void aTimerRemovedFromThePipelineFiresNothing() {
        channel.pipeline().remove(IdleTimeout.class);
        advanceSeconds(30);
        assertThat(events).isEmpty();
    }
}
