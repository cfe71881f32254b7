package io.gatehouse.ocsp;

import io.gatehouse.config.ConfigException;
import io.gatehouse.config.OcspSettings;
import io.gatehouse.sni.CertificateLoadException;
import io.gatehouse.sni.ServerCertificate;
import io.gatehouse.sni.TrustBundle;
import java.net.URI;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@link OcspStapler} per certificate that has a responder or a staple file, all on one small executor of
 * their own: fetching never runs on an event loop and never delays a listener's start.
 */
public final class OcspStaplingService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OcspStaplingService.class);

    private final ScheduledExecutorService executor;
    private final Map<ServerCertificate, OcspStapler> staplers = new IdentityHashMap<>();
    private final List<StapleStatus> unstapled = new ArrayList<>();

    /**
     * Builds the staplers; reads responder certificates, so it may throw for a bad {@code responder-cert}.
     * Nothing is fetched until {@link #start()} (or {@link #probeAll()}).
     */
    public OcspStaplingService(List<StaplingTarget> targets, OcspTransport transport, Clock clock, StaplerListener listener, String source)
            throws ConfigException {
        AtomicInteger threads = new AtomicInteger();
        this.executor = Executors.newScheduledThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "gatehouse-ocsp-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        List<String> problems = new ArrayList<>();
        for (StaplingTarget target : targets) {
            ServerCertificate certificate = target.certificate();
            String nickname = certificate.nickname().value();
            if (!target.settings().enabled().orElse(true) || staplers.containsKey(certificate)) {
                continue;
            }
            Optional<URI> responder = target.settings().responder().or(() -> OcspResponderLocator.fromAia(certificate.leaf()));
            if (responder.isEmpty() && target.settings().stapleFile().isEmpty()) {
                unstapled.add(new StapleStatus(nickname, Optional.empty(), "none: no responder in the certificate's AIA and no ocsp.responder",
                        Optional.empty(), false, Optional.empty(), Optional.empty(), MustStaple.required(certificate.leaf())));
                continue;
            }
            if (certificate.chain().size() < 2) {
                unstapled.add(new StapleStatus(nickname, responder, "none: the chain has no issuer certificate, which OCSP needs",
                        Optional.empty(), false, Optional.empty(), Optional.empty(), MustStaple.required(certificate.leaf())));
                continue;
            }
            Optional<X509Certificate> trusted = Optional.empty();
            if (target.settings().responderCert().isPresent()) {
                try {
                    trusted = Optional.of(TrustBundle.read(target.settings().responderCert().get(), "ocsp.responder-cert").get(0));
                } catch (CertificateLoadException e) {
                    problems.add(e.getMessage());
                    continue;
                }
            }
            StaplingPolicy policy = StaplingPolicy.of(target.settings());
            staplers.put(certificate, new OcspStapler(nickname, certificate.leaf(), certificate.chain().get(1), responder,
                    target.settings().stapleFile(), policy, transport, new OcspResponseVerifier(policy.clockSkew(), trusted),
                    target.settings().cacheDir().map(OcspDiskCache::new), executor, clock, listener));
        }
        if (!problems.isEmpty()) {
            executor.shutdownNow();
            throw new ConfigException(source, problems);
        }
    }

    public void start() {
        staplers.values().forEach(OcspStapler::start);
        unstapled.forEach(status -> LOG.info("not stapling nickname={} reason={}", status.nickname(), status.mode()));
    }

    /** One synchronous round for every certificate, for {@code check}. */
    public void probeAll() {
        staplers.values().forEach(OcspStapler::probe);
    }

    /**
     * A service fetching over HTTP with the timeout of the global {@code ocsp:} settings (or the default), on the
     * system clock: what {@code run} and {@code check} both use.
     */
    public static OcspStaplingService overHttp(List<StaplingTarget> targets, OcspSettings global, StaplerListener listener,
            String source) throws ConfigException {
        return new OcspStaplingService(targets, new HttpOcspTransport(StaplingPolicy.of(global).timeout()), Clock.systemUTC(),
                listener, source);
    }

    /** The DER response to staple with {@code certificate} now, or null. Called per handshake: one map lookup. */
    public byte[] staple(ServerCertificate certificate) {
        OcspStapler stapler = staplers.get(certificate);
        return stapler == null ? null : stapler.staple();
    }

    /** True when {@code certificate} is revoked and its policy is stop-serving. */
    public boolean refusesToServe(ServerCertificate certificate) {
        OcspStapler stapler = staplers.get(certificate);
        return stapler != null && stapler.refusesToServe();
    }

    public List<StapleStatus> statuses() {
        List<StapleStatus> all = new ArrayList<>();
        staplers.values().forEach(s -> all.add(s.status()));
        all.addAll(unstapled);
        return all;
    }

    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
