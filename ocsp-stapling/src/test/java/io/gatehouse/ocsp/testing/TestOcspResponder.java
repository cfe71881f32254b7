package io.gatehouse.ocsp.testing;

import com.sun.net.httpserver.HttpServer;
import io.gatehouse.sni.ThrowawayPki;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPRespBuilder;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPReq;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.OCSPRespBuilder;
import org.bouncycastle.cert.ocsp.Req;
import org.bouncycastle.cert.ocsp.RespID;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/**
 * An OCSP responder for tests, on 127.0.0.1, whose faults can be switched while it runs: slow, garbage, HTTP 500,
 * a signature by a key the issuer never authorised, expired responses, revoked serials, a renewed delegated
 * signer. It answers for any serial issued by its CA.
 */
public final class TestOcspResponder implements AutoCloseable {

    /** What the next responses look like. */
    public enum Fault { NONE, GARBAGE, HTTP_500, WRONG_KEY, EXPIRED, NO_NEXT_UPDATE, OTHER_SERIAL, SLOW }

    private final ThrowawayPki pki;
    private final ThrowawayPki.Issued issuer;
    private final HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();
    private final Set<BigInteger> revoked = new HashSet<>();
    private final CountDownLatch released = new CountDownLatch(1);
    private final ExecutorService executor;
    private volatile ThrowawayPki.Issued signer;
    private volatile Fault fault = Fault.NONE;
    private volatile Duration validity = Duration.ofHours(1);

    /** Signs with a delegated responder certificate issued by {@code issuer}. */
    public TestOcspResponder(ThrowawayPki pki, ThrowawayPki.Issued issuer) throws IOException {
        this(pki, issuer, 0);
    }

    public TestOcspResponder(ThrowawayPki pki, ThrowawayPki.Issued issuer, int port) throws IOException {
        this.pki = pki;
        this.issuer = issuer;
        this.signer = pki.ocspResponder(issuer, "test OCSP responder 1");
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            try (OutputStream out = exchange.getResponseBody()) {
                Fault now = fault;
                if (now == Fault.SLOW) {
                    released.await(30, TimeUnit.SECONDS);
                }
                if (now == Fault.HTTP_500) {
                    exchange.sendResponseHeaders(500, -1);
                    return;
                }
                byte[] body = now == Fault.GARBAGE ? "<html>proxy error</html>".getBytes()
                        : respond(new OCSPReq(exchange.getRequestBody().readAllBytes()), now).getEncoded();
                exchange.getResponseHeaders().set("Content-Type", "application/ocsp-response");
                exchange.sendResponseHeaders(200, body.length);
                out.write(body);
            } catch (Exception e) {
                exchange.sendResponseHeaders(500, -1);
            }
        });
        // A pool, so that requests held by SLOW do not stop the responder answering the next ones.
        executor = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "test-ocsp-responder");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.start();
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/ocsp");
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public int requests() {
        return requests.get();
    }

    public void fault(Fault newFault) {
        this.fault = newFault;
    }

    public void validity(Duration newValidity) {
        this.validity = newValidity;
    }

    public void revoke(X509Certificate certificate) {
        revoked.add(certificate.getSerialNumber());
    }

    /** Issues a new delegated signing certificate, as an IdM renewal of its OCSP signing certificate would. */
    public ThrowawayPki.Issued renewSigner(String commonName) {
        signer = pki.ocspResponder(issuer, commonName);
        return signer;
    }

    public ThrowawayPki.Issued signer() {
        return signer;
    }

    /** A good response for {@code certificate}, built without HTTP: for staple files. */
    public byte[] goodResponseFor(X509Certificate certificate) throws Exception {
        return build(new CertificateID[] {idFor(certificate.getSerialNumber())}, null, Fault.NONE).getEncoded();
    }

    private CertificateID idFor(BigInteger serial) throws Exception {
        return new CertificateID(new JcaDigestCalculatorProviderBuilder().build().get(CertificateID.HASH_SHA1),
                new JcaX509CertificateHolder(issuer.certificate()), serial);
    }

    private OCSPResp respond(OCSPReq request, Fault now) throws Exception {
        Req[] items = request.getRequestList();
        CertificateID[] ids = new CertificateID[items.length];
        for (int i = 0; i < items.length; i++) {
            CertificateID asked = items[i].getCertID();
            ids[i] = now == Fault.OTHER_SERIAL ? idFor(asked.getSerialNumber().add(BigInteger.ONE)) : asked;
        }
        Extension nonce = request.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce);
        return build(ids, nonce, now);
    }

    private OCSPResp build(CertificateID[] ids, Extension nonce, Fault now) throws Exception {
        ThrowawayPki.Issued signing = now == Fault.WRONG_KEY ? pki.ocspResponder(pki.root("impostor CA"), "impostor responder") : signer;
        X509CertificateHolder signerHolder = new JcaX509CertificateHolder(signing.certificate());
        BasicOCSPRespBuilder builder = new BasicOCSPRespBuilder(new RespID(signerHolder.getSubject()));
        Instant thisUpdate = now == Fault.EXPIRED ? Instant.now().minus(Duration.ofHours(2)) : Instant.now().minus(Duration.ofMinutes(1));
        Instant nextUpdate = now == Fault.EXPIRED ? Instant.now().minus(Duration.ofHours(1)) : Instant.now().plus(validity);
        for (CertificateID id : ids) {
            CertificateStatus status = revoked.contains(id.getSerialNumber())
                    ? new RevokedStatus(Date.from(Instant.now().minus(Duration.ofMinutes(30))), 1)
                    : CertificateStatus.GOOD;
            if (now == Fault.NO_NEXT_UPDATE) {
                builder.addResponse(id, status, Date.from(thisUpdate), (Date) null);
            } else {
                builder.addResponse(id, status, Date.from(thisUpdate), Date.from(nextUpdate));
            }
        }
        if (nonce != null) {
            builder.setResponseExtensions(new Extensions(nonce));
        }
        String algorithm = "SHA256withECDSA";
        var basic = builder.build(new JcaContentSignerBuilder(algorithm).build(signing.keys().getPrivate()),
                new X509CertificateHolder[] {signerHolder}, new Date());
        return new OCSPRespBuilder().build(OCSPRespBuilder.SUCCESSFUL, basic);
    }

    /** Releases requests held by {@link Fault#SLOW}. */
    public void releaseSlowRequests() {
        released.countDown();
    }

    @Override
    public void close() {
        released.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
