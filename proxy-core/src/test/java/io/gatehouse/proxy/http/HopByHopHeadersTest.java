package io.gatehouse.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import org.junit.jupiter.api.Test;

class HopByHopHeadersTest {

    @Test
    void connectionScopedHeadersAndThoseConnectionNamesAreRemovedButFramingStays() {
        HttpHeaders headers = new DefaultHttpHeaders()
                .add("Connection", "keep-alive, X-Private-Hop, Transfer-Encoding")
                .add("Keep-Alive", "timeout=5").add("TE", "trailers").add("Upgrade", "websocket")
                .add("Proxy-Connection", "keep-alive").add("X-Private-Hop", "secret")
                .add("Transfer-Encoding", "chunked").add("X-Auth-Token", "gAAAA");
        HopByHopHeaders.strip(headers);
        assertThat(headers.names()).containsExactlyInAnyOrder("Transfer-Encoding", "X-Auth-Token");
    }
}
