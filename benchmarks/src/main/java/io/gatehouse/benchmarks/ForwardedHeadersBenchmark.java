package io.gatehouse.benchmarks;

import io.gatehouse.proxy.http.ForwardedHeadersHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
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

/** Rewriting X-Forwarded-* and Forwarded on a typical keystone request head. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {EventLoopThreads.JMH_EXECUTOR, EventLoopThreads.JMH_EXECUTOR_CLASS})
public class ForwardedHeadersBenchmark {

    private EmbeddedChannel channel;

    @Setup
    public void channel() {
        channel = new ClientChannel(new ForwardedHeadersHandler("https"));
    }

    @Benchmark
    public Object rewriteKeystoneTokenRequest() {
        HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/v3/auth/tokens");
        request.headers().add("Host", "overcloud.example.com:13000").add("User-Agent", "openstacksdk/4.0 keystoneauth1/5.9 python-requests/2.32")
                .add("Accept", "application/json").add("Content-Type", "application/json").add("Content-Length", "312")
                .add("X-Forwarded-For", "198.51.100.7");
        channel.writeOneInbound(request, channel.voidPromise());
        channel.flushInbound();
        return channel.readInbound();
    }
}
