package io.gatehouse.proxy;

import io.gatehouse.config.SessionTicketConfig;
import io.gatehouse.sni.CertificateLoadException;
import io.gatehouse.sni.SessionTicketKeyFile;
import io.netty.handler.ssl.OpenSslSessionContext;
import io.netty.handler.ssl.OpenSslSessionTicketKey;
import io.netty.handler.ssl.SslContext;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one listener's session ticket keys in step with its key file, which every node behind the VIP shares.
 * Rotation is replacing the file: its first key encrypts from then on, and keys that left the file still decrypt
 * for the grace period, so clients holding older tickets still resume. A file that cannot be parsed (half
 * written, or wrong) is logged and the current keys stay.
 */
final class SessionTicketKeyRotation implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SessionTicketKeyRotation.class);
    /** How often the file is looked at; certmonger-style renewals do not need faster. */
    static final long CHECK_SECONDS = 5;

    private final String listener;
    private final SessionTicketConfig config;
    private final List<SslContext> contexts;
    private final Clock clock;
    private final String field;
    private ScheduledExecutorService checker;
    private List<OpenSslSessionTicketKey> current = List.of();
    /** Keys that left the file, by name, with when they stop decrypting. */
    private final Map<String, Retired> retired = new LinkedHashMap<>();

    private record Retired(OpenSslSessionTicketKey key, Instant until) {
    }

    SessionTicketKeyRotation(String listener, SessionTicketConfig config, List<SslContext> contexts, Clock clock) {
        this.listener = listener;
        this.config = config;
        this.contexts = List.copyOf(contexts);
        this.clock = clock;
        this.field = "listener " + listener + " session-tickets.key-file";
    }

    /** Applies the keys the configuration check read from the file, then looks at the file every few seconds. */
    void start(List<OpenSslSessionTicketKey> checkedKeys) {
        update(checkedKeys);
        checker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "gatehouse-ticket-keys-" + listener);
            thread.setDaemon(true);
            return thread;
        });
        checker.scheduleWithFixedDelay(this::check, CHECK_SECONDS, CHECK_SECONDS, TimeUnit.SECONDS);
    }

    synchronized void check() {
        List<OpenSslSessionTicketKey> fromFile;
        try {
            fromFile = SessionTicketKeyFile.read(config.keyFile(), field);
        } catch (CertificateLoadException e) {
            LOG.error("session ticket keys not updated, keeping the current ones listener={} reason=\"{}\"", listener, e.getMessage());
            fromFile = current;
        }
        update(fromFile);
    }

    /** Retires keys that left the file, drops retired keys past their grace, and applies the result if it changed. */
    private synchronized void update(List<OpenSslSessionTicketKey> fromFile) {
        boolean changed = retired.values().removeIf(r -> !clock.instant().isBefore(r.until()));
        if (!sameKeys(fromFile, current)) {
            Instant until = clock.instant().plus(config.grace());
            for (OpenSslSessionTicketKey old : current) {
                if (fromFile.stream().noneMatch(k -> Arrays.equals(k.name(), old.name()))) {
                    retired.put(nameOf(old), new Retired(old, until));
                }
            }
            fromFile.forEach(k -> retired.remove(nameOf(k)));
            boolean first = current.isEmpty();
            current = fromFile;
            changed = true;
            LOG.info("session ticket keys {} listener={} file={} keys={} still_decrypting={}", first ? "loaded" : "rotated", listener,
                    config.keyFile(), current.size(), retired.size());
        }
        if (changed) {
            apply();
        }
    }

    private void apply() {
        List<OpenSslSessionTicketKey> keys = new ArrayList<>(current);
        retired.values().forEach(r -> keys.add(r.key()));
        OpenSslSessionTicketKey[] array = keys.toArray(new OpenSslSessionTicketKey[0]);
        for (SslContext context : contexts) {
            if (context.sessionContext() instanceof OpenSslSessionContext sessions) {
                // The first key encrypts; BoringSSL tries each key's name when decrypting.
                sessions.setTicketKeys(array);
            }
        }
    }

    private static boolean sameKeys(List<OpenSslSessionTicketKey> a, List<OpenSslSessionTicketKey> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!Arrays.equals(a.get(i).name(), b.get(i).name()) || !Arrays.equals(a.get(i).aesKey(), b.get(i).aesKey())
                    || !Arrays.equals(a.get(i).hmacKey(), b.get(i).hmacKey())) {
                return false;
            }
        }
        return true;
    }

    private static String nameOf(OpenSslSessionTicketKey key) {
        return java.util.HexFormat.of().formatHex(key.name());
    }

    @Override
    public void close() {
        if (checker != null) {
            checker.shutdownNow();
        }
    }
}
