package io.gatehouse.benchmarks;

import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * JMH's benchmark threads, made the way Netty makes event-loop threads ({@code FastThreadLocalThread}s). Netty 4.2's
 * Recycler pools objects only on such threads: outbound-buffer entries, pooled-buffer duplicates, codec output
 * lists. On JMH's plain threads each of those was a fresh allocation that the proxy's event loops never make, and
 * {@code -prof gc} counted it as the forwarding path's. Every benchmark's forks select this executor with
 * {@link #JMH_EXECUTOR} and {@link #JMH_EXECUTOR_CLASS}, inherited from {@link EventLoopBenchmark}; JMH calls the
 * {@code (int, String)} constructor.
 */
public final class EventLoopThreads extends ThreadPoolExecutor {

    static final String JMH_EXECUTOR = "-Djmh.executor=CUSTOM";
    static final String JMH_EXECUTOR_CLASS = "-Djmh.executor.class=io.gatehouse.benchmarks.EventLoopThreads";

    public EventLoopThreads(int maxThreads, String prefix) {
        super(maxThreads, maxThreads, 1, TimeUnit.MINUTES, new LinkedBlockingQueue<>(), new DefaultThreadFactory(prefix, true));
    }
}
