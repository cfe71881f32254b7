package io.gatehouse.benchmarks;

import io.gatehouse.proxy.http.DownstreamHttpCodec;
import io.gatehouse.proxy.http.HopByHopHeaders;
import io.gatehouse.proxy.http.Http1DecoderConfigs;
import io.gatehouse.proxy.http.UpstreamHttpCodec;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The HTTP/1.1 response path without sockets: parse a backend's response with the upstream codec, strip the
 * hop-by-hop headers, encode it toward the client. Keep-alive profiles show this half costing more than the
 * request half, since backends send more headers than clients. Run with {@code -prof gc} for B/op.
 */
@State(Scope.Thread)
public class HttpResponseForwardingBenchmark extends EventLoopBenchmark {

    /** Keystone's answer to a token request (body cut short) and nova's server list, as their WSGI servers send them. */
    @Param({"keystone-token", "nova-list"})
    public String response;

    private EmbeddedChannel upstream;
    private EmbeddedChannel downstream;
    private ByteBuf bytes;

    @Setup
    public void channels() {
        // The codecs as the proxy configures them, without the request each response answers: nothing asks here.
        upstream = new EmbeddedChannel(new UpstreamHttpCodec(Http1DecoderConfigs.responses()));
        downstream = new EmbeddedChannel(new DownstreamHttpCodec(Http1DecoderConfigs.requests()));
        String body = "{\"token\": {\"methods\": [\"password\"], \"expires_at\": \"2026-11-28T13:00:00.000000Z\"}}";
        String text = response.equals("keystone-token")
                ? "HTTP/1.1 201 CREATED\r\nDate: Sat, 28 Nov 2026 12:00:00 GMT\r\nServer: Apache\r\nContent-Length: " + body.length()
                        + "\r\nX-Subject-Token: gAAAAABnXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX"
                        + "XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX\r\n"
                        + "Vary: X-Auth-Token\r\nx-openstack-request-id: req-5c3f7f2e-9f4e-4a55-8d0a-8e2a41f0b9c1\r\n"
                        + "Keep-Alive: timeout=15, max=100\r\nConnection: Keep-Alive\r\nContent-Type: application/json\r\n\r\n" + body
                : "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 15\r\nOpenStack-API-Version: compute 2.90\r\n"
                        + "X-OpenStack-Nova-API-Version: 2.90\r\nVary: OpenStack-API-Version, X-OpenStack-Nova-API-Version\r\n"
                        + "x-openstack-request-id: req-0b8e2f6a-3c1d-4e5f-9a7b-6c5d4e3f2a1b\r\n"
                        + "x-compute-request-id: req-0b8e2f6a-3c1d-4e5f-9a7b-6c5d4e3f2a1b\r\nDate: Sat, 28 Nov 2026 12:00:00 GMT\r\n"
                        + "\r\n{\"servers\": []}";
        bytes = Wire.bytes(text);
    }

    @Benchmark
    public int parseStripEncode() {
        return Wire.forward(bytes, upstream, HttpResponseForwardingBenchmark::stripHopByHop, downstream);
    }

    /** What the proxy handler does to a response head before passing it on. */
    private static void stripHopByHop(HttpObject part) {
        if (part instanceof HttpResponse head) {
            HopByHopHeaders.strip(head.headers());
        }
    }
}
