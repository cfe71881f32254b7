package io.gatehouse.ocsp;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one certificate's staple fresh: from the responder (refreshing partway through each response's window,
 * backing off on failure), from the disk cache at startup, or from an operator's staple file. Everything but
 * {@link #staple()} runs on the stapling executor; {@code staple()} is a volatile read, safe on an event loop.
 */
public final class OcspStapler {

    private static final Logger LOG = LoggerFactory.getLogger(OcspStapler.class);

    private final String nickname;
    private final X509Certificate certificate;
    private final X509Certificate issuer;
    private final Optional<URI> responder;
    private final Optional<Path> stapleFile;
    private final StaplingPolicy policy;
    private final OcspTransport transport;
    private final OcspResponseVerifier verifier;
    private final Optional<OcspDiskCache> cache;
    private final ScheduledExecutorService executor;
    private final Clock clock;
    private final StaplerListener listener;
    private final boolean mustStaple;

    private volatile VerifiedOcspResponse current;
    private volatile String lastError;
    private volatile Instant lastAttempt;
    // Confined to the executor.
    private int failures;
    private ScheduledFuture<?> nextFetch;
    private long stapleFileModified = -1;

    OcspStapler(String nickname, X509Certificate certificate, X509Certificate issuer, Optional<URI> responder, Optional<Path> stapleFile,
            StaplingPolicy policy, OcspTransport transport, OcspResponseVerifier verifier, Optional<OcspDiskCache> cache,
            ScheduledExecutorService executor, Clock clock, StaplerListener listener) {
        this.nickname = nickname;
        this.certificate = certificate;
        this.issuer = issuer;
        this.responder = responder;
        this.stapleFile = stapleFile;
        this.policy = policy;
        this.transport = transport;
        this.verifier = verifier;
        this.cache = cache;
        this.executor = executor;
        this.clock = clock;
        this.listener = listener;
        this.mustStaple = MustStaple.required(certificate);
    }

    /** Starts in the background: a listener never waits for a responder. */
    void start() {
        executor.execute(() -> load(true));
    }

    /** For {@code check}: one synchronous round (staple file, else cache, else one fetch), nothing scheduled. */
    void probe() {
        load(false);
    }

    /** The DER response to staple now, or null. Called per handshake: a volatile read and a comparison. */
    public byte[] staple() {
        VerifiedOcspResponse response = current;
        return response != null && StapleFreshness.stapleable(response, certificate.getNotAfter().toInstant(), clock.instant(), policy.clockSkew())
                ? response.derForStapling() : null;
    }

    /** True when the responder said revoked and the policy is stop-serving: handshakes must not present it. */
    public boolean refusesToServe() {
        VerifiedOcspResponse response = current;
        return policy.onRevoked() == io.gatehouse.config.OcspSettings.RevokedPolicy.STOP_SERVING && response != null
                && response.status() == OcspCertStatus.REVOKED;
    }

    public StapleStatus status() {
        return new StapleStatus(nickname, responder, stapleFile.map(f -> "staple-file " + f).orElse(responder.isPresent() ? "responder" : "none"),
                Optional.ofNullable(current), staple() != null, Optional.ofNullable(lastError), Optional.ofNullable(lastAttempt), mustStaple);
    }

    private void load(boolean schedule) {
        if (stapleFile.isPresent()) {
            readStapleFile();
            if (schedule) {
                executor.scheduleWithFixedDelay(this::readStapleFileIfChanged, policy.minDelay().toMillis(), policy.minDelay().toMillis(),
                        TimeUnit.MILLISECONDS);
            }
            return;
        }
        cache.flatMap(c -> c.load(nickname)).ifPresent(der -> {
            try {
                accept(verifier.verify(der, certificate, issuer, Optional.empty(), clock.instant()), "disk cache", false);
            } catch (OcspVerificationException e) {
                LOG.info("cached staple not used nickname={} reason={}", nickname, e.getMessage());
            }
        });
        fetch(schedule);
    }

    private void fetch(boolean schedule) {
        if (responder.isEmpty()) {
            return;
        }
        lastAttempt = clock.instant();
        OcspQuery query = OcspQuery.forCertificate(certificate, issuer, policy.nonce());
        try {
            byte[] der = transport.post(responder.get(), query.der(), policy.timeout());
            VerifiedOcspResponse response = verifier.verify(der, certificate, issuer, query.nonce(), clock.instant());
            if (accept(response, responder.get().toString(), true)) {
                failures = 0;
                if (schedule) {
                    scheduleFetch(Duration.between(clock.instant(), refreshTime(response)));
                }
                return;
            }
        } catch (OcspVerificationException e) {
            failed(e.reason(), e.getMessage(), schedule);
            return;
        } catch (IOException e) {
            failed("unreachable", e.toString(), schedule);
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (RuntimeException e) {
            failed("internal", e.toString(), schedule);
            return;
        }
        failed("unknown_status", "the responder does not know this certificate (status unknown)", schedule);
    }

    /** Takes a verified response; false for "unknown", which is never stapled. */
    private boolean accept(VerifiedOcspResponse response, String from, boolean store) {
        if (response.status() == OcspCertStatus.UNKNOWN) {
            return false;
        }
        current = response;
        lastError = null;
        listener.fetched(nickname, response.status());
        if (store) {
            cache.ifPresent(c -> {
                try {
                    c.store(nickname, response.der());
                } catch (IOException e) {
                    LOG.warn("ocsp cache write failed nickname={} file={} reason={}", nickname, c.fileFor(nickname), e.toString());
                }
            });
        }
        if (response.status() == OcspCertStatus.REVOKED) {
            LOG.error("certificate REVOKED according to its OCSP responder nickname={} serial={} revoked_at={} source={} on_revoked={}",
                    nickname, certificate.getSerialNumber().toString(16), response.revocationTime().map(Instant::toString).orElse("?"), from,
                    policy.onRevoked().yamlName());
        } else {
            LOG.info("ocsp staple ready nickname={} status={} source={} this_update={} next_update={}", nickname, response.status().label(),
                    from, response.thisUpdate(), response.nextUpdate());
        }
        Instant until = StapleFreshness.stapleableUntil(response, certificate.getNotAfter().toInstant());
        long delay = Math.max(0, Duration.between(clock.instant(), until).toMillis()) + 1000;
        executor.schedule(() -> expireCheck(response), delay, TimeUnit.MILLISECONDS);
        return true;
    }

    private void expireCheck(VerifiedOcspResponse response) {
        if (current == response && staple() == null) {
            LOG.warn("ocsp staple expired, no longer stapling nickname={} next_update={} must_staple={} last_error={}", nickname,
                    response.nextUpdate(), mustStaple, lastError);
            listener.stapleExpired(nickname);
        }
    }

    private void failed(String reason, String message, boolean schedule) {
        failures++;
        lastError = message;
        listener.rejected(nickname, reason);
        Duration delay = StapleFreshness.backoff(failures, policy.minDelay(), policy.maxDelay());
        delay = delay.plusMillis(ThreadLocalRandom.current().nextLong(Math.max(1, delay.toMillis() / 10)));
        VerifiedOcspResponse response = current;
        String keeping = staple() != null ? "still stapling the response valid until " + response.nextUpdate() : "no staple";
        if (mustStaple) {
            LOG.error("ocsp refresh failed for a must-staple certificate nickname={} responder={} reason={} detail={} retry_in={}s state={}",
                    nickname, responder.map(URI::toString).orElse("-"), reason, message, delay.toSeconds(), keeping);
        } else {
            LOG.warn("ocsp refresh failed nickname={} responder={} reason={} detail={} retry_in={}s state={}", nickname,
                    responder.map(URI::toString).orElse("-"), reason, message, delay.toSeconds(), keeping);
        }
        if (schedule) {
            scheduleFetch(delay);
        }
    }

    private Instant refreshTime(VerifiedOcspResponse response) {
        long window = Duration.between(response.thisUpdate(), response.nextUpdate()).toMillis();
        Duration jitter = Duration.ofMillis(window <= 0 ? 0 : ThreadLocalRandom.current().nextLong(-window / 20, window / 20 + 1));
        Instant at = StapleFreshness.refreshAt(response, policy.refreshAt(), jitter, clock.instant(), policy.minDelay());
        Instant latest = clock.instant().plus(policy.maxDelay());
        return at.isAfter(latest) ? latest : at;
    }

    private void scheduleFetch(Duration delay) {
        if (nextFetch != null) {
            nextFetch.cancel(false);
        }
        nextFetch = executor.schedule(() -> fetch(true), Math.max(0, delay.toMillis()), TimeUnit.MILLISECONDS);
    }

    private void readStapleFileIfChanged() {
        try {
            if (Files.getLastModifiedTime(stapleFile.get()).toMillis() != stapleFileModified) {
                readStapleFile();
            }
        } catch (IOException e) {
            failed("staple_file", stapleFile.get() + " cannot be read: " + e.getMessage(), false);
        }
    }

    private void readStapleFile() {
        Path file = stapleFile.get();
        lastAttempt = clock.instant();
        try {
            stapleFileModified = Files.getLastModifiedTime(file).toMillis();
            VerifiedOcspResponse response = verifier.verify(Files.readAllBytes(file), certificate, issuer, Optional.empty(), clock.instant());
            if (!accept(response, "staple-file " + file, false)) {
                failed("unknown_status", file + " says the certificate's status is unknown", false);
            }
        } catch (OcspVerificationException e) {
            failed(e.reason(), file + ": " + e.getMessage(), false);
        } catch (IOException e) {
            failed("staple_file", file + " cannot be read: " + e.getMessage(), false);
        }
    }
}
