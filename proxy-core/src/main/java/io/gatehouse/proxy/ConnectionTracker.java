package io.gatehouse.proxy;

import io.netty.channel.Channel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.ChannelGroupFuture;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Knows every open downstream connection, so shutdown can ask them to drain, wait for them to finish, and close
 * the rest itself.
 */
final class ConnectionTracker {

    /** Stays closed: a connection accepted while Gatehouse closes is closed as it arrives. */
    private final ChannelGroup open = new DefaultChannelGroup("downstream connections", GlobalEventExecutor.INSTANCE, true);
    private final CompletableFuture<Void> allClosed = new CompletableFuture<>();
    private volatile boolean draining;

    void add(Channel channel) {
        open.add(channel);
        // Runs after the group's own listener has removed the channel.
        channel.closeFuture().addListener(f -> {
            if (draining && open.isEmpty()) {
                allClosed.complete(null);
            }
        });
    }

    int size() {
        return open.size();
    }

    /**
     * Asks every connection to finish its exchange and close, waits up to {@code timeout}, then closes the rest.
     *
     * @return how many connections had to be closed at the deadline
     */
    int drain(Duration timeout) throws InterruptedException {
        draining = true;
        if (open.isEmpty()) {
            allClosed.complete(null);
        }
        for (Channel channel : open) {
            channel.eventLoop().execute(() -> channel.pipeline().fireUserEventTriggered(DrainRequested.INSTANCE));
        }
        try {
            allClosed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // Deadline reached: whatever is still open is closed below.
        }
        List<Channel> remaining = List.copyOf(open);
        remaining.forEach(Channel::close);
        return remaining.size();
    }

    /** Closes every connection, and any that arrives later. */
    ChannelGroupFuture closeAll() {
        return open.close();
    }
}
