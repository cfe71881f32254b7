package io.gatehouse.benchmarks;

import io.gatehouse.proxy.tcp.RelayHandler;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** tcp mode's relay of one 16 KiB record (a full TLS record's plaintext) from one side to the other. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {EventLoopThreads.JMH_EXECUTOR, EventLoopThreads.JMH_EXECUTOR_CLASS})
public class TcpRelayBenchmark {

    private EmbeddedChannel from;
    private EmbeddedChannel to;
    private ByteBuf record;

    @Setup
    public void channels() {
        to = new EmbeddedChannel();
        from = new EmbeddedChannel(new RelayHandler(to));
        record = PooledByteBufAllocator.DEFAULT.directBuffer(16 * 1024).writeZero(16 * 1024);
    }

    @Benchmark
    public int relay16KiB() {
        // Not writeInbound: its varargs array was the benchmark's only allocation, 24 B/op of harness.
        from.writeOneInbound(record.retainedDuplicate(), from.voidPromise());
        from.flushInbound();
        ByteBuf out = to.readOutbound();
        int size = out.readableBytes();
        out.release();
        return size;
    }
}
