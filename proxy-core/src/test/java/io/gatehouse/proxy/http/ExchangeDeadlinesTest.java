package io.gatehouse.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.config.BackendTimeouts;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ExchangeDeadlinesTest {

    final BackendTimeouts timeouts = new BackendTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(2),
            Optional.of(Duration.ofSeconds(5)));

    @Test
    void theResponseHeaderClockRunsFromTheEndOfTheRequestUntilTheResponseStarts() {
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.freezeTime();
        List<String> fired = new ArrayList<>();
        ExchangeDeadlines deadlines = new ExchangeDeadlines(channel.eventLoop(), (name, limit) -> fired.add(name));
        deadlines.exchangeStarted(timeouts);
        deadlines.requestSent(timeouts);
        channel.advanceTimeBy(1900, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertThat(fired).isEmpty();
        deadlines.responseStarted();
        channel.advanceTimeBy(2000, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertThat(fired).as("the response started in time").isEmpty();
        channel.advanceTimeBy(1200, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertThat(fired).containsExactly("total");
        channel.finishAndReleaseAll();
    }

    @Test
    void anEndedExchangeFiresNothing() {
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.freezeTime();
        List<String> fired = new ArrayList<>();
        ExchangeDeadlines deadlines = new ExchangeDeadlines(channel.eventLoop(), (name, limit) -> fired.add(name));
        deadlines.exchangeStarted(timeouts);
        deadlines.requestSent(timeouts);
        deadlines.exchangeEnded();
        channel.advanceTimeBy(10, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertThat(fired).isEmpty();
        deadlines.requestSent(timeouts);
        channel.advanceTimeBy(2, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertThat(fired).containsExactly("response-header");
        channel.finishAndReleaseAll();
    }
}
