package io.gatehouse.benchmarks;

import io.gatehouse.sni.CertificateNickname;
import io.gatehouse.sni.LibCrypto;
import io.gatehouse.sni.RsaSigners;
import io.gatehouse.sni.ServerCertificate;
import io.gatehouse.sni.ServerTlsContextFactory;
import io.gatehouse.sni.ThrowawayPki;
import io.gatehouse.sni.TlsDefaults;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.ReferenceCountUtil;
import java.lang.reflect.Method;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLEngine;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Full and resumed TLS handshakes against a server context built by Gatehouse's own {@link ServerTlsContextFactory}
 * (BoringSSL), with a BoringSSL client, through memory. Each operation is one handshake: server and client work
 * together, so the server's share is less than the time shown; the side-by-side load test separates them.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class TlsHandshakeBenchmark extends EventLoopBenchmark {

    @Param({"EC", "RSA"})
    public String keyType;

    @Param({"TLSv1.3", "TLSv1.2"})
    public String protocol;

    /** Who signs for the RSA key, as {@code rsa-signing:} chooses; EC keys always stay in BoringSSL. */
    @Param({"libcrypto", "boringssl"})
    public String rsaSigning;

    private SslContext server;
    private SslContext client;
    private SslContext clientWithoutCache;
    private final InMemoryHandshake handshake = new InMemoryHandshake();
    private int nextPort;

    @Setup(Level.Trial)
    public void contexts() throws Exception {
        ThrowawayPki pki = new ThrowawayPki();
        ThrowawayPki.Issued root = pki.root("bench root");
        ThrowawayPki.Issued issued = pki.server(root, ThrowawayPki.KeyType.valueOf(keyType), List.of("localhost"), List.of());
        ServerCertificate certificate = new ServerCertificate(new CertificateNickname("bench"), "bench", issued.keys().getPrivate(),
                List.of(issued.certificate(), root.certificate()));
        server = new ServerTlsContextFactory(TlsDefaults.ALPN,
                rsaSigning.equals("libcrypto") ? RsaSigners.libCrypto(LibCrypto.instance(), true) : RsaSigners.boringSsl()).build(certificate);
        client = SslContextBuilder.forClient().sslProvider(SslProvider.OPENSSL).protocols(protocol)
                .trustManager(root.certificate()).build();
        clientWithoutCache = SslContextBuilder.forClient().sslProvider(SslProvider.OPENSSL).protocols(protocol)
                .trustManager(root.certificate()).sessionCacheSize(1).build();
        // Prove that each case measures what it says before measuring it.
        resumed();
        if (!resumed()) {
            throw new IllegalStateException("the resumed handshake did not resume: the benchmark would measure full ones");
        }
        if (full()) {
            throw new IllegalStateException("the full handshake resumed");
        }
    }

    /** A port never used recently: the client has no session for it, so it offers none. */
    private int nextPort() {
        nextPort = nextPort % 60000 + 1;
        return nextPort;
    }

    /** A client that offers no session: every handshake is a full one, as the load test's clients do. */
    @Benchmark
    public boolean full() throws Exception {
        return handshake(clientWithoutCache.newEngine(ByteBufAllocator.DEFAULT, "localhost", nextPort()));
    }

    /** A client that offers the ticket of its previous session for the same host and port. */
    @Benchmark
    public boolean resumed() throws Exception {
        return handshake(client.newEngine(ByteBufAllocator.DEFAULT, "localhost", 443));
    }

    /** One handshake of {@code clientEngine} with a fresh server engine; returns whether the session was resumed. */
    private boolean handshake(SSLEngine clientEngine) throws Exception {
        SSLEngine serverEngine = server.newEngine(ByteBufAllocator.DEFAULT);
        try {
            handshake.run(clientEngine, serverEngine);
            return reused(clientEngine);
        } finally {
            ReferenceCountUtil.release(clientEngine);
            ReferenceCountUtil.release(serverEngine);
        }
    }

    private static boolean reused(SSLEngine engine) throws Exception {
        Method method = Class.forName("io.netty.handler.ssl.ReferenceCountedOpenSslEngine").getDeclaredMethod("isSessionReused");
        method.setAccessible(true);
        return (Boolean) method.invoke(engine);
    }
}
