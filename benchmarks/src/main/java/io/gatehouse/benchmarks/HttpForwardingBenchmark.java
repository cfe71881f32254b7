package io.gatehouse.benchmarks;

import io.gatehouse.proxy.http.ForwardedHeadersHandler;
import io.gatehouse.proxy.http.Http1DecoderConfigs;
import io.gatehouse.proxy.http.ClientRequestDecoder;
import io.gatehouse.proxy.http.ObsFoldGuard;
import io.gatehouse.proxy.http.RequestHeadCheck;
import io.gatehouse.proxy.http.UpstreamRequestEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The HTTP/1.1 forwarding path without sockets: scan for obs-fold, parse a request with the downstream codec,
 * check its target and Host, rewrite the forwarding headers, encode it toward the upstream. Run with {@code -prof gc} for B/op.
 */
@State(Scope.Thread)
public class HttpForwardingBenchmark extends EventLoopBenchmark {

    /**
     * A keystone token request and a nova server list, as python-requests sends them, and the token request with the
     * password body a client sends (the first two are kept as they were for comparison with older figures).
     */
    @Param({"keystone-token", "nova-list", "keystone-password"})
    public String request;

    private EmbeddedChannel downstream;
    private EmbeddedChannel upstream;
    private ByteBuf bytes;

    @Setup
    public void channels() {
        // The codecs' halves, set up as the proxy's, without the request/response pairing: nothing answers here.
        ObsFoldGuard obsFold = new ObsFoldGuard();
        downstream = new ClientChannel(obsFold.byteScanner(), new ClientRequestDecoder(Http1DecoderConfigs.requests()),
                obsFold.requestMarker(), RequestHeadCheck.INSTANCE, new ForwardedHeadersHandler("https"));
        upstream = new EmbeddedChannel(new UpstreamRequestEncoder());
        String body = "{\"auth\": {\"identity\": {\"methods\": [\"password\"], \"password\": {\"user\": {\"name\": \"admin\", "
                + "\"domain\": {\"name\": \"Default\"}, \"password\": \"secret\"}}}, \"scope\": {\"project\": {\"name\": \"admin\", "
                + "\"domain\": {\"name\": \"Default\"}}}}}";
        String keystone = "POST /v3/auth/tokens HTTP/1.1\r\nHost: overcloud.example.com:13000\r\nUser-Agent: openstacksdk/4.0.1 keystoneauth1/5.9.1"
                + " python-requests/2.32.3 CPython/3.11.2\r\nAccept-Encoding: gzip, deflate\r\nAccept: application/json\r\n"
                + "Connection: keep-alive\r\nContent-Type: application/json\r\nContent-Length: ";
        String text = request.equals("keystone-token") ? keystone + "0\r\n\r\n"
                : request.equals("keystone-password") ? keystone + body.length() + "\r\n\r\n" + body
                : "GET /v2.1/servers/detail?limit=50 HTTP/1.1\r\nHost: overcloud.example.com:13774\r\nUser-Agent: python-novaclient\r\n"
                        + "Accept: application/json\r\nX-Auth-Token: gAAAAABnXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX"
                        + "XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX\r\n"
                        + "X-OpenStack-Nova-API-Version: 2.90\r\nConnection: keep-alive\r\n\r\n";
        bytes = Wire.bytes(text);
    }

    @Benchmark
    public int parseRewriteEncode() {
        // The rewrite is a handler in the decoding pipeline, as in the proxy: nothing more to do per part here.
        return Wire.forward(bytes, downstream, part -> { }, upstream);
    }
}
