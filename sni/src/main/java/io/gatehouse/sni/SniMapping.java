package io.gatehouse.sni;

import io.gatehouse.config.ConfigException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * The certificate choice of one listener: an immutable map from server name to a precomputed {@link Selection},
 * built once. It is keyed per listener, never globally, so one hostname can carry different certificates on the
 * public VIP and on internal_api (the mistake that broke mod_nss).
 *
 * <p>Matching follows RFC 6125 section 6.4: exact names first, then a wildcard standing as the whole leftmost
 * label ({@code *.example.com} covers {@code a.example.com}, not {@code a.b.example.com} nor {@code example.com}),
 * then the default, unless strict. Case and one trailing dot are ignored. A client that sends no name gets the
 * certificate whose iPAddress SAN is the address it connected to, else the default. Each name may carry one
 * ECDSA and one other (RSA) certificate; the client's ClientHello decides which it gets.
 *
 * @param <T> what is selected: an {@code SslContext} at run time, anything in tests
 */
public final class SniMapping<T> {

    /** A precomputed answer: what to use, which certificate it is, and how it matched. */
    public record Selection<T>(T value, ServerCertificate certificate, SniMatch match) {
    }

    /** The answers for one name: one per key type, since BoringSSL can present only one certificate. */
    private record Choice<T>(Selection<T> ecdsa, Selection<T> other) {

        Selection<T> pick(boolean clientAcceptsEcdsa) {
            if (clientAcceptsEcdsa && ecdsa != null) {
                return ecdsa;
            }
            return other != null ? other : ecdsa;
        }

        Choice<T> as(SniMatch match) {
            return new Choice<>(retag(ecdsa, match), retag(other, match));
        }

        private static <T> Selection<T> retag(Selection<T> s, SniMatch match) {
            return s == null ? null : new Selection<>(s.value(), s.certificate(), match);
        }
    }

    private final Map<String, Choice<T>> exact;
    private final SuffixMap<Choice<T>> wildcardParents;
    private final Map<InetAddress, Choice<T>> byAddress;
    private final Choice<T> fallback;
    private final boolean strict;

    private SniMapping(Map<String, Choice<T>> exact, Map<String, Choice<T>> wildcardParents, Map<InetAddress, Choice<T>> byAddress,
            Choice<T> fallback, boolean strict) {
        this.exact = Map.copyOf(exact);
        this.wildcardParents = new SuffixMap<>(wildcardParents);
        this.byAddress = Map.copyOf(byAddress);
        this.fallback = fallback;
        this.strict = strict;
    }

    /** Builds a lenient mapping whose default is the first certificate and whose names carry no host settings. */
    public static <T> SniMapping<T> build(String listener, List<ServerCertificate> certificates, List<T> values, String source)
            throws ConfigException {
        Map<ServerCertificate, T> byCertificate = new HashMap<>();
        for (int i = 0; i < certificates.size(); i++) {
            byCertificate.put(certificates.get(i), values.get(i));
        }
        return build(listener, certificates, certificates.get(0), false, Set.of(), (c, host) -> byCertificate.get(c), source);
    }

    /**
     * Builds the mapping of one listener.
     *
     * @param hostNames names (exact, or {@code *.parent}) that have their own TLS settings
     * @param valueFor  the value for a certificate, served for a host name with settings, or for {@code null}: the
     *                  listener's defaults
     * @throws ConfigException when two certificates claim one name with the same key type: the choice is ambiguous
     */
    public static <T> SniMapping<T> build(String listener, List<ServerCertificate> certificates, ServerCertificate defaultCertificate,
            boolean strict, Set<String> hostNames, BiFunction<ServerCertificate, String, T> valueFor, String source)
            throws ConfigException {
        List<String> problems = new ArrayList<>();
        Map<String, ServerCertificate[]> claims = new HashMap<>();
        Map<InetAddress, ServerCertificate[]> addressClaims = new HashMap<>();
        for (ServerCertificate certificate : certificates) {
            for (String name : certificate.dnsNames()) {
                claim(claims, normalize(name), certificate, listener, name, problems);
            }
            for (String ip : certificate.ipAddresses()) {
                claim(addressClaims, literal(ip), certificate, listener, ip, problems);
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(source, problems);
        }
        Map<String, Choice<T>> exact = new HashMap<>();
        Map<String, Choice<T>> wildcard = new HashMap<>();
        claims.forEach((name, pair) -> {
            if (name.startsWith("*.")) {
                wildcard.put(name.substring(2), choice(pair, valueFor, hostNames.contains(name) ? name : null, SniMatch.WILDCARD));
            } else if (!name.contains("*")) {
                exact.put(name, choice(pair, valueFor, hostNames.contains(name) ? name : null, SniMatch.EXACT));
            }
        });
        // A host with settings that only a wildcard covers gets an exact entry of its own, with those settings.
        for (String host : hostNames) {
            String name = normalize(host);
            if (!name.startsWith("*.") && !exact.containsKey(name)) {
                ServerCertificate[] pair = claims.get(wildcardKeyOf(name));
                if (pair != null) {
                    exact.put(name, choice(pair, valueFor, name, SniMatch.WILDCARD));
                }
            }
        }
        Map<InetAddress, Choice<T>> byAddress = new HashMap<>();
        addressClaims.forEach((address, pair) -> byAddress.put(address, choice(pair, valueFor, null, SniMatch.ADDRESS)));
        Choice<T> fallback = defaultChoice(defaultCertificate, exact, valueFor);
        return new SniMapping<>(exact, wildcard, byAddress, fallback, strict);
    }

    /**
     * The selection for one handshake; {@code null} when the listener is strict and the name is unknown.
     *
     * @param serverName    the SNI host name, or null when the client sent none
     * @param acceptsEcdsa  whether the client can verify an ECDSA certificate ({@link ClientHelloCapabilities})
     * @param localAddress  the address the client connected to
     */
    public Selection<T> select(String serverName, boolean acceptsEcdsa, InetAddress localAddress) {
        if (serverName == null || serverName.isEmpty()) {
            Choice<T> byIp = localAddress == null ? null : byAddress.get(localAddress);
            return (byIp != null ? byIp : fallback).pick(acceptsEcdsa);
        }
        String name = normalize(serverName);
        Choice<T> choice = exact.get(name);
        if (choice == null) {
            choice = wildcardOf(name);
        }
        if (choice == null) {
            return strict ? null : fallback.pick(acceptsEcdsa);
        }
        return choice.pick(acceptsEcdsa);
    }

    /** The value for a server name, as an ECDSA-capable client connecting to no particular address would get it. */
    public T select(String serverName) {
        Selection<T> selection = select(serverName, true, null);
        return selection == null ? null : selection.value();
    }

    /** What kind of match a server name gets. */
    public SniMatch match(String serverName) {
        Selection<T> selection = select(serverName, true, null);
        return selection == null ? SniMatch.DEFAULT : selection.match();
    }

    public boolean strict() {
        return strict;
    }

    /** The certificate an ECDSA-capable client gets for {@code serverName}, or empty when strict refuses it. */
    public java.util.Optional<ServerCertificate> certificateFor(String serverName) {
        return java.util.Optional.ofNullable(select(serverName, true, null)).map(Selection::certificate);
    }

    private Choice<T> wildcardOf(String name) {
        int dot = name.indexOf('.');
        return dot > 0 && dot < name.length() - 1 ? wildcardParents.get(name, dot + 1) : null;
    }

    private static <K> void claim(Map<K, ServerCertificate[]> claims, K key, ServerCertificate certificate, String listener,
            String spelled, List<String> problems) {
        ServerCertificate[] pair = claims.computeIfAbsent(key, k -> new ServerCertificate[2]);
        int slot = certificate.keyAlgorithm().equals("EC") ? 0 : 1;
        ServerCertificate earlier = pair[slot];
        if (earlier != null && earlier != certificate) {
            problems.add("listener " + listener + ": certificates '" + earlier.nickname() + "' and '" + certificate.nickname()
                    + "' both claim " + spelled + " with a " + certificate.keyAlgorithm() + " key (remove the name from one,"
                    + " or serve them on different listeners)");
            return;
        }
        pair[slot] = certificate;
    }

    private static <T> Choice<T> choice(ServerCertificate[] pair, BiFunction<ServerCertificate, String, T> valueFor, String host,
            SniMatch match) {
        return new Choice<>(selection(pair[0], valueFor, host, match), selection(pair[1], valueFor, host, match));
    }

    private static <T> Selection<T> selection(ServerCertificate certificate, BiFunction<ServerCertificate, String, T> valueFor,
            String host, SniMatch match) {
        return certificate == null ? null : new Selection<>(valueFor.apply(certificate, host), certificate, match);
    }

    /** The default answers: the default certificate, paired with its other-key twin when it has one. */
    private static <T> Choice<T> defaultChoice(ServerCertificate certificate, Map<String, Choice<T>> exact,
            BiFunction<ServerCertificate, String, T> valueFor) {
        for (String name : certificate.dnsNames()) {
            Choice<T> named = exact.get(normalize(name));
            if (named != null && (contains(named.ecdsa(), certificate) || contains(named.other(), certificate))) {
                return named.as(SniMatch.DEFAULT);
            }
        }
        Selection<T> only = new Selection<>(valueFor.apply(certificate, null), certificate, SniMatch.DEFAULT);
        return certificate.keyAlgorithm().equals("EC") ? new Choice<>(only, null) : new Choice<>(null, only);
    }

    private static boolean contains(Selection<?> selection, ServerCertificate certificate) {
        return selection != null && selection.certificate() == certificate;
    }

    private static String wildcardKeyOf(String name) {
        int dot = name.indexOf('.');
        return dot > 0 ? "*" + name.substring(dot) : name;
    }

    private static InetAddress literal(String ip) {
        try {
            // The JDK hands iPAddress SANs over as literals: this never performs a lookup.
            return InetAddress.getByName(ip);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP literal: " + ip, e);
        }
    }

    /** Lower case without one trailing dot; allocates only when the name is not already so (Netty lower-cases SNI). */
    static String normalize(String name) {
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
