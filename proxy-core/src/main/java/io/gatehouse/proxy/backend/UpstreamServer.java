package io.gatehouse.proxy.backend;

import io.gatehouse.config.EjectionConfig;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One server of a backend and what Gatehouse knows about it: whether the health check passes, whether it is
 * ejected after refusing connections, and how many exchanges it carries now. Shared by every event loop, so its
 * state is atomic.
 */
public final class UpstreamServer {

    private static final Logger LOG = LoggerFactory.getLogger(UpstreamServer.class);

    private final String backend;
    private final InetSocketAddress address;
    /** Made once: every finished exchange asks for it, and formatting an address per request showed in profiles. */
    private final String text;
    /** The host as configured (a name or a literal): what TLS verifies when no sni is set. */
    private final String configuredHost;
    private final int weight;
    private final EjectionConfig ejection;
    private final int maxInFlight;
    private final LongSupplier nanoTime;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger consecutiveConnectFailures = new AtomicInteger();
    private volatile boolean healthy = true;
    private volatile long ejectedUntil;
    private volatile boolean ejected;

    public UpstreamServer(String backend, InetSocketAddress address, String configuredHost, int weight, EjectionConfig ejection,
            int maxInFlight, LongSupplier nanoTime) {
        this.backend = backend;
        this.address = address;
        this.text = AddressText.of(address);
        this.configuredHost = configuredHost;
        this.weight = weight;
        this.ejection = ejection;
        this.maxInFlight = maxInFlight;
        this.nanoTime = nanoTime;
    }

    public InetSocketAddress address() {
        return address;
    }

    public String configuredHost() {
        return configuredHost;
    }

    public int weight() {
        return weight;
    }

    public String text() {
        return text;
    }

    /** In rotation: healthy, not ejected, and below its in-flight limit. */
    public boolean available() {
        return healthy && !isEjected() && (maxInFlight == 0 || inFlight.get() < maxInFlight);
    }

    /** In rotation but for a passive ejection. */
    boolean availableIgnoringEjection() {
        return healthy && (maxInFlight == 0 || inFlight.get() < maxInFlight);
    }

    public boolean healthy() {
        return healthy;
    }

    public boolean isEjected() {
        if (ejected && nanoTime.getAsLong() - ejectedUntil >= 0) {
            ejected = false;
            LOG.info("upstream server back in rotation after ejection backend={} server={}", backend, text());
        }
        return ejected;
    }

    public int inFlight() {
        return inFlight.get();
    }

    public void exchangeStarted() {
        inFlight.incrementAndGet();
    }

    public void exchangeEnded() {
        inFlight.decrementAndGet();
    }

    /** Passive ejection: enough refused connections in a row take the server out for a while. */
    public void connectFailed(Throwable cause) {
        if (consecutiveConnectFailures.incrementAndGet() >= ejection.afterFailures() && !ejected) {
            ejectedUntil = nanoTime.getAsLong() + ejection.duration().toNanos();
            ejected = true;
            LOG.warn("upstream server ejected backend={} server={} failures={} for={}s reason={}", backend, text(),
                    consecutiveConnectFailures.get(), ejection.duration().toSeconds(), cause.toString());
        }
    }

    public void connectSucceeded() {
        consecutiveConnectFailures.set(0);
    }

    /** The active health check's verdict, after rise/fall counting. A passing check also ends an ejection. */
    public void healthChanged(boolean nowHealthy, String reason) {
        if (nowHealthy) {
            consecutiveConnectFailures.set(0);
            ejected = false;
        }
        if (healthy != nowHealthy) {
            healthy = nowHealthy;
            if (nowHealthy) {
                LOG.info("upstream server up backend={} server={} reason={}", backend, text(), reason);
            } else {
                LOG.warn("upstream server down backend={} server={} reason={}", backend, text(), reason);
            }
        }
    }
}
