package io.gatehouse.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How a graceful stop keeps to its deadline. */
class GatehouseStopTest {

    @TempDir
    Path dir;

    /**
     * Listeners close on the event loops, which may be busy. A stop must not wait for one beyond the drain
     * deadline (plus the loops' own bounded shutdown), or a stuck loop would hold the process until SIGKILL.
     */
    @Test
    void aListenerOnABusyEventLoopDoesNotHoldTheStopBeyondItsDeadline() throws Exception {
        TestPki pki = new TestPki(dir);
        String yaml = GatehouseFixture.singleListener("http", pki, new InetSocketAddress("127.0.0.1", 9), "") + "workers: 1\n";
        Gatehouse gatehouse = GatehouseFixture.start(dir, yaml);
        CountDownLatch release = new CountDownLatch(1);
        try {
            CountDownLatch blocked = new CountDownLatch(1);
            gatehouse.listenerChannel("front").eventLoop().execute(() -> {
                blocked.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            blocked.await();

            CompletableFuture<Void> stopped = CompletableFuture.runAsync(() -> gatehouse.drainAndStop(Duration.ofMillis(300)));

            // 300 ms of drain, then the event loops' shutdown gives up after 5 s: well within 15 s.
            assertThat(stopped).succeedsWithin(Duration.ofSeconds(15));
        } finally {
            release.countDown();
            gatehouse.close();
        }
    }
}
