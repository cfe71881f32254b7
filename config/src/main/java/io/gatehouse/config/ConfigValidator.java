package io.gatehouse.config;

import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;

/**
 * Checks that hold across records, for configurations from YAML and from the command line alike: unique names
 * and bind addresses, backends that exist, and certificate files that can be opened. Parsing the files is the
 * certificate store's job.
 */
public final class ConfigValidator {

    public void validate(GatehouseConfig config, ConfigProblems problems) {
        if (config.listeners().isEmpty() && problems.isEmpty()) {
            problems.add("listeners", "is empty", "declare at least one listener");
        }
        Map<String, String> namesSeen = new HashMap<>();
        Map<HostPort, String> bindsSeen = new HashMap<>();
        for (ListenerConfig listener : config.listeners()) {
            String earlier = namesSeen.putIfAbsent(listener.name(), listener.origin());
            if (earlier != null) {
                problems.add(listener.origin() + ".name", "'" + listener.name() + "' is already the name of " + earlier,
                        "give every listener a unique name");
            }
            if (listener.bind().port() != 0) {
                String sameBind = bindsSeen.putIfAbsent(listener.bind(), listener.origin());
                if (sameBind != null) {
                    problems.add(listener.origin() + ".bind", listener.bind() + " is also bound by " + sameBind,
                            "give each listener its own address or port");
                }
            }
            checkForwarding(config, listener, problems);
            if (listener.certificates().isEmpty() && !listener.plain()) {
                problems.add(listener.origin() + ".certificates", "is empty", "list at least one certificate");
            }
            listener.sessionTickets().ifPresent(t -> checkFile(listener.origin() + ".session-tickets.key-file", t.keyFile(), problems));
            listener.certificates().forEach(source -> checkFiles(source, problems));
            Map<String, String> hostsSeen = new HashMap<>();
            for (HostConfig host : listener.hosts()) {
                String first = hostsSeen.putIfAbsent(host.name(), host.origin());
                if (first != null) {
                    problems.add(host.origin() + ".name", "'" + host.name() + "' is already configured at " + first,
                            "merge the two entries");
                }
                host.clientCa().ifPresent(ca -> checkFile(host.origin() + ".client-ca", ca, problems));
            }
        }
        config.backends().values().forEach(backend -> backend.tls().flatMap(BackendTlsConfig::ca)
                .ifPresent(ca -> checkFile(backend.origin() + ".tls.ca", ca, problems)));
        config.trust().ifPresent(trust -> checkFile("trust", trust, problems));
        checkOcspFiles("ocsp", config.ocsp(), problems);
        config.certificateOcsp().forEach((origin, settings) -> checkOcspFiles(origin + ".ocsp", settings, problems));
        config.ocsp().cacheDir().ifPresent(dir -> {
            if (Files.exists(dir) && (!Files.isDirectory(dir) || !Files.isWritable(dir))) {
                problems.add("ocsp.cache-dir", dir + " is not a writable folder", "let the user running gatehouse write there, or remove it");
            }
        });
        config.admin().ifPresent(admin -> {
            String clash = bindsSeen.get(admin.bind());
            if (clash != null && admin.bind().port() != 0) {
                problems.add("admin.bind", admin.bind() + " is also bound by " + clash, "choose another port for admin");
            }
        });
    }

    /** Where a listener's requests go: a redirect goes nowhere, tcp mode needs one backend, http mode routes or one. */
    private static void checkForwarding(GatehouseConfig config, ListenerConfig listener, ConfigProblems problems) {
        String at = listener.origin();
        if (listener.redirectToHttps()) {
            if (listener.mode() != ListenerMode.HTTP) {
                problems.add(at + ".redirect", "only works in http mode", "remove mode: tcp");
            }
            if (!listener.certificates().isEmpty() || listener.backend().isPresent() || !listener.routes().isEmpty()) {
                problems.add(at + ".redirect", "a redirect listener speaks plain HTTP and forwards nothing",
                        "remove certificates, backend and routes from it");
            }
            return;
        }
        if (listener.mode() == ListenerMode.TCP && !listener.routes().isEmpty()) {
            problems.add(at + ".routes", "need http mode (tcp mode cannot see hosts or paths)", "remove routes or use mode: http");
        }
        if (listener.backend().isEmpty() && (listener.mode() == ListenerMode.TCP || listener.routes().isEmpty())) {
            problems.add(at + ".backend", "is required", "name one of the entries under backends:");
        }
        listener.backend().ifPresent(name -> checkBackendName(config, at + ".backend", name, problems));
        listener.backend().map(config.backends()::get).filter(b -> b.sendProxy().isPresent() && listener.sendProxy().isPresent())
                .ifPresent(b -> problems.add(at + ".send-proxy", "the backend " + b.name() + " sends a PROXY header too, so the"
                        + " server would get two", "set send-proxy on the listener or on the backend, not both"));
        boolean catchAll = false;
        for (RouteConfig route : listener.routes()) {
            if (catchAll) {
                problems.add(route.origin(), "can never match: an earlier route matches every request",
                        "move the route without host and path-prefix to the end");
            }
            catchAll |= route.host().isEmpty() && route.pathPrefix().isEmpty();
            checkBackendName(config, route.origin() + ".backend", route.backend(), problems);
        }
    }

    private static void checkBackendName(GatehouseConfig config, String path, String name, ConfigProblems problems) {
        if (!config.backends().containsKey(name)) {
            problems.add(path, "'" + name + "' is not defined under backends:",
                    config.backends().isEmpty() ? "add a backends: section" : "use one of " + String.join(", ", config.backends().keySet()));
        }
    }

    private static void checkFiles(CertificateSource source, ConfigProblems problems) {
        for (CertificateSource.NamedFile file : source.files()) {
            String path = source.origin() + "." + file.field();
            if (source instanceof CertificateSource.PemDirectory) {
                if (!Files.isDirectory(file.path())) {
                    problems.add(path, file.path() + " is not a folder", "name the folder that holds the PEM files");
                } else if (!Files.isReadable(file.path()) || !Files.isExecutable(file.path())) {
                    problems.add(path, file.path() + " cannot be listed", "let the user running gatehouse read the folder");
                }
            } else {
                checkFile(path, file.path(), problems);
            }
        }
    }

    private static void checkOcspFiles(String path, OcspSettings settings, ConfigProblems problems) {
        settings.responderCert().ifPresent(file -> checkFile(path + ".responder-cert", file, problems));
        settings.stapleFile().ifPresent(file -> checkFile(path + ".staple-file", file, problems));
    }

    private static void checkFile(String path, java.nio.file.Path file, ConfigProblems problems) {
        if (!Files.exists(file)) {
            problems.add(path, file + " does not exist", "check the path, or that certmonger has written the file");
        } else if (!Files.isRegularFile(file)) {
            problems.add(path, file + " is not a regular file", "name the file itself");
        } else if (!Files.isReadable(file)) {
            problems.add(path, file + " is not readable", "let the user running gatehouse read it (owner, mode, SELinux label)");
        }
    }
}
