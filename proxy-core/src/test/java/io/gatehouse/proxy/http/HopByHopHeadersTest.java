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

    @Test
    void tokensAreMatchedWithoutRegardToCaseOrSpacesAndEmptyOnesAreSkipped() {
        HttpHeaders headers = new DefaultHttpHeaders()
                .add("Connection", "Keep-Alive ,,\tx-hop-a")
                .add("Connection", "CLOSE, X-Hop-B")
                .add("X-Hop-A", "1").add("x-hop-b", "2").add("Keep-Alive", "timeout=5").add("Host", "api:5000");
        HopByHopHeaders.strip(headers);
        assertThat(headers.names()).containsExactly("Host");
    }

    @Test
    void aConnectionHeaderNamingOnlyCommonTokensRemovesNothingElse() {
        HttpHeaders headers = new DefaultHttpHeaders()
                .add("Connection", "keep-alive, Upgrade, TE, Host").add("Host", "api:5000").add("X-Auth-Token", "gAAAA");
        HopByHopHeaders.strip(headers);
        assertThat(headers.names()).containsExactlyInAnyOrder("Host", "X-Auth-Token");
    }
}
