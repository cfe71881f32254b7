package io.gatehouse.sni;

import io.gatehouse.config.ConfigException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The certificate choice of one listener: an immutable map from server name to TLS context, built once. Keyed per
 * listener, never globally, so one hostname can carry different certificates on the public VIP and on
 * internal_api.
 *
 * <p>Matching follows RFC 6125 section 6.4: exact names first, then a wildcard that stands as the whole leftmost
 * label ({@code *.example.com} covers {@code a.example.com}, not {@code a.b.example.com} nor {@code example.com}),
 * then the listener's default. Case and one trailing dot are ignored.
 *
 * @param <T> what is selected: an {@code SslContext} at run time, anything in tests
 */
public final class SniMapping<T> {

    private final Map<String, T> exact;
    private final Map<String, T> wildcardParents;
    private final T defaultValue;

    private SniMapping(Map<String, T> exact, Map<String, T> wildcardParents, T defaultValue) {
        this.exact = Map.copyOf(exact);
        this.wildcardParents = Map.copyOf(wildcardParents);
        this.defaultValue = defaultValue;
    }

    /**
     * Builds the mapping for one listener; the first certificate is the default. Two certificates that claim the
     * same exact name (or the same wildcard) with the same key type are ambiguous and fail with both nicknames.
     */
    public static <T> SniMapping<T> build(String listener, List<ServerCertificate> certificates, List<T> values, String source)
            throws ConfigException {
        Map<String, T> exact = new HashMap<>();
        Map<String, T> wildcard = new HashMap<>();
        Map<String, ServerCertificate> claimedBy = new HashMap<>();
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < certificates.size(); i++) {
            ServerCertificate cert = certificates.get(i);
            for (String name : cert.dnsNames()) {
                String normalized = normalize(name);
                ServerCertificate earlier = claimedBy.putIfAbsent(normalized + "/" + cert.keyAlgorithm(), cert);
                if (earlier != null && earlier != cert) {
                    problems.add("listener " + listener + ": certificates '" + earlier.nickname() + "' and '" + cert.nickname()
                            + "' both claim " + name + " with a " + cert.keyAlgorithm() + " key (remove the name from one,"
                            + " or serve them on different listeners)");
                    continue;
                }
                if (normalized.startsWith("*.")) {
                    wildcard.putIfAbsent(normalized.substring(2), values.get(i));
                } else if (!normalized.contains("*")) {
                    exact.putIfAbsent(normalized, values.get(i));
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(source, problems);
        }
        return new SniMapping<>(exact, wildcard, values.get(0));
    }

    /** The value for a client's server name; {@code null} or an unknown name gives the default. */
    public T select(String serverName) {
        if (serverName == null || serverName.isEmpty()) {
            return defaultValue;
        }
        String name = normalize(serverName);
        T value = exact.get(name);
        if (value == null) {
            value = wildcardOf(name);
        }
        return value == null ? defaultValue : value;
    }

    /** What kind of match a server name gets, for logs and counters. */
    public SniMatch match(String serverName) {
        if (serverName == null || serverName.isEmpty()) {
            return SniMatch.DEFAULT;
        }
        String name = normalize(serverName);
        if (exact.containsKey(name)) {
            return SniMatch.EXACT;
        }
        return wildcardOf(name) != null ? SniMatch.WILDCARD : SniMatch.DEFAULT;
    }

    public T defaultValue() {
        return defaultValue;
    }

    /** The wildcard entry covering {@code name}: only its whole leftmost label may be replaced (RFC 6125 6.4.3). */
    private T wildcardOf(String name) {
        int dot = name.indexOf('.');
        return dot > 0 && dot < name.length() - 1 ? wildcardParents.get(name.substring(dot + 1)) : null;
    }

    /** Lower case without one trailing dot; allocates only when the name is not already so (Netty lower-cases SNI). */
    private static String normalize(String name) {
        boolean clean = name.charAt(name.length() - 1) != '.';
        for (int i = 0; clean && i < name.length(); i++) {
            char c = name.charAt(i);
            clean = c < 'A' || c > 'Z';
        }
        if (clean) {
            return name;
        }
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
    }
}
