package io.gatehouse.sni;

import io.gatehouse.config.CertificateSource;
import io.gatehouse.config.ConfigException;
import io.gatehouse.config.GatehouseConfig;
import io.gatehouse.config.ListenerConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Loads every certificate a configuration names, once per distinct source. The same files on many listeners
 * (one VIP, many service ports) are one certificate. Two different sources that yield the same nickname are an
 * error naming both: Gatehouse never guesses which one an operator meant.
 */
public final class CertificateStore {

    private final Map<CertificateSource, ServerCertificate> bySource;
    private final List<ServerCertificate> distinct;

    private CertificateStore(Map<CertificateSource, ServerCertificate> bySource, List<ServerCertificate> distinct) {
        this.bySource = bySource;
        this.distinct = List.copyOf(distinct);
    }

    /** Loads all certificates; reports every unreadable source and every nickname clash together. */
    public static CertificateStore load(GatehouseConfig config) throws ConfigException {
        CertificateLoader loader = new CertificateLoader();
        Map<List<Path>, ServerCertificate> byFiles = new LinkedHashMap<>();
        Map<String, CertificateSource> nicknameOwners = new LinkedHashMap<>();
        Map<CertificateSource, ServerCertificate> bySource = new IdentityHashMap<>();
        List<String> problems = new ArrayList<>();
        for (ListenerConfig listener : config.listeners()) {
            for (CertificateSource source : listener.certificates()) {
                List<Path> identity = identity(source);
                ServerCertificate loaded = byFiles.get(identity);
                if (loaded == null) {
                    try {
                        loaded = loader.load(source);
                    } catch (CertificateLoadException e) {
                        problems.add(e.getMessage());
                        continue;
                    }
                    byFiles.put(identity, loaded);
                    CertificateSource owner = nicknameOwners.putIfAbsent(loaded.nickname().value(), source);
                    if (owner != null) {
                        problems.add(source.origin() + ": nickname '" + loaded.nickname() + "' is used by two different sources: "
                                + owner.origin() + " (" + owner.describe() + ") and " + source.origin() + " (" + source.describe()
                                + ") (set a distinct nickname: on one of them)");
                    }
                } else if (source.nickname().isPresent() && !source.nickname().get().equals(loaded.nickname().value())) {
                    problems.add(source.origin() + ".nickname: '" + source.nickname().get() + "' names " + source.describe()
                            + ", which is already loaded as '" + loaded.nickname() + "' (give the same files one nickname everywhere)");
                }
                bySource.put(source, loaded);
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(config.source(), problems);
        }
        return new CertificateStore(bySource, List.copyOf(byFiles.values()));
    }

    /** The loaded certificates of one listener, in the order the listener lists them. */
    public List<ServerCertificate> certificatesOf(ListenerConfig listener) {
        return listener.certificates().stream().map(bySource::get).toList();
    }

    /** Every distinct certificate, in the order first named. */
    public List<ServerCertificate> all() {
        return distinct;
    }

    /** The canonical files of a source: the same files reached by different spellings are the same source. */
    private static List<Path> identity(CertificateSource source) {
        return source.files().stream().map(f -> canonical(f.path())).toList();
    }

    private static Path canonical(Path path) {
        try {
            return path.toRealPath();
        } catch (IOException e) {
            return path.toAbsolutePath().normalize();
        }
    }
}
