package io.gatehouse.benchmarks;

import io.gatehouse.sni.CertificateNickname;
import io.gatehouse.sni.ServerCertificate;
import io.gatehouse.sni.SniMapping;
import io.gatehouse.sni.ThrowawayPki;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** Choosing a certificate among 10,000 names: ten certificates of 1,000 SANs each, exact and wildcard hits and misses. */
@State(Scope.Benchmark)
public class SniLookupBenchmark extends EventLoopBenchmark {

    private SniMapping<String> mapping;
    private final InetAddress local = InetAddress.getLoopbackAddress();

    @Setup
    public void build() throws Exception {
        ThrowawayPki pki = new ThrowawayPki();
        ThrowawayPki.Issued root = pki.root("bench root");
        List<ServerCertificate> certificates = new ArrayList<>();
        List<String> values = new ArrayList<>();
        for (int c = 0; c < 10; c++) {
            List<String> names = new ArrayList<>();
            for (int n = 0; n < 999; n++) {
                names.add("svc" + n + ".cell" + c + ".example.com");
            }
            names.add("*.wild" + c + ".example.com");
            ThrowawayPki.Issued issued = pki.server(root, ThrowawayPki.KeyType.EC, names, List.of());
            certificates.add(new ServerCertificate(new CertificateNickname("cell" + c), "bench", issued.keys().getPrivate(),
                    List.of(issued.certificate())));
            values.add("cell" + c);
        }
        mapping = SniMapping.build("bench", certificates, values, "benchmark");
    }

    // The arguments are what Netty's SniHandler hands over: lower-case names. Run with -prof gc: 0 B/op expected.

    @Benchmark
    public Object exactHit() {
        return mapping.select("svc512.cell7.example.com", true, local);
    }

    @Benchmark
    public Object wildcardHit() {
        return mapping.select("glance.wild3.example.com", true, local);
    }

    @Benchmark
    public Object missFallsToDefault() {
        return mapping.select("unknown.example.net", false, local);
    }

    @Benchmark
    public Object noSniByAddress() {
        return mapping.select(null, true, local);
    }
}
