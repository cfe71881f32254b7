package io.gatehouse.benchmarks;

import io.gatehouse.proxy.http.ForwardedHeadersHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** Rewriting X-Forwarded-* and Forwarded on a typical keystone request head. */
@State(Scope.Thread)
public class ForwardedHeadersBenchmark extends EventLoopBenchmark {

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
