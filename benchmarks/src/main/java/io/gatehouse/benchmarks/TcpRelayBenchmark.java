package io.gatehouse.benchmarks;

import io.gatehouse.proxy.tcp.RelayHandler;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** tcp mode's relay of one 16 KiB record (a full TLS record's plaintext) from one side to the other. */
@State(Scope.Thread)
public class TcpRelayBenchmark extends EventLoopBenchmark {

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
