package io.gatehouse.benchmarks;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What every benchmark here shares, inherited through JMH's annotations: one fork whose benchmark threads are made
 * the way Netty makes event-loop threads ({@link EventLoopThreads}), and average time in nanoseconds over three
 * warm-up and five measured one-second iterations. A benchmark that measures otherwise annotates its own class.
 *
 * <p>Buffer leak detection is off, as in the proxy by default: Netty's sampling would otherwise record a stack trace
 * for one buffer in 128, and count as the measured path's cost and garbage.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {EventLoopThreads.JMH_EXECUTOR, EventLoopThreads.JMH_EXECUTOR_CLASS, EventLoopBenchmark.NO_LEAK_DETECTION})
abstract class EventLoopBenchmark {

    static final String NO_LEAK_DETECTION = "-Dio.netty.leakDetection.level=disabled";
}
