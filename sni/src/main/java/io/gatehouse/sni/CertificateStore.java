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

    private final Map<CertificateSource, List<ServerCertificate>> bySource;
    private final List<ServerCertificate> distinct;

    private CertificateStore(Map<CertificateSource, List<ServerCertificate>> bySource, List<ServerCertificate> distinct) {
        this.bySource = bySource;
        this.distinct = List.copyOf(distinct);
    }

    /** Loads all certificates; reports every unreadable source and every nickname clash together. */
    public static CertificateStore load(GatehouseConfig config) throws ConfigException {
        CertificateLoader loader = new CertificateLoader();
        Map<List<Path>, List<ServerCertificate>> byFiles = new LinkedHashMap<>();
        Map<String, String> nicknameOwners = new LinkedHashMap<>();
        Map<CertificateSource, List<ServerCertificate>> bySource = new IdentityHashMap<>();
        List<String> problems = new ArrayList<>();
        for (ListenerConfig listener : config.listeners()) {
            for (CertificateSource source : listener.certificates()) {
                List<Path> identity = identity(source);
                List<ServerCertificate> loaded = byFiles.get(identity);
                if (loaded == null) {
                    try {
                        loaded = loader.load(source);
                    } catch (CertificateLoadException e) {
                        problems.add(e.getMessage());
                        continue;
                    }
                    byFiles.put(identity, loaded);
                    for (ServerCertificate certificate : loaded) {
                        String here = source.origin() + " (" + certificate.source() + ")";
                        String owner = nicknameOwners.putIfAbsent(certificate.nickname().value(), here);
                        if (owner != null) {
                            problems.add(source.origin() + ": nickname '" + certificate.nickname() + "' is used by two different sources: "
                                    + owner + " and " + here + " (set a distinct nickname: on one of them)");
                        }
                    }
                } else if (source.nickname().isPresent() && loaded.size() == 1
                        && !source.nickname().get().equals(loaded.get(0).nickname().value())) {
                    problems.add(source.origin() + ".nickname: '" + source.nickname().get() + "' names " + source.describe()
                            + ", which is already loaded as '" + loaded.get(0).nickname() + "' (give the same files one nickname everywhere)");
                }
                bySource.put(source, loaded);
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(config.source(), problems);
        }
        return new CertificateStore(bySource, byFiles.values().stream().flatMap(List::stream).toList());
    }

    /** The loaded certificates of one listener, in the order the listener lists them. */
    public List<ServerCertificate> certificatesOf(ListenerConfig listener) {
        return listener.certificates().stream().flatMap(source -> bySource.get(source).stream()).toList();
    }

    /** The certificates one source yields. */
    public List<ServerCertificate> certificatesOf(CertificateSource source) {
        return bySource.getOrDefault(source, List.of());
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
