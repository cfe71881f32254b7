package io.gatehouse.proxy.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.sni.CertificateNickname;
import io.gatehouse.sni.ServerCertificate;
import io.gatehouse.sni.SniMapping;
import io.gatehouse.sni.SniMatch;
import io.gatehouse.sni.ThrowawayPki;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Handshake counters are kept apart by the certificate served and by how it was chosen, and only by those. */
class ListenerMetersTest {

    @Test
    void handshakesAreCountedPerCertificateAndMatchKind() {
        ThrowawayPki pki = new ThrowawayPki();
        ThrowawayPki.Issued root = pki.root("meters root");
        ThrowawayPki.Issued leaf = pki.server(root, ThrowawayPki.KeyType.EC, List.of("api.example.org"), List.of());
        ServerCertificate api = certificate("api", leaf);
        ServerCertificate other = certificate("other", leaf);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ListenerMeters meters = new ListenerMeters(registry, "public");

        meters.handshakeSucceeded(new SniMapping.Selection<>("context", api, SniMatch.EXACT));
        meters.handshakeSucceeded(new SniMapping.Selection<>("context", api, SniMatch.EXACT));
        meters.handshakeSucceeded(new SniMapping.Selection<>("another context", api, SniMatch.WILDCARD));
        meters.handshakeSucceeded(new SniMapping.Selection<>("context", other, SniMatch.EXACT));

        assertThat(count(registry, "api", "exact")).isEqualTo(2.0);
        assertThat(count(registry, "api", "wildcard")).isEqualTo(1.0);
        assertThat(count(registry, "other", "exact")).isEqualTo(1.0);
        assertThat(registry.find("gatehouse.tls.handshakes").counters()).hasSize(3);
    }

    private static ServerCertificate certificate(String nickname, ThrowawayPki.Issued issued) {
        return new ServerCertificate(new CertificateNickname(nickname), nickname + ".pem", issued.keys().getPrivate(),
                List.of(issued.certificate()));
    }

    private static double count(SimpleMeterRegistry registry, String certificate, String match) {
        return registry.get("gatehouse.tls.handshakes").tag("listener", "public").tag("certificate", certificate).tag("match", match)
                .counter().count();
    }
}
